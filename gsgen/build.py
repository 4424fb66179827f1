"""`gsgen build`: load → validate → pages → render and check each page → index for search → check the
whole output → swap into place, one stage per module.

A build either replaces the output folder whole or leaves it exactly as it was.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import rjsmin

from gsgen import renderpool
from gsgen.cache import CACHE_DIR, BuildCache
from gsgen.check import PageChecker
from gsgen.diagnostics import Diagnostic, Report
from gsgen.fingerprint import ItemDigests, TemplateDigests, page_fingerprint, site_digest
from gsgen.load import load_site
from gsgen.model import Site
from gsgen.output import Staging
from gsgen.pages import Page, site_pages
from gsgen.render import RenderContext
from gsgen.rules import CheckContext, check_site
from gsgen.search import build_index
from gsgen.theme import Theme, load_theme

CHINA = ZoneInfo("Asia/Shanghai")
Progress = Callable[[str], None]
PROGRESS_FROM = 1000  # pages: below this, rendering is quick and needs no progress lines


@dataclass
class BuildOptions:
    root: Path
    output: Path | None = None  # default: <root>/public
    strict: bool = False
    now: datetime | None = None  # default: the current time in Asia/Shanghai
    cache: bool = True  # reuse what the last build rendered and indexed (.gsgen-cache/)
    jobs: int = 0  # processes rendering pages; 0: one per core

    @property
    def output_dir(self) -> Path:
        return self.output or self.root / "public"

    @property
    def cache_dir(self) -> Path | None:
        return self.root / CACHE_DIR if self.cache else None


@dataclass
class BuildResult:
    report: Report
    strict: bool
    pages: int = 0  # HTML pages written
    files: int = 0  # every file written, static files included
    indexed: int = 0  # pages and attachments in the search index
    rendered_pages: list[str] = field(default_factory=list)  # HTML pages rendered, not taken from the cache
    seconds: float = 0.0
    written: bool = False
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.report.errors(self.strict)

    @property
    def rendered(self) -> int:
        return len(self.rendered_pages)


def build(options: BuildOptions, progress: Progress = lambda _: None, cache: BuildCache | None = None) -> BuildResult:
    """`cache`: one kept open between builds (gsgen serve); by default the one in the site's folder."""
    started = time.perf_counter()
    result = BuildResult(Report(), options.strict)

    def stage(name: str) -> AbstractContextManager[None]:
        return _stage(result, progress, name)

    cache = cache or BuildCache.open(options.cache_dir)
    with stage("读取内容"):
        site, found = load_site(options.root, cache.bodies)
        site.now = options.now or datetime.now(CHINA).replace(tzinfo=None, second=0, microsecond=0)
        result.report.extend(found)
        result.report.silence(site.config.ignore)
    with stage("检查规则"):
        result.report.extend(check_site(site))
    if result.ok:
        theme = load_theme(options.root, site.config)
        pages = site_pages(site)
        static = theme.static_files()
        ctx = RenderContext(site, theme.environment(), theme.colors)
        with Staging(options.output_dir) as staging:
            with stage(f"生成并检查页面（{len(pages)} 个）"):
                _copy_static(site.root, site.assets, static, staging)
                checker = PageChecker(_check_context(site, theme, staging))
                wide, items, templates = site_digest(site, theme), ItemDigests(), TemplateDigests(ctx.env)
                fingerprints = {page.output: page_fingerprint(page, wide, items, templates) for page in pages}
                work = Work(pages, fingerprints, ctx, staging, checker, cache, result.report)
                result.rendered_pages = _render_all(work, options.jobs, progress)
            if result.ok:
                with stage("建立搜索索引"):
                    result.indexed, problems = build_index(staging, site, fingerprints, cache, progress)
                    result.report.extend(problems)
            with stage("检查全站"):
                result.report.extend(checker.output())
            cache.save(prune=result.ok)
            if result.ok:
                staging.commit()
                result.written = True
                result.pages = sum(1 for page in pages if page.output.endswith(".html"))
                result.files = len(staging.written)
    result.seconds = time.perf_counter() - started
    return result


def _check_context(site: Site, theme: Theme, staging: Staging) -> CheckContext:
    info = site.config.site
    return CheckContext(
        site,
        info.domain,
        tuple(site.config.trusted_hosts),
        staging.written,
        staging.read,
        theme={"colors": theme.colors, "contrast": theme.contrast},
    )


@dataclass
class Work:
    """The render stage's inputs and where its results go."""

    pages: list[Page]
    fingerprints: dict[str, str]  # page output → fingerprint of its inputs
    ctx: RenderContext
    staging: Staging
    checker: PageChecker
    cache: BuildCache
    report: Report


def _render_all(work: Work, jobs: int, progress: Progress) -> list[str]:
    """Take unchanged pages from the cache, render and check the others; the HTML pages rendered."""
    todo: list[Page] = []
    for page in work.pages:
        cached = work.cache.page(work.fingerprints[page.output])
        if cached is None:
            todo.append(page)
            continue
        work.staging.link(page.output, cached.path)
        work.report.extend(cached.diagnostics)
        if cached.html is not None:
            work.checker.pages.append(cached.html)
    if len(todo) < len(work.pages):
        progress(f"  {len(work.pages) - len(todo)} 个页面未改变，沿用上次构建的结果")
    step = len(todo) // 10 if len(todo) >= PROGRESS_FROM else 0
    done = 0
    for page, outcome in renderpool.rendered(todo, work.ctx, work.checker.ctx, jobs):
        done += 1
        if step and done % step == 0:
            progress(f"  已生成 {done}/{len(todo)}")
        if isinstance(outcome, Diagnostic):  # the template failed
            work.report.extend([outcome])
            continue
        content, found, html = outcome
        work.report.extend(found)
        if html is not None:
            work.checker.pages.append(html)
        kept = work.cache.store(work.fingerprints[page.output], content, found, html)
        if kept is None:
            work.staging.write(page.output, content)
        else:
            work.staging.link(page.output, kept)
    return [page.output for page in todo if page.output.endswith(".html")]


def _copy_static(root: Path, assets: list[str], theme_files: dict[str, Path], staging: Staging) -> None:
    for rel, source in theme_files.items():
        if source.suffix == ".js":
            staging.write(f"static/{rel}", rjsmin.jsmin(source.read_text("utf-8")))
        else:
            staging.copy(f"static/{rel}", source)
    for rel in assets:
        staging.copy(rel, root / "content" / rel)


@contextmanager
def _stage(result: BuildResult, progress: Progress, name: str) -> Iterator[None]:
    """Tells the user which stage is running, and times it."""
    progress(f"{name}…")
    started = time.perf_counter()
    yield
    result.timings[name] = time.perf_counter() - started
