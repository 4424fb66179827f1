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
        return Body(over_limits=[(first_line + source.count("\n", 0, MAX_BODY_CHARS), _body_too_long(len(source)))])
    tokens = _parser().parse(source)
    walk = _walk(tokens, first_line)
    if walk.over:  # refused before html5ever (nh3) sees it: it takes quadratic time on unclosed tags
        return Body(over_limits=[walk.over])
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
    body.over_limits = _shape_over(body.html, walk)
    if body.over_limits:
        body.html = ""
    elif body.raw_html:  # links written in raw HTML leave without the leaving prompt unless marked
        body.html = _mark_external(body.html, trusted)
    return body


# A tag of sanitised HTML (html5ever's serialisation: attribute values double-quoted, `<` in text escaped).
_TAG = re.compile(r'<(/?)([a-zA-Z][a-zA-Z0-9-]*)(?:"[^"]*"|[^">])*>')
_SOURCE_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)[^>]*?(/?)>")  # a tag as written
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)
# Elements whose end tag may be left out (HTML's optional end tags): never counted as left open.
_ENDS_ITSELF = frozenset(
    {"p", "li", "dt", "dd", "rt", "rp", "optgroup", "option", "colgroup", "caption", "thead", "tbody", "tfoot"}
    | {"tr", "td", "th", "html", "head", "body"}
)
_BLOCKS = {"inline", "html_block", "code_block", "fence"}
_CONTAINERS = {"blockquote_open", "list_item_open"}  # what markdown-it parses blocks inside, to maxNesting


def _body_too_long(chars: int) -> str:
    return f"正文有 {chars:,} 个字符，超过上限 {MAX_BODY_CHARS:,} 个：请把条目拆成几篇，或把全文作为附件（PDF）发布"


_TOO_DEEP = (
    f"正文中的元素层层嵌套超过 {MAX_NESTING} 层（列表、引用、* 强调和 HTML 标签相套）："
    "请检查是否有没闭合的 HTML 标签（如 <b>）或成串的 *，把内容写得平直些"
)


class _Walk(NamedTuple):
    """The body as written, read once before it is rendered."""

    over: tuple[int, str] | None  # (line, message): a bound it is over, refused before rendering
    deepest: int  # the line where it nests deepest
    crowded: int  # the line where it has more than MAX_ELEMENTS elements, else its last line


def _walk(tokens: list[Token], first_line: int) -> _Walk:
    """One pass over the tokens: blocks too long, quotes and lists deeper than markdown-it parses,
    elements nested too deep — Markdown's and raw HTML's together, counting a raw tag as open until
    its end tag (html5ever keeps formatting tags such as <b> open across paragraphs) — each the first
    line where it happens. Raw HTML inside a refused body never reaches the sanitiser."""
    depth = elements = most = 0
    open_tags: list[str] = []  # raw HTML's, innermost last
    line = deepest = first_line
    crowded: int | None = None
    for token in tokens:
        line = first_line + token.map[0] if token.map else line
        problem = _block_problem(token)
        if problem:
            return _Walk((line, problem), line, line)
        for part in (token, *(token.children or ())):
            peak = 0
            if part.type in ("html_block", "html_inline"):
                started, peak = _raw_tags(part.content, open_tags, MAX_NESTING - depth)
                elements += started
            elif part.type in ("softbreak", "hardbreak"):  # the next line of a paragraph
                line += 1
            elif not part.hidden:  # a tight list's paragraphs are not in the HTML
                depth += part.nesting
                elements += part.nesting == 1 or part.type == "image"
            if depth + max(peak, len(open_tags)) > most:
                most, deepest = depth + max(peak, len(open_tags)), line
                if most > MAX_NESTING:
                    return _Walk((line, _TOO_DEEP), line, line)
            if crowded is None and elements > MAX_ELEMENTS:
                crowded = line
    return _Walk(None, deepest, line if crowded is None else crowded)


def _block_problem(token: Token) -> str | None:
    if token.type in _BLOCKS and len(token.content) > MAX_BLOCK_CHARS:
        return (
            f"这一段有 {len(token.content):,} 个字符，超过上限 {MAX_BLOCK_CHARS:,} 个："
            "请分成几段（段与段之间空一行）；大表格请放进数据发布栏目的 CSV 文件"
        )
    if token.type in _CONTAINERS and token.level >= MAX_MARKDOWN_NESTING - 1:
        return (
            f"列表和引用（>）相套太深：Markdown 最多 {MAX_MARKDOWN_NESTING - 1} 层引用或 "
            f"{(MAX_MARKDOWN_NESTING - 2) // 2} 层列表，更深的内容不会显示：请把内容写得平直些"
        )
    return None


def _raw_tags(html: str, open_tags: list[str], room: int) -> tuple[int, int]:
    """(the start tags in `html` as written, the most elements open at once); `open_tags` updated:
    an end tag closes the innermost element of its name and all inside it, and one with no such
    element open is ignored (as HTML does). Reading stops once more than `room` are open, so
    `open_tags` stays short and this is linear in `html`."""
    started = peak = 0
    for tag in _SOURCE_TAG.finditer(html):
        closing, name = tag[1], tag[2].lower()
        started += not closing
        if name in _VOID or name in _ENDS_ITSELF or tag[3]:
            continue
        if not closing:
            open_tags.append(name)
            peak = max(peak, len(open_tags))
            if peak > room:
                break
        elif name in open_tags:
            del open_tags[len(open_tags) - 1 - open_tags[::-1].index(name) :]
    return started, peak


def _shape_over(html: str, walk: _Walk) -> list[tuple[int, str]]:
    """The bounds the sanitised HTML is over (it closes what raw HTML leaves open, so it is judged
    exactly here), at the lines the walk found."""
    deepest, elements = _shape(html)
    if deepest > MAX_NESTING:
        return [(walk.deepest, _TOO_DEEP)]
    if elements > MAX_ELEMENTS:
        message = (
            f"正文有 {elements:,} 个 HTML 元素，超过上限 {MAX_ELEMENTS:,} 个："
            "请把条目拆成几篇，大表格请放进数据发布栏目的 CSV 文件"
        )
        return [(walk.crowded, message)]
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
