"""Checking rendered HTML: page rules as each page is rendered, output rules once all are, and
`gsgen check` on any folder of HTML (the rules marked `out` in the catalogue only, as there is no site model)."""

from __future__ import annotations

from pathlib import Path

from gsgen.diagnostics import Diagnostic
from gsgen.htmlpage import HtmlPage, parse_page
from gsgen.rules import CheckContext, check_output, check_page


class PageChecker:
    """Collects page findings as pages are rendered, keeping what the output rules need."""

    def __init__(self, ctx: CheckContext, out_only: bool = False) -> None:
        self.ctx, self.out_only = ctx, out_only
        self.pages: list[HtmlPage] = []
        self._shared: dict = {}  # links, resources and meta values as first seen on a page

    def page(self, path: str, html: str) -> list[Diagnostic]:
        found, page = checked_page(path, html, self.ctx, self.out_only)
        self.keep(page)
        return found

    def keep(self, page: HtmlPage) -> None:
        """Keep a page (as `for_output_rules` made it) for the output rules, its parts shared with the
        pages kept before: the menu's links, the stylesheets and the site's meta values are the same
        on thousands of pages, and kept once the kept pages take half the memory (2,000 items: 29.5
        MB → 15.3 MB), which matters when a build holds 100,000 of them. A page kept by an earlier
        build (gsgen serve keeps unchanged pages in memory) shares its parts already."""
        self.pages.append(page)
        if page.__dict__.get("_shared"):
            return
        page.__dict__["_shared"] = True
        shared = self._shared
        page.links = [shared.setdefault(link, link) for link in page.links]
        page.resources = [
            shared.setdefault((r.tag, r.url, r.line, tuple(r.attrs.items()), r.in_head), r) for r in page.resources
        ]
        page.meta = {shared.setdefault(k, k): shared.setdefault(v, v) for k, v in page.meta.items()}
        page.meta_lines = {shared.setdefault(k, k): v for k, v in page.meta_lines.items()}

    def output(self) -> list[Diagnostic]:
        return check_output(self.pages, self.ctx, self.out_only)


def checked_page(path: str, html: str, ctx: CheckContext, out_only: bool = False) -> tuple[list[Diagnostic], HtmlPage]:
    """A page's findings, and what the output rules will read of it."""
    page = parse_page(path, html)
    return check_page(page, ctx, out_only), page.for_output_rules()


def check_folder(folder: Path, trusted_hosts: tuple[str, ...] = (), page: str | None = None) -> list[Diagnostic]:
    """`gsgen check`: the *(out)* rules on every .html file under `folder`, or on one `page` in it
    (its links resolved against the folder's files)."""
    files = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}

    def read(path: str) -> bytes | None:
        target = folder / path
        return target.read_bytes() if path in files else None

    checker = PageChecker(CheckContext(None, None, trusted_hosts, files, read), out_only=True)
    found: list[Diagnostic] = []
    for path in [page] if page else sorted(p for p in files if p.endswith((".html", ".htm"))):
        html = (folder / path).read_bytes().decode("utf-8", errors="replace")
        found.extend(checker.page(path, html))
    found.extend(checker.output())
    return found
