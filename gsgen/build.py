"""`gsgen build`: load → validate → pages → render and check each page → index for search → check the
whole output → swap into place, one stage per module.

A build either replaces the output folder whole or leaves it exactly as it was.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import rjsmin

from gsgen import renderpool
from gsgen.cache import CACHE_DIR, BuildCache
from gsgen.check import PageChecker
from gsgen.config import CONFIG
from gsgen.dates import display
from gsgen.diagnostics import Diagnostic, Report, Severity
from gsgen.fingerprint import ItemDigests, TemplateDigests, page_fingerprint, site_digest
from gsgen.gate.attachments import message as active_message
from gsgen.gate.attachments import unchecked_message
from gsgen.gate.files import SvgRefused, publishable_content, published_form, read_publishable, suffix
from gsgen.gate.pictures import notice
from gsgen.htmlpage import HtmlPage
from gsgen.load import CONTENT, items_files, load_site
from gsgen.model import Column, Item, Site
from gsgen.output import Preview, PreviewUpdate, Staging, locked, refuse_output
from gsgen.pages import Page, site_pages
from gsgen.provenance import Provenance
from gsgen.render import RenderContext
from gsgen.rules import CheckContext, check_site
from gsgen.rules.attachments import published_files
from gsgen.rules.catalogue import diagnostic
from gsgen.rules.links import page_targets
from gsgen.rules.presentation import SEARCH_STAGE_RAN
from gsgen.search import FOLDER as SEARCH_FOLDER
from gsgen.search import SearchIndex, build_index, search_index
from gsgen.theme import Theme, load_theme

CHINA = ZoneInfo("Asia/Shanghai")
Progress = Callable[[str], None]
PROGRESS_FROM = 1000  # pages: below this, rendering is quick and needs no progress lines


def current_time() -> datetime:
    """Now in Asia/Shanghai, to the minute, as the date rules read it."""
    return datetime.now(CHINA).replace(tzinfo=None, second=0, microsecond=0)


@dataclass
class BuildOptions:
    root: Path
    output: Path | None = None  # default: <root>/public
    strict: bool = False
    now: datetime | None = None  # default: the current time in Asia/Shanghai
    cache: bool = True  # reuse what the last build rendered and indexed (.gsgen-cache/)
    jobs: int = 0  # processes rendering pages and indexing them; 0: one per core
    # A test build (`--base-url`): pages, QR codes, feeds and the sitemap give this address instead of
    # https on the site's own domain, and ask search engines not to index them.
    test_base_url: str | None = None

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
    search_later: LaterSearch | None = None  # gsgen serve: the index still to make
    held: list[Item] = field(default_factory=list)  # items dated after the build's time (定时发布), soonest first

    @property
    def ok(self) -> bool:
        return not self.report.errors(self.strict)

    @property
    def rendered(self) -> int:
        return len(self.rendered_pages)


def build(
    options: BuildOptions,
    progress: Progress = lambda _: None,
    cache: BuildCache | None = None,
    preview: Preview | None = None,
) -> BuildResult:
    """`cache`: one kept open between builds (gsgen serve); by default the one in the site's folder.
    `preview`: a folder updated in place instead of the output swapped whole (gsgen serve).

    Raises OutputRefused, before touching anything, for an output folder gsgen must not replace."""
    started = time.perf_counter()
    result = BuildResult(Report(), options.strict)
    refuse_output(options.root, options.output_dir)
    options.output_dir.parent.mkdir(parents=True, exist_ok=True)
    with locked(
        [options.root, options.output_dir.parent],
        lambda: progress(f"另一个 gsgen 正在构建这个站点，或正向 {options.output_dir.parent} 输出，等它完成…"),
    ):
        _build(options, result, progress, cache or BuildCache.open(options.cache_dir), preview)
    result.seconds = time.perf_counter() - started
    return result


def _build(
    options: BuildOptions, result: BuildResult, progress: Progress, cache: BuildCache, preview: Preview | None
) -> None:
    def stage(name: str) -> AbstractContextManager[None]:
        return _stage(result, progress, name)

    with stage("读取内容"):
        site, found = load_site(options.root, cache.bodies, options.jobs, cache.sources, options.now or current_time())
        result.held = site.held_items
        site.file_texts = cache.texts  # attachments' text, read again only when a file changes
        site.file_verdicts = cache.verdicts  # and what active content they hold
        if options.test_base_url:
            site.config.site.base_url = options.test_base_url
            site.config.site.test_build = True
        theme, theme_found = load_theme(options.root, site.config)
        result.report.extend([*found, *theme_found])
        result.report.silence(site.config.ignore)
    with stage("检查规则"):
        result.report.extend(check_site(site))
    if not result.ok:
        return
    pages = site_pages(site)
    ctx = RenderContext(site, theme.environment(), theme.colors)
    with preview.update(keep=f"{SEARCH_FOLDER}/") if preview else Staging(options.output_dir) as staging:
        with stage(_render_stage_name(pages)):
            _publish_static(theme, staging)
            checker = PageChecker(_check_context(site, theme, staging, pages))
            wide, items, templates = site_digest(site, theme), ItemDigests(), TemplateDigests(ctx.env)
            fingerprints = {page.output: page_fingerprint(page, wide, items, templates) for page in pages}
            work = Work(pages, fingerprints, ctx, staging, checker, cache, result.report)
            result.rendered_pages = _render_all(work, options.jobs, progress)
            if work.failed:  # pages are missing: checks of the whole output would only report that again
                return
            result.report.extend(_publish_content_files(site, checker.pages, staging))
        if result.ok and preview is not None:  # gsgen serve: the pages go live first, the index follows
            result.search_later = LaterSearch(site, checker.pages, cache, preview)
        elif result.ok:
            with stage("建立搜索索引"):
                result.indexed = build_index(staging, site, checker.pages, cache, progress, options.jobs)
                checker.ctx.memo[SEARCH_STAGE_RAN] = True
        with stage("检查全站"):
            result.report.extend(checker.output())
        if result.ok:
            staging.commit()
            result.written = True
            result.pages = _html_pages(pages)
            result.files = len(staging.written)
        if preview is None:  # gsgen serve saves it with the search index (LaterSearch)
            _save_cache(cache, result, progress)  # while the previous output is removed (Staging.commit)


def _save_cache(cache: BuildCache, result: BuildResult, progress: Progress) -> None:
    """Once the output is in place, a cache that cannot be written costs the next build time, and
    fails nothing: the site is published."""
    try:
        cache.save(prune=result.ok)
    except OSError as exc:
        if not result.written:
            raise
        progress(
            f"输出已更新，但构建缓存未能保存（{exc.strerror or exc}）：下次构建可能要重新生成页面。请检查 {CACHE_DIR} 的磁盘空间和权限"
        )


@dataclass
class LaterSearch:
    """gsgen serve: the search index of a build whose pages are live already. `make()` is the slow
    part (seconds for a large site) and touches nothing the next build reads; `publish()` writes the
    index into the preview and saves the cache, under the lock the builds hold."""

    site: Site
    pages: list[HtmlPage]
    cache: BuildCache
    preview: Preview
    index: SearchIndex | None = None

    def make(self) -> None:
        self.index = search_index(self.site, self.pages, self.cache)

    def publish(self) -> int:
        assert self.index is not None
        with self.preview.update(within=f"{SEARCH_FOLDER}/") as update:
            self.index.write(update)
            update.commit()
        self.cache.save(prune=True)
        return self.index.records


def held_notes(result: BuildResult) -> list[str]:
    """What the build says of the items it held back (定时发布): a note, never a warning, since
    scheduling is no problem (--strict passes)."""
    return [
        f"{i.file}: 定时发布「{i.title or i.path}」：{display(i.date) if i.date else ''} 发布，"
        "本次构建不发布（到时再构建一次即发布）"
        for i in result.held
    ]


def _html_pages(pages: list[Page]) -> int:
    """The pages a build reports: HTML ones, not the CSV, RSS or sitemap it also generates."""
    return sum(1 for page in pages if page.output.endswith(".html"))


def _render_stage_name(pages: list[Page]) -> str:
    """Counted as the summary counts: HTML pages, then the other generated files (CSV, RSS, sitemap…)."""
    html = _html_pages(pages)
    others = f"，另有 {len(pages) - html} 个数据文件" if len(pages) > html else ""
    return f"生成并检查页面（{html} 个{others}）"


def _check_context(site: Site, theme: Theme, staging: Staging | PreviewUpdate, pages: list[Page]) -> CheckContext:
    info = site.config.site
    return CheckContext(
        site,
        info.domain,
        tuple(site.config.trusted_hosts),
        staging.written,
        staging.read,
        theme={"colors": theme.colors, "contrast": theme.contrast, "sheets": theme.style_sheets(site.root)},
        provenance=Provenance(
            site.root,
            _page_sources(pages),
            (CONFIG, *theme.site_templates(site.root)),
            docs={CONFIG: site.config.doc}
            | {c.file: c.doc for c in site.columns.values()}
            | {i.file: i.doc for i in site.published},
            refs={i.file: i.parsed.refs for i in site.published if i.parsed},
        ),
    )


def _page_sources(pages: list[Page]) -> dict[str, tuple[str, ...]]:
    """Each page's own source file: its item, or its column's settings."""
    sources = {}
    for page in pages:
        item, column = page.context.get("item"), page.context.get("column")
        if isinstance(item, Item):
            sources[page.output] = (item.file,)
        elif isinstance(column, Column):
            sources[page.output] = (column.file,)
    return sources


@dataclass
class Work:
    """The render stage's inputs and where its results go."""

    pages: list[Page]
    fingerprints: dict[str, str]  # page output → fingerprint of its inputs
    ctx: RenderContext
    staging: Staging | PreviewUpdate
    checker: PageChecker
    cache: BuildCache
    report: Report
    failed: int = 0  # pages a template could not render


def _render_all(work: Work, jobs: int, progress: Progress) -> list[str]:
    """Take unchanged pages from the cache, render and check the others; the HTML pages rendered."""
    todo: list[Page] = []
    for page in work.pages:
        fingerprint = work.fingerprints[page.output]
        entry = work.cache.entry(fingerprint)
        if entry is not None and work.staging.current(page.output, fingerprint):  # a preview has it already
            work.report.extend(entry.diagnostics)
            if entry.html is not None:
                work.checker.keep(entry.html)
            continue
        cached = work.cache.page(fingerprint)
        if cached is None:
            todo.append(page)
            continue
        work.staging.write(page.output, cached.content, fingerprint)
        work.report.extend(cached.diagnostics)
        if cached.html is not None:
            work.checker.keep(cached.html)
    if len(todo) < len(work.pages):
        progress(f"  {len(work.pages) - len(todo)} 个页面未改变，沿用上次构建的结果")
    step = len(todo) // 10 if len(todo) >= PROGRESS_FROM else 0
    done = 0
    failed: dict[Diagnostic, list[str]] = {}  # one template error, and the pages it stopped
    for page, outcome in renderpool.rendered(todo, work.ctx, work.checker.ctx, jobs):
        done += 1
        if step and done % step == 0:
            progress(f"  已生成 {done}/{len(todo)}")
        if isinstance(outcome, Diagnostic):  # the template failed
            failed.setdefault(outcome, []).append(page.output)
            continue
        content, found, html = outcome
        work.report.extend(found)
        if html is not None:
            work.checker.keep(html)
        work.cache.store(work.fingerprints[page.output], content, found, html)
        work.staging.write(page.output, content, work.fingerprints[page.output])
    work.failed = sum(len(outputs) for outputs in failed.values())
    for error, outputs in failed.items():  # said once, not once per page
        more = f" 等 {len(outputs)} 个页面" if len(outputs) > 1 else ""
        work.report.extend([replace(error, message=f"{error.message}（生成 {outputs[0]}{more}时）")])
    return [page.output for page in todo if page.output.endswith(".html")]


def _publish_static(theme: Theme, staging: Staging | PreviewUpdate) -> None:
    """The theme's static files, through the file gate (load_theme has refused what may not pass)."""
    for rel, source in theme.static_files().items():
        data = read_publishable(source, rel)
        staging.write(f"static/{rel}", rjsmin.jsmin(data.decode("utf-8")) if rel.endswith(".js") else data)


def _publish_content_files(site: Site, pages: list[HtmlPage], staging: Staging | PreviewUpdate) -> list[Diagnostic]:
    """The files under content/ that pages use (pictures, attachments, a logo), through the file gate;
    other files are not published, and an editor hears of those no item uses."""
    used = used_content_files(site, pages)
    named = published_files(site)  # checked by SAFE-FILE where they are named; the rest here
    found = []
    for rel in sorted(used):
        where = f"{CONTENT}/{rel}"
        if rel in staging.written:  # a file gsgen made at this address wins: a data item's CSV download,
            continue  # made from a data file of the same name, keeps its neutralised cells
        if not publishable_content(rel):
            message = f"页面引用的文件类型 .{suffix(rel)} 不能发布：请转换为 PDF、图片等常用格式"
            found.append(diagnostic("SAFE-HTML", where, 0, message))
            continue
        if rel not in named and suffix(rel) != "svg":
            found.extend(_active_content(site, rel))
        try:
            form = published_form((site.root / CONTENT / rel).read_bytes(), rel)
        except SvgRefused:
            continue  # reported when content/ was read
        except OSError as exc:
            found.append(diagnostic("LAYOUT", where, 0, f"无法读取文件（{exc.strerror}），请检查文件权限"))
            continue
        staging.write(rel, form.data)
        if said := notice(form):  # a photo's GPS position: left out, and the editor told
            found.append(diagnostic("PRIVACY", where, 0, said, Severity.WARN))
    for rel in sorted(set(site.assets) - used - items_files(site)):
        message = "没有页面用到这个文件，它不会发布：请在条目中引用它（图片、附件），或把它删除"
        found.append(diagnostic("LAYOUT", f"{CONTENT}/{rel}", 0, message, Severity.WARN))
    return found


def _active_content(site: Site, rel: str) -> list[Diagnostic]:
    """SAFE-FILE for a file a page publishes that no item or setting names (a template's own link)."""
    verdict = site.file_verdicts.read(site.root / CONTENT / rel, suffix(rel))
    name, where = rel.rsplit("/", 1)[-1], f"{CONTENT}/{rel}"
    found = []
    refused, unchecked = active_message(name, verdict), unchecked_message(name, verdict)
    if refused:
        found.append(diagnostic("SAFE-FILE", where, 0, refused))
    if unchecked:
        found.append(diagnostic("SAFE-FILE", where, 0, unchecked, Severity.WARN))
    return found


def used_content_files(site: Site, pages: list[HtmlPage]) -> set[str]:
    """The files under content/ that some page links to or shows."""
    assets, domain = set(site.assets), site.config.site.domain
    used: set[str] = set()
    for page in pages:
        used.update(assets.intersection(page_targets(page, domain)))
    return used


@contextmanager
def _stage(result: BuildResult, progress: Progress, name: str) -> Iterator[None]:
    """Tells the user which stage is running, and times it."""
    progress(f"{name}…")
    started = time.perf_counter()
    yield
    result.timings[name] = time.perf_counter() - started
