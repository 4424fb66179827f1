"""政府信息公开 and the annual reports: OPEN-REPORT and REPORT (deadlines, health), and the addresses
and 索引号 of the generated 信息公开目录 and 年度工作报表 pages (URL, FIELD)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from gsgen import workreport, xxgk
from gsgen.coltypes import OPEN_REPORT
from gsgen.model import Item, Site
from gsgen.rules import Finding, site_rule

# When last year's reports are due (month, day, to 23:59 of that day). The 政府信息公开工作年度报告:
# a government department's by 31 January, a county-or-higher government's own (its portal's) by
# 31 March (条例 第四十九条). The 政府网站工作年度报表: by 31 January (指引 年报制度; 南通 第二十九条).
OPEN_REPORT_DEADLINES = {"portal": (3, 31), "department": (1, 31)}
WORK_REPORT_DEADLINE = (1, 31)


def due_year(now: datetime, deadline: tuple[int, int]) -> int:
    """The latest year whose report is overdue at `now`: from the day after `deadline` of year Y
    on, the report of Y-1 is due."""
    return now.year - 1 if (now.month, now.day) > deadline else now.year - 2


def _first_year(site: Site) -> int | None:
    """The year the site began publishing: no report is asked of it for a year before that (its
    reports of earlier years, if any, were published elsewhere)."""
    dates = [i.date for i in site.published if i.date]
    return min(dates).year if dates else None


def _due(site: Site, deadline: tuple[int, int]) -> int | None:
    first = _first_year(site)
    if site.now is None or first is None:
        return None
    year = due_year(site.now, deadline)
    return year if year >= first else None


@site_rule("OPEN-REPORT")
def open_report(site: Site) -> Iterator[Finding]:
    """A 信息公开年报 for last year once its deadline has passed. A site with no 年报 column at all is
    COL-REQUIRED's business (a portal must have one), not this rule's."""
    columns = [c for c in site.columns.values() if c.type == OPEN_REPORT]
    month, day = deadline = OPEN_REPORT_DEADLINES.get(site.config.site.kind or "portal", (1, 31))
    year = _due(site, deadline)
    if not columns or year is None or any(c.url for c in columns):
        return  # none, or published on another platform, where the build cannot look
    if any(xxgk.report_year(i) == year for c in columns for i in c.items):
        return
    column = columns[0]
    yield Finding(
        column.file,
        1,
        f"尚未发布 {year} 年政府信息公开工作年度报告：《政府信息公开条例》第四十九条要求"
        f"{'县级以上人民政府部门在每年1月31日前' if deadline == (1, 31) else '县级以上地方人民政府在每年3月31日前'}"
        f"公布上一年度的年度报告（{year} 年度报告应于 {year + 1}-{month:02d}-{day:02d} 前公布）。请在 content/{column.path}/ "
        f"中发布《{year}年政府信息公开工作年度报告》，标题写明“{year}年”或在 front matter 写 year: {year}",
    )


@site_rule("REPORT")
def work_report(site: Site) -> Iterator[Finding]:
    """The figures of last year's 年度工作报表 in config.yaml once 31 January has passed."""
    year = _due(site, WORK_REPORT_DEADLINE)
    if year is None or year in site.config.work_reports:
        return
    config = site.config
    line = config.doc.line("work_reports") if "work_reports" in (config.doc.data or {}) else 1
    yield Finding(
        config.file,
        line,
        f"config.yaml 的 work_reports 没有 {year} 年的数据：政府网站工作年度报表应于每年1月31日前向社会公开"
        f"（{year} 年度应于 {year + 1}-01-31 前公开）。请在 config.yaml 的 work_reports 下添加 {year}:，填写 "
        "visitors（独立用户访问总量）、visits（网站总访问量）、service（办事服务）、security（安全防护）、"
        f"media（移动新媒体）、filing（填报单位和人员）等数据；未填写的项在 /{workreport.FOLDER}/{year}.html 显示为「未填报」",
    )


@site_rule("URL")
def generated_addresses(site: Site) -> Iterator[Finding]:
    """A column folder that would publish where the 目录 or the reports are written."""
    catalogue = xxgk.catalogue_column(site)
    taken = {workreport.FOLDER: f"年度工作报表（/{workreport.FOLDER}/）"}
    if catalogue is None:
        taken[xxgk.CATALOGUE_FOLDER] = f"信息公开目录（/{xxgk.CATALOGUE_FOLDER}/）"
    for folder, what in taken.items():
        column = site.columns.get(folder)
        if column is not None:
            yield Finding(column.file, 0, f"栏目文件夹 {folder} 与 gsgen 生成的{what}网址冲突，请换一个文件夹名")
    folder = xxgk.catalogue_folder(site)
    column = site.columns.get(f"{folder}/{xxgk.FILTER_FOLDER}")
    if column is not None:
        yield Finding(
            column.file, 0, f"栏目文件夹 {xxgk.FILTER_FOLDER} 与信息公开目录的按栏目筛选网址冲突，请换一个文件夹名"
        )


@site_rule("FIELD")
def unique_index_numbers(site: Site) -> Iterator[Finding]:
    """Two items with one 索引号 could not be told apart in the 目录. Generated numbers never repeat
    (item paths are unique), so the fix is always in an `index_no` an editor wrote: that is where
    the finding goes, once per such item."""
    groups: dict[str, list[Item]] = {}
    for item in sorted(site.published, key=lambda i: i.path):
        groups.setdefault(xxgk.index_number(site, item), []).append(item)
    for number, items in groups.items():
        for item in items if len(items) > 1 else ():
            if item.index_no:
                others = "、".join(i.file for i in items if i is not item)
                yield Finding(
                    item.file,
                    item.doc.line("index_no"),
                    f"索引号 {number} 与 {others} 重复：每条信息的索引号必须唯一，请修改 index_no（或删去，由 gsgen 生成）",
                )
