"""Stage 4, check: the *(out)* rules on rendered pages, and what must not be in the output."""

from __future__ import annotations

from gsgen.diagnostics import Diagnostic
from gsgen.htmlpage import parse_page
from gsgen.model import Site
from gsgen.rules import check_page
from gsgen.rules.catalogue import diagnostic


def page(output_path: str, html: str) -> list[Diagnostic]:
    return check_page(parse_page(output_path, html))


def drafts_absent(site: Site, written: set[str]) -> list[Diagnostic]:
    """DRAFT: a draft is never published, whatever a theme or a later stage does."""
    return [
        diagnostic("DRAFT", item.file, 1, f"草稿（draft: true）出现在了输出中：{item.path}.html")
        for item in site.items.values()
        if item.draft and f"{item.path}.html" in written
    ]
