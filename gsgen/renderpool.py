"""Rendering and checking pages, in parallel where there are enough of them to be worth it.

`render_page` is pure (render.py), so pages are independent: worker processes forked from the build
(parallel.py) share the site model without copying it, render chunks of pages in order, and send back
each page's bytes and check results.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from pathlib import Path

import jinja2
from jinja2.sandbox import SecurityError

from gsgen.check import checked_page
from gsgen.diagnostics import Diagnostic
from gsgen.htmlpage import HtmlPage
from gsgen.pages import Page
from gsgen.parallel import forked_map
from gsgen.render import RenderContext, render_page
from gsgen.rules import CheckContext
from gsgen.rules.catalogue import diagnostic
from gsgen.theme import theme_file

Rendered = tuple[bytes, list[Diagnostic], HtmlPage | None]
Outcome = Rendered | Diagnostic  # a Diagnostic when the template failed


def rendered(pages: list[Page], ctx: RenderContext, check: CheckContext, jobs: int) -> Iterator[tuple[Page, Outcome]]:
    """Each page with its outcome, in the order given."""
    yield from zip(pages, forked_map(functools.partial(outcome, ctx=ctx, check=check), pages, jobs), strict=True)


def outcome(page: Page, ctx: RenderContext, check: CheckContext) -> Outcome:
    try:
        text = render_page(page, ctx)
    except jinja2.TemplateError as exc:
        where, line = template_place(exc, ctx.site.root) or (page.template or "", 0)
        if isinstance(exc, SecurityError):  # the sandbox refused it (theme.py)
            message = f"模板使用了不允许的操作（{exc}）：模板只能读取和显示页面数据，不能访问 Python 内部属性或修改数据，请删除这一处"
        else:
            message = f"模板出错，页面无法生成：{exc}"
        return diagnostic("THEME", where, line, message)
    if not page.output.endswith(".html"):
        return text.encode("utf-8"), [], None
    found, html = checked_page(page.output, text, check)
    return text.encode("utf-8"), found, html


def template_place(exc: jinja2.TemplateError, root: Path) -> tuple[str, int] | None:
    """The template file and line that failed: a syntax error says so itself; an error while
    rendering (an undefined name in an overridden partial) is the innermost template frame of the
    traceback Jinja rewrites to point into templates."""
    if getattr(exc, "filename", None):
        return theme_file(root, Path(exc.filename)), exc.lineno or 0  # type: ignore[attr-defined]
    place = None
    tb = exc.__traceback__
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if not name.endswith(".py") and Path(name).is_file():
            place = theme_file(root, Path(name)), tb.tb_lineno
        tb = tb.tb_next
    return place
