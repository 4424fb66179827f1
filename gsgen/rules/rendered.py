"""*(out)* rules on rendered pages, so they hold for a customised theme and for `gsgen check`:
SITE-META, SITE-NAME, SITE-FOOTER, COL-META, COL-ORDER, ART-META, ART-DATE, ART-SOURCE, ARCHIVED; and,
against the site model, TOPIC-ARCHIVE and DRAFT."""

from __future__ import annotations

import re
from collections.abc import Iterator

from gsgen.coltypes import HOMEPAGE_TYPE
from gsgen.dates import display
from gsgen.gate.urls import host_of
from gsgen.htmlpage import HtmlPage
from gsgen.rules import CheckContext, Finding, output_rule, page_rule
from gsgen.rules.identity import GOV_DOMAIN, ID_CODE

PUBDATE = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$")


def _missing_meta(page: HtmlPage, names: list[str]) -> Iterator[Finding]:
    for name in names:
        if not page.meta.get(name, "").strip():
            yield Finding(page.file, 1, f'页面缺少 <meta name="{name}">，或其 content 为空')


@page_rule("SITE-META")
def site_meta(page: HtmlPage, ctx: CheckContext) -> Iterator[Finding]:
    yield from _missing_meta(page, ["SiteName", "SiteDomain", "SiteIDCode"])


@page_rule("SITE-NAME")
def site_name_in_header(page: HtmlPage, ctx: CheckContext) -> Iterator[Finding]:
    name = page.meta.get("SiteName", "").strip()
    if name and name not in re.sub(r"\s+", "", page.header_text):
        yield Finding(page.file, 1, f"页面头部（<header>）没有显示网站全称「{name}」")


# What every footer shows (SITE-FOOTER): a label to find, and for the filing numbers the host the
# number must link to.
FOOTER_TEXTS = [
    ("主办单位", "主办单位"),
    ("联系", "联系方式"),
    ("标识码", "网站标识码"),
    ("我为政府网站找错", "「我为政府网站找错」入口（或全国政府网站找错平台的 jiucuo.js 脚本）"),
]
FOOTER_LINKS = [
    ("ICP备", ("beian.miit.gov.cn",), "ICP备案编号"),
    ("公网安备", ("beian.mps.gov.cn", "beian.gov.cn"), "公安机关备案号"),
]


ERROR_REPORT = "我为政府网站找错"


def _has_error_report_script(page: HtmlPage) -> bool:
    """The national platform's own 找错 script, which draws its entry when the page loads
    (`<script id="_jiucuo_" sitecode=… src="https://zfwzgl.www.gov.cn/exposure/jiucuo.js">`)."""
    return any(
        r.tag == "script" and (r.attrs.get("id") == "_jiucuo_" or "jiucuo" in r.url.rsplit("/", 1)[-1].lower())
        for r in page.resources
    )


@page_rule("SITE-FOOTER")
def site_footer(page: HtmlPage, ctx: CheckContext) -> Iterator[Finding]:
    footer = re.sub(r"\s+", "", page.footer_text)
    if not footer:
        yield Finding(
            page.file,
            1,
            '页面底部没有页脚，无法显示主办单位、标识码和备案信息：页脚应写在 <footer> 元素中（或标有 role="contentinfo"，或 id、class 含 footer、bottom、copyright 的元素）',
        )
        return
    for needle, what in FOOTER_TEXTS:
        if needle not in footer and not (needle == ERROR_REPORT and _has_error_report_script(page)):
            yield Finding(page.file, 1, f"页脚缺少{what}")
    for needle, hosts, what in FOOTER_LINKS:
        if not any(needle in link.text and host_of(link.href) in hosts for link in page.footer_links):
            yield Finding(page.file, 1, f"页脚的{what}应链接到 {hosts[0]}")


# What marks a page's kind when its tags do not (gsgen check, on pages of other systems): a content
# page shows its 来源 and a dated 发布时间; a list page has a pager; the root index is the homepage.
_SHOWS_SOURCE = re.compile(r"来源[:：]")
_SHOWS_TIME = re.compile(r"(?:时间|日期)[:：]\s*\d{4}\s*[-/年.]")
_PAGER = re.compile(r"下一页|上一页|尾页|共\s*\d+\s*页")
_HOMEPAGES = ("index.html", "index.htm", "index.shtml", "default.html", "default.htm")


def kind_of(page: HtmlPage, ctx: CheckContext) -> str:
    """ "home", "column", "content" or "" (none of these): from the page's tags, and under gsgen check,
    where a page may lack the very tags under test, from what it shows."""
    if page.is_home:
        return "home"
    if page.is_content:
        return "content"
    if page.is_column:
        return "column"
    if ctx.site is not None:
        return ""
    shown = page.__dict__.get("_shown_kind")  # five rules ask; the page's text is read for it once
    if shown is None:
        shown = page.__dict__["_shown_kind"] = _shown_kind(page)
    return shown


def _shown_kind(page: HtmlPage) -> str:
    if page.file.lower() in _HOMEPAGES:
        return "home"
    if _SHOWS_SOURCE.search(page.text) and _SHOWS_TIME.search(page.text):
        return "content"
    return "column" if _PAGER.search(page.text) else ""


@page_rule("COL-META")
def col_meta(page: HtmlPage, ctx: CheckContext) -> Iterator[Finding]:
    kind = kind_of(page, ctx)
    if kind in ("column", "home"):
        yield from _missing_meta(page, ["ColumnName", "ColumnDescription", "ColumnKeywords", "ColumnType"])
        shown = page.meta.get("ColumnType", "").strip()
        if kind == "home" and shown and shown != HOMEPAGE_TYPE:
            yield Finding(
                page.file,
                page.line_of("ColumnType"),
                f'首页的 <meta name="ColumnType"> 应为「{HOMEPAGE_TYPE}」，而不是「{shown}」',
            )
    elif kind == "content":
        yield from _missing_meta(page, ["ColumnName", "ColumnType"])


@page_rule("ART-META")
def art_meta(page: HtmlPage, ctx: CheckContext) -> Iterator[Finding]:
    if kind_of(page, ctx) != "content":
        return
    # Under gsgen check Url and Description are required too (SPEC: every content page can have them);
    # in a build gsgen writes them whenever the item has them.
    extra = ["Url", "Description"] if ctx.site is None else []
    yield from _missing_meta(page, ["ArticleTitle", "PubDate", "ContentSource", *extra])
    for name in ("Url", "Image"):
        value = page.meta.get(name)
        if value is not None and not value.startswith(("https://", "http://")):
            message = f'<meta name="{name}"> 应为完整网址（https://…），而不是 {value}'
            yield Finding(page.file, page.line_of(name), message)


# A publication time as a page shows it beside its label: 发布时间：2025年07月14日 01:59, 日期：2025-7-14
_SHOWN_TIME = re.compile(
    r"(?P<label>(?:发布|发表|发文|成文)?(?:时间|日期))[:：]\s*(?P<shown>(?P<y>\d{4})\s*[-/年.]\s*(?P<m>\d{1,2})\s*[-/月.]\s*(?P<d>\d{1,2})"
    r"\s*日?(?:\s*(?P<H>\d{1,2})\s*[:：]\s*(?P<M>\d{2})(?:\s*[:：]\s*(?P<S>\d{2}))?)?)"
)


@page_rule("ART-DATE")
def art_date_shown(page: HtmlPage, ctx: CheckContext) -> Iterator[Finding]:
    if kind_of(page, ctx) != "content":
        return
    pubdate = page.meta.get("PubDate", "").strip()
    if pubdate and not PUBDATE.match(pubdate):
        yield Finding(page.file, page.line_of("PubDate"), f"PubDate「{pubdate}」应为 YYYY-MM-DD HH:MM 格式（不含秒）")
    elif ctx.site is None:
        yield from _shown_time_problems(page, pubdate)
    elif pubdate and pubdate not in page.text:
        yield Finding(page.file, 1, f"页面正文区没有显示发布时间 {pubdate}")


def _shown_time_problems(page: HtmlPage, pubdate: str) -> Iterator[Finding]:
    """gsgen check: what is wrong with the publication time the page shows, said as precisely as the
    page allows (no time, the wrong form, seconds, another moment than PubDate's)."""
    shown_times = list(_SHOWN_TIME.finditer(page.text))
    labelled = [m for m in shown_times if m.group("label").startswith(("发布", "发表"))]
    match = (labelled or shown_times or [None])[0]
    if match is None:
        yield Finding(
            page.file,
            1,
            f"页面没有显示发布时间{f' {pubdate}' if pubdate else ''}：应在标题下方显示「发布时间：YYYY-MM-DD HH:MM」",
        )
        return
    shown = " ".join(match.group("shown").split())
    parts = {k: int(v) for k, v in match.groupdict().items() if k not in ("shown", "label") and v is not None}
    if "H" not in parts:
        yield Finding(page.file, 1, f"页面显示的发布时间「{shown}」只有日期：应精确到分钟，写成 YYYY-MM-DD HH:MM")
        return
    moment = f"{parts['y']:04d}-{parts['m']:02d}-{parts['d']:02d} {parts['H']:02d}:{parts['M']:02d}"
    if pubdate and moment != pubdate:
        yield Finding(page.file, 1, f"页面显示的发布时间「{shown}」与 PubDate「{pubdate}」不一致：两处应为同一时间")
    elif "S" in parts or shown != moment:
        yield Finding(
            page.file, 1, f"页面显示的发布时间「{shown}」格式不对：应写成 {moment}（YYYY-MM-DD HH:MM，不含秒）"
        )


@page_rule("ART-SOURCE")
def art_source_shown(page: HtmlPage, ctx: CheckContext) -> Iterator[Finding]:
    source = re.sub(r"\s+", "", page.meta.get("ContentSource", "")).replace(":", "：")
    if (
        kind_of(page, ctx) == "content"
        and source
        and f"来源：{source}" not in re.sub(r"\s+", "", page.text).replace(":", "：")
    ):
        yield Finding(page.file, 1, f"页面没有显示“来源：{source}”")


@page_rule("COL-ORDER")
def col_order(page: HtmlPage, ctx: CheckContext) -> Iterator[Finding]:
    if kind_of(page, ctx) != "column":
        return
    for dates in page.lists:
        if len(dates) > 1 and all(dates) and dates != sorted(dates, reverse=True):  # type: ignore[type-var]
            yield Finding(page.file, 1, "栏目列表没有按发布时间从新到旧排列：最新的信息应排在最前")


@page_rule("ARCHIVED")
def archived_banner_shown(page: HtmlPage, ctx: CheckContext) -> Iterator[Finding]:
    """Pages gsgen did not build: a page that says it is archived shows when, above its title. (In a
    build, `archived_pages` knows which pages are archived; a body that mentions 「材料已归档」 is not.)"""
    if ctx.site is None and page.is_content and "已归档" in page.text and page.archive_time is None:
        yield Finding(page.file, 1, "归档页面应在标题上方显示「已归档」横幅及归档时间（YYYY-MM-DD HH:MM）")


@output_rule("ARCHIVED")
def archived_pages(pages: list[HtmlPage], ctx: CheckContext) -> Iterator[Finding]:
    """Built sites: every archived item and column page shows the banner with its own archive time."""
    if ctx.site is None:
        return
    expected = {f"{i.path}.html": i.archived_at for i in ctx.site.published if i.archived_at}
    expected |= {c.href.lstrip("/"): c.archived_at for c in ctx.site.columns.values() if c.archived_at and not c.url}
    for page in pages:
        moment = expected.get(page.file)
        if moment and page.archive_time != display(moment):
            yield Finding(page.file, 1, f"归档页面没有在标题上方显示「已归档」横幅和归档时间 {display(moment)}")


@output_rule("TOPIC-ARCHIVE")
def topic_archive(pages: list[HtmlPage], ctx: CheckContext) -> Iterator[Finding]:
    if ctx.site is None:
        return
    home = next((p for p in pages if p.file == "index.html"), None)
    if home is None:
        return
    for topic in ctx.site.topics:
        if not topic.archived_at:
            continue
        links = [link for link in home.links if link.href == topic.href]
        if any(link.prominent for link in links):
            yield Finding(
                topic.file, 1, f"已归档的专题「{topic.name}」仍在首页显著位置，请移出（专题区保留并标注已归档）"
            )
        if not any("已归档" in link.context for link in links):
            yield Finding(topic.file, 1, f"已归档的专题「{topic.name}」应留在首页专题区，并标注「已归档」")


@output_rule("DRAFT")
def drafts_absent(pages: list[HtmlPage], ctx: CheckContext) -> Iterator[Finding]:
    """A draft is never published, nor an item before its date, whatever a theme or a later stage does."""
    if ctx.site is None:
        return
    for item in ctx.site.items.values():
        if ctx.site.is_published(item) or f"{item.path}.html" not in ctx.files:
            continue
        if item.draft:
            yield Finding(item.file, 1, f"草稿（draft: true）出现在了输出中：{item.path}.html")
        else:
            yield Finding(item.file, 1, f"定时发布的条目在发布时间之前出现在了输出中：{item.path}.html")


@output_rule("SITE-IDCODE")
def site_idcode_shown(pages: list[HtmlPage], ctx: CheckContext) -> Iterator[Finding]:
    """gsgen check: the SiteIDCode pages carry is a real 网站标识码. (A build checks config.yaml's.)"""
    if ctx.site is not None:
        return
    for code, carrying in _by_value(pages, "SiteIDCode").items():
        if not ID_CODE.match(code):
            yield _on_pages(
                carrying,
                "SiteIDCode",
                f"SiteIDCode「{code}」不是有效的网站标识码：应为 10 位数字（如 5001000001）或 bm 加 8 位数字，与全国政府网站信息报送系统中的一致",
            )


@output_rule("SITE-DOMAIN")
def site_domain_shown(pages: list[HtmlPage], ctx: CheckContext) -> Iterator[Finding]:
    """gsgen check: the SiteDomain pages carry is a .gov.cn domain, the site's own (`--domain`) or,
    without it, the one most of the pages carry."""
    if ctx.site is not None:
        return
    values = _by_value(pages, "SiteDomain")
    own = (ctx.domain or max(values, key=lambda v: len(values[v]), default="")).lower()
    for domain, carrying in values.items():
        if not GOV_DOMAIN.match(domain.lower()):
            yield _on_pages(
                carrying,
                "SiteDomain",
                f"SiteDomain「{domain}」不是政府网站域名：应为以 .gov.cn 结尾的域名，不写 https:// 和路径",
            )
        elif domain.lower() != own:
            yield _on_pages(
                carrying,
                "SiteDomain",
                f"SiteDomain「{domain}」是另一个网站的域名（本站是 {own}）：多见于从别的网站复制来的模板，请改为本站域名",
            )


def _by_value(pages: list[HtmlPage], name: str) -> dict[str, list[HtmlPage]]:
    found: dict[str, list[HtmlPage]] = {}
    for page in pages:
        value = page.meta.get(name, "").strip()
        if value:
            found.setdefault(value, []).append(page)
    return found


def _on_pages(pages: list[HtmlPage], name: str, message: str) -> Finding:
    """One finding for a value many pages carry: at the first, with how many more."""
    first = pages[0]
    more = f"（共 {len(pages)} 个页面，如 {first.file}）" if len(pages) > 1 else ""
    return Finding(first.file, first.line_of(name), message + more)
