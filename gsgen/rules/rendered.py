"""*(out)* rules on rendered pages, so they hold for a customised theme and for `gsgen check`:
SITE-META, SITE-NAME, SITE-FOOTER, COL-META, COL-ORDER, ART-META, ART-DATE, ART-SOURCE, ARCHIVED; and,
against the site model, TOPIC-ARCHIVE and DRAFT."""

from __future__ import annotations

import re
from collections.abc import Iterator

from gsgen.dates import display
from gsgen.gate.urls import host_of
from gsgen.htmlpage import HtmlPage
from gsgen.rules import CheckContext, Finding, output_rule, page_rule

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
    ("我为政府网站找错", "「我为政府网站找错」入口"),
]
FOOTER_LINKS = [
    ("ICP备", ("beian.miit.gov.cn",), "ICP备案编号"),
    ("公网安备", ("beian.mps.gov.cn", "beian.gov.cn"), "公安机关备案号"),
]


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
        if needle not in footer:
            yield Finding(page.file, 1, f"页脚缺少{what}")
    for needle, hosts, what in FOOTER_LINKS:
        if not any(needle in link.text and host_of(link.href) in hosts for link in page.footer_links):
            yield Finding(page.file, 1, f"页脚的{what}应链接到 {hosts[0]}")


@page_rule("COL-META")
def col_meta(page: HtmlPage, ctx: CheckContext) -> Iterator[Finding]:
    if page.is_column:
        yield from _missing_meta(page, ["ColumnName", "ColumnDescription", "ColumnKeywords", "ColumnType"])
    elif page.is_content:
        yield from _missing_meta(page, ["ColumnName", "ColumnType"])


@page_rule("ART-META")
def art_meta(page: HtmlPage, ctx: CheckContext) -> Iterator[Finding]:
    if not page.is_content:
        return
    yield from _missing_meta(page, ["ArticleTitle", "PubDate", "ContentSource"])
    for name in ("Url", "Image"):
        value = page.meta.get(name)
        if value is not None and not value.startswith(("https://", "http://")):
            message = f'<meta name="{name}"> 应为完整网址（https://…），而不是 {value}'
            yield Finding(page.file, page.line_of(name), message)


@page_rule("ART-DATE")
def art_date_shown(page: HtmlPage, ctx: CheckContext) -> Iterator[Finding]:
    if not page.is_content:
        return
    pubdate = page.meta.get("PubDate", "").strip()
    if pubdate and not PUBDATE.match(pubdate):
        yield Finding(page.file, page.line_of("PubDate"), f"PubDate「{pubdate}」应为 YYYY-MM-DD HH:MM 格式（不含秒）")
    elif pubdate and pubdate not in page.text:
        yield Finding(page.file, 1, f"页面正文区没有显示发布时间 {pubdate}")


@page_rule("ART-SOURCE")
def art_source_shown(page: HtmlPage, ctx: CheckContext) -> Iterator[Finding]:
    source = re.sub(r"\s+", "", page.meta.get("ContentSource", "")).replace(":", "：")
    if page.is_content and source and f"来源：{source}" not in re.sub(r"\s+", "", page.text).replace(":", "："):
        yield Finding(page.file, 1, f"页面没有显示“来源：{source}”")


@page_rule("COL-ORDER")
def col_order(page: HtmlPage, ctx: CheckContext) -> Iterator[Finding]:
    if not page.is_column or page.is_home:
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
    """A draft is never published, whatever a theme or a later stage does."""
    if ctx.site is None:
        return
    for item in ctx.site.items.values():
        if item.draft and f"{item.path}.html" in ctx.files:
            yield Finding(item.file, 1, f"草稿（draft: true）出现在了输出中：{item.path}.html")
