"""Rendering and checking pages, in parallel where there are enough of them to be worth it.

`render_page` is pure (render.py), so pages are independent: worker processes forked from the build
share the site model without copying it, render chunks of pages in order, and send back each page's
bytes and check results. Forking is only safe from a process with no other threads, so `gsgen serve`
(which has its server threads) renders in one process; its rebuilds render few pages anyway.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import jinja2

from gsgen.check import checked_page
from gsgen.diagnostics import Diagnostic
from gsgen.htmlpage import HtmlPage
from gsgen.pages import Page
from gsgen.render import RenderContext, render_page
from gsgen.rules import CheckContext
from gsgen.rules.catalogue import diagnostic
from gsgen.theme import theme_file

PARALLEL_FROM = 400  # pages: fewer render faster than a pool starts
CHUNK = 64  # pages per task: large enough to amortise the round trip, small enough to balance
Rendered = tuple[bytes, list[Diagnostic], HtmlPage | None]
Outcome = Rendered | Diagnostic  # a Diagnostic when the template failed

_work: tuple[list[Page], RenderContext, CheckContext] | None = None  # what forked workers inherit


def rendered(pages: list[Page], ctx: RenderContext, check: CheckContext, jobs: int) -> Iterator[tuple[Page, Outcome]]:
    """Each page with its outcome, in the order given."""
    jobs = jobs or os.cpu_count() or 1
    if jobs == 1 or len(pages) < PARALLEL_FROM or not _can_fork():
        for page in pages:
            yield page, outcome(page, ctx, check)
        return
    global _work
    _work = (pages, ctx, check)
    try:
        chunks = [range(start, min(start + CHUNK, len(pages))) for start in range(0, len(pages), CHUNK)]
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            for chunk, outcomes in zip(chunks, pool.imap(_render_chunk, chunks), strict=True):
                for index, result in zip(chunk, outcomes, strict=True):
                    yield pages[index], result
    finally:
        _work = None


def outcome(page: Page, ctx: RenderContext, check: CheckContext) -> Outcome:
    try:
        text = render_page(page, ctx)
    except jinja2.TemplateError as exc:
        where, line = template_place(exc, ctx.site.root) or (page.template or "", 0)
        return diagnostic("THEME", where, line, f"模板出错，页面无法生成：{exc}")
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


def _render_chunk(chunk: range) -> list[Outcome]:
    assert _work is not None
    pages, ctx, check = _work
    return [outcome(pages[i], ctx, check) for i in chunk]


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1
