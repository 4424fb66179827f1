"""Columns, channels and the homepage: COL-REQUIRED, COL-NAME, CHANNELS, COL-EMPTY, COL-STALE, VETO, NOTICE."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from gsgen import xxgk
from gsgen.coltypes import BASIC_TYPES, PORTAL_REQUIRED_KINDS, REQUIRED_KINDS, SUGGESTED_FOLDERS
from gsgen.dates import display, months_before
from gsgen.diagnostics import Severity
from gsgen.model import Column, Item, Site
from gsgen.paths import proposed_name
from gsgen.rules import Finding, site_rule

MAX_COLUMN_NAME = 10
CHANNEL_RANGE = (5, 8)


@site_rule("COL-REQUIRED")
def col_required(site: Site) -> Iterator[Finding]:
    kinds = list(REQUIRED_KINDS)
    if site.config.site.kind == "portal":
        kinds += PORTAL_REQUIRED_KINDS
    present = {c.type for c in site.columns.values()}
    for label, types in kinds:
        if not present & types:
            type_ = label if label in types else sorted(types)[0]
            others = "、".join(sorted(types - {type_}))
            yield Finding(
                "content",
                0,
                f"缺少「{label}」栏目：请新建栏目文件夹 content/{SUGGESTED_FOLDERS.get(label) or proposed_name(label)}/，"
                f"在其中的 _column.yaml 写 name: {label} 和 type: {type_}"
                + (f"（type 也可为 {others}）" if others else "")
                + REQUIRED_HINTS.get(label, "，并发布至少一条信息"),
            )


# What the missing column should hold, said with COL-REQUIRED's message.
REQUIRED_HINTS = {
    "办事服务": "，发布办事指南（也可用 url 指向政务服务平台）",
    "信息公开指南": "，并发布本机关的政府信息公开指南（公开方式、申请渠道、受理机构和联系方式）",
    "信息公开年报": "，并发布上一年度的政府信息公开工作年度报告（front matter 写 year: 年份）",
    "依法申请公开": "，并发布依申请公开的说明（申请方式、申请表、受理机构、办理时限）",
}


@site_rule("COL-NAME")
def col_name(site: Site) -> Iterator[Finding]:
    for column in site.columns.values():
        if len(column.name) > MAX_COLUMN_NAME:
            yield Finding(
                column.file,
                column.doc.line("name"),
                f"栏目名称「{column.name}」有 {len(column.name)} 个字，宜简短直白（不超过 {MAX_COLUMN_NAME} 个字）",
            )


@site_rule("CHANNELS")
def channels(site: Site) -> Iterator[Finding]:
    config = site.config
    if config.channels is None:
        return
    line = config.doc.line("channels")
    for n, path in enumerate(config.channels):
        column = site.columns.get(path)
        if column is None or column.parent is not None:
            yield Finding(
                config.file,
                config.doc.line("channels", n),
                f"channels 中的 {path} 不是 content/ 下的顶级栏目文件夹，请改为已有栏目的文件夹名",
                Severity.ERROR,
            )
    low, high = CHANNEL_RANGE
    if not low <= len(config.channels) <= high:
        yield Finding(config.file, line, f"主导航有 {len(config.channels)} 个频道，宜为 {low}–{high} 个")


VETO_AT = 5  # 5 or more stale (both kinds together) or empty columns is a single-veto item of the national inspection
NEWS_DAYS = 14
NOTICE_MONTHS = 6
BASIC_MONTHS = 12


def empty_columns(site: Site) -> list[Column]:
    """Columns that show nothing; a 信息公开目录 column shows the 目录 of every item (xxgk.py), so it
    is empty only when the site has published nothing at all."""
    catalogue = xxgk.catalogue_column(site) if site.published else None
    return [c for c in site.columns.values() if not c.url and not c.all_items() and c is not catalogue]


@site_rule("COL-EMPTY")
def col_empty(site: Site) -> Iterator[Finding]:
    for column in empty_columns(site):
        yield Finding(
            column.file,
            1,
            f"栏目「{column.name}」没有任何已发布的信息（空白栏目）：请补充内容，或删除该栏目（归档的空栏目仍算空白栏目）",
        )


def update_kind(column: Column) -> str | None:
    """What a column's period is, by what it holds: "news" (动态、要闻: two weeks) and "notice"
    (通知公告、政策文件: six months), the two kinds the national inspection counts, each against its own
    period; "basic" (概况、机构、负责人: reviewed yearly); or None."""
    name = column.name
    if column.type in BASIC_TYPES:
        return "basic"
    if "公告" in name or column.type == "政策文件":
        return "notice"
    if column.type == "工作动态" or "要闻" in name or "动态" in name:
        return "news"
    return None


def stale_limit(column: Column, now: datetime, national: bool = False) -> datetime | None:
    """The oldest acceptable date of a column's newest item, or None for columns without a period.
    `national`: the inspection's own period, whatever the column's `update_period` says."""
    period = None if national else column.update_period
    if period is None:
        kind = update_kind(column)
        if kind is None:
            return None
        period = {"notice": NOTICE_MONTHS, "basic": BASIC_MONTHS}.get(kind, timedelta(days=NEWS_DAYS))
    return now - period if isinstance(period, timedelta) else months_before(now, period)


def stale_columns(site: Site, national: bool = False) -> list[Column]:
    """Columns whose newest item is older than their period (an item with no date counts as stale)."""
    if site.now is None:
        return []
    stale = []
    for column in site.columns.values():
        items = column.all_items()
        limit = stale_limit(column, site.now, national)
        if column.url or site.happened(column.archived_at) or not items or limit is None:
            continue
        if (last_checked(site, items) or datetime.min) < limit:
            stale.append(column)
    return stale


def last_checked(site: Site, items: list[Item]) -> datetime | None:
    """When a column's content was last known current: its newest item's date, or a later `reviewed`
    of one of its items (basic information, checked and found still accurate). No date counts as never;
    a `reviewed` after now is no review yet (an error of its own, items.py)."""
    dates = [d for i in items for d in (i.date, i.reviewed) if site.happened(d)]
    return max(dates) if dates and items[0].date else None


@site_rule("COL-STALE")
def col_stale(site: Site) -> Iterator[Finding]:
    for column in stale_columns(site):
        newest = last_checked(site, column.all_items())
        shown = display(newest) if newest else "无日期"
        fix = (
            "请核对内容是否仍然准确：有变化的请更新；没有变化的，在条目中写 reviewed: 核对日期"
            if update_kind(column) == "basic" and not column.update_period
            else "请及时更新，或在 _column.yaml 中设置 update_period"
        )
        yield Finding(
            column.file,
            1,
            f"栏目「{column.name}」最近一次更新在 {shown}，已超过更新周期（截至 {display(site.now)}）：{fix}",
        )


VETO_KINDS = {
    "news": f"动态、要闻类栏目超过 {NEWS_DAYS} 天未更新",
    "notice": f"通知公告、政策文件类栏目超过 {NOTICE_MONTHS} 个月未更新",
}


@site_rule("VETO")
def veto(site: Site) -> Iterator[Finding]:
    """The single-veto counts of the national inspection (检查指标): each names the veto and the
    columns behind it, so the webmaster sees what an inspector would fail the site for."""
    # The two kinds count together: 「累计超过（含）5个未更新」.
    stale = [c for c in stale_columns(site, national=True) if update_kind(c) in VETO_KINDS]
    if len(stale) >= VETO_AT:
        counts = "，".join(
            f"{label} {n} 个" for kind, label in VETO_KINDS.items() if (n := sum(update_kind(c) == kind for c in stale))
        )
        yield Finding(
            "content",
            0,
            f"单项否决：未按期更新的栏目共 {len(stale)} 个（{counts}；两类合计达到 {VETO_AT} 个即否决）："
            f"{_names(stale)}。请尽快更新这些栏目",
        )
    empty = empty_columns(site)
    if len(empty) >= VETO_AT:
        yield Finding(
            "content",
            0,
            f"单项否决：空白栏目有 {len(empty)} 个（达到 {VETO_AT} 个即否决）：{_names(empty)}。请补充内容，或删除这些栏目",
        )
    published = [i.date for i in site.published if i.date]
    if site.now and published and max(published) < site.now - timedelta(days=NEWS_DAYS):
        yield Finding(
            "content",
            0,
            f"单项否决：首页已超过 {NEWS_DAYS} 天没有更新（最新信息发布于 {display(max(published))}，"
            f"截至 {display(site.now)}）。请发布新的信息",
        )


def _names(columns: list[Column]) -> str:
    return "、".join(f"「{c.name}」（{c.path}）" for c in columns)


NOTICE_DAYS = 30  # opening, migration, closure and change-of-address notices stay up at least this long
LASTING_NOTICES = ("开通", "迁移", "临时下线", "域名变更")


@site_rule("NOTICE")
def notices(site: Site) -> Iterator[Finding]:
    config = site.config
    for notice in config.notices:
        if notice.end and notice.end <= notice.start:
            yield Finding(config.file, notice.line, f"公告「{notice.title}」的 until 不晚于 from：请核对显示时间")
        elif notice.kind in LASTING_NOTICES and notice.end and notice.end - notice.start < timedelta(days=NOTICE_DAYS):
            yield Finding(
                config.file,
                notice.line,
                f"{notice.kind}公告「{notice.title}」只显示到 {display(notice.end)}，不足 {NOTICE_DAYS} 天："
                f"此类公告原则上至少保留 {NOTICE_DAYS} 天，请把 until 改为 {display(notice.start + timedelta(days=NOTICE_DAYS))} 或更晚",
            )
        if notice.path is not None and site.page_at(notice.path) is None:
            yield Finding(
                config.file,
                notice.line,
                f"公告「{notice.title}」的 link: {notice.path or '（空）'} 不是已发布的条目或栏目："
                "请写 content/ 下条目或栏目的路径（不带扩展名），或以 https:// 开头的完整网址",
                Severity.ERROR,
            )
