"""DARK-LINK on built pages, by what the theme does rather than by inline style: a link that leaves
the government web and that the theme's stylesheets hide (gate/sheets.py). Links inside <template>,
<noscript> and other elements shown by default to no one are links.py's (htmlpage.Link.veil)."""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from gsgen.gate.sheets import HidingSheets, PageElements
from gsgen.gate.urls import leaves_government
from gsgen.htmlpage import HtmlPage
from gsgen.rules import CheckContext, Finding, page_rule

SHEETS = "hiding-sheets"  # ctx.memo: the theme's hiding rules, compiled once per process
PAGE_SHEETS = "hiding-style-elements"  # ctx.memo: those of each <style> element's text


@page_rule("DARK-LINK")
def hidden_by_theme(page: HtmlPage, ctx: CheckContext) -> Iterator[Finding]:
    if ctx.site is None or page.tree is None:
        return
    # Most pages have no outside link at all: the parsed links say so at once, where walking the tree
    # (lxml makes an object of each element it gives) cost 0.1 ms a page.
    if not any(_leaves(link.href, ctx) for link in page.links):
        return
    outside = [a for a in page.tree.iter("a") if _leaves(a.get("href"), ctx)]
    if not outside:
        return
    sheets = [_theme_sheets(ctx), *(_style_element(ctx, page.file, text, line) for text, line in page.style_sheets)]
    sheets = [s for s in sheets if not s.empty]
    elements = PageElements(page.tree) if sheets else None
    for link in outside:
        href, line = link.get("href", ""), link.sourceline or 1
        if _unshown_container(link):  # said by links.py's DARK-LINK already (htmlpage.Link.veil), once
            continue
        for sheet in sheets:
            assert elements is not None
            hider = sheet.hider(elements.wrapper(link))
            if hider:
                rule = f"{hider.file} 第 {hider.line} 行的规则 {hider.selector} {{{hider.declaration.written or hider.declaration.name}: {hider.declaration.value}}}"
                yield Finding(
                    page.file,
                    line,
                    f"站外链接 {href} 被主题的样式隐藏（暗链）：{rule} 使它看不见。请删除这个链接，"
                    "或改正这条样式规则，并检查主题是否被篡改",
                    evidence=href,
                )
                break


def _leaves(href: str | None, ctx: CheckContext) -> bool:
    return bool(href) and leaves_government(href, ctx.trusted_hosts, ctx.domain)


def _unshown_container(link: etree._Element) -> str | None:
    for ancestor in link.iterancestors("template", "noscript"):
        return ancestor.tag
    return None


def _theme_sheets(ctx: CheckContext) -> HidingSheets:
    if SHEETS not in ctx.memo:
        ctx.memo[SHEETS] = HidingSheets(ctx.theme.get("sheets", ()))
    return ctx.memo[SHEETS]


def _style_element(ctx: CheckContext, file: str, text: str, line: int) -> HidingSheets:
    """A <style> element's rules, by its text: a template's is the same on every page, compiled once
    and named by the first page it was seen on (the link's own line leads to the template)."""
    known = ctx.memo.setdefault(PAGE_SHEETS, {})
    if text not in known:
        known[text] = HidingSheets([(f"{file} 中的 <style>", text, line)])
    return known[text]
