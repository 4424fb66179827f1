"""Stage 3, render: each page to its bytes, as a pure function of (page, site, theme).

Nothing here reads or writes files, so pages can be rendered in any order, in parallel, or skipped
when their inputs have not changed.
"""

from __future__ import annotations

from dataclasses import dataclass

import jinja2

from gsgen.gate.policy import CONTENT_SECURITY_POLICY, REFERRER_POLICY
from gsgen.markdown import body_html
from gsgen.model import Item, Site
from gsgen.pages import Page

DESCRIPTION_LENGTH = 120  # the default Description: the first 120 characters of the text (docs/content.md)


@dataclass(frozen=True)
class RenderContext:
    """What every page's rendering needs besides the page itself."""

    site: Site
    env: jinja2.Environment
    colors: dict


def render_page(page: Page, ctx: RenderContext) -> str:
    if page.template is None:
        return page.body
    values = dict(page.context)
    item = values.get("item")
    if isinstance(item, Item):
        values.update(_item_content(item, ctx))
    template = ctx.env.get_template(page.template)
    return template.render(
        site=ctx.site,
        config=ctx.site.config,
        colors=ctx.colors,
        page_path="/" + page.output,
        csp=CONTENT_SECURITY_POLICY,
        referrer=REFERRER_POLICY,
        **values,
    )


def _item_content(item: Item, ctx: RenderContext) -> dict[str, str]:
    """An item's body as HTML, and its Description (given, or taken from the text)."""
    body = item.parsed
    text = " ".join(body.text.split()) if body else ""
    description = item.description or _shorten(text) or item.title or ""
    return {"body": body_html(body) if body else "", "description": description}


def _shorten(text: str) -> str:
    return text if len(text) <= DESCRIPTION_LENGTH else text[:DESCRIPTION_LENGTH] + "…"
