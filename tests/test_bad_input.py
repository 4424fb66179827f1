"""What editors really commit never hurts: each case gets one clear Chinese message naming the file
(and line), exit 1, no traceback, and the previous output exactly as it was."""

from __future__ import annotations

import os

import pytest

from tests.conftest import NOW, gsgen, tree_digest
from tests.sites import edited, item, minimal_site, write_site

NEWS = "content/gzdt/2024-02-01-a.md"
BOMB = (
    '---\na: &a ["哈","哈","哈","哈","哈","哈","哈","哈","哈"]\n'
    + "".join(
        f"{chr(98 + n)}: &{chr(98 + n)} [*{chr(97 + n)},*{chr(97 + n)},*{chr(97 + n)},*{chr(97 + n)},*{chr(97 + n)}]\n"
        for n in range(8)
    )
    + "title: 炸弹\n---\n"
)

CASES = {
    "empty config.yaml": ({"config.yaml": ""}, "config.yaml", "SITE-NAME"),
    "config.yaml is a list": ({"config.yaml": "- a\n- b\n"}, "config.yaml", "FIELD"),
    "site is a scalar": (
        {"config.yaml": lambda c: c.replace("site:\n  name: 测试县人民政府\n", "site: 测试县\nx:\n  name: 1\n")},
        "config.yaml",
        "FIELD",
    ),
    "empty front matter": ({NEWS: "---\n---\n正文\n"}, NEWS, "ART-DATE"),
    "empty item file": ({NEWS: ""}, NEWS, "YAML"),
    "front matter is a list": ({NEWS: "---\n- 标题\n---\n正文\n"}, NEWS, "FIELD"),
    "column settings are a string": ({"content/gzdt/_column.yaml": "工作动态\n"}, "content/gzdt/_column.yaml", "FIELD"),
    "people is a string": (
        {"content/ldxx/leaders.yaml": "title: 领导\ndate: 2024-01-02\nsource: 办公室\npeople: 张三\n"},
        "content/ldxx/leaders.yaml",
        "FIELD",
    ),
    "title is a list": ({NEWS: item("[标题一, 标题二]")}, NEWS, "ART-META"),
    "draft is not true/false": ({NEWS: item("会议", draft="是")}, NEWS, "FIELD"),
    "order is not a number": (
        {"content/gzdt/_column.yaml": "name: 工作动态\ntype: 工作动态\norder: 第一\n"},
        "content/gzdt/_column.yaml",
        "FIELD",
    ),
    "tab indentation": ({NEWS: "---\ntitle: 会议\n\tsource: 办公室\n---\n"}, NEWS, "YAML"),
    "unclosed front matter": ({NEWS: "---\ntitle: 会议\ndate: 2024-02-01\n正文没有结束线\n"}, NEWS, "YAML"),
    "binary file as an item": ({NEWS: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"}, NEWS, "YAML"),
    "GBK file": ({NEWS: "---\ntitle: 会议\ndate: 2024-02-01\nsource: 办公室\n---\n正文\n".encode("gbk")}, NEWS, "YAML"),
    "YAML alias bomb": ({NEWS: BOMB}, NEWS, "YAML"),
    "python tag": ({NEWS: '---\ntitle: !!python/object/apply:os.system ["touch /tmp/pwned"]\n---\n'}, NEWS, "YAML"),
    "deep nesting": ({NEWS: "---\ntitle: " + "[" * 3000 + "]" * 3000 + "\n---\n"}, NEWS, "YAML"),
    "attachment escaping the site": (
        {NEWS: item("会议", attachments="[{file: ../../config.yaml, title: 配置}]")},
        NEWS,
        "LINKS",
    ),
    "unknown column type": (
        {"content/gzdt/_column.yaml": "name: 工作动态\ntype: 新闻中心\n"},
        "content/gzdt/_column.yaml",
        "FIELD",
    ),
    "unknown policy status": (
        {"content/zcwj/2025-001.md": lambda t: t.replace("status: 有效", "status: 作废")},
        "content/zcwj/2025-001.md",
        "POLICY-STATUS",
    ),
    "misnamed column file": ({"content/gzdt/_column.yml": "name: x\n"}, "content/gzdt/_column.yml", "LAYOUT"),
}


@pytest.fixture
def previous(published):
    return published


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_bad_input_gets_one_clear_message(tmp_path, previous, case):
    edit, file, rule = CASES[case]
    out, before = previous
    run = gsgen("build", write_site(tmp_path / "bad", edited(minimal_site(), edit)), "--now", NOW, "-o", out)
    assert run.code == 1, run.text
    assert "Traceback" not in run.text
    lines = [line for line in run.out.splitlines() if line.startswith(file) and f"error[{rule}]" in line]
    assert lines, run.text
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in line) for line in lines)  # said in Chinese
    assert tree_digest(out) == before
    assert not os.path.exists("/tmp/pwned")


def test_bom_and_crlf_are_read_as_plain_utf8(tmp_path):
    files = edited(
        minimal_site(),
        {NEWS: "\ufeff---\r\ntitle: 会议\r\ndate: 2024-02-01 08:00\r\nsource: 办公室\r\n---\r\n正文\r\n"},
    )
    out = tmp_path / "out"
    assert gsgen("build", write_site(tmp_path / "s", files), "--now", NOW, "-o", out).code == 0
    assert "<h1>会议</h1>" in (out / "gzdt/2024-02-01-a.html").read_text("utf-8")


@pytest.mark.parametrize("target", ["file", "folder"])
def test_symlinks_out_of_content_are_refused(tmp_path, previous, target):
    out, before = previous
    site = write_site(tmp_path / "s", minimal_site())
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "passwd.md").write_text(item("机密"), "utf-8")
    link = site / "content/gzdt" / ("leak.md" if target == "file" else "leak")
    link.symlink_to(secret / "passwd.md" if target == "file" else secret)
    run = gsgen("build", site, "--now", NOW, "-o", out)
    assert run.code == 1 and "error[LAYOUT]" in run.out and "content/ 以外" in run.out
    assert "Traceback" not in run.text
    assert tree_digest(out) == before


def test_missing_config_and_content(tmp_path):
    (tmp_path / "empty").mkdir()
    run = gsgen("build", tmp_path / "empty", "--now", NOW, "-o", tmp_path / "out")
    assert run.code == 1 and "Traceback" not in run.text
    # One error, saying this is not a site folder and how to name or make one; not one per missing thing
    (line,) = [line for line in run.out.splitlines() if "error[" in line]
    assert (
        line.startswith("config.yaml: error[LAYOUT]") and "不是 gsgen 站点文件夹" in line and "gsgen new site" in line
    )


# One round: each mistake reported once, at the editor's file and line, with no follow-on errors
# (「缺少 site.name」 after config.yaml failed to parse; a missing <meta> on the generated page).
ONE_ERROR = {
    "config.yaml does not parse": (
        {"config.yaml": lambda c: c.replace("site:\n", "site:\n  name: [测试县\n", 1)},
        "config.yaml:3: error[YAML]",
    ),
    "config.yaml is missing": ({"config.yaml": None}, "config.yaml: error[LAYOUT]"),
    "source written empty": ({NEWS: item("会议", source="''")}, f"{NEWS}:4: error[ART-SOURCE] 字段 source 是空的"),
    "title written empty": ({NEWS: item("''")}, f"{NEWS}:2: error[ART-META] 字段 title 是空的"),
}


@pytest.mark.parametrize("case", list(ONE_ERROR), ids=list(ONE_ERROR))
def test_a_mistake_is_one_error_at_its_source(tmp_path, case):
    edit, expected = ONE_ERROR[case]
    run = gsgen("build", write_site(tmp_path / "bad", edited(minimal_site(), edit)), "--now", NOW, "-o", tmp_path / "o")
    assert run.code == 1 and "Traceback" not in run.text
    errors = [line for line in run.out.splitlines() if "error[" in line]
    assert len(errors) == 1 and errors[0].startswith(expected), run.out


def test_output_that_is_a_file_is_a_usage_error(tmp_path):
    (tmp_path / "public").write_text("x")
    run = gsgen("build", write_site(tmp_path / "s", minimal_site()), "-o", tmp_path / "public")
    assert run.code == 2 and "Traceback" not in run.text
