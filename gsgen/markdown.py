"""Markdown bodies: parsed once into a `Body` (links as written, raw HTML, text, and the sanitised
HTML the renderer shows), which the rules read and the renderer uses.

References written as editors see files on disk (`photo.jpg`, `../../zcwj/2024-003.md`) are rewritten
to the published URLs, so links work both in a Markdown preview and on the site. Links that leave
the government web are marked `data-external`, which the theme turns into a leaving prompt (EXT-LINK).
Raw HTML is allowed through an allow-list (nh3) after SAFE-HTML has reported what it would remove.
A body over a bound of limits.py (its length, a block's, its nesting, its elements) is not published:
the body says where (`over_limits`), reported as LAYOUT at the .md's line before any page is rendered.
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
from gsgen.limits import MAX_BLOCK_CHARS, MAX_BODY_CHARS, MAX_ELEMENTS, MAX_MARKDOWN_NESTING, MAX_NESTING
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
    over_limits: list[tuple[int, str]] = field(default_factory=list)  # (line, message): html left empty


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
            found[n] = body
            if not body.over_limits:  # refused bodies are parsed again: the cache keeps only what it encodes
                self[keys[n]] = body
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
    # Past maxNesting markdown-it drops a quote's or list item's content unsaid: _over_limits says where.
    options = {"html": True, "linkify": False, "maxNesting": MAX_MARKDOWN_NESTING}
    return MarkdownIt("commonmark", options).enable("table")


def parse_body(
    source: str, item_path: str, files: Container[str], first_line: int = 1, trusted: Iterable[str] = ()
) -> Body:
    """`files` holds every publishable path under content/ (assets and item sources)."""
    trusted = tuple(trusted)
    if len(source) > MAX_BODY_CHARS:
        message = f"正文有 {len(source):,} 个字符，超过上限 {MAX_BODY_CHARS:,} 个：请把条目拆成几篇，或把全文作为附件（PDF）发布"
        return Body(over_limits=[(first_line + source.count("\n", 0, MAX_BODY_CHARS), message)])
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
    body.over_limits = _over_limits(tokens, body.html, first_line)
    if body.over_limits:
        body.html = ""
    elif body.raw_html:  # links written in raw HTML leave without the leaving prompt unless marked
        body.html = _mark_external(body.html, trusted)
    return body


# A tag of sanitised HTML (html5ever's serialisation: attribute values double-quoted, `<` in text escaped).
_TAG = re.compile(r'<(/?)([a-zA-Z][a-zA-Z0-9-]*)(?:"[^"]*"|[^">])*>')
_SOURCE_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)[^>]*?(/?)>")  # as written: where a count goes up
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)
_BLOCKS = {"inline", "html_block", "code_block", "fence"}
_CONTAINERS = {"blockquote_open", "list_item_open"}  # what markdown-it parses blocks inside, to maxNesting


def _over_limits(tokens: list[Token], html: str, first_line: int) -> list[tuple[int, str]]:
    """Where the body is over a bound: a block too long, or (judged on the sanitised HTML, which
    closes what raw HTML leaves open) elements nested too deep or too many."""
    line = first_line
    for token in tokens:
        line = first_line + token.map[0] if token.map else line
        if token.type in _BLOCKS and len(token.content) > MAX_BLOCK_CHARS:
            message = (
                f"这一段有 {len(token.content):,} 个字符，超过上限 {MAX_BLOCK_CHARS:,} 个："
                "请分成几段（段与段之间空一行）；大表格请放进数据发布栏目的 CSV 文件"
            )
            return [(line, message)]
        if token.type in _CONTAINERS and token.level >= MAX_MARKDOWN_NESTING - 1:
            message = (
                f"列表和引用（>）相套太深：Markdown 最多 {MAX_MARKDOWN_NESTING - 1} 层引用或 "
                f"{(MAX_MARKDOWN_NESTING - 2) // 2} 层列表，更深的内容不会显示：请把内容写得平直些"
            )
            return [(line, message)]
    deepest, elements = _shape(html)
    if deepest > MAX_NESTING:
        message = (
            f"正文中的元素层层嵌套超过 {MAX_NESTING} 层（列表、引用、* 强调和 HTML 标签相套）："
            "请检查是否有没闭合的 HTML 标签（如 <b>）或成串的 *，把内容写得平直些"
        )
        return [(_line_over(tokens, first_line, deepest=True), message)]
    if elements > MAX_ELEMENTS:
        message = (
            f"正文有 {elements:,} 个 HTML 元素，超过上限 {MAX_ELEMENTS:,} 个："
            "请把条目拆成几篇，大表格请放进数据发布栏目的 CSV 文件"
        )
        return [(_line_over(tokens, first_line, deepest=False), message)]
    return []


def _shape(html: str) -> tuple[int, int]:
    """(the deepest nesting, the number of elements) of sanitised HTML, in one pass."""
    depth = deepest = elements = 0
    for tag in _TAG.finditer(html):
        if tag[1]:
            depth -= 1
        else:
            elements += 1
            if tag[2] not in _VOID:
                depth += 1
                deepest = max(deepest, depth)
    return deepest, elements


def _line_over(tokens: list[Token], first_line: int, deepest: bool) -> int:
    """The line where the body, as written, first goes over the nesting bound (`deepest`) or the
    element bound; else where it is deepest or ends. Raw HTML is counted tag by tag, as written."""
    depth = elements = 0
    line = most_line = first_line
    most = -1
    for token in tokens:
        line = first_line + token.map[0] if token.map else line
        for part in (token, *(token.children or ())):
            if part.type in ("html_block", "html_inline"):
                for tag in _SOURCE_TAG.finditer(part.content):
                    elements += not tag[1]
                    if tag[2].lower() not in _VOID and not tag[3]:
                        depth = max(depth - 1, 0) if tag[1] else depth + 1
            elif part.type in ("softbreak", "hardbreak"):  # the next line of a paragraph
                line += 1
            elif not part.hidden:  # a tight list's paragraphs are not in the HTML
                depth += part.nesting
                elements += part.nesting == 1 or part.type == "image"
            if (depth > MAX_NESTING) if deepest else (elements > MAX_ELEMENTS):
                return line
            if depth > most:
                most, most_line = depth, line
    return most_line if deepest else line


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
