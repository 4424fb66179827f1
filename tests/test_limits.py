"""Bounds on what one file may hold (gsgen/limits.py): each case is one over its bound, refused at its
file and line with the rule and the bound named, before any page is rendered (so no page-level error
such as ART-SHARE or SITE-FOOTER comes first); a site with every case at its bound builds."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest

from gsgen import limits
from tests.conftest import NOW, Run, gsgen_here
from tests.sites import column, item, minimal_site, write_site

DIAGNOSTIC = re.compile(
    r"^(?P<file>\S+?):(?P<line>\d+): (?P<severity>error|warn)\[(?P<rule>[A-Z-]+)\] (?P<message>.*)$"
)
BODY_LINE = 7  # the line of the first paragraph of item()'s body: ---, title, date, source, ---, a blank line
DATA = "content/sjfb/_column.yaml"


def zipped() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("通知.txt", "关于召开工作会议的通知")
    return out.getvalue()


ATTACHMENT = zipped()


def news(name: str) -> str:
    return f"content/gzdt/2024-07-01-{name}.md"


def front(name: str, lines: list[str], body: str = "正文。") -> dict[str, str]:
    """An item whose front matter ends with `lines` (the first of them on line 5)."""
    head = ["---", f"title: {name}", "date: 2024-07-01 09:00", "source: 测试县人民政府办公室"]
    return {news(name): "\n".join([*head, *lines, "---", "", body, ""])}


def body(name: str, text: str) -> dict[str, str]:
    return {news(name): item(name, "2024-07-01 09:00", body=text)}


def line_of(text: str, first_line: int, offset: int) -> int:
    """The line of `text`'s character at `offset`, `text` starting on `first_line`."""
    return first_line + text.count("\n", 0, offset)


NOTES = [f"note{n}: {'字' * 99}" for n in range(10_100)]
PARAGRAPHS = ("字" * 99 + "\n\n") * 10_100


def nested(depth: int) -> str:
    """A front matter value `depth` mappings deep, on line 5."""
    return "deep: " + "{a: " * depth + "x" + "}" * depth


def data_item(name: str, **fields: str) -> str:
    lines = [f"title: {name}", "date: 2024-07-01 09:00", "source: 测试县统计局", "unit: 人"]
    return "\n".join([*lines, *(f"{k}: {v}" for k, v in fields.items())]) + "\n"


def quotes(depth: int) -> str:
    return ">" * depth + " 引文"


# What goes over each bound, scaled to just past it: (files, file, line, rule, the bound as the message says it).
OVER: dict[str, tuple[dict[str, str | bytes], str, int, str, str]] = {
    "attachments": (
        {
            **front("fj", ["attachments:", *["  - {file: fj.zip, title: 附件}"] * 201]),
            news("fj")[:-3] + "/fj.zip": ATTACHMENT,
        },
        news("fj"),
        5,
        "FIELD",
        "上限 200 项",
    ),
    "keywords": (
        front("gjc", [f"keywords: [{', '.join(f'词{n}' for n in range(51))}]"]),
        news("gjc"),
        5,
        "FIELD",
        "上限 50 项",
    ),
    "YAML nesting": (front("qt", [nested(limits.MAX_YAML_DEPTH)]), news("qt"), 5, "FIELD", "超过 20 层"),
    "YAML size": (
        front("dz", NOTES),
        news("dz"),
        # where the front matter (from line 2: title, date, source, the notes) passes the bound
        line_of(
            "title: dz\ndate: 2024-07-01 09:00\nsource: 测试县人民政府办公室\n" + "\n".join(NOTES),
            2,
            limits.MAX_YAML_CHARS,
        ),
        "FIELD",
        "上限 1,000,000 个",
    ),
    "steps of a service guide": (
        {
            "content/bsfw/bz.yaml": "title: 步骤很多\ndate: 2024-01-05 09:00\nsource: 测试县市场监督管理局\n"
            + f"steps: [{', '.join(['步骤'] * 201)}]\n"
        },
        "content/bsfw/bz.yaml",
        4,
        "FIELD",
        "上限 200 项",
    ),
    "rows of data": (
        {
            DATA: column("数据发布", "数据发布"),
            "content/sjfb/hs.yaml": data_item("行数", rows="\n" + "  - [1]\n" * 10_002),
        },
        "content/sjfb/hs.yaml",
        5,
        "FIELD",
        "上限 10,000 项",
    ),
    "rows of a CSV file": (
        {
            "content/sjfb/csv.yaml": data_item("CSV", data="csv.csv"),
            "content/sjfb/csv.csv": "年份\n" + "2024\n" * (limits.MAX_DATA_ROWS + 1),
        },
        "content/sjfb/csv.yaml",
        5,
        "FIELD",
        f"{limits.MAX_DATA_ROWS:,} 行",
    ),
    "a cell of a CSV file": (
        {
            "content/sjfb/dy.yaml": data_item("单元格", data="dy.csv"),
            "content/sjfb/dy.csv": '年份,说明\n2024,"' + "字" * (limits.MAX_CSV_CELL_CHARS + 1),
        },
        "content/sjfb/dy.csv",
        2,
        "FIELD",
        f"上限 {limits.MAX_CSV_CELL_CHARS:,} 个字符",
    ),
    "columns of data": (
        {"content/sjfb/ls.yaml": data_item("列数", rows=f"[[{', '.join(f'l{n}' for n in range(201))}]]")},
        "content/sjfb/ls.yaml",
        5,
        "FIELD",
        "上限 200 列",
    ),
    "nested <div>": (
        body("div", "<div>" * 10_000 + "文字" + "</div>" * 10_000),
        news("div"),
        BODY_LINE,
        "LAYOUT",
        "100 层",
    ),
    "<span>s around a link": (
        body("span", "第一段。\n\n" + "<span>" * 10_000 + "[链接](https://www.gov.cn/)" + "</span>" * 10_000),
        news("span"),
        BODY_LINE + 2,
        "LAYOUT",
        "100 层",
    ),
    "unclosed <b>": (
        body("b", "第一段。\n第二行" + "<b>" * 101 + "文字"),
        news("b"),
        BODY_LINE + 1,
        "LAYOUT",
        "100 层",
    ),
    "unclosed <font>s, one a paragraph": (  # each reopened in the next paragraph: quadratic in html5ever
        body("font", "".join(f"<font color={n}>段落\n\n" for n in range(101))),
        news("font"),
        BODY_LINE + 2 * 99,  # the 100th paragraph: 99 <font>s left open, its own and the <p> make 101
        "LAYOUT",
        "100 层",
    ),
    "a run of *": (body("xing", "*" * 250 + "文字" + "*" * 250), news("xing"), BODY_LINE, "LAYOUT", "100 层"),
    "nested quotes": (
        body("yy", "引言。\n\n" + quotes(limits.MAX_MARKDOWN_NESTING)),
        news("yy"),
        BODY_LINE + 2,
        "LAYOUT",
        "19 层引用",
    ),
    "a long paragraph": (
        body("dd", "第一段。\n\n" + "字" * 200_001),
        news("dd"),
        BODY_LINE + 2,
        "LAYOUT",
        "上限 200,000 个",
    ),
    "a long body": (
        body("zw", PARAGRAPHS),
        news("zw"),
        line_of("\n" + PARAGRAPHS, BODY_LINE - 1, limits.MAX_BODY_CHARS),  # the body starts with the blank line
        "LAYOUT",
        "上限 1,000,000 个",
    ),
    "elements": (
        body("ys", "- 项\n" * 50_000),
        news("ys"),
        BODY_LINE + 49_999,  # the list and 49,999 items are 50,000 elements: the 50,000th item is one more
        "LAYOUT",
        "上限 50,000 个",
    ),
    "a file too large": (
        {news("wj"): item("大文件", "2024-07-01 09:00", body="字" * (limits.MAX_FILE_BYTES // 3 + 1))},
        news("wj"),
        1,
        "LAYOUT",
        "上限 20 MB",
    ),
}

# Every case at its bound: this site builds.
AT_LIMITS: dict[str, str | bytes] = {
    **front(
        "fj",
        [
            "attachments:",
            *["  - {file: fj.zip, title: 附件}"] * 200,
            f"keywords: [{', '.join(f'词{n}' for n in range(50))}]",
        ],
        "<div>" * (limits.MAX_NESTING - 1) + "文字" + "</div>" * (limits.MAX_NESTING - 1),
    ),
    news("fj")[:-3] + "/fj.zip": ATTACHMENT,
    news("yy"): item("引用", "2024-07-01 09:00", body=quotes(limits.MAX_MARKDOWN_NESTING - 1)),
    news("qt"): item("嵌套", "2024-07-01 09:00", body="*" * 196 + "文字" + "*" * 196),  # a paragraph and 98 <strong>
}


def diagnostics(run: Run) -> list[dict[str, str]]:
    return [m.groupdict() for m in map(DIAGNOSTIC.match, run.text.splitlines()) if m]


@pytest.fixture(scope="module")
def over(tmp_path_factory: pytest.TempPathFactory) -> tuple[Run, list[dict[str, str]]]:
    root = tmp_path_factory.mktemp("over")
    files = {**minimal_site()}
    for case in OVER.values():
        files.update(case[0])
    run = gsgen_here("build", write_site(root / "site", files), "--now", NOW, "-o", root / "public")
    return run, diagnostics(run)


@pytest.mark.parametrize("case", list(OVER))
def test_over_a_bound_is_refused_at_its_line(over: tuple[Run, list[dict[str, str]]], case: str) -> None:
    run, found = over
    _files, file, line, rule, bound = OVER[case]
    here = [d for d in found if d["file"] == file and d["severity"] == "error" and bound in d["message"]]
    assert [(d["line"], d["rule"]) for d in here] == [(str(line), rule)], run.text[-3000:]
    assert "：请" in here[0]["message"]  # and says what to do


def test_a_body_over_a_bound_is_said_at_the_md_not_on_its_page(tmp_path: Path) -> None:
    """Without the bounds a body nested too deep was refused only on its output page (ART-SHARE and
    SITE-FOOTER: the HTML parser stops at 256 levels, so the footer and the QR code vanish)."""
    cases = ("nested <div>", "<span>s around a link", "unclosed <b>", "a run of *")
    files = {**minimal_site(), **{k: v for case in cases for k, v in OVER[case][0].items()}}
    run = gsgen_here("build", write_site(tmp_path / "site", files), "--now", NOW, "-o", tmp_path / "public")
    errors = [(d["file"], d["line"], d["rule"]) for d in diagnostics(run) if d["severity"] == "error"]
    assert run.code == 1
    assert sorted(errors) == sorted((OVER[case][1], str(OVER[case][2]), "LAYOUT") for case in cases), run.text[-3000:]


def test_every_case_at_its_bound_builds(tmp_path: Path) -> None:
    site = write_site(tmp_path / "site", {**minimal_site(), **AT_LIMITS})
    run = gsgen_here("build", site, "--now", NOW, "-o", tmp_path / "public")
    assert run.code == 0, run.text[-3000:]
    assert "超过上限" not in run.text and "，0 个警告" in run.text, run.text[-3000:]
    page = (tmp_path / "public" / "gzdt" / "2024-07-01-yy.html").read_text("utf-8")
    assert page.count("<blockquote>") == limits.MAX_MARKDOWN_NESTING - 1 and "引文" in page


def test_the_contract_lists_every_bound_of_a_list() -> None:
    contract = (Path(__file__).resolve().parents[1] / "docs" / "content.md").read_text("utf-8")
    for field, (most, _advice) in limits.LIST_LIMITS.items():
        assert re.search(rf"`{field}`[^|\n]* \| (各 )?{most:,} 项 \|", contract), field
