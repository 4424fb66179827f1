"""Text that is not text: control characters in what editors write are refused at their line (a
FIELD error naming the field when a YAML escape wrote one, a YAML error when the file's own text
holds one), every XML file of the output is parsed before anything is published, and what gsgen
prints shows control and bidi characters as escapes, so that neither a value nor a file name can
rewrite a CI log."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import NOW, REPO, gsgen_here
from tests.sites import column, edited, item, minimal_site, replace, write_site

NEWS = "content/gzdt/2025-01-06-e.md"

# (file, line, rule, what the message names, the character): one build holds them all
EXPECTED = [
    (NEWS, 2, "FIELD", "字段 title", "U+001B"),
    (NEWS, 4, "FIELD", "字段 source", "U+0001"),
    (NEWS, 5, "FIELD", "字段 keywords.1", "U+FFFF"),
    (NEWS, 6, "FIELD", "字段 ti\ufffdtle", "U+0002"),
    (NEWS, 9, "YAML", "这一行", "U+001B"),  # the body's own text
    ("content/gzdt/_column.yaml", 3, "FIELD", "字段 description", "U+FFFE"),
    ("config.yaml", 7, "FIELD", "字段 site.host_unit", "U+007F"),
    ("content/ldxx/leaders.yaml", 5, "FIELD", "字段 people.0.name", "U+0000"),
    ("content/sjfb/rows.yaml", 6, "FIELD", "字段 rows.1.1", "U+009B"),
    ("content/sjfb/file.csv", 3, "YAML", "这一行", "U+0008"),
    ("content/gzdt/2024-02-01-a.md", 2, "YAML", "\\ud800", "转义"),  # a lone surrogate: libyaml refuses it
]


def _broken_site() -> dict[str, str | bytes]:
    news = (
        "---\n"
        'title: "新年第一次工作会议\\e[2K\\e[1A构建完成"\n'  # 2
        "date: 2025-01-06 10:00\n"
        'source: "测试县\\x01人民政府办公室"\n'  # 4
        'keywords: [会议, "工作\\uFFFF"]\n'  # 5
        '"ti\\x02tle": 多余的字段\n'  # 6
        "---\n"
        "\n"
        "会议\x1b[2K\x1b]52;c;ZXZpbA==\x07要求。\n"  # 9: a raw ESC and an OSC 52 clipboard write
        "\n"
        'Tab\t和换行都是正常的文字："\\t"。\n'
    )
    return edited(
        minimal_site(),
        {
            NEWS: news,
            "content/gzdt/_column.yaml": replace("description: 工作动态栏目", 'description: "工作动态栏目\\uFFFE"'),
            "config.yaml": replace("host_unit: 测试县人民政府办公室", 'host_unit: "测试县人民政府办公室\\x7f"'),
            "content/ldxx/leaders.yaml": replace("{name: 李县长,", '{name: "李县长\\0",'),
            "content/sjfb/_column.yaml": column("数据发布", "数据发布"),
            "content/sjfb/rows.yaml": (
                "title: 数据\ndate: 2025-01-06 10:00\nsource: 测试县统计局\n"
                'rows:\n  - [年份, 数值]\n  - ["2024年", "\\x9b1"]\n  - ["2025年", "\\t2\\r"]\n'
            ),
            "content/sjfb/file.yaml": "title: 数据文件\ndate: 2025-01-06 10:00\nsource: 测试县统计局\ndata: file.csv\n",
            "content/sjfb/file.csv": "年份,数值\n2024年,1\n2025年,\x082\n",
            "content/gzdt/2024-02-01-a.md": replace("title: 一月工作会议召开", 'title: "一月工作会议召开\\ud800"'),
        },
    )


@pytest.fixture(scope="module")
def refused(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, list[str], Path]:
    root = tmp_path_factory.mktemp("controls")
    out = root / "out"
    run = gsgen_here("build", write_site(root / "site", _broken_site()), "--now", NOW, "-o", out)
    return run.code, run.out.splitlines(), out


@pytest.mark.parametrize(("file", "line", "rule", "named", "char"), EXPECTED)
def test_a_control_character_is_refused_at_its_line(refused, file, line, rule, named, char):
    code, lines, out = refused
    assert code == 1 and not out.exists()
    found = [text for text in lines if text.startswith(f"{file}:{line}: error[{rule}]")]
    assert any(named in text and char in text and "请删除它" in text for text in found), (found, lines)


def test_only_the_control_characters_are_refused(refused):
    """Tab, CR and LF are text; nothing else of the site is reported; nothing raw reaches the terminal."""
    _, lines, _ = refused
    errors = [text for text in lines if ": error[" in text]
    assert len(errors) == len(EXPECTED), errors
    assert not any(ch in "\n".join(lines) for ch in "\x1b\x01\x00\x7f\x9b\ufffe\uffff\x08\x07")


# ---------------------------------------------------------------- XML outputs


def test_an_ill_formed_feed_is_never_published(tmp_path):
    """A site theme's rss.xml that writes a title unescaped: the feed does not parse, and the build
    stops at that template, naming the feed, its line and the parser's reason; nothing is written."""
    files = edited(
        minimal_site(),
        {
            "themes/default/templates/rss.xml": replace(
                "<title>{{ item.title }}</title>", "<title>{{ item.title|safe }}</title>"
            ),
            "content/gzdt/2025-01-06-e.md": item("会议纪要 & 通知", "2025-01-06 10:00"),
        },
    )
    out = tmp_path / "out"
    run = gsgen_here("build", write_site(tmp_path / "site", files), "--now", NOW, "-o", out)
    errors = [text for text in run.out.splitlines() if "error[XML]" in text]
    assert run.code == 1 and not out.exists(), run.text
    assert len(errors) == 1 and errors[0].startswith("themes/default/templates/rss.xml: error[XML]"), run.out
    assert "生成的 gzdt/rss.xml 不是格式正确的 XML（第 9 行" in errors[0] and "|safe" in errors[0]


def test_every_xml_file_of_a_good_build_parses(tmp_path):
    out = tmp_path / "out"
    run = gsgen_here("build", write_site(tmp_path / "site", minimal_site()), "--now", NOW, "-o", out)
    assert run.code == 0 and "XML" not in run.out, run.text
    assert (out / "sitemap.xml").is_file() and (out / "gzdt" / "rss.xml").is_file()


# ---------------------------------------------------------------- the terminal

# file names under content/gzdt that try to rewrite the log: a CR, an erase-line and cursor-up, an OSC 52
# clipboard write, a right-to-left override (通知\u202efdp.exe shows as 通知exe.pdf)
NAMES = ["a\r构建完成b.md", "\x1b[2K\x1b[1Ax.md", "\x1b]52;c;ZXZpbA==\x07y.md", "通知\u202efdp.exe"]
RAW = ("\x1b", "\r", "\x07", "\u202e")


def _run(*args: str | Path) -> tuple[int, str]:
    """The real command line, its output as the bytes a terminal gets (no newline translation)."""
    proc = subprocess.run(
        [sys.executable, "-m", "gsgen", *map(str, args)],
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        timeout=300,
    )
    return proc.returncode, (proc.stdout + proc.stderr).decode("utf-8")


def test_file_names_and_values_cannot_steer_the_terminal(tmp_path):
    files = {**minimal_site(), **{f"content/gzdt/{name}": item("标题") for name in NAMES}}
    code, printed = _run("build", write_site(tmp_path / "site", files), "--now", NOW, "-o", tmp_path / "out")
    assert code == 1 and "构建失败" in printed, printed
    assert not any(raw in printed for raw in RAW), printed
    shown = [line for line in printed.split("\n") if line.startswith("content/gzdt/")]
    for name in (
        "a\\u000d构建完成b.md",
        "\\u001b[2K\\u001b[1Ax.md",
        "\\u001b]52;c;ZXZpbA==\\u0007y.md",
        "通知\\u202efdp.exe",
    ):
        assert any(line.startswith(f"content/gzdt/{name}") for line in shown), (name, shown)
    # a value given on the command line, quoted by a usage error
    code, printed = _run("build", tmp_path / "site", "--now", "\x1b[2K\x1b[1A2025-01-10")
    assert code == 2 and "\\u001b[2K" in printed and "\x1b" not in printed, printed


def test_json_output_stays_json_with_the_names_as_they_are(tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    names = ["a\r构建完成b.html", "通知\u202efdp.html"]
    for name in names:
        (folder / name).write_bytes(b"\x00binary, not a page")
    code, printed = _run("check", folder, "--format", "json")
    assert code == 1 and not any(raw in printed for raw in RAW), printed
    report = json.loads(printed[printed.index("{") :])
    assert {f["file"] for f in report["findings"]} >= set(names), report
