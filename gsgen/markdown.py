"""Markdown bodies to HTML with markdown-it-py (CommonMark plus tables).

Raw HTML in Markdown is escaped, not passed through, until the sanitiser of SAFE-HTML lands.
References written as editors see files on disk (`photo.jpg`, `../../zcwj/2024-003.md`) are rewritten
to the published URLs, so links work both in a Markdown preview and on the site.
"""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

from gsgen.paths import resolve_ref

ITEM_SOURCES = (".md", ".yaml", ".yml")
# Where the plain text needs a separator that the HTML gets from its block structure.
_TEXT_BREAKS = {"paragraph_close": "\n", "heading_close": "\n", "tr_close": "\n", "th_close": " ", "td_close": " "}
_EXTERNAL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^//")


@dataclass(frozen=True)
class Rendered:
    html: str
    text: str  # the plain text, for descriptions and (later) search and checks


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


def render_markdown(body: str, item_path: str, files: Container[str]) -> Rendered:
    """`files` holds every publishable path under content/ (assets and item sources)."""
    md = _parser()
    tokens = md.parse(body)
    texts: list[str] = []
    for token in tokens:
        for child in token.children or ():
            if child.type in ("link_open", "image"):
                _rewrite(child, "href" if child.type == "link_open" else "src", item_path, files)
            if child.type in ("text", "code_inline"):
                texts.append(child.content)
        if token.type in _TEXT_BREAKS:
            texts.append(_TEXT_BREAKS[token.type])
    return Rendered(md.renderer.render(tokens, md.options, {}), "".join(texts).strip())


def _rewrite(token: Token, attr: str, item_path: str, files: Container[str]) -> None:
    ref = str(token.attrGet(attr) or "")
    if not ref or ref.startswith("#") or _EXTERNAL.match(ref):
        return
    target = resolve_ref(item_path, ref, files)
    if target is None:
        return  # left as written; LINKS reports what does not resolve
    fragment = ref[ref.index("#") :] if "#" in ref else ""
    if target.endswith(ITEM_SOURCES):
        target = target.rsplit(".", 1)[0] + ".html"
    token.attrSet(attr, f"/{target}{fragment}")
