"""A theme's stylesheets applied to a rendered page, as far as they hide what they match (暗链).

The rules that hide come from gate/css.py (`sheet_rules`: one judgement of hiding for inline styles
and stylesheets); their selectors are matched with cssselect2, which tests one element against a
compiled selector right to left, as browsers do, and keeps each selector's specificity. So only the
few links that leave the government web, and their ancestors, are ever matched, and a property's
cascade is worked out where it matters: a link's own `font-size: 14px` undoes its menu's
`font-size: 0`, and `.x.y {display: block}` undoes `.x {display: none}`.

The page is matched as its HTML stands, with the `js` class that the default theme's early.js puts
on <html> before the page paints (`.js .menu {display: none}` is what visitors see).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import cssselect2
from lxml import etree

from gsgen.gate.css import INHERITED, SheetDeclaration, sheet_rules

SCRIPT_CLASSES = frozenset({"js"})  # set on <html> by early.js before the page paints
# Pseudo-elements whose box is the element's own text: hiding them hides a link in it.
_OWN_TEXT = (None, "first-line")


@dataclass(frozen=True)
class Hider:
    """Which rule of which stylesheet hides an element, and how."""

    file: str  # the stylesheet, as the editor finds it (or the page, for a <style> element)
    line: int
    selector: str
    declaration: SheetDeclaration


@dataclass(frozen=True)
class _Payload:
    file: str
    line: int
    selector: str
    declarations: tuple[SheetDeclaration, ...]


class HidingSheets:
    """The hiding rules of some stylesheets, their selectors compiled once."""

    def __init__(self, sheets: Iterable[tuple[str, str, int]]) -> None:
        """`sheets`: (file, CSS text, line of the text's first line in the file)."""
        self.matcher = cssselect2.Matcher()
        self.empty = True
        rules = [
            (file, rule.line + first_line - 1, rule) for file, css, first_line in sheets for rule in sheet_rules(css)
        ]
        # Only what some rule hides with can undo hiding: the others' selectors are never compiled.
        hiding = {d.name for _, _, rule in rules for d in rule.hiding}
        for file, line, rule in rules:
            declarations = tuple(d for d in rule.declarations if d.name in hiding)
            if not declarations:
                continue
            for selector in rule.selectors:
                for compiled in _compiled(selector) or []:
                    self.matcher.add_selector(compiled, _Payload(file, line, selector, declarations))
                    self.empty = False

    def hider(self, element: cssselect2.ElementWrapper) -> Hider | None:
        """The rule that hides `element` (its own or an ancestor's), or None if none does."""
        decided: set[str] = set()  # inherited properties already set nearer the element
        current: cssselect2.ElementWrapper | None = element
        while current is not None:
            winners: dict[str, tuple[tuple, SheetDeclaration, _Payload]] = {}
            for specificity, order, pseudo, payload in self.matcher.match(current):
                if pseudo not in _OWN_TEXT:
                    continue
                for declaration in payload.declarations:
                    if declaration.conditional and not declaration.hides:
                        continue  # it may not apply: it undoes nothing
                    key = (declaration.important, specificity, order)
                    if declaration.name not in winners or key >= winners[declaration.name][0]:
                        winners[declaration.name] = (key, declaration, payload)
            for name, (_, declaration, payload) in winners.items():
                if name in INHERITED:
                    if name in decided:
                        continue
                    if declaration.hides or not _relative(declaration.value):
                        decided.add(name)  # a relative size is of the parent's: the parent still decides
                if declaration.hides:
                    return Hider(payload.file, payload.line, payload.selector, declaration)
            current = current.parent
        return None


def unreadable_selectors(css: str) -> list[tuple[int, str]]:
    """(line, selector) of the hiding rules whose selector gsgen's selector engine cannot read: it
    cannot tell what they hide."""
    found = []
    for rule in sheet_rules(css):
        if rule.hiding:
            found += [(rule.line, selector) for selector in rule.selectors if _compiled(selector) is None]
    return found


def _compiled(selector: str) -> list | None:
    try:
        return cssselect2.compile_selector_list(selector)
    except cssselect2.SelectorError:
        return None


def _relative(value: str) -> bool:
    return value.strip().lower().endswith(("em", "%", "smaller", "larger")) and not value.strip().endswith("rem")


class PageElements:
    """The wrappers cssselect2 matches, made only along the paths to the elements asked for."""

    def __init__(self, root: etree._Element) -> None:
        self.wrappers: dict[etree._Element, cssselect2.ElementWrapper] = {}
        top = cssselect2.ElementWrapper.from_html_root(root)
        top.__dict__["classes"] = top.classes | SCRIPT_CLASSES  # cached_property: set as early.js sets it
        self.wrappers[root] = top

    def wrapper(self, element: etree._Element) -> cssselect2.ElementWrapper:
        path = [element]  # up to the nearest element wrapped already (a loop: pages nest deep)
        while path[-1] not in self.wrappers:
            path.append(path[-1].getparent())
        for parent, child in zip(reversed(path), reversed(path[:-1]), strict=False):
            for each in self.wrappers[parent].iter_children():
                self.wrappers.setdefault(each.etree_element, each)
            assert child in self.wrappers
        return self.wrappers[element]
