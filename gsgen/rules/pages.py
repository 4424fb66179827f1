"""*(out)* rules read rendered pages, so they hold for a customised theme and for `gsgen check`:
SITE-META, SITE-NAME, SITE-FOOTER, COL-META, ART-META, ART-DATE, ART-SOURCE."""

from __future__ import annotations

import re
from collections.abc import Iterator

from gsgen.htmlpage import HtmlPage
from gsgen.rules import Finding, page_rule

PUBDATE = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$")


def _missing_meta(page: HtmlPage, names: list[str]) -> Iterator[Finding]:
    for name in names:
        if not page.meta.get(name, "").strip():
            yield Finding(page.file, 1, f'页面缺少 <meta name="{name}">，或其 content 为空')


@page_rule("SITE-META")
def site_meta(page: HtmlPage) -> Iterator[Finding]:
    yield from _missing_meta(page, ["SiteName", "SiteDomain", "SiteIDCode"])


@page_rule("SITE-NAME")
def site_name_in_header(page: HtmlPage) -> Iterator[Finding]:
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
FOOTER_LINKS = [("ICP备", "beian.miit.gov.cn", "ICP备案编号"), ("公网安备", "beian.mps.gov.cn", "公安机关备案号")]


@page_rule("SITE-FOOTER")
def site_footer(page: HtmlPage) -> Iterator[Finding]:
    footer = re.sub(r"\s+", "", page.footer_text)
    if not footer:
        yield Finding(page.file, 1, "页面没有页脚（<footer>），无法显示主办单位、标识码和备案信息")
        return
    for needle, what in FOOTER_TEXTS:
        if needle not in footer:
            yield Finding(page.file, 1, f"页脚缺少{what}")
    for needle, host, what in FOOTER_LINKS:
        if not any(needle in link.text and host in link.href for link in page.footer_links):
            yield Finding(page.file, 1, f"页脚的{what}应链接到 {host}")


@page_rule("COL-META")
def col_meta(page: HtmlPage) -> Iterator[Finding]:
    if page.is_column:
        yield from _missing_meta(page, ["ColumnName", "ColumnDescription", "ColumnKeywords", "ColumnType"])
    elif page.is_content:
        yield from _missing_meta(page, ["ColumnName", "ColumnType"])


@page_rule("ART-META")
def art_meta(page: HtmlPage) -> Iterator[Finding]:
    if not page.is_content:
        return
    yield from _missing_meta(page, ["ArticleTitle", "PubDate", "ContentSource"])
    for name in ("Url", "Image"):
        value = page.meta.get(name)
        if value is not None and not value.startswith(("https://", "http://")):
            message = f'<meta name="{name}"> 应为完整网址（https://…），而不是 {value}'
            yield Finding(page.file, page.line_of(name), message)


@page_rule("ART-DATE")
def art_date_shown(page: HtmlPage) -> Iterator[Finding]:
    if not page.is_content:
        return
    pubdate = page.meta.get("PubDate", "").strip()
    if pubdate and not PUBDATE.match(pubdate):
        yield Finding(page.file, page.line_of("PubDate"), f"PubDate「{pubdate}」应为 YYYY-MM-DD HH:MM 格式（不含秒）")
    elif pubdate and pubdate not in page.text:
        yield Finding(page.file, 1, f"页面正文区没有显示发布时间 {pubdate}")


@page_rule("ART-SOURCE")
def art_source_shown(page: HtmlPage) -> Iterator[Finding]:
    source = re.sub(r"\s+", "", page.meta.get("ContentSource", ""))
    if page.is_content and source and f"来源：{source}" not in re.sub(r"\s+", "", page.text).replace(":", "："):
        yield Finding(page.file, 1, f"页面没有显示“来源：{source}”")
