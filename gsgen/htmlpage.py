"""A rendered page as the *(out)* rules see it: its meta tags, header, footer, links and text.

Parsed with the standard library's HTML parser, so `gsgen check` can read pages saved from any
portal, however they were made.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

SKIPPED = {"script", "style", "template", "noscript"}


@dataclass
class Link:
    href: str
    text: str
    line: int


@dataclass
class HtmlPage:
    file: str  # path of the page, as reported to the editor
    meta: dict[str, str] = field(default_factory=dict)
    meta_lines: dict[str, int] = field(default_factory=dict)
    header_text: str = ""
    footer_text: str = ""
    footer_links: list[Link] = field(default_factory=list)
    text: str = ""  # all visible text of <body>
    lang: str = ""

    @property
    def is_content(self) -> bool:
        return "ArticleTitle" in self.meta or "PubDate" in self.meta

    @property
    def is_column(self) -> bool:
        return not self.is_content and "ColumnType" in self.meta

    def line_of(self, meta_name: str) -> int:
        return self.meta_lines.get(meta_name, 1)


def parse_page(file: str, html: str) -> HtmlPage:
    parser = _Parser(HtmlPage(file))
    parser.feed(html)
    parser.close()
    page = parser.page
    page.header_text = "".join(parser.header_parts)
    page.footer_text = "".join(parser.footer_parts)
    page.text = "".join(parser.text_parts)
    return page


class _Parser(HTMLParser):
    def __init__(self, page: HtmlPage) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.header_depth = self.footer_depth = self.skip_depth = 0
        self.header_parts: list[str] = []
        self.footer_parts: list[str] = []
        self.text_parts: list[str] = []
        self.link: Link | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "meta" and "name" in values:
            name = values["name"]
            self.page.meta.setdefault(name, values.get("content", ""))
            self.page.meta_lines.setdefault(name, self.getpos()[0])
        elif tag == "html":
            self.page.lang = values.get("lang", "")
        elif tag == "header":
            self.header_depth += 1
        elif tag == "footer":
            self.footer_depth += 1
        elif tag in SKIPPED:
            self.skip_depth += 1
        elif tag == "a" and self.footer_depth:
            self.link = Link(values.get("href", ""), "", self.getpos()[0])

    def handle_endtag(self, tag: str) -> None:
        if tag == "header" and self.header_depth:
            self.header_depth -= 1
        elif tag == "footer" and self.footer_depth:
            self.footer_depth -= 1
        elif tag in SKIPPED and self.skip_depth:
            self.skip_depth -= 1
        elif tag == "a" and self.link is not None:
            self.page.footer_links.append(self.link)
            self.link = None

    def handle_data(self, data: str) -> None:
        if self.skip_depth:
            return
        self.text_parts.append(data)
        if self.header_depth:
            self.header_parts.append(data)
        if self.footer_depth:
            self.footer_parts.append(data)
        if self.link is not None:
            self.link.text += data
