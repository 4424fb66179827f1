"""Where a value on a rendered page came from: the editor's file and line, not the generated page.

A page is made from few files: its item (or its column's `_column.yaml`), config.yaml, and the
templates of the site's own theme. When a rule finds something wrong on a page (a URL, a style), it
names the offending text as evidence, and the first of those files that contains it is the place to
fix it. Only the default theme is never searched: it ships with gsgen and is checked by its tests.
"""

from __future__ import annotations

import html
from pathlib import Path


class Provenance:
    def __init__(self, root: Path, pages: dict[str, tuple[str, ...]], shared: tuple[str, ...]) -> None:
        self.root = root
        self.pages = pages  # output path → the site files that supplied the page's own content
        self.shared = shared  # files every page is made from: config.yaml, the site's templates
        self._texts: dict[str, str] = {}

    def locate(self, page: str, evidence: str) -> tuple[str, int] | None:
        """(file, line) of the first source of `page` that contains `evidence`, or None."""
        needles = [n for n in dict.fromkeys((evidence, html.escape(evidence), html.escape(evidence, False))) if n]
        for rel in (*self.pages.get(page, ()), *self.shared):
            text = self._text(rel)
            for needle in needles:
                index = text.find(needle)
                if index >= 0:
                    return rel, text.count("\n", 0, index) + 1
        return None

    def _text(self, rel: str) -> str:
        if rel not in self._texts:
            try:
                self._texts[rel] = (self.root / rel).read_text("utf-8", errors="replace")
            except OSError:
                self._texts[rel] = ""
        return self._texts[rel]
