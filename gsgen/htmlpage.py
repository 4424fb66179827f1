"""A rendered page as the page rules see it: meta tags, header, footer, links, lists and text.

Parsed with lxml (libxml2's forgiving HTML parser, in C: a fifth of the time of the standard
library's parser, which was most of the cost of checking a page), so `gsgen check` can read pages
saved from any portal, however they were made. One walk over the tree collects everything the rules
need, with each element's line; the rules themselves only read the result.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from lxml import etree
from lxml import html as lxml_html

from gsgen.gate.css import hides
from gsgen.gate.text import visible

SKIPPED = {"script", "style", "template", "noscript"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
# Elements whose content a browser does not show until asked (暗链 hide there: DARK-LINK). A closed
# <details> is one too when its summary says nothing a reader can see (see _veil).
VEILING = {"template": "<template>", "noscript": "<noscript>", "rp": "<rp>"}
# How much smaller each element makes its text: small, sub and sup are `font-size: smaller`, which
# browsers take as 1/1.2 of the parent's size; headings by their em sizes (HTML's user-agent sheet).
FONT_SCALE = {"small": 1 / 1.2, "sub": 1 / 1.2, "sup": 1 / 1.2, "big": 1.2, "h1": 2.0, "h2": 1.5, "h3": 1.17}
FONT_SCALE |= {"h5": 0.83, "h6": 0.67}
FONT_SIZES = {"1": 10.0, "2": 13.0, "3": 16.0, "4": 18.0, "5": 24.0, "6": 32.0, "7": 48.0}  # <font size>
SIZING = {*FONT_SCALE, "font"}
VEILED_BY_DEFAULT = {*VEILING, "details"}
BASE_PX = 16.0  # every browser's default text size
# The smallest text and picture a reader can make out, in CSS pixels: 8 px is 6 pt, the smallest print
# any type guide allows. Four levels of small/sub/sup take 16 px text to 7.7 px; three leave 9.3 px.
MIN_VISIBLE_PX = 8.0
PICTURES = {"img", "svg"}  # what names a link without text: a picture by its alt, a drawing by itself
DATE = re.compile(r"(\d{4})[-/年.](\d{1,2})[-/月.](\d{1,2})")
# Attributes whose value a browser follows or loads as a URL (the gate reads every one of them).
URL_ATTRIBUTES = frozenset(
    [
        "href",
        "src",
        "srcset",
        "srcdoc",
        "action",
        "formaction",
        "poster",
        "data",
        "background",
        "cite",
        "ping",
        "xlink:href",
        "manifest",
        "codebase",
        "longdesc",
        "lowsrc",
        "dynsrc",
        "icon",
        "archive",
        "imagesrcset",
    ]
)


@dataclass
class Link:
    href: str
    text: str
    line: int
    attrs: dict[str, str] = field(default_factory=dict)
    hidden: bool = False  # inside an element hidden by inline style or the `hidden` attribute
    prominent: bool = False  # inside an element marked data-slot="prominent" (the homepage's lead area)
    context: str = ""  # the text of the list item the link sits in
    veil: str = ""  # the element it sits in that shows nothing by default (VEILING, a closed <details>)
    shown: bool = False  # holds text a reader can see, or a picture of visible size named by its alt
    size: float = BASE_PX  # the smallest size of its text, in CSS pixels
    blank: bool = True  # holds no visible character at all (whatever its size)

    @property
    def unseen(self) -> str:
        """Why a reader cannot see the link (DARK-LINK), or "" when they can."""
        if self.hidden:
            return "它被样式或 hidden 属性隐藏"
        if self.veil:
            return f"它在默认不显示的内容中（{self.veil}）"
        if self.shown:
            return ""
        if not self.blank:
            return f"它的文字只有约 {self.size:.1f} 像素大，无法看清（至少 {MIN_VISIBLE_PX:g} 像素）"
        return f"它没有看得见的文字或图片（图片须有 alt 文字，宽高不小于 {MIN_VISIBLE_PX:g} 像素）"


class UrlAttribute(NamedTuple):
    tag: str
    attr: str
    value: str
    line: int
    attrs: dict[str, str]


class SeenLink(NamedTuple):
    """A link as the output rules see it (HtmlPage.for_output_rules): a tuple, as pages are cached by
    the thousand and tuples load fastest."""

    href: str
    line: int
    hidden: bool
    prominent: bool
    context: str


class SeenResource(NamedTuple):
    tag: str
    url: str
    line: int
    attrs: dict[str, str]
    in_head: bool


@dataclass
class Resource:
    tag: str  # img, script, link, iframe, …
    url: str
    line: int
    attrs: dict[str, str] = field(default_factory=dict)
    in_head: bool = False


@dataclass
class HtmlPage:
    file: str  # path of the page, as reported to the editor
    size: int = 0  # bytes of HTML
    meta: dict[str, str] = field(default_factory=dict)
    meta_lines: dict[str, int] = field(default_factory=dict)
    header_text: str = ""
    footer_text: str = ""
    footer_links: list[Link] = field(default_factory=list)
    links: list[Link] | list[SeenLink] = field(default_factory=list)
    resources: list[Resource] | list[SeenResource] = field(default_factory=list)
    lists: list[list[str | None]] = field(default_factory=list)  # per <ul>/<ol>: each item's date
    tags: dict[str, int] = field(default_factory=dict)  # first line of each tag name seen
    styles: list[tuple[str, str, int]] = field(default_factory=list)  # (tag, inline style, line)
    handlers: list[tuple[str, str, int, str]] = field(default_factory=list)  # (tag, on* attribute, line, value)
    urls: list[UrlAttribute] = field(default_factory=list)  # every URL-bearing attribute
    inline_scripts: list[tuple[str, int, str]] = field(
        default_factory=list
    )  # (type, line, code) of <script> without src
    style_sheets: list[tuple[str, int]] = field(default_factory=list)  # (text, line) of <style> elements
    leaving_prompt: bool = False  # an inline script tells visitors they are leaving (LEAVING_PROMPT)
    http_equiv: dict[str, str] = field(default_factory=dict)  # <meta http-equiv> by lower-case name
    repeated_roots: list[str] = field(default_factory=list)  # html/body/head written more than once
    text: str = ""  # all visible text of <body>
    search_text: str = ""  # the text inside data-search-body, less data-search-ignore and hidden parts
    h1_at: int = -1  # offset in `text` where the first <h1> starts
    archive_time: str | None = None  # the time an 「已归档」 banner above the title shows (ARCHIVED)
    labels: set[str] = field(default_factory=set)  # alt, title and aria-label texts
    roles: set[str] = field(default_factory=set)  # ARIA roles used on the page
    lang: str = ""
    base_url: str = ""
    unread: str = ""  # why the parser stopped before the end of the page (its own limits), or ""
    # the parsed page, for the rules that match the theme's stylesheets (rules/hidden.py); never kept
    # beyond the page's own checks (for_output_rules leaves it out)
    tree: etree._Element | None = field(default=None, repr=False, compare=False)

    @property
    def is_content(self) -> bool:
        return "ArticleTitle" in self.meta or "PubDate" in self.meta

    @property
    def is_column(self) -> bool:
        return not self.is_content and "ColumnType" in self.meta

    @property
    def is_home(self) -> bool:
        return self.meta.get("ColumnType") == "首页"

    def line_of(self, meta_name: str) -> int:
        return self.meta_lines.get(meta_name, 1)

    def for_output_rules(self) -> HtmlPage:
        """What the output rules read (links with where they sit, resources, the archive banner, meta):
        kept for every page of a build and in the build cache, so the rest is left out."""
        return HtmlPage(
            self.file,
            self.size,
            meta=self.meta,
            meta_lines=self.meta_lines,
            links=[SeenLink(k.href, k.line, k.hidden, k.prominent, k.context) for k in self.links],
            resources=[SeenResource(r.tag, r.url, r.line, _kept(r.attrs), r.in_head) for r in self.resources],
            archive_time=self.archive_time,
            base_url=self.base_url,
            search_text=self.search_text,
        )


def _kept(attrs: dict[str, str]) -> dict[str, str]:
    return {"rel": attrs["rel"]} if "rel" in attrs else {}


# What a site-wide script says when a visitor follows a link off the government web (EXT-LINK under
# gsgen check: a portal's common.js that asks 「您即将离开本网站…」 before any outside link).
LEAVING_PROMPT = re.compile(r"即将离开|将要离开|您将离开|离开本站|离开本网站|即将跳转|即将访问(?:外部|其他|非政府)")

# How other systems name their header and footer (div.footer, #bottom, .copyright, .head-top): an id
# or class word, or the ARIA landmark role.
_REGION_WORDS = (
    ("footer", re.compile(r"foot|bottom|copyright|contentinfo", re.IGNORECASE)),
    ("header", re.compile(r"^(?:header|head|top|banner|logo)|[-_](?:header|head|top)(?:$|[-_])", re.IGNORECASE)),
)
_ROLES = {"contentinfo": "footer", "banner": "header"}


def _region(attrib) -> str:
    """ "header" or "footer" for an element that marks one by its role, id or class words, else ""."""
    role = _ROLES.get((attrib.get("role") or "").strip().lower())
    if role:
        return role
    words = f"{attrib.get('id') or ''} {attrib.get('class') or ''}".split()
    for region, pattern in _REGION_WORDS:
        if any(pattern.search(word) for word in words):
            return region
    return ""


ROOT_TAGS = re.compile(r"<(html|head|body)[\s/>]", re.IGNORECASE)


def parse_page(file: str, html: str) -> HtmlPage:
    parser = _Parser(HtmlPage(file, size=len(html.encode("utf-8"))))
    # A tree keeps one <body>; a browser folds the attributes of a second one (onload=…) into it.
    counted = Counter(tag.lower() for tag in ROOT_TAGS.findall(html))
    parser.page.repeated_roots = sorted(tag for tag, n in counted.items() if n > 1)
    root, parser.page.unread = _tree(html)
    if root is not None:
        # Pages of other systems mark their header and footer with a role, an id or a class instead
        # of the elements; those are looked for only where the elements are missing (never on gsgen's).
        parser.regions_sought = (root.find(".//header") is None, root.find(".//footer") is None)
        parser.walk(root)
        parser.page.tree = root
    page = parser.page
    page.header_text = "".join(parser.header_parts)
    page.footer_text = "".join(parser.footer_parts)
    page.text = "".join(parser.text_parts)
    page.search_text = _tidy("".join(parser.search_parts))
    page.archive_time = _archive_time(page)
    return page


def _tidy(text: str) -> str:
    """Lines stripped of surrounding space, empty lines dropped (what a reader sees of the layout)."""
    return "\n".join(line for line in (part.strip() for part in text.splitlines()) if line)


ARCHIVE_BANNER = re.compile(r"已归档[^\d]{0,40}(\d{4}-\d{2}-\d{2} \d{2}:\d{2})")


def _tree(html: str) -> tuple[etree._Element | None, str]:
    """The parsed page, and why libxml2 stopped reading part of it ("" when it read it all).

    libxml2 stops at its own limits (elements nested 256 deep, a text node of 10 MB) and keeps what it
    read so far, while a browser shows the rest: whatever stands beyond would pass every check unseen,
    so a page read only in part is refused (SAFE-HTML), never judged by the part that was read."""
    if not html.strip():
        return None, ""
    parser = lxml_html.HTMLParser()
    try:
        root = lxml_html.document_fromstring(html, parser=parser)
    except ValueError:  # a string that declares its own encoding (<?xml encoding=…?>): give it bytes
        parser = lxml_html.HTMLParser(encoding="utf-8")
        root = lxml_html.document_fromstring(html.encode("utf-8"), parser=parser)
    except etree.ParserError:  # nothing but comments or whitespace
        return None, ""
    stopped = next((e.message for e in parser.error_log if e.level >= etree.ErrorLevels.FATAL), "")
    return root, stopped


def _archive_time(page: HtmlPage) -> str | None:
    """The time shown by an 「已归档」 banner that stands before the page's title."""
    top = page.text[: page.h1_at] if page.h1_at >= 0 else page.text
    match = ARCHIVE_BANNER.search(top)
    return match[1] if match else None


def _iso_day(match: re.Match[str]) -> str:
    return f"{match[1]}-{int(match[2]):02d}-{int(match[3]):02d}"


@dataclass
class _Open:
    tag: str
    hidden: bool
    prominent: bool
    search: int = 0  # 0 outside the searchable body, 1 inside, 2 inside a part it ignores
    veil: str = ""  # Link.veil, for what is inside
    size: float = BASE_PX  # the size of its text, in CSS pixels


def _veil(element: etree._Element) -> str:
    """The element's own VEILING name, or a closed <details> whose summary shows nothing visible."""
    tag = element.tag.lower() if isinstance(element.tag, str) else ""
    if tag != "details":
        return VEILING.get(tag, "")
    if element.get("open") is not None:
        return ""
    summary = next((c for c in element if isinstance(c.tag, str) and c.tag.lower() == "summary"), None)
    if summary is not None and (
        visible(summary.text_content()) or any(_names_link("img", i.attrib) for i in summary.iter("img"))
    ):
        return ""
    return "未展开、又没有看得见的 <summary> 的 <details>"


def _text_size(tag: str, values: dict[str, str], parent: float) -> float:
    if tag == "font" and values.get("size", "").strip():
        written = values["size"].strip()
        if written[0] in "+-" and written[1:].isdigit():
            written = str(min(7, max(1, 3 + int(written))))
        return FONT_SIZES.get(written, parent)
    return parent * FONT_SCALE.get(tag, 1.0)


def _pixels(value: str | None) -> float | None:
    """A width or height attribute in pixels (None when absent or relative)."""
    match = re.match(r"\s*(\d+(?:\.\d+)?)\s*(?:px)?\s*$", value or "")
    return float(match[1]) if match else None


def _names_link(tag: str, values: Mapping[str, str]) -> bool:
    """Whether a picture (PICTURES) is seen and says what a link around it is: no side written under
    MIN_VISIBLE_PX, and for an <img> an alt text (an inline <svg> draws what it says)."""
    sides = [_pixels(values.get(side)) for side in ("width", "height")]
    named = tag != "img" or visible(values.get("alt") or "")
    return named and all(s is None or s >= MIN_VISIBLE_PX for s in sides)


# Elements that run on within a line of text: only these join their text to what stands beside them
# in the search text; every other element is a break, so that a heading and the paragraph after it,
# or two cells, never make a word together.
INLINE = frozenset(
    [
        "a",
        "abbr",
        "b",
        "bdi",
        "bdo",
        "cite",
        "code",
        "data",
        "dfn",
        "em",
        "i",
        "kbd",
        "mark",
        "q",
        "s",
        "samp",
        "small",
        "span",
        "strong",
        "sub",
        "sup",
        "time",
        "u",
        "var",
    ]
)


class _Parser:
    def __init__(self, page: HtmlPage) -> None:
        self.page = page
        self.stack: list[_Open] = []
        self.header_depth = self.footer_depth = self.skip_depth = 0
        self.regions_sought = (False, False)  # (header, footer): look for them by role, id and class
        self.in_head = False
        self.header_parts: list[str] = []
        self.footer_parts: list[str] = []
        self.text_parts: list[str] = []
        self.search_parts: list[str] = []
        self.text_length = 0
        self.link: Link | None = None
        self.lists: list[list[str | None]] = []
        self.items: list[tuple[list[str], list[Link], str | None]] = []  # open <li>: text, links, date

    def walk(self, element: etree._Element) -> None:
        """The events of a stream parser, from the tree: start, text, children (each followed by its
        tail text), end. Comments and processing instructions give only their tails."""
        tag = element.tag
        if isinstance(tag, str):
            region = _region(element.attrib) if any(self.regions_sought) and element.attrib else ""
            if region == "header" and self.regions_sought[0]:
                self.header_depth += 1
            elif region == "footer" and self.regions_sought[1]:
                self.footer_depth += 1
            else:
                region = ""
            veil = _veil(element) if tag.lower() in VEILED_BY_DEFAULT else ""
            self.handle_starttag(tag.lower(), dict(element.attrib), element.sourceline or 1, veil)
            if tag.lower() == "style":
                self.page.style_sheets.append((element.text or "", element.sourceline or 1))
            elif tag.lower() == "script" and self.page.inline_scripts and element.text:
                kind, line, _ = self.page.inline_scripts[-1]  # its code, to find the template that wrote it
                self.page.inline_scripts[-1] = (kind, line, element.text.strip()[:200])
                self.page.leaving_prompt |= bool(LEAVING_PROMPT.search(element.text))
            if element.text:
                self.handle_data(element.text)
            for child in element:
                self.walk(child)
                if child.tail:
                    self.handle_data(child.tail)
            self.handle_endtag(tag.lower())
            if region == "header":
                self.header_depth -= 1
            elif region == "footer":
                self.footer_depth -= 1

    # -- elements

    def handle_starttag(self, tag: str, values: dict[str, str], line: int, veil: str = "") -> None:
        self.page.tags.setdefault(tag, line)
        self._note_attributes(tag, values, line)
        parent = self.stack[-1] if self.stack else _Open("", False, False)
        veil = parent.veil or veil
        size = _text_size(tag, values, parent.size) if tag in SIZING else parent.size
        hidden = parent.hidden or "hidden" in values or bool(values.get("style") and hides(values["style"]))
        prominent = parent.prominent or values.get("data-slot") == "prominent"
        search = parent.search
        if search == 0 and "data-search-body" in values:
            search = 1
        elif search == 1 and "data-search-ignore" in values:
            search = 2
        if search == 1 and tag not in INLINE:
            self.search_parts.append("\n")
        if tag not in VOID:
            self.stack.append(_Open(tag, hidden, prominent, search, veil, size))
        if tag == "meta":
            self._meta(values, line)
        elif tag == "script" and not values.get("src"):
            self.page.inline_scripts.append((values.get("type", "").strip().lower(), line, ""))

        elif tag == "html":
            self.page.lang = values.get("lang", "")
        elif tag == "head":
            self.in_head = True
        elif tag == "base":
            self.page.base_url = values.get("href", "")
        elif tag == "header":
            self.header_depth += 1
        elif tag == "footer":
            self.footer_depth += 1
        elif tag in SKIPPED:
            self.skip_depth += 1
        elif tag == "h1" and self.page.h1_at < 0:
            self.page.h1_at = self.text_length
        elif tag in ("ul", "ol"):
            self.lists.append([])
        elif tag == "li":
            self.items.append(([], [], None))
        elif tag == "time" and self.items and values.get("datetime"):
            self._date_of_item(values["datetime"])
        elif tag in PICTURES:
            if values.get("alt"):
                self._picture_text(values["alt"])
            if self.link is not None and not (hidden or veil) and _names_link(tag, values):
                self.link.shown = True
        if tag == "a" and "href" in values:
            self.link = Link(values["href"], "", line, values, hidden, prominent, veil=veil, size=size)
            if self.items:
                self.items[-1][1].append(self.link)
        for attr in ("src", "href"):
            if tag != "a" and values.get(attr):
                self.page.resources.append(Resource(tag, values[attr], line, values, self.in_head))

    def handle_endtag(self, tag: str) -> None:
        if self.stack and self.stack[-1].search == 1 and tag not in INLINE:
            self.search_parts.append("\n")
        if tag not in VOID:
            for depth in range(len(self.stack) - 1, -1, -1):
                if self.stack[depth].tag == tag:
                    del self.stack[depth:]
                    break
        if tag == "head":
            self.in_head = False
        elif tag == "header" and self.header_depth:
            self.header_depth -= 1
        elif tag == "footer" and self.footer_depth:
            self.footer_depth -= 1
        elif tag in SKIPPED and self.skip_depth:
            self.skip_depth -= 1
        elif tag == "a" and self.link is not None:
            self.page.links.append(self.link)
            if self.footer_depth:
                self.page.footer_links.append(self.link)
            self.link = None
        elif tag == "li" and self.items:
            texts, links, date = self.items.pop()
            context = "".join(texts)
            for link in links:
                link.context = context
            if date is None:
                match = DATE.search(context)
                date = _iso_day(match) if match else None
            if self.lists:
                self.lists[-1].append(date)
            if self.items:  # a nested item's text belongs to its parent too
                self.items[-1][0].append(context)
        elif tag in ("ul", "ol") and self.lists:
            self.page.lists.append(self.lists.pop())

    def _picture_text(self, alt: str) -> None:
        """A picture's alt text is what it says, as a screen reader reads it: the official badges of the
        footer (我为政府网站找错, 党政机关网站标识) and a logo in the header are pictures of words, and a
        link holding only a picture is named by it."""
        if self.header_depth:
            self.header_parts.append(alt)
        if self.footer_depth:
            self.footer_parts.append(alt)
        if self.link is not None:
            self.link.text += alt

    def handle_data(self, data: str) -> None:
        if self.skip_depth:
            return
        self.text_parts.append(data)
        self.text_length += len(data)
        if self.stack and self.stack[-1].search == 1 and not self.stack[-1].hidden:
            self.search_parts.append(data)
        if self.header_depth:
            self.header_parts.append(data)
        if self.footer_depth:
            self.footer_parts.append(data)
        if self.link is not None:
            self.link.text += data
            if visible(data) and not (self.stack[-1].hidden or self.stack[-1].veil):  # text hidden inside it
                self._seen_text(self.link)
        if self.items:
            self.items[-1][0].append(data)

    def _seen_text(self, link: Link) -> None:
        """Visible characters in a link: it is shown if they are large enough to read."""
        link.blank = False
        size = self.stack[-1].size
        if size >= MIN_VISIBLE_PX:
            link.shown = True
        else:
            link.size = min(link.size, size)

    # -- details

    def _meta(self, values: dict[str, str], line: int) -> None:
        if "http-equiv" in values:
            self.page.http_equiv.setdefault(values["http-equiv"].strip().lower(), values.get("content", ""))
        if "name" in values:
            name = values["name"]
            self.page.meta.setdefault(name, values.get("content", ""))
            self.page.meta_lines.setdefault(name, line)

    def _note_attributes(self, tag: str, values: dict[str, str], line: int) -> None:
        if values.get("role"):
            self.page.roles.add(values["role"])
        for name in ("alt", "title", "aria-label"):
            if values.get(name):
                self.page.labels.add(values[name])
        if values.get("style"):
            self.page.styles.append((tag, values["style"], line))
        for name, value in values.items():
            if name.startswith("on"):
                self.page.handlers.append((tag, name, line, value))
            elif name in URL_ATTRIBUTES:
                self.page.urls.append(UrlAttribute(tag, name, value, line, values))

    def _date_of_item(self, value: str) -> None:
        match = DATE.search(value)
        if match:
            texts, links, _ = self.items[-1]
            self.items[-1] = (texts, links, _iso_day(match))
