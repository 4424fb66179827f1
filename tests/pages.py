"""Reading built pages in tests, independently of gsgen's own HTML reader."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path


class Page(HTMLParser):
    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self.meta: dict[str, str] = {}
        self.sections: dict[str, list[str]] = {"header": [], "footer": [], "main": []}
        self.open: list[str] = []
        self.links: list[tuple[str, str]] = []  # (href, text)
        self._href: str | None = None
        self._text: list[str] = []
        self.html = path.read_text("utf-8")
        self.feed(self.html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta" and "name" in a:
            self.meta[a["name"]] = a.get("content") or ""
        if tag in self.sections:
            self.open.append(tag)
        if tag == "a":
            self._href, self._text = a.get("href") or "", []
        if tag == "img" and self._href is not None:  # a linked picture is named by its alt text
            self._text.append(a.get("alt") or "")

    def handle_endtag(self, tag):
        if tag in self.sections and tag in self.open:
            self.open.remove(tag)
        if tag == "a" and self._href is not None:
            self.links.append((self._href, "".join(self._text).strip()))
            self._href = None

    def handle_data(self, data):
        for name in self.open:
            self.sections[name].append(data)
        if self._href is not None:
            self._text.append(data)

    def text(self, section: str) -> str:
        return re.sub(r"\s+", "", "".join(self.sections[section]))

    def hrefs(self) -> set[str]:
        return {href for href, _ in self.links}


def html_pages(out: Path) -> list[Page]:
    return [Page(p) for p in sorted(out.rglob("*.html"))]
