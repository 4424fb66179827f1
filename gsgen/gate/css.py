"""CSS that may reach a published page: inline styles judged declaration by declaration, and colours
parsed and written back in one canonical form.

Styles are read with tinycss2, as a browser reads them: `position:fi\\78 ed` is `position: fixed`,
`d\\69splay:/**/none` is `display: none`, and `!important` changes nothing about what a value does.
A declaration either
- is kept: a short allow-list of harmless typographic properties (alignment, weight, wrapping);
- hides (暗链: content that readers cannot see but search engines and inspectors can);
- positions (floating or overlaying content: the 漂浮窗 rule, and page-covering defacement);
- loads (a URL, or an old browser's script hook): the page then depends on another site;
- or is dropped by the sanitiser as having no business in an article (colours, fonts, margins).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

import tinycss2
from coloraide import Color

# What an editor's raw HTML may keep: the alignment Markdown tables write, and plain typography.
KEPT_PROPERTIES = frozenset(
    {"text-align", "vertical-align", "font-weight", "font-style", "white-space", "word-break", "overflow-wrap"}
)
NOT_COLOURS = {"transparent", "currentcolor", "inherit", "initial", "unset", "none", "auto", "revert"}


class Effect(StrEnum):
    KEPT = "kept"
    HIDES = "hides"
    POSITIONS = "positions"
    LOADS = "loads"
    DROPPED = "dropped"


@dataclass(frozen=True)
class Declaration:
    name: str  # as the browser reads it: lower case, escapes resolved
    value: str  # serialised, comments removed
    effect: Effect


_LOADING_FUNCTIONS = {"url", "image", "image-set", "-webkit-image-set", "cross-fade", "element", "expression", "src"}
_LOADING_PROPERTIES = {"behavior", "-moz-binding", "behaviour"}
_POSITIONING = {"position", "top", "left", "right", "bottom", "inset", "inset-block", "inset-inline", "z-index"}
_POSITIONING |= {"float", "translate", "offset", "offset-path", "inset-block-start", "inset-inline-start"}
_ALWAYS_HIDING = {"clip", "clip-path", "mask", "mask-image", "-webkit-mask", "-webkit-mask-image", "transform", "scale"}
_BOX = {"width", "height", "max-width", "max-height", "min-width", "min-height", "line-height", "font-size", "zoom"}
_OFFSETS = {"text-indent", "margin", "margin-left", "margin-top", "margin-right", "margin-bottom"}
_OFFSETS |= {"margin-inline-start", "margin-block-start", "letter-spacing"}


@lru_cache(maxsize=8192)  # the same few styles recur on every page
def declarations(style: str) -> tuple[Declaration, ...]:
    """Each declaration of an inline `style` attribute, with what it does to the page."""
    found = []
    for decl in tinycss2.parse_blocks_contents(style, skip_comments=True, skip_whitespace=True):
        if decl.type != "declaration":
            continue
        tokens = [t for t in decl.value if t.type not in ("whitespace", "comment")]
        value = tinycss2.serialize(decl.value).strip()
        found.append(Declaration(decl.lower_name, value, _effect(decl.lower_name, tokens)))
    return tuple(found)


def style_effects(style: str) -> set[Effect]:
    return {d.effect for d in declarations(style)}


def hides(style: str) -> bool:
    return Effect.HIDES in style_effects(style)


def _effect(name: str, tokens: list) -> Effect:
    if name in _LOADING_PROPERTIES or _loads(tokens):
        return Effect.LOADS
    if name in _POSITIONING:
        return Effect.POSITIONS
    if _hides(name, tokens):
        return Effect.HIDES
    return Effect.KEPT if name in KEPT_PROPERTIES else Effect.DROPPED


def _loads(tokens: list) -> bool:
    for token in tokens:
        if token.type == "url" or (token.type == "function" and token.lower_name in _LOADING_FUNCTIONS):
            return True
        if token.type == "function" and _loads(token.arguments):
            return True
    return False


def _hides(name: str, tokens: list) -> bool:
    words = {t.lower_value for t in tokens if t.type == "ident"}
    if name == "display":
        return "none" in words
    if name in ("visibility", "content-visibility"):
        return bool(words & {"hidden", "collapse"})
    if name in ("color", "-webkit-text-fill-color"):
        return "transparent" in words
    if name in ("opacity", "fill-opacity"):
        return any(_fraction(t) is not None and _fraction(t) < 0.2 for t in tokens)  # type: ignore[operator]
    if name == "filter":
        return any(t.type == "function" and t.lower_name in ("opacity", "blur") for t in tokens)
    if name in _ALWAYS_HIDING:
        return bool(words - {"none"}) or any(t.type != "ident" for t in tokens)
    if name in _BOX:
        return any(_tiny(t) for t in tokens)
    if name in _OFFSETS:
        return any(_far_off(t) for t in tokens)
    return False


def _fraction(token) -> float | None:
    if token.type == "number":
        return float(token.value)
    if token.type == "percentage":
        return float(token.value) / 100
    return None


def _tiny(token) -> bool:
    """A length that makes a box or its text too small to read (0, 1px, 0.2em…)."""
    if token.type == "number":
        return token.value <= 0.3  # a bare number: 0, or a line-height/zoom multiplier
    if token.type == "percentage":
        return token.value <= 30
    if token.type == "dimension":
        unit = token.lower_unit
        limit = {"px": 5, "pt": 4, "em": 0.3, "rem": 0.3, "ex": 0.6, "ch": 0.6}.get(unit)
        return limit is not None and token.value <= limit
    return False


def _far_off(token) -> bool:
    """An offset that moves content out of view (text-indent:-9999px, margin-left:-99em)."""
    if token.type == "percentage":
        return token.value <= -50
    if token.type == "dimension":
        limit = {"px": -200, "pt": -150, "em": -10, "rem": -10, "vw": -20, "vh": -20, "cm": -5, "in": -2}
        return token.lower_unit in limit and token.value <= limit[token.lower_unit]
    return False


@lru_cache(maxsize=1024)  # a theme's <style> block is the same on every page
def css_urls(css: str) -> tuple[str, ...]:
    """Every URL a stylesheet (or a `<style>` element) loads: url(…) values and @import targets."""
    return tuple(_urls_in(tinycss2.parse_component_value_list(css, skip_comments=True)))


def _urls_in(tokens: list) -> Iterator[str]:
    importing = False  # just after @import, a plain string is a URL too
    for token in tokens:
        if token.type == "url" or (token.type == "string" and importing):
            yield token.value
        elif token.type == "function" and token.lower_name == "url":
            yield "".join(t.value for t in token.arguments if t.type == "string")
        elif token.type == "function":
            yield from _urls_in(token.arguments)
        elif token.type in ("() block", "[] block", "{} block"):
            yield from _urls_in(token.content)
        if token.type != "whitespace":
            importing = token.type == "at-keyword" and token.lower_value == "import"


# ---------------------------------------------------------------- colours


def parse_colour(text: str) -> Color | None:
    text = text.strip()
    if not text or text.lower() in NOT_COLOURS:
        return None
    try:
        return Color(text)
    except ValueError:
        return None


def canonical_colour(text: str) -> str | None:
    """`text` as a CSS colour written the one way gsgen writes colours (#rrggbb, or #rrggbbaa), or
    None if it is not a colour: a colour goes into a stylesheet, so only a colour may."""
    colour = parse_colour(text)
    if colour is None:
        return None
    srgb = colour.convert("srgb").fit("srgb")
    if any(value != value for value in srgb.coords()):  # NaN: `none` components, no usable colour
        return None
    return srgb.to_string(hex=True)
