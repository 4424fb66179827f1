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

import jinja2
import rjsmin

from gsgen.check import PageChecker
from gsgen.diagnostics import Diagnostic, Report
from gsgen.load import load_site
from gsgen.model import Site
from gsgen.output import Staging
from gsgen.pages import Page, site_pages
from gsgen.render import RenderContext, render_page
from gsgen.rules import CheckContext, check_site
from gsgen.rules.catalogue import diagnostic
from gsgen.search import BUNDLE, build_index
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

    @property
    def output_dir(self) -> Path:
        return self.output or self.root / "public"


@dataclass
class BuildResult:
    report: Report
    strict: bool
    pages: int = 0  # HTML pages written
    files: int = 0  # every file written, static files included
    indexed: int = 0  # pages and attachments in the search index
    seconds: float = 0.0
    written: bool = False
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.report.errors(self.strict)


def build(options: BuildOptions, progress: Progress = lambda _: None) -> BuildResult:
    started = time.perf_counter()
    result = BuildResult(Report(), options.strict)

    def stage(name: str) -> AbstractContextManager[None]:
        return _stage(result, progress, name)

    with stage("读取内容"):
        site, found = load_site(options.root)
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
                written = _render_all(pages, ctx, staging, checker, result.report, progress)
            if result.ok:
                with stage("建立搜索索引"):
                    result.indexed, problems = build_index(staging.path, site)
                    result.report.extend(problems)
                    staging.adopt(BUNDLE)
            with stage("检查全站"):
                result.report.extend(checker.output())
            if result.ok:
                staging.commit()
                result.written = True
                result.pages = sum(1 for path in written if path.endswith(".html"))
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


def _render_all(
    pages: list[Page],
    ctx: RenderContext,
    staging: Staging,
    checker: PageChecker,
    report: Report,
    progress: Progress,
) -> set[str]:
    written: set[str] = set()
    step = len(pages) // 10 if len(pages) >= PROGRESS_FROM else 0
    for n, page in enumerate(pages, start=1):
        try:
            content = render_page(page, ctx)
        except jinja2.TemplateError as exc:
            report.extend([_template_problem(page, exc)])
            continue
        staging.write(page.output, content)
        written.add(page.output)
        if page.output.endswith(".html"):
            report.extend(checker.page(page.output, content))
        if step and n % step == 0:
            progress(f"  已生成 {n}/{len(pages)}")
    return written


def _template_problem(page: Page, exc: jinja2.TemplateError) -> Diagnostic:
    where = getattr(exc, "filename", None) or page.template or ""
    line = getattr(exc, "lineno", None) or 0
    return diagnostic("THEME", str(where), line, f"模板无法生成页面 {page.output}：{exc}")


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
