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
    if name == "font":  # `font: 0/0 a`, the old way to hide a text (the size before the slash)
        return any(_tiny(t) for t in tokens if t.type in ("dimension", "percentage")) or _zero_size(tokens)
    if name in _OFFSETS:
        return any(_far_off(t) for t in tokens)
    return False


def _zero_size(tokens: list) -> bool:
    """`font: 0/…`: a bare zero as the size, where a bare number alone is a weight (700)."""
    return any(t.type == "number" and t.value == 0 for t in tokens)


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


# ---------------------------------------------------------------- stylesheets (a theme's)

# Properties a child inherits: there the nearest element that sets one decides (a link's own
# `font-size: 14px` undoes its menu's `font-size: 0`); any other hiding property hides all within.
INHERITED = frozenset(
    {"font-size", "line-height", "visibility", "color", "-webkit-text-fill-color", "text-indent", "letter-spacing"}
)
_OFFSCREEN = {"top", "left", "right", "bottom", "inset", "inset-block", "inset-inline"}
_OFFSCREEN |= {"inset-block-start", "inset-inline-start"}
_NOT_HIDING_IN_SHEETS = {"min-width", "min-height"}  # `min-width: 0` is a flexbox fix, and hides nothing
_TRANSLATES = {"translate", "translatex", "translatey", "translate3d"}
_SCALES = {"scale", "scalex", "scaley", "scale3d"}
_GROUPING = {"media", "supports", "layer", "container", "scope", "document", "-moz-document"}  # rules within apply
_LONGHAND = {"font": "font-size"}  # a shorthand that hides by the one property it sets
# What a stylesheet hides with: a rule that sets one of these without hiding may undo a hiding one.
_MAY_HIDE = {"display", "visibility", "content-visibility", "color", "-webkit-text-fill-color", "opacity"}
_MAY_HIDE |= {"fill-opacity", "filter", "translate", *_ALWAYS_HIDING, *_BOX, *_OFFSETS, *_OFFSCREEN}
DESKTOP_WIDTH_PX = 1280  # a rule only for screens narrower than this still leaves the link visible on a desktop


@dataclass(frozen=True)
class SheetDeclaration:
    name: str  # the property it sets, in the cascade: the `font` shorthand sets font-size
    value: str
    hides: bool
    important: bool
    # within @media, @supports, @layer, @container…: such a rule may not apply (or loses to unlayered
    # ones whatever its specificity), so it never counts as undoing a rule that hides
    conditional: bool = False
    written: str = ""  # the property as written, where it is not `name`


@dataclass(frozen=True)
class SheetRule:
    """A style rule of a stylesheet that hides (or, for inherited properties, shows again) what its
    selectors match, as it applies on a desktop screen."""

    line: int
    selectors: tuple[str, ...]  # each selector of the rule's list, as written
    declarations: tuple[SheetDeclaration, ...]

    @property
    def hiding(self) -> tuple[SheetDeclaration, ...]:
        return tuple(d for d in self.declarations if d.hides)


@lru_cache(maxsize=64)  # the same few stylesheets, every build of gsgen serve
def sheet_rules(css: str) -> tuple[SheetRule, ...]:
    """The rules of a stylesheet that decide whether what they match can be seen: each with a
    declaration that hides (by the judgement of inline styles, and an offset that moves it off the
    screen), or that sets a property which hides with another value (so undoes it). Rules within
    `@media print` or for narrow screens only are left out: on a desktop the link is in view."""
    found: list[SheetRule] = []
    _collect(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True), found)
    return tuple(found)


def _collect(rules: list, found: list[SheetRule], parents: tuple[str, ...] = (), conditional: bool = False) -> None:
    """The rules of a rule list (a stylesheet's, a group's, or those nested in a style rule, whose
    selectors are their parent's: CSS nesting, `.x { a { display: none } }`)."""
    for rule in rules:
        if rule.type == "at-rule" and rule.content is not None:
            keyword = rule.lower_at_keyword
            if keyword in _GROUPING and (keyword != "media" or _media_on_desktop(rule.prelude)):
                inner = tinycss2.parse_blocks_contents(rule.content, skip_comments=True, skip_whitespace=True)
                if parents:  # a group inside a style rule holds declarations for the parent's selectors
                    _add(found, rule.source_line, parents, _sheet_declarations(inner, True))
                _collect(inner, found, parents, True)
        elif rule.type == "qualified-rule":
            selectors = _nested(_selector_list(rule.prelude), parents)
            inner = tinycss2.parse_blocks_contents(rule.content, skip_comments=True, skip_whitespace=True)
            _add(found, rule.source_line, selectors, _sheet_declarations(inner, conditional))
            _collect(inner, found, selectors, conditional)


def _add(found: list[SheetRule], line: int, selectors: tuple[str, ...], declarations: list[SheetDeclaration]) -> None:
    kept = tuple(d for d in declarations if d.hides or d.name in _MAY_HIDE)
    if kept and selectors:
        found.append(SheetRule(line, selectors, kept))


def _nested(selectors: tuple[str, ...], parents: tuple[str, ...]) -> tuple[str, ...]:
    """A nested rule's selectors made whole: `&` is the parent, and without one it is a descendant."""
    if not parents:
        return selectors
    parent = f":is({', '.join(parents)})"
    return tuple(s.replace("&", parent) if "&" in s else f"{parent} {s}" for s in selectors)


def _sheet_declarations(content: list, conditional: bool) -> list[SheetDeclaration]:
    found = []
    for decl in content:
        if decl.type == "declaration":
            tokens = [t for t in decl.value if t.type not in ("whitespace", "comment")]
            value = tinycss2.serialize(decl.value).strip()
            hides = sheet_hides(decl.lower_name, tokens)
            name = _LONGHAND.get(decl.lower_name, decl.lower_name)
            written = decl.lower_name if name != decl.lower_name else ""
            found.append(SheetDeclaration(name, value, hides, decl.important, conditional, written))
    return found


def sheet_hides(name: str, tokens: list) -> bool:
    """Whether a stylesheet's declaration hides what it applies to: an inline style's hiding
    (`_hides`), but transforms and positions only when they move it off the screen or shrink it, as
    a theme positions menus and centres boxes with them."""
    if name in _NOT_HIDING_IN_SHEETS:
        return False
    if name in ("transform", "scale"):
        return any(_transform_hides(t) for t in tokens) or (name == "scale" and any(_tiny(t) for t in tokens))
    if name == "translate":
        return any(_moved_away(t) for t in tokens)
    if name in _OFFSCREEN:
        return any(_far_off(t) or _far_beyond(t) for t in tokens)
    return _hides(name, tokens)


def _transform_hides(token) -> bool:
    if token.type != "function":
        return False
    arguments = [t for t in token.arguments if t.type not in ("whitespace", "comment", "literal")]
    if token.lower_name in _TRANSLATES:
        return any(_moved_away(t) for t in arguments)
    if token.lower_name in _SCALES:
        return any(_tiny(t) for t in arguments)
    return token.lower_name in ("matrix", "matrix3d")  # anything at all, written as numbers


def _moved_away(token) -> bool:
    """A translation that takes a box off the screen; a percentage is of the box's own size, so
    translate(-50%) centres it and -100% moves it wholly away."""
    if token.type == "percentage":
        return abs(token.value) >= 100
    return _far_off(token) or _far_beyond(token)


def _far_beyond(token) -> bool:
    """A positive offset that moves content past the right or bottom edge (left: 99999px)."""
    if token.type == "dimension":
        limit = {"px": 5000, "pt": 3750, "em": 300, "rem": 300, "vw": 150, "vh": 150, "cm": 130, "in": 50}
        return token.lower_unit in limit and token.value >= limit[token.lower_unit]
    return token.type == "percentage" and token.value >= 150


def _selector_list(prelude: list) -> tuple[str, ...]:
    """Each selector of a rule's comma-separated list (a browser would drop a list with one it cannot
    read, but gsgen's selector engine reads fewer than browsers: each is judged on its own)."""
    parts: list[list] = [[]]
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            parts.append([])
        else:
            parts[-1].append(token)
    return tuple(text for part in parts if (text := tinycss2.serialize(part).strip()))


def _media_on_desktop(prelude: list) -> bool:
    """Whether a media query list may hold on a desktop screen: each query of the list (any one may
    hold) but those for print or speech only, or with a max-width under DESKTOP_WIDTH_PX."""
    queries: list[list] = [[]]
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            queries.append([])
        elif token.type not in ("whitespace", "comment"):
            queries[-1].append(token)
    return any(_query_on_desktop(query) for query in queries)


def _query_on_desktop(query: list) -> bool:
    words = [t.lower_value for t in query if t.type == "ident"]
    if "not" in words:
        return True  # `not print` and its like: taken as holding, as gsgen does not weigh negations
    if [w for w in words if w != "only"][:1] in (["print"], ["speech"]):
        return False
    for block in (t for t in query if t.type == "() block"):
        inner = [t for t in block.content if t.type not in ("whitespace", "comment")]
        if _narrow(inner):
            return False
    return True


def _narrow(feature: list) -> bool:
    """(max-width: 48em), (width < 600px), (width <= 40em): for screens narrower than a desktop's."""
    if len(feature) >= 3 and feature[0].type == "ident" and feature[1].type == "literal":
        name, sign = feature[0].lower_value, feature[1].value
        if name in ("max-width", "max-device-width") and sign == ":":
            return _px(feature[2]) < DESKTOP_WIDTH_PX
        if name in ("width", "device-width") and sign == "<":
            value = feature[3] if len(feature) > 3 and feature[2].type == "literal" else feature[2]
            return _px(value) < DESKTOP_WIDTH_PX
    return False


def _px(token) -> float:
    if token.type == "dimension":
        return token.value * {"px": 1, "em": 16, "rem": 16, "pt": 4 / 3, "cm": 37.8, "in": 96}.get(
            token.lower_unit, 1e9
        )
    return 0 if token.type == "number" and token.value == 0 else 1e9


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
