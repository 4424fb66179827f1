"""Columns and channels: COL-REQUIRED, COL-NAME, CHANNELS, COL-EMPTY, COL-STALE."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from gsgen.coltypes import PORTAL_REQUIRED_KINDS, REQUIRED_KINDS
from gsgen.dates import display, months_before
from gsgen.diagnostics import Severity
from gsgen.model import Column, Site
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
            example = "、".join(sorted(types))
            yield Finding(
                "content",
                0,
                f"缺少「{label}」栏目：请在 content/ 下新建一个栏目文件夹，"
                f"其 _column.yaml 的 type 为 {example}"
                + ("（可用 url 指向政务服务平台）" if label == "办事服务" else ""),
            )


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


EMPTY_ERROR_AT = 5  # 5 or more empty columns is a single-veto item of the national inspection
NEWS_DAYS = 14
NOTICE_MONTHS = 6


@site_rule("COL-EMPTY")
def col_empty(site: Site) -> Iterator[Finding]:
    empty = [c for c in site.columns.values() if not c.url and not c.all_items()]
    severity = Severity.ERROR if len(empty) >= EMPTY_ERROR_AT else None
    for column in empty:
        also = f"（全站共 {len(empty)} 个空白栏目，达到 {EMPTY_ERROR_AT} 个为单项否决）" if severity else ""
        yield Finding(
            column.file,
            1,
            f"栏目「{column.name}」没有任何已发布的信息（空白栏目）：请补充内容，或删除、归档该栏目{also}",
            severity,
        )


def stale_limit(column: Column, now: datetime) -> datetime | None:
    """The oldest acceptable date of a column's newest item, or None for columns without a period."""
    period = column.update_period
    if period is None:
        name = column.name
        if "通知公告" in name or "公告" in name or column.type == "政策文件":
            period = NOTICE_MONTHS
        elif column.type == "工作动态" or "要闻" in name or "动态" in name:
            period = timedelta(days=NEWS_DAYS)
        else:
            return None
    return now - period if isinstance(period, timedelta) else months_before(now, period)


@site_rule("COL-STALE")
def col_stale(site: Site) -> Iterator[Finding]:
    if site.now is None:
        return
    for column in site.columns.values():
        items = column.all_items()
        limit = stale_limit(column, site.now)
        if column.url or column.archived_at or not items or limit is None:
            continue
        newest = items[0].date
        if newest is None or newest < limit:
            shown = display(newest) if newest else "无日期"
            yield Finding(
                column.file,
                1,
                f"栏目「{column.name}」最近一次更新在 {shown}，已超过更新周期"
                f"（截至 {display(site.now)}）：请及时更新，或在 _column.yaml 中设置 update_period",
            )
    published = [i.date for i in site.published if i.date]
    if published and max(published) < site.now - timedelta(days=NEWS_DAYS):
        yield Finding(
            "content",
            0,
            f"首页已超过 {NEWS_DAYS} 天没有更新（最新信息发布于 {display(max(published))}），"
            "检查指标中首页两周不更新为单项否决项",
        )
