"""政府信息公开 and the annual reports, with real builds of `minimal_site()` (a portal, `paginate: 3`):

- COL-REQUIRED: a portal needs 信息公开指南, 信息公开年报 and 依法申请公开 columns; a department does not;
- the 信息公开目录, generated from every published item's metadata (read back from the built HTML);
- 索引号: unique, and stable when items are added;
- OPEN-REPORT and REPORT: health rules on the 31 January deadlines;
- the 年度工作报表 pages and CSV, against `gsgen report --format json`.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from lxml import html

from gsgen.load import load_site
from gsgen.model import Item, Site
from tests.conftest import NOW, assert_breaks, gsgen_here, tree_digest
from tests.sites import column, edited, item, minimal_site, replace, write_site

POLICY = "content/zcwj/2025-001.md"
NEWS = "content/gzdt/2024-02-01-a.md"
AFTER = "2025-02-05 10:00"  # past the 2025-01-31 deadline of the 2024 reports
BEFORE = "2025-01-31 23:59"  # the last minute before it
FRESH = {"content/gzdt/2025-02-04-f.md": item("二月工作会议召开", "2025-02-04 09:00")}  # no stale-site VETO at AFTER
DEPARTMENT = {
    "config.yaml": lambda c: (
        c.replace("kind: portal", "kind: department")
        .replace("www.test.gov.cn", "fgw.test.gov.cn")
        .replace("name: 测试县人民政府\n", "name: 测试县发展和改革委员会\n")
    ),
    "content/xxgkzn": None,
    "content/xxgknb": None,
    "content/ysqgk": None,
}


def build(tmp_path: Path, files: dict, *args: str, now: str = NOW, name: str = "s") -> tuple[Path, Path, str]:
    """Build `files`; (site folder, output folder, what the command printed). The build must succeed."""
    site, out = write_site(tmp_path / name, files), tmp_path / f"{name}-out"
    run = gsgen_here("build", site, "--now", now, "-o", out, *args)
    assert run.code == 0, run.text
    return site, out, run.out


def health(site: Path, now: str) -> tuple[int, list[str]]:
    run = gsgen_here("health", site, "--now", now)
    return run.code, run.out.splitlines()


# ---------------------------------------------------------------- COL-REQUIRED


@pytest.mark.parametrize(
    ("folder", "label", "type_"),
    [
        ("xxgknb", "信息公开年报", "信息公开年报"),
        ("xxgkzn", "信息公开指南", "信息公开指南"),
        ("ysqgk", "依法申请公开", "依法申请公开"),
    ],
)
def test_a_portal_without_an_open_government_column_fails(tmp_path, published, folder, label, type_):
    assert_breaks(tmp_path, published, "COL-REQUIRED", {f"content/{folder}": None}, "content", label)
    run = gsgen_here("build", tmp_path / "broken", "--now", NOW, "-o", tmp_path / "o")
    line = next(line for line in run.out.splitlines() if "error[COL-REQUIRED]" in line)
    assert f"content/{folder}/" in line and f"type: {type_}" in line  # which folder, and how to set it up


def test_a_department_site_does_not_need_them(tmp_path):
    _, out, printed = build(tmp_path, edited(minimal_site(), DEPARTMENT), "--strict")
    assert "COL-REQUIRED" not in printed
    assert (out / "xxgkml" / "index.html").is_file()  # the 目录 is still generated


# ---------------------------------------------------------------- the 目录


def with_metadata() -> dict:
    """The minimal site with the 目录's own fields on some items."""
    return edited(
        minimal_site(),
        {
            POLICY: replace("status: 有效\n", "status: 有效\nwritten: 2024年12月28日\ntopic: 城乡建设\n"),
            NEWS: replace(
                "source: 测试县人民政府办公室\n",
                "source: 测试县人民政府办公室\nindex_no: 11500000MB0000001X/2024-00007\n",
            ),
        },
    )


def table_rows(page: Path) -> list[dict[str, str]]:
    """The 目录 table of a built page: one dict per row, by header, with the title's link as `href`."""
    tree = html.fromstring(page.read_bytes())
    headers = [th.text_content().strip() for th in tree.xpath("//table[contains(@class,'xxgk-table')]/thead//th")]
    rows = []
    for tr in tree.xpath("//table[contains(@class,'xxgk-table')]/tbody/tr"):
        cells = tr.xpath("./th|./td")
        row = {h: c.text_content().strip() for h, c in zip(headers, cells, strict=True)}
        row["href"] = cells[headers.index("标题")].xpath(".//a/@href")[0]
        rows.append(row)
    return rows


def all_rows(out: Path, folder: str) -> list[dict[str, str]]:
    """Every row of a paginated 目录, following 下一页 from its first page."""
    rows, page = [], out / folder / "index.html"
    while True:
        rows += table_rows(page)
        following = html.fromstring(page.read_bytes()).xpath("//nav[@class='pager']//a[@rel='next']/@href")
        if not following:
            return rows
        page = out / following[0].lstrip("/")


def expected_row(site: Site, i: Item) -> dict[str, str]:
    return {
        "标题": i.title or "",
        "href": i.url,
        "发布机构": (i.issuer if i.is_policy else None) or i.source or "—",
        "文号": i.doc_number or "—",
        "主题分类": i.topic or i.column.name,
        "成文日期": i.written.strftime("%Y-%m-%d") if i.written else "—",
        "发布日期": i.date.strftime("%Y-%m-%d") if i.date else "—",
        "索引号": i.index_no or f"{site.config.site.id_code}/{i.path}",
    }


def test_the_catalogue_lists_every_published_item_with_its_metadata_newest_first(tmp_path):
    root, out, _ = build(tmp_path, with_metadata(), "--strict")
    site, _ = load_site(root)
    rows = all_rows(out, "xxgkml")
    published = sorted(site.published, key=lambda i: (i.date, i.path), reverse=True)
    assert rows == [expected_row(site, i) for i in published]
    assert not any(i.draft for i in site.items.values() if i.url in {r["href"] for r in rows})
    assert "草稿不应发布" not in (out / "xxgkml" / "index.html").read_text("utf-8")
    by_href = {r["href"]: r for r in rows}
    policy = by_href["/zcwj/2025-001.html"]
    assert (policy["成文日期"], policy["主题分类"], policy["发布机构"], policy["文号"]) == (
        "2024-12-28",
        "城乡建设",
        "测试县人民政府",
        "测府发〔2025〕1号",
    )
    assert by_href["/gzdt/2024-02-01-a.html"]["索引号"] == "11500000MB0000001X/2024-00007"
    assert by_href["/gzdt/2024-03-01-b.html"]["索引号"] == "5001000099/gzdt/2024-03-01-b"
    # paginated like a column (paginate: 3), and every page a column page of type 信息公开目录
    pages = sorted((out / "xxgkml").glob("index*.html"))
    assert len(pages) == -(-len(published) // 3)
    for page in pages:
        tree = html.fromstring(page.read_bytes())
        meta = {m.get("name"): m.get("content") for m in tree.xpath("//meta[@name]")}
        assert meta["ColumnType"] == "信息公开目录" and meta["ColumnName"] and meta["ColumnKeywords"]
        assert tree.xpath("//table/caption") and tree.xpath("//thead//th[@scope='col']")


def test_the_catalogue_can_be_narrowed_to_a_column(tmp_path):
    root, out, _ = build(tmp_path, minimal_site())
    site, _ = load_site(root)
    gzdt = site.columns["gzdt"]
    assert [r["href"] for r in all_rows(out, "xxgkml/lm/gzdt")] == [i.url for i in gzdt.all_items()]
    links = html.fromstring((out / "xxgkml" / "index.html").read_bytes()).xpath("//nav[@class='xxgk-filter']//a/@href")
    assert "/xxgkml/lm/gzdt/index.html" in links and "/xxgkml/lm/zcwj/index.html" in links
    sitemap = (out / "sitemap.html").read_text("utf-8")
    assert 'href="/xxgkml/index.html"' in sitemap and 'href="/ndbb/index.html"' in sitemap


def test_a_catalogue_column_is_the_catalogue_and_is_not_an_empty_column(tmp_path):
    files = edited(minimal_site(), {"content/gkml/_column.yaml": column("信息公开目录", "信息公开目录")})
    _, out, printed = build(tmp_path, files, "--strict")
    assert "COL-EMPTY" not in printed
    assert not (out / "xxgkml").exists()
    page = out / "gkml" / "index.html"
    assert len(table_rows(page)) == 3  # paginate: 3
    assert "/gkml/lm/gzdt/index.html" in page.read_text("utf-8")
    assert (out / "gkml" / "rss.xml").is_file()
    assert 'href="/gkml/index.html"' in (out / "sitemap.html").read_text("utf-8")


def test_index_numbers_are_unique_and_stable_when_an_item_is_added(tmp_path):
    _, out, _ = build(tmp_path, with_metadata(), name="before")
    before = {r["href"]: r["索引号"] for r in all_rows(out, "xxgkml")}
    more = edited(
        with_metadata(),
        {
            "content/gzdt/2024-01-15-new.md": item("一月中旬工作会议召开", "2024-01-15 09:00"),
            "content/zcwj/2024-009.md": item(
                "关于印发补充办法的通知", "2024-09-01 09:00", doc_number="测府发〔2024〕9号", issuer="测试县人民政府"
            ),
        },
    )
    _, out, _ = build(tmp_path, more, name="after")
    after = {r["href"]: r["索引号"] for r in all_rows(out, "xxgkml")}
    assert len(after) == len(before) + 2
    assert len(set(after.values())) == len(after)
    assert {href: after[href] for href in before} == before


def test_a_repeated_index_number_stops_the_build(tmp_path, published):
    taken = "index_no: 5001000099/gzdt/2024-03-01-b\n"
    edit = {NEWS: replace("source: 测试县人民政府办公室\n", "source: 测试县人民政府办公室\n" + taken)}
    assert_breaks(tmp_path, published, "FIELD", edit, NEWS, "索引号")


# ---------------------------------------------------------------- OPEN-REPORT


# A county government's own 年报 (its portal's) is due by 31 March, a department's by 31 January
# (条例 第四十九条).
DEADLINES = {
    "portal": ({}, "2025-03-31 23:59", "2025-04-02 10:00", "3月31日"),
    "department": ({k: v for k, v in DEPARTMENT.items() if k != "content/xxgknb"}, BEFORE, AFTER, "1月31日"),
}


@pytest.mark.parametrize("kind", list(DEADLINES))
def test_open_report_is_a_health_error_once_its_deadline_is_over(tmp_path, kind):
    edit, before, after, deadline = DEADLINES[kind]
    fresh = {"content/gzdt/2025-03-30-f.md": item("三月工作会议召开", after[:10] + " 09:00")}  # no stale-site VETO
    config = {"config.yaml": lambda c: c + "work_reports:\n  2024: {visits: 100}\n"}
    files = edited(edited(edited(minimal_site(), edit), fresh), config)
    site, out, printed = build(tmp_path, files, "--strict", now=after)  # publishes, --strict or not
    assert (out / "index.html").is_file() and "warn[OPEN-REPORT]" in printed
    code, lines = health(site, after)
    found = [line for line in lines if "error[OPEN-REPORT]" in line]
    assert code == 1 and found, lines
    assert found[0].startswith("content/xxgknb/_column.yaml") and "2024" in found[0] and deadline in found[0]
    assert all("[OPEN-REPORT]" not in line for line in health(site, before)[1])
    # the 2024 report published, by the year in its title or by `year:`, and the check passes
    for report in (
        item("测试县人民政府2024年政府信息公开工作年度报告", "2025-01-20 10:00"),
        item("年度报告", year="2024"),
    ):
        (site / "content/xxgknb/2024-ndbg.md").write_text(report, "utf-8")
        code, lines = health(site, after)
        assert code == 0 and not any("[OPEN-REPORT]" in line for line in lines), lines


@pytest.mark.parametrize(
    "edit",
    [
        DEPARTMENT,  # no 年报 column: COL-REQUIRED's business on a portal, none of a department's
        {  # the 年报 on the 政务公开 platform, where the build cannot look
            "content/xxgknb": None,
            "content/xxgknb/_column.yaml": column("信息公开年报", "信息公开年报", url="https://zwgk.test.gov.cn/nb/"),
        },
    ],
    ids=["department", "external"],
)
def test_open_report_says_nothing_where_it_cannot_see_the_reports(tmp_path, edit):
    site, _, _ = build(tmp_path, edited(edited(minimal_site(), FRESH), edit), now=AFTER)
    assert all("[OPEN-REPORT]" not in line for line in health(site, AFTER)[1])


# ---------------------------------------------------------------- the 年度工作报表


def report_cells(page: Path) -> dict[tuple[str, str], str]:
    """(section, label) → value, from the tables of a report page."""
    tree = html.fromstring(page.read_bytes())
    cells = {}
    for table in tree.xpath("//table[contains(@class,'report-table')]"):
        section = table.xpath("./caption")[0].text_content().strip()
        for tr in table.xpath("./tbody/tr"):
            label, value, _source = (c.text_content().strip() for c in tr.xpath("./th|./td"))
            cells[(section, label)] = value
    return cells


def test_the_work_report_shows_the_figures_of_gsgen_report(tmp_path):
    site, out, _ = build(tmp_path, minimal_site(), "--strict")
    figures = json.loads(gsgen_here("report", site, "--year", "2024", "--format", "json").out)
    cells = report_cells(out / "ndbb" / "2024.html")
    by_type = lambda *types: sum(c["count"] for c in figures["columns"] if c["type"] in types)  # noqa: E731
    expected = {
        ("信息发布", "总数（条）"): figures["items_total"],
        ("信息发布", "信息公开目录信息更新量（条）"): figures["items_total"],
        ("信息发布", "政务动态信息更新量（条）"): by_type("工作动态"),
        ("信息发布", "概况类信息更新量（条）"): by_type("概况信息", "机构职能", "负责人信息"),
        ("专栏专题", "维护数量（个）"): len(figures["topics_maintained"]),
        ("专栏专题", "新开设数量（个）"): len(figures["topics_opened"]),
        ("解读回应", "解读信息发布总数（条）"): by_type("政策解读"),
        ("互动交流", "留言办理：收到留言数量（条）"): figures["messages_received"],
        ("互动交流", "留言办理：办结留言数量（条）"): figures["messages_replied"],
        ("互动交流", "留言办理：平均办理时间（天）"): figures["messages_average_days"],
    }
    expected |= {("信息发布", f"栏目：{c['name']}（条）"): c["total"] for c in figures["columns"]}
    assert {key: cells[key] for key in expected} == {key: str(value) for key, value in expected.items()}
    assert figures["items_total"] == 12 and figures["messages_received"] == 1
    # what config.yaml does not give is 未填报, never 0
    for key in [("访问情况", "网站总访问量（次）"), ("安全防护", "发现问题数量（个）"), ("填报信息", "填报人")]:
        assert cells[key] == "未填报"
    assert cells[("网站基本信息", "政府网站标识码")] == "5001000099"
    # the CSV holds the same rows, with a BOM for Excel
    text = (out / "ndbb" / "2024.csv").read_text("utf-8")
    assert text.startswith("\ufeff板块,指标,数值,数据来源\n")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))[1:]
    assert {(r[0], r[1]): r[2] for r in rows} == cells
    # one report per complete year, listed on the index
    assert sorted(p.name for p in (out / "ndbb").iterdir()) == ["2024.csv", "2024.html", "index.html"]
    assert 'href="/ndbb/2024.html"' in (out / "ndbb" / "index.html").read_text("utf-8")


def test_work_report_figures_come_from_config(tmp_path):
    filed = (
        "work_reports:\n  2024:\n    visits: 4567\n    security: {checks: 0, monitoring: true}\n"
        "    innovation: [无障碍浏览]\n    filing: {filler: 王五, date: 2025-01-08}\n"
    )
    _, out, _ = build(tmp_path, edited(minimal_site(), {"config.yaml": lambda c: c + filed}), "--strict")
    cells = report_cells(out / "ndbb" / "2024.html")
    assert cells[("访问情况", "网站总访问量（次）")] == "4567"
    assert cells[("访问情况", "独立用户访问总量（个）")] == "未填报"
    assert cells[("安全防护", "安全检测评估次数（次）")] == "0"  # a 0 given is a 0
    assert cells[("安全防护", "是否建立安全监测预警机制")] == "是"
    assert cells[("安全防护", "是否开展应急演练")] == "未填报"
    assert (cells[("创新发展", "无障碍浏览")], cells[("创新发展", "千人千网")]) == ("是", "否")
    assert (cells[("填报信息", "填报人")], cells[("填报信息", "填报日期")]) == ("王五", "2025-01-08")


def test_the_work_reports_account_names_are_the_sites_own_unless_filed(tmp_path):
    config = (
        "new_media:\n  - {platform: 微信公众号, name: 测试县发布}\n  - {platform: 微博, name: 测试微博}\n"
        "work_reports:\n  2024:\n    media: {weibo: {name: 测试县政府, posts: 12}, wechat: {posts: 34}}\n"
    )
    _, out, _ = build(tmp_path, edited(minimal_site(), {"config.yaml": lambda c: c + config}), "--strict")
    cells = report_cells(out / "ndbb" / "2024.html")
    assert cells[("移动新媒体", "微信：名称")] == "测试县发布"  # from new_media: one place for the name
    assert cells[("移动新媒体", "微博：名称")] == "测试县政府"  # renamed during the year: what was filed
    assert cells[("移动新媒体", "微信：信息发布量（条）")] == "34"


@pytest.mark.parametrize(
    ("written", "below", "word"),  # below: the line of the problem, counted from `work_reports:`
    [
        ("  2024:\n    visits: 很多\n", 2, "visits"),
        ("  2024:\n    visitor: 5\n", 2, "visitors"),
        ("  2024:\n    security: {checks: -1}\n", 2, "checks"),
        ("  二〇二四: {visits: 5}\n", 1, "年份"),
        ("  2024:\n    innovation: [智能搜索]\n", 2, "搜索即服务"),
    ],
)
def test_a_wrong_work_report_figure_is_a_field_error_at_its_line(tmp_path, written, below, word):
    config = minimal_site()["config.yaml"]
    line = config.count("\n") + 1 + below
    files = edited(minimal_site(), {"config.yaml": lambda c: c + "work_reports:\n" + written})
    site = write_site(tmp_path / "s", files)
    run = gsgen_here("build", site, "--now", NOW, "-o", tmp_path / "o")
    assert run.code == 1, run.text
    assert any(x.startswith(f"config.yaml:{line}: error[FIELD]") and word in x for x in run.out.splitlines()), run.out
    assert not (tmp_path / "o").exists()


def test_report_is_a_health_error_without_last_years_figures(tmp_path):
    site, _, printed = build(tmp_path, edited(minimal_site(), FRESH), "--strict", now=AFTER)
    assert "warn[REPORT]" in printed
    code, lines = health(site, AFTER)
    found = [line for line in lines if "error[REPORT]" in line]
    assert (
        code == 1 and found and found[0].startswith("config.yaml") and "work_reports" in found[0] and "2024" in found[0]
    )
    assert all("[REPORT]" not in line for line in health(site, BEFORE)[1])
    config = site / "config.yaml"
    config.write_text(config.read_text("utf-8") + "work_reports:\n  2024: {visitors: 1000}\n", "utf-8")
    assert all("[REPORT]" not in line for line in health(site, AFTER)[1])


def test_the_output_is_the_same_when_built_twice(tmp_path):
    """The 目录 and the reports are a function of the content: a rebuild changes no byte."""
    root, out, _ = build(tmp_path, with_metadata())
    first = tree_digest(out)
    assert gsgen_here("build", root, "--now", NOW, "-o", out, "--no-cache").code == 0
    assert tree_digest(out) == first
