"""REPORT: the 年度工作报表 figures, checked the way the person filing the report would check them.

The fixture is `minimal_site()` plus items across 2023–2025: a sub-column, a topic area with two topics
(one opened in 2024 and archived in 2025), policies that changed status, interpretations, drafts that
must never count, and messages received in one year and replied in the next.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from pathlib import Path

import pytest

from gsgen.diagnostics import Severity
from gsgen.load import load_site
from gsgen.model import Site
from gsgen.report import AnnualReport, annual_report, format_csv, format_json, format_text
from tests.sites import column, item, minimal_site, write_site

MESSAGES_2 = """\
title: 留言选登（二）
date: 2024-12-20 09:00
source: 测试县人民政府办公室
messages:
  - {title: 年末供暖, asked: 2023-12-27 20:00, received: 2023-12-28 09:00, replied: 2024-01-04 10:00,
     dept: 县住房和城乡建设局, question: 小区供暖不足。, answer: 已协调供热企业处理。}
  - {title: 道路积水, asked: 2024-10-31 18:00, received: 2024-11-01 09:00, replied: 2024-11-05 15:00,
     dept: 县城市管理局, question: 人民路积水。, answer: 已疏通排水管道。}
  - {title: 噪音扰民, asked: 2024-12-17 22:00, received: 2024-12-18 09:00,
     dept: 县生态环境局, question: 夜间施工噪音。}
"""


def report_site() -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = dict(minimal_site())
    files.update(
        {
            # a sub-column: counted in its own column and in gzdt's total
            "content/gzdt/tzgg/_column.yaml": column("通知公告", "工作动态"),
            "content/gzdt/tzgg/2024-07-01-tz.md": item("关于汛期安全的通知", "2024-07-01 09:00"),
            "content/gzdt/tzgg/2023-12-30-old.md": item("关于元旦放假的通知", "2023-12-30 09:00"),
            # a topic area holding topics; only the topics proper open and archive
            "content/zt/_column.yaml": column("专题专栏", "专题"),
            "content/zt/xczx/_column.yaml": column("乡村振兴", "专题", archived="2025-03-01 10:00"),
            "content/zt/xczx/2024-08-01-kick.md": item("乡村振兴专题启动", "2024-08-01 09:00"),
            "content/zt/xczx/dt/_column.yaml": column("专题动态", "工作动态"),
            "content/zt/xczx/dt/2024-09-01-a.md": item("示范村建设推进会召开", "2024-09-01 10:00"),
            "content/zt/xczx/dt/2025-02-01-b.md": item("示范村建设总结", "2025-02-01 10:00"),
            "content/zt/cjwm/_column.yaml": column("创建文明城市", "专题"),
            "content/zt/cjwm/2023-05-01-start.md": item("创文专题启动", "2023-05-01 09:00"),
            "content/zt/cjwm/2024-05-01-more.md": item("创文工作推进", "2024-05-01 09:00"),
            "content/zt/kong/_column.yaml": column("待开设专题", "专题"),
            # policies: issued in 2024 and amended the same year; issued in 2023 and expired in 2024
            "content/zcwj/2024-002.md": item(
                "关于印发补充规定的通知",
                "2024-06-15 10:00",
                doc_number="测府发〔2024〕2号",
                issuer="测试县人民政府",
                status="已修改",
                status_date="2024-11-01 00:00",
            ),
            "content/zcwj/2023-009.md": item(
                "关于印发临时措施的通知",
                "2023-03-01 10:00",
                doc_number="测府发〔2023〕9号",
                issuer="测试县人民政府",
                status="已失效",
                status_date="2024-12-31 23:59",
            ),
            "content/zcwj/2024-003.md": item(
                "尚未印发的文件",
                "2024-08-01 10:00",
                doc_number="测府发〔2024〕3号",
                issuer="测试县人民政府",
                draft="true",
            ),
            "content/jdhy/2024-11-02-jd.md": item("《补充规定》解读", "2024-11-02 09:00", interprets="zcwj/2024-002"),
            "content/jdhy/2024-11-03-draft.md": item(
                "解读草稿", "2024-11-03 09:00", interprets="zcwj/2024-002", draft="true"
            ),
            "content/hdjl/messages-2.yaml": MESSAGES_2,
            # a column that only links to the service hall holds nothing to count
            "content/zwfw/_column.yaml": column("政务服务", "办事服务", url="https://zwfw.test.gov.cn/"),
        }
    )
    return files


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    root = write_site(tmp_path_factory.mktemp("report") / "site", report_site())
    loaded, found = load_site(root)
    errors = [d.format() for d in found if d.severity is Severity.ERROR]
    assert not errors, errors
    return loaded


@pytest.fixture(scope="module")
def report_2024(site: Site) -> AnnualReport:
    return annual_report(site, 2024)


def by_path(report: AnnualReport) -> dict[str, tuple[int, int]]:
    return {c.path: (c.count, c.total) for c in report.columns}


def test_items_in_total_count_published_items_of_the_year_only(site: Site, report_2024: AnnualReport):
    # minimal_site has 12 published in 2024 (its draft excluded); the fixture adds 7 more, 2 drafts
    assert report_2024.year == 2024
    assert report_2024.site_name == "测试县人民政府"
    assert report_2024.items_total == 19
    assert annual_report(site, 2025).items_total == 4  # minimal_site has 3 in 2025 (one news, a policy, its 解读)
    assert annual_report(site, 2023).items_total == 3
    assert annual_report(site, 2022).items_total == 0


def test_per_column_counts_own_items_and_totals_include_sub_columns(report_2024: AnnualReport):
    counts = by_path(report_2024)
    assert counts["gzdt"] == (4, 5)  # four of its own, one in 通知公告
    assert counts["gzdt/tzgg"] == (1, 1)
    assert counts["zt"] == (0, 3)
    assert counts["zt/xczx"] == (1, 2)
    assert counts["zt/xczx/dt"] == (1, 1)
    assert counts["zt/kong"] == (0, 0)
    assert counts["zcwj"] == (2, 2)  # the draft policy does not count
    assert counts["jdhy"] == (1, 1)
    assert "zwfw" not in counts  # links to an external system
    assert sum(c.total for c in report_2024.top_columns) == report_2024.items_total
    assert sum(c.count for c in report_2024.columns) == report_2024.items_total


def test_columns_come_parents_first_with_name_type_and_depth(report_2024: AnnualReport):
    paths = [c.path for c in report_2024.columns]
    assert paths.index("gzdt") < paths.index("gzdt/tzgg")
    assert paths.index("zt") < paths.index("zt/xczx") < paths.index("zt/xczx/dt")
    tzgg = next(c for c in report_2024.columns if c.path == "gzdt/tzgg")
    assert (tzgg.name, tzgg.type, tzgg.depth, tzgg.parent) == ("通知公告", "工作动态", 1, "gzdt")


def test_topics_open_with_their_first_item_and_archive_with_their_column(site: Site, report_2024: AnnualReport):
    assert [(t.path, t.opened, t.items) for t in report_2024.topics_opened] == [
        ("zt/xczx", datetime(2024, 8, 1, 9, 0), 2)
    ]
    assert report_2024.topics_archived == []
    # open at some time in the year: 创建文明城市 (opened 2023) and 乡村振兴 (opened in 2024)
    assert [t.path for t in report_2024.topics_maintained] == ["zt/cjwm", "zt/xczx"]
    assert [t.path for t in annual_report(site, 2023).topics_opened] == ["zt/cjwm"]
    later = annual_report(site, 2025)
    assert later.topics_opened == []
    assert [(t.path, t.archived) for t in later.topics_archived] == [("zt/xczx", datetime(2025, 3, 1, 10, 0))]


def test_interpretations_published_in_the_year(site: Site, report_2024: AnnualReport):
    assert report_2024.interpretations == 1  # the draft interpretation does not count
    assert annual_report(site, 2025).interpretations == 1


def test_policies_issued_by_status_and_status_changes(site: Site, report_2024: AnnualReport):
    assert report_2024.policies_issued == 2
    assert report_2024.policies_by_status == {"有效": 0, "已修改": 1, "已废止": 1, "已失效": 0}
    # amended 2024-11-01 (issued 2024) and expired 2024-12-31 (issued 2023); the 2024 policy abolished
    # on 2025-01-01 changes in 2025
    assert report_2024.policies_status_changed == 2
    assert report_2024.policies_status_changed_by_status == {"已修改": 1, "已废止": 0, "已失效": 1}
    later = annual_report(site, 2025)
    assert later.policies_by_status["有效"] == 1
    assert later.policies_status_changed_by_status == {"已修改": 0, "已废止": 1, "已失效": 0}


def test_messages_count_by_their_own_received_and_replied_dates(site: Site, report_2024: AnnualReport):
    # received in 2024: 路灯不亮, 道路积水, 噪音扰民; replied in 2024: 路灯不亮, 年末供暖, 道路积水
    assert report_2024.messages_received == 3
    assert report_2024.messages_replied == 3
    assert report_2024.messages_unanswered == 1
    # days from receipt to reply of those replied in 2024: 2.29 (路灯不亮), 7.04 (年末供暖), 4.25 (道路积水)
    assert report_2024.messages_average_days == 4.5
    before = annual_report(site, 2023)
    assert (before.messages_received, before.messages_replied, before.messages_unanswered) == (1, 0, 0)


def test_an_item_whose_date_cannot_be_read_is_reported_not_silently_dropped(tmp_path: Path):
    files = dict(minimal_site())
    files["content/gzdt/2024-02-01-a.md"] = item("一月工作会议召开", "2024-02-30 08:00")
    loaded, _ = load_site(write_site(tmp_path / "site", files))
    report = annual_report(loaded, 2024)
    assert report.items_total == 11
    assert report.items_undated == 1
    assert any("无法识别" in note for note in report.notes)
    assert "无法识别" in format_text(report)


def test_json_parses_with_stable_english_keys(report_2024: AnnualReport):
    text = format_json(report_2024)
    assert "测试县人民政府" in text  # ensure_ascii=False
    data = json.loads(text)
    assert list(data)[:3] == ["year", "site_name", "items_total"]
    assert all(key.isascii() and key == key.lower() for key in data)
    assert data["year"] == 2024
    assert data["items_total"] == 19
    gzdt = next(c for c in data["columns"] if c["path"] == "gzdt")
    assert gzdt == {
        "path": "gzdt",
        "name": "工作动态",
        "type": "工作动态",
        "parent": None,
        "depth": 0,
        "count": 4,
        "total": 5,
    }
    assert data["topics_opened"] == [
        {
            "path": "zt/xczx",
            "name": "乡村振兴",
            "opened": "2024-08-01 09:00",
            "archived": "2025-03-01 10:00",
            "items": 2,
        }
    ]
    assert {"status": "已修改", "count": 1} in data["policies_by_status"]
    assert data["policies_status_changed"] == 2
    assert (data["messages_received"], data["messages_replied"], data["messages_unanswered"]) == (3, 3, 1)
    assert format_json(report_2024) == text  # the same content gives the same bytes


def test_csv_has_one_row_per_figure(report_2024: AnnualReport):
    rows = list(csv.reader(io.StringIO(format_csv(report_2024))))
    assert rows[0] == ["指标", "栏目", "数值"]
    assert all(len(row) == 3 for row in rows)
    figures = {(row[0], row[1]): row[2] for row in rows[1:]}
    assert figures[("发布信息总数", "")] == "19"
    assert figures[("栏目发布信息数", "工作动态（gzdt）")] == "4"
    assert figures[("栏目发布信息数（含子栏目）", "工作动态（gzdt）")] == "5"
    assert figures[("栏目发布信息数", "通知公告（gzdt/tzgg）")] == "1"
    assert figures[("新开设专题数", "")] == "1"
    assert figures[("新开设专题（开设时间）", "乡村振兴（zt/xczx）")] == "2024-08-01 09:00"
    assert figures[("发布解读回应数", "")] == "1"
    assert figures[("印发政策文件数（当前状态：已修改）", "")] == "1"
    assert figures[("政策文件状态变更数", "")] == "2"
    assert figures[("收到留言数", "")] == "3"
    assert figures[("尚未答复留言数", "")] == "1"
    assert len(figures) == len(rows) - 1  # no figure is given twice


def test_text_names_the_year_and_totals_and_aligns_numbers(report_2024: AnnualReport):
    text = format_text(report_2024)
    assert text.startswith("测试县人民政府 2024 年度工作报表\n")
    assert "发布信息总数" in text and "19 条" in text
    assert "乡村振兴（zt/xczx）" in text
    assert "已修改" in text
    assert "收到留言" in text
    # the per-column table: every row's numbers end in the same terminal column
    lines = text.split("\n")
    start = lines.index("各栏目发布信息数（条）") + 1
    table = lines[start : lines.index("", start)]
    assert len(table) == 1 + len(report_2024.columns)
    ends = {sum(2 if ord(ch) > 0x2E7F else 1 for ch in line) for line in table}
    assert len(ends) == 1, table
