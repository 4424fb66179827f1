"""Markdown bodies: parsed once into a `Body` (links as written, raw HTML, text, and the sanitised
HTML the renderer shows), which the rules read and the renderer uses.

References written as editors see files on disk (`photo.jpg`, `../../zcwj/2024-003.md`) are rewritten
to the published URLs, so links work both in a Markdown preview and on the site. Links that leave
the government web are marked `data-external`, which the theme turns into a leaving prompt (EXT-LINK).
Raw HTML is allowed through an allow-list (nh3) after SAFE-HTML has reported what it would remove.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple, cast

import nh3
from lxml import html as lxml_html
from markdown_it import MarkdownIt
from markdown_it.token import Token

from gsgen.gate.css import KEPT_PROPERTIES
from gsgen.gate.urls import leaves_government, resource_problem
from gsgen.parallel import forked_map
from gsgen.paths import ITEM_SUFFIXES, resolve_ref

_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^//")
# Where the plain text needs a separator that the HTML gets from its block structure.
_TEXT_BREAKS = {"paragraph_close": "\n", "heading_close": "\n", "tr_close": "\n", "th_close": " ", "td_close": " "}

# The allow-list for HTML in bodies (SAFE-HTML): nh3's safe defaults, plus what Markdown tables and
# government video embeds need. Scripts, forms, objects and event handlers never pass; inline styles
# keep only alignment and plain typography (gate/css.py), frames come only from government hosts and
# run sandboxed.
_TAGS = nh3.ALLOWED_TAGS | {"iframe", "figure", "figcaption", "caption", "video", "source"}
_STYLED = {"p", "div", "span", "th", "td", "table", "tr", "caption", "li"}
_ATTRIBUTES = {
    **{tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()},
    **{tag: {*nh3.ALLOWED_ATTRIBUTES.get(tag, ()), "style"} for tag in _STYLED},
    "a": {"href", "title", "data-external"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"style", "colspan", "rowspan", "scope"},
    "td": {"style", "colspan", "rowspan"},
    "iframe": {"src", "title", "width", "height", "allowfullscreen"},
    "video": {"src", "controls", "width", "height", "poster"},
    "source": {"src", "type"},
    "ol": {"start"},
    "details": {"open"},  # shown open, as written: a closed one must say what it holds (DARK-LINK)
}
_FRAME_POLICY = {
    "iframe": {
        "sandbox": "allow-scripts allow-same-origin allow-presentation allow-popups",
        "referrerpolicy": "strict-origin-when-cross-origin",
        "loading": "lazy",
    }
}


class Ref(NamedTuple):  # a tuple: bodies are cached by the thousand, and tuples load fastest
    line: int
    kind: str  # "link" or "image"
    written: str  # as the editor wrote it
    target: str | None  # the path under content/ it resolved to, if it is a local file


@dataclass
class Body:
    refs: list[Ref] = field(default_factory=list)
    raw_html: list[tuple[int, str]] = field(default_factory=list)  # (line, HTML as written)
    text: str = ""  # the plain text, for descriptions and search
    html: str = ""  # sanitised, with references rewritten to published URLs


class BodyCache(dict):
    """Bodies parsed by an earlier build, by a digest of everything `parse_body` reads but the set of
    files; a cached body is used only if its links still resolve to the same files."""

    def body(self, source: str, item_path: str, files: Container[str], first_line: int, trusted: Iterable[str]) -> Body:
        return self.bodies([BodySource(source, item_path, first_line)], files, trusted)[0]

    def bodies(
        self, sources: Sequence[BodySource], files: Container[str], trusted: Iterable[str], jobs: int = 0
    ) -> list[Body]:
        """Each source's body: from the cache, else parsed, in worker processes when there are many
        (a clean build of a 10,000-item site parses for seconds)."""
        trusted = tuple(trusted)
        keys = [_key(s, trusted) for s in sources]
        found: list[Body | None] = [self._cached(k, s.item_path, files) for k, s in zip(keys, sources, strict=True)]
        missing = [n for n, body in enumerate(found) if body is None]
        parse = functools.partial(_parse_source, files=files, trusted=trusted)
        for n, body in zip(missing, forked_map(parse, [sources[n] for n in missing], jobs), strict=True):
            found[n] = self[keys[n]] = body
        self.used.update(keys)
        return cast(list[Body], found)

    def _cached(self, key: str, item_path: str, files: Container[str]) -> Body | None:
        body = self.get(key)
        if body is None or not all(_resolves_as_before(ref, item_path, files) for ref in body.refs):
            return None
        return body

    @property
    def used(self) -> set[str]:
        return self.__dict__.setdefault("_used", set())


class BodySource(NamedTuple):
    source: str
    item_path: str
    first_line: int


def _key(source: BodySource, trusted: tuple[str, ...]) -> str:
    """A digest of everything `parse_body` reads but the set of files."""
    text = f"{source.item_path}\0{source.first_line}\0{trusted}\0{source.source}"
    return hashlib.sha256(text.encode()).hexdigest()


def _parse_source(source: BodySource, files: Container[str], trusted: tuple[str, ...]) -> Body:
    return parse_body(source.source, source.item_path, files, source.first_line, trusted)


def _resolves_as_before(ref: Ref, item_path: str, files: Container[str]) -> bool:
    if not ref.written or ref.written.startswith("#") or _SCHEME.match(ref.written):
        return True
    return resolve_ref(item_path, ref.written, files) == ref.target


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": True, "linkify": False}).enable("table")


def parse_body(
    source: str, item_path: str, files: Container[str], first_line: int = 1, trusted: Iterable[str] = ()
) -> Body:
    """`files` holds every publishable path under content/ (assets and item sources)."""
    trusted = tuple(trusted)
    tokens = _parser().parse(source)
    body = Body()
    texts: list[str] = []
    line = first_line
    for token in tokens:
        if token.map:
            line = first_line + token.map[0]
        if token.type == "html_block":
            body.raw_html.append((line, token.content))
        for child in token.children or ():
            if child.type == "html_inline":
                body.raw_html.append((line, child.content))
            elif child.type in ("link_open", "image"):
                body.refs.append(_rewrite(child, line, item_path, files, trusted))
            elif child.type in ("text", "code_inline"):
                texts.append(child.content)
        if token.type in _TEXT_BREAKS:
            texts.append(_TEXT_BREAKS[token.type])
    body.text = "".join(texts).strip()
    md = _parser()
    body.html = _sanitise(md.renderer.render(tokens, md.options, {}))
    if body.raw_html:  # links written in raw HTML leave without the leaving prompt unless marked
        body.html = _mark_external(body.html, trusted)
    return body


def body_html(body: Body) -> str:
    return body.html


def _sanitise(html: str) -> str:
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        attribute_filter=_drop_foreign_resources,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer",
        filter_style_properties=KEPT_PROPERTIES,
        set_tag_attribute_values=_FRAME_POLICY,
    )


def _drop_foreign_resources(tag: str, attribute: str, value: str) -> str | None:
    """Frames, pictures and video only from the site or government hosts (SAFE-HTML reports the rest)."""
    if attribute in ("src", "poster") and resource_problem(value, None, frames=tag == "iframe"):
        return None
    return value


def _mark_external(html: str, trusted: tuple[str, ...]) -> str:
    """` data-external` on links of raw HTML that leave the government web (EXT-LINK)."""
    root = lxml_html.fragment_fromstring(html, create_parent="div")
    marked = False
    for link in root.iter("a"):
        if leaves_government(link.get("href") or "", trusted) and "data-external" not in link.attrib:
            link.set("data-external", "")
            marked = True
    if not marked:
        return html
    inner = (root.text or "") + "".join(lxml_html.tostring(child, encoding="unicode") for child in root)
    return inner


def _rewrite(token: Token, line: int, item_path: str, files: Container[str], trusted: tuple[str, ...]) -> Ref:
    attr = "href" if token.type == "link_open" else "src"
    kind = "link" if attr == "href" else "image"
    written = str(token.attrGet(attr) or "")
    if written.startswith("#") or _SCHEME.match(written):
        if kind == "link" and leaves_government(written, trusted):
            token.attrSet("data-external", "")
        return Ref(line, kind, written, None)
    target = resolve_ref(item_path, written, files) if written else None
    if target is not None:
        fragment = written[written.index("#") :] if "#" in written else ""
        url = target.rsplit(".", 1)[0] + ".html" if target.endswith(ITEM_SUFFIXES) else target
        token.attrSet(attr, f"/{url}{fragment}")
    return Ref(line, kind, written, target)
