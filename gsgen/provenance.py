"""Where a value on a rendered page came from: the editor's file and line, not the generated page.

A page is made from few files: its item (or its column's `_column.yaml`), config.yaml, and the
templates of the site's own theme. When a rule finds something wrong on a page (a URL, a style), it
names the offending text as evidence, and the first of those files that wrote it is the place to fix
it. A value read from YAML, or a link of a Markdown body, is matched exactly as it was read (with the
line recorded when it was read: escapes and Markdown's own URL encoding do not hide it); anything else
is looked for in the file's text, also with its character references decoded (`&#106;avascript:`).
Only the default theme is never searched: it ships with gsgen and is checked by its tests.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from gsgen.markdown import Ref
from gsgen.yamlfile import Doc


class Provenance:
    def __init__(
        self,
        root: Path,
        pages: dict[str, tuple[str, ...]],
        shared: tuple[str, ...],
        docs: dict[str, Doc],
        refs: dict[str, list[Ref]],
    ) -> None:
        self.root = root
        self.pages = pages  # output path → the site files that supplied the page's own content
        self.shared = shared  # files every page is made from: config.yaml, the site's templates
        self.docs = docs  # file → its YAML, as read (front matter, _column.yaml, config.yaml)
        self.refs = refs  # item file → the links and images of its body, as Markdown read them
        self._values: dict[str, dict[str, int]] = {}
        self._texts: dict[str, str] = {}

    def locate(self, page: str, evidence: str) -> tuple[str, int] | None:
        """(file, line) of the first source of `page` that wrote `evidence`, or None."""
        for rel in (*self.pages.get(page, ()), *self.shared):
            line = self._known(rel).get(evidence) or self._search(rel, evidence)
            if line:
                return rel, line
        return None

    def _known(self, rel: str) -> dict[str, int]:
        if rel not in self._values:
            values: dict[str, int] = {}
            doc = self.docs.get(rel)
            if doc is not None:
                for path, value in doc.strings():
                    values.setdefault(value.strip(), doc.line(*path))
            for ref in self.refs.get(rel, ()):
                values.setdefault(ref.written, ref.line)
            self._values[rel] = values
        return self._values[rel]

    def _search(self, rel: str, evidence: str) -> int | None:
        text = self._text(rel)
        for needle in dict.fromkeys((evidence, html.escape(evidence), html.escape(evidence, False))):
            index = text.find(needle) if needle else -1
            if index >= 0:
                return text.count("\n", 0, index) + 1
        loose = _loose(evidence)  # written with character references, in upper case, quoted otherwise…
        for number, line in enumerate(text.split("\n"), start=1):
            if loose and loose in _loose(line):
                return number
        return None

    def _text(self, rel: str) -> str:
        if rel not in self._texts:
            try:
                self._texts[rel] = (self.root / rel).read_text("utf-8", errors="replace")
            except OSError:
                self._texts[rel] = ""
        return self._texts[rel]


_IGNORED = re.compile("[\\s'\"\x00-\x1f\x7f\ufffd]")


def _loose(text: str) -> str:
    """Text as an HTML parser reads it, less what writing it in a template can vary: character
    references decoded, case, quotes, spaces and control characters."""
    return _IGNORED.sub("", html.unescape(text)).lower()
