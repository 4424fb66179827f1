"""The 年度工作报表 figures (rule REPORT): what the content itself can tell about one year.

Every government site files an annual report (指引 年报制度; 深圳 第四十一條) whose figures editors
otherwise count by hand: items published in total and per column, topics (专题) opened and archived,
interpretations published, policies by status, messages received and replied. The content already
records all of this, so `gsgen report --year Y` counts it, the same way every year.

Only published items count (drafts never do, rule DRAFT), and an item belongs to the year of its
publication time. Figures that the content cannot give (visits, service transactions, 政务新媒体)
are not guessed: the report says only what it can prove from the files.

The counting (`annual_report`) is kept apart from the three presentations (`format_text`,
`format_json`, `format_csv`), so a test, the CLI and a CI script all read the same numbers.
"""

from __future__ import annotations

import json
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from gsgen.coltypes import POLICY_STATUSES
from gsgen.dates import display
from gsgen.model import Column, Item, Site, children_in_order
from gsgen.spreadsheet import csv_text

# A policy whose status is one of these has changed since it was issued (有效 is the issued state).
CHANGED_STATUSES = tuple(s for s in POLICY_STATUSES if s != "有效")


@dataclass(frozen=True)
class ColumnFigures:
    """Items one column published in the year.

    `count` is the column's own items; `total` adds every sub-column below it, which is the figure the
    report form asks for per top-level column. `depth` is 0 for a top-level column, so a reader can
    show the tree without looking the parents up.
    """

    path: str
    name: str
    type: str
    count: int
    total: int
    depth: int
    parent: str | None = None


@dataclass(frozen=True)
class TopicFigures:
    """A topic (专题) that opened or was archived in the year.

    Columns carry no date of their own, so a topic opens with its earliest published item; `items` is
    how many of its items (sub-columns included) were published in the year.
    """

    path: str
    name: str
    opened: datetime | None
    archived: datetime | None
    items: int


@dataclass(frozen=True)
class AnnualReport:
    """The year's figures, ready to be shown in any of the three formats."""

    year: int
    site_name: str
    items_total: int
    columns: list[ColumnFigures]
    topics_opened: list[TopicFigures]
    topics_archived: list[TopicFigures]
    # topics open at some time in the year: opened by its end and not archived before it began
    topics_maintained: list[TopicFigures]
    interpretations: int
    policies_issued: int
    # every status of POLICY_STATUSES in that order (zeros included), then any unknown status found
    policies_by_status: dict[str, int]
    policies_status_changed: int
    policies_status_changed_by_status: dict[str, int]
    messages_received: int
    messages_replied: int
    messages_unanswered: int  # received in the year, with no reply recorded in the content
    # days from receipt to reply, on average, of the messages replied in the year (None: none replied)
    messages_average_days: float | None = None
    # published items whose time could not be read: they belong to no year, so the figures above miss them
    items_undated: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def top_columns(self) -> list[ColumnFigures]:
        return [c for c in self.columns if c.depth == 0]


# ---------------------------------------------------------------- counting


def annual_report(site: Site, year: int) -> AnnualReport:
    """Count the year's figures from the site model (as `load_site` returns it)."""
    published = site.published
    in_year = [i for i in published if _in(i.date, year)]
    own = Counter(i.column.path for i in in_year)
    columns = list(_column_figures(site, own))

    topics = sorted(site.topics, key=lambda c: c.path)
    opened = [_topic(t, year) for t in topics if _in(_opening(t), year)]
    archived = [_topic(t, year) for t in topics if _in(t.archived_at, year)]
    maintained = [_topic(t, year) for t in topics if _maintained(t, year)]

    policies = [i for i in published if i.is_policy]
    issued = [i for i in policies if _in(i.date, year)]
    by_status = dict.fromkeys(POLICY_STATUSES, 0)
    by_status.update(Counter(i.status or "有效" for i in issued))
    changed = [i for i in policies if i.status in CHANGED_STATUSES and _in(i.status_date, year)]
    changed_by_status = dict.fromkeys(CHANGED_STATUSES, 0)
    changed_by_status.update(Counter(str(i.status) for i in changed))

    received = replied = unanswered = 0
    waits: list[float] = []
    for message in _messages(published):
        got, answered = message.get("received"), message.get("replied")
        if _in(got, year):
            received += 1
            if not isinstance(answered, datetime):
                unanswered += 1
        if _in(answered, year):
            replied += 1
            if isinstance(got, datetime) and got <= answered:
                waits.append((answered - got).total_seconds() / 86400)

    undated = sum(1 for i in published if i.date is None)
    notes = []
    if undated:
        notes.append(f"另有 {undated} 条已发布信息的发布时间无法识别，未计入任何年度")
    return AnnualReport(
        year=year,
        site_name=site.config.site.name or "",
        items_total=len(in_year),
        columns=columns,
        topics_opened=opened,
        topics_archived=archived,
        topics_maintained=maintained,
        interpretations=sum(1 for i in in_year if i.is_interpretation),
        policies_issued=len(issued),
        policies_by_status=by_status,
        policies_status_changed=len(changed),
        policies_status_changed_by_status=changed_by_status,
        messages_received=received,
        messages_replied=replied,
        messages_unanswered=unanswered,
        messages_average_days=round(sum(waits) / len(waits), 1) if waits else None,
        items_undated=undated,
        notes=notes,
    )


def _in(moment: Any, year: int) -> bool:
    """Whether a parsed time falls in the year; None (absent or unreadable) never does."""
    return isinstance(moment, datetime) and moment.year == year


def _column_figures(site: Site, own: Counter[str]) -> Iterator[ColumnFigures]:
    """Every column in navigation order, parents before their sub-columns.

    Columns that only link to an external system (`url:`) hold no items here, so they are left out
    rather than reported as empty.
    """

    def total(column: Column) -> int:
        return own[column.path] + sum(total(c) for c in column.children if not c.url)

    def walk(column: Column, depth: int) -> Iterator[ColumnFigures]:
        if column.url:
            return
        parent = column.parent.path if column.parent else None
        yield ColumnFigures(column.path, column.name, column.type, own[column.path], total(column), depth, parent)
        for child in children_in_order(column):
            yield from walk(child, depth + 1)

    for top in site.top_columns:
        yield from walk(top, 0)


def _opening(topic: Column) -> datetime | None:
    """A topic opens with its earliest published item, sub-columns included."""
    dates = [i.date for i in topic.all_items() if i.date]
    return min(dates) if dates else None


def _maintained(topic: Column, year: int) -> bool:
    opened, archived = _opening(topic), topic.archived_at
    return opened is not None and opened.year <= year and (archived is None or archived.year >= year)


def _topic(topic: Column, year: int) -> TopicFigures:
    items = sum(1 for i in topic.all_items() if _in(i.date, year))
    return TopicFigures(topic.path, topic.name, _opening(topic), topic.archived_at, items)


def _messages(items: Iterable[Item]) -> Iterator[dict[str, Any]]:
    """The 留言 records of every structured item that has them (咨询投诉 / 征集调查)."""
    for item in items:
        for message in item.data.get("messages") or []:
            if isinstance(message, dict):
                yield message


# ---------------------------------------------------------------- presentation


def _when(moment: datetime | None) -> str | None:
    return display(moment) if moment else None


def _label(name: str, path: str) -> str:
    """How a column or topic is named for a person: its name, with its folder to tell twins apart."""
    return f"{name}（{path}）"


def as_dict(report: AnnualReport) -> dict[str, Any]:
    """The report as plain data with stable English keys, the shape `format_json` writes.

    Status names stay Chinese as values (they are the words on the pages), never as keys.
    """
    return {
        "year": report.year,
        "site_name": report.site_name,
        "items_total": report.items_total,
        "items_undated": report.items_undated,
        "columns": [
            {
                "path": c.path,
                "name": c.name,
                "type": c.type,
                "parent": c.parent,
                "depth": c.depth,
                "count": c.count,
                "total": c.total,
            }
            for c in report.columns
        ],
        "topics_opened": [_topic_dict(t) for t in report.topics_opened],
        "topics_archived": [_topic_dict(t) for t in report.topics_archived],
        "topics_maintained": [_topic_dict(t) for t in report.topics_maintained],
        "interpretations": report.interpretations,
        "policies_issued": report.policies_issued,
        "policies_by_status": [{"status": s, "count": n} for s, n in report.policies_by_status.items()],
        "policies_status_changed": report.policies_status_changed,
        "policies_status_changed_by_status": [
            {"status": s, "count": n} for s, n in report.policies_status_changed_by_status.items()
        ],
        "messages_received": report.messages_received,
        "messages_replied": report.messages_replied,
        "messages_unanswered": report.messages_unanswered,
        "messages_average_days": report.messages_average_days,
        "notes": list(report.notes),
    }


def _topic_dict(topic: TopicFigures) -> dict[str, Any]:
    return {
        "path": topic.path,
        "name": topic.name,
        "opened": _when(topic.opened),
        "archived": _when(topic.archived),
        "items": topic.items,
    }


def format_json(report: AnnualReport) -> str:
    """JSON for scripts: Chinese kept readable (ensure_ascii=False), keys in a fixed order."""
    return json.dumps(as_dict(report), ensure_ascii=False, indent=2) + "\n"


def _rows(report: AnnualReport) -> Iterator[tuple[str, str, int | float | str]]:
    """(指标, 栏目, 数值): one figure per row, the shape both CSV and the tests read."""
    yield ("发布信息总数", "", report.items_total)
    for c in report.columns:
        yield ("栏目发布信息数", _label(c.name, c.path), c.count)
        if any(d.parent == c.path for d in report.columns):
            yield ("栏目发布信息数（含子栏目）", _label(c.name, c.path), c.total)
    yield ("新开设专题数", "", len(report.topics_opened))
    for t in report.topics_opened:
        yield ("新开设专题（开设时间）", _label(t.name, t.path), _when(t.opened) or "")
    yield ("维护专题数", "", len(report.topics_maintained))
    yield ("归档专题数", "", len(report.topics_archived))
    for t in report.topics_archived:
        yield ("归档专题（归档时间）", _label(t.name, t.path), _when(t.archived) or "")
    yield ("发布解读回应数", "", report.interpretations)
    yield ("印发政策文件数", "", report.policies_issued)
    for status, n in report.policies_by_status.items():
        yield (f"印发政策文件数（当前状态：{status}）", "", n)
    yield ("政策文件状态变更数", "", report.policies_status_changed)
    for status, n in report.policies_status_changed_by_status.items():
        yield (f"政策文件状态变更数（变更为{status}）", "", n)
    yield ("收到留言数", "", report.messages_received)
    yield ("答复留言数", "", report.messages_replied)
    yield ("尚未答复留言数", "", report.messages_unanswered)
    if report.messages_average_days is not None:
        yield ("留言平均办理时间（天）", "", report.messages_average_days)
    if report.items_undated:
        yield ("发布时间无法识别的信息数", "", report.items_undated)


def format_csv(report: AnnualReport) -> str:
    """CSV a spreadsheet opens as is: a header 指标,栏目,数值 then one row per figure.

    Lines end with \\n; adding the UTF-8 BOM that Excel needs is the caller's job, since it writes the file.
    """
    return csv_text([("指标", "栏目", "数值"), *_rows(report)])


def _width(text: str) -> int:
    """Columns a terminal gives the text: Chinese characters and full-width punctuation take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def _table(rows: list[tuple[str, ...]], right: int) -> list[str]:
    """Rows aligned in columns; the last `right` columns (the numbers) aligned to the right."""
    widths = [max(_width(r[n]) for r in rows) for n in range(len(rows[0]))]
    first_number = len(widths) - right
    lines = []
    for row in rows:
        cells = [
            _pad(cell, widths[n]) if n < first_number else " " * (widths[n] - _width(cell)) + cell
            for n, cell in enumerate(row)
        ]
        lines.append("  " + "  ".join(cells).rstrip())
    return lines


def format_text(report: AnnualReport) -> str:
    """The report for a terminal: Chinese labels, numbers aligned, sections as on the report form."""
    title = f"{report.site_name} {report.year} 年度工作报表".strip()
    lines = [title, "=" * _width(title), ""]

    summary = [
        ("发布信息总数", str(report.items_total), "条"),
        ("其中解读回应", str(report.interpretations), "条"),
        ("维护专题", str(len(report.topics_maintained)), "个"),
        ("新开设专题", str(len(report.topics_opened)), "个"),
        ("归档专题", str(len(report.topics_archived)), "个"),
        ("印发政策文件", str(report.policies_issued), "件"),
        ("政策文件状态变更", str(report.policies_status_changed), "件"),
        ("收到留言", str(report.messages_received), "条"),
        ("答复留言", str(report.messages_replied), "条"),
        ("尚未答复留言", str(report.messages_unanswered), "条"),
    ]
    if report.messages_average_days is not None:
        summary.append(("留言平均办理时间", str(report.messages_average_days), "天"))
    lines += ["概况", *_table([(label, n + " " + unit) for label, n, unit in summary], right=1), ""]

    if report.columns:
        rows = [("栏目", "类型", "本栏目", "含子栏目")]
        rows += [("  " * c.depth + _label(c.name, c.path), c.type, str(c.count), str(c.total)) for c in report.columns]
        lines += ["各栏目发布信息数（条）", *_table(rows, right=2), ""]

    for heading, topics, moment in (
        ("新开设专题", report.topics_opened, "opened"),
        ("归档专题", report.topics_archived, "archived"),
    ):
        if topics:
            rows = [("专题", "开设时间" if moment == "opened" else "归档时间", "本年发布")]
            rows += [(_label(t.name, t.path), _when(getattr(t, moment)) or "—", str(t.items)) for t in topics]
            lines += [heading, *_table(rows, right=1), ""]

    rows = [("状态", "本年印发（按当前状态）", "本年变更为此状态")]
    rows += [
        (status, str(n), str(report.policies_status_changed_by_status[status]) if status in CHANGED_STATUSES else "—")
        for status, n in report.policies_by_status.items()
    ]
    lines += ["政策文件（件）", *_table(rows, right=2), ""]

    lines += [f"注：{note}" for note in report.notes]
    return "\n".join(lines).rstrip() + "\n"
