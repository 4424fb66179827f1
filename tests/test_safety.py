"""Nothing unsafe is published and no command loses an editor's files: one test per way an attacker or
a careless user broke that promise, each through the real command line, each asserting what a user
sees (the exit code, the message naming the source file and line, the output folder's bytes).

The table-driven sweep of many vectors through every entry point is tests/test_attacks.py."""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import NOW, REPO, assert_breaks, gsgen, gsgen_here, tree_digest
from tests.sites import edited, item, minimal_site, replace, write_site

NEWS = "content/gzdt/2025-01-06-e.md"
GUIDE = "content/bsfw/gtgsh.yaml"
EVIL = "evil.example.com"


def news(body: str = "正文。", **extra: str) -> str:
    return item("新年第一次工作会议召开", "2025-01-06 10:00", body=body, **extra)


def config_line(key: str, value: str):
    """Replace the line of `key` in the minimal site's config (or add it under site:)."""

    def apply(text: str) -> str:
        lines = text.splitlines()
        for n, line in enumerate(lines):
            if line.strip().startswith(f"{key}:"):
                lines[n] = f"  {key}: '{value}'"
                return "\n".join(lines) + "\n"
        return text.replace("site:\n", f"site:\n  {key}: '{value}'\n", 1)

    return apply


# ---------------------------------------------------------------- 1. script URLs in settings and fields


@pytest.mark.parametrize(
    "key", ["error_report_url", "interaction_url", "conac_url", "logo", "error_report_badge", "conac_badge"]
)
def test_a_script_url_in_a_site_setting_is_refused_at_its_line(tmp_path, published, key):
    edit = {"config.yaml": config_line(key, "javascript:alert(document.cookie)")}
    assert_breaks(tmp_path, published, "SAFE-HTML", edit, "config.yaml:", "javascript:")


def test_a_refused_address_is_one_error_not_also_a_missing_one(tmp_path):
    site = write_site(
        tmp_path / "s", edited(minimal_site(), {"config.yaml": config_line("error_report_url", "javascript:x")})
    )
    run = gsgen_here("build", site, "--now", NOW, "-o", tmp_path / "out")
    assert run.code == 1 and run.out.count("error[") == 1 and "缺少" not in run.out, run.text


@pytest.mark.parametrize("rule", ["SAFE-HTML", "DARK-LINK"])
def test_the_gates_rules_cannot_be_silenced(tmp_path, published, rule):
    ignore = f"checks:\n  ignore:\n    - {{rule: {rule}, reason: 供应商要求}}\n"
    edit = {
        "config.yaml": lambda c: c + ignore,
        NEWS: news('<div style="display:none"><a href="https://x.cn/">x</a></div>'),
    }
    assert_breaks(tmp_path, published, "FIELD", edit, "config.yaml:", "不能忽略")


def test_a_script_url_in_a_service_guide_is_refused_at_its_line(tmp_path, published):
    edit = {GUIDE: replace("apply_url: https://zwfw.test.gov.cn/gtgsh", "apply_url: ' JaVaScRiPt:alert(1)'")}
    assert_breaks(tmp_path, published, "SAFE-HTML", edit, f"{GUIDE}:", "javascript:")


def test_a_column_url_with_a_script_is_refused(tmp_path, published):
    edit = {"content/gzdt/_column.yaml": lambda c: c + "url: 'java\tscript:alert(1)'\n"}
    assert_breaks(tmp_path, published, "SAFE-HTML", edit, "content/gzdt/_column.yaml:", "javascript:")


# ---------------------------------------------------------------- 2. active files in content/

PAGE = b'<html><body><script>alert(1)</script><form action="https://evil.example.com/"></form></body></html>'
SVG_SCRIPT = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>'


@pytest.mark.parametrize("name", ["page.html", "page.htm", "page.xhtml", "tool.js", "look.css", "x.markdown"])
def test_a_web_page_or_script_in_content_is_refused(tmp_path, published, name):
    assert_breaks(tmp_path, published, "SAFE-HTML", {f"content/gzdt/{name}": PAGE}, f"content/gzdt/{name}", "")


def test_an_attached_web_page_is_refused(tmp_path, published):
    edit = {NEWS: news(attachments="[{file: form.html, title: 表格}]"), "content/gzdt/form.html": PAGE}
    assert_breaks(tmp_path, published, "SAFE-HTML", edit, "content/gzdt/form.html", ".html")


@pytest.mark.parametrize("as_image", [False, True])
def test_an_svg_with_a_script_is_refused_also_as_an_image(tmp_path, published, as_image):
    edit = {"content/gzdt/logo.svg": SVG_SCRIPT}
    if as_image:
        edit[NEWS] = news(image="logo.svg")
    assert_breaks(tmp_path, published, "SAFE-HTML", edit, "content/gzdt/logo.svg", "<script>")


def test_a_clean_svg_is_published_cleaned_and_unused_files_are_not_published(tmp_path):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4"><rect width="4" height="4"/></svg>'
    files = {NEWS: news(image="logo.svg"), "content/gzdt/logo.svg": svg, "content/gzdt/notes.pdf": b"%PDF-1.4"}
    site = write_site(tmp_path / "s", edited(minimal_site(), files))
    run = gsgen_here("build", site, "--now", NOW, "-o", tmp_path / "out")
    assert run.code == 0, run.text
    assert b"<rect" in (tmp_path / "out/gzdt/logo.svg").read_bytes()
    assert not (tmp_path / "out/gzdt/notes.pdf").exists()  # no page uses it
    assert "content/gzdt/notes.pdf: warn[LAYOUT]" in run.out


# ---------------------------------------------------------------- 3. URLs read as browsers read them


def test_a_backslash_host_is_not_a_government_host(tmp_path, published):
    """Python reads evil.example.com\\.gov.cn as one host; browsers load evil.example.com."""
    iframe = f'<iframe src="https://{EVIL}\\.gov.cn/x"></iframe>'
    assert_breaks(tmp_path, published, "SAFE-HTML", {NEWS: news(iframe)}, f"{NEWS}:7", EVIL)


def test_a_backslash_link_gets_the_leaving_prompt_everywhere(tmp_path):
    trick = f"https://{EVIL}\\.gov.cn/x"
    files = edited(
        minimal_site(),
        {
            NEWS: news(f"<a href='{trick}'>原始链接</a>"),
            "content/gzdt/_column.yaml": lambda c: c + f"url: '{trick}'\n",
            "config.yaml": config_line("interaction_url", trick),
        },
    )
    site = write_site(tmp_path / "s", files)
    run = gsgen_here("build", site, "--now", NOW, "-o", tmp_path / "out")
    assert run.code == 0, run.text
    from lxml import html

    for page in ("gzdt/2025-01-06-e.html", "index.html"):
        tree = html.parse(str(tmp_path / "out" / page))
        tricky = [a for a in tree.iter("a") if EVIL in (a.get("href") or "")]
        assert tricky and all(a.get("data-external") is not None for a in tricky), page


# ---------------------------------------------------------------- 4. hidden and floating inline styles

HIDING = [
    "opacity:0 !important",
    "visibility:collapse",
    "transform:scale(0)",
    "clip-path:inset(50%)",
    "text-indent:-99em",
    "font-size:1px",
    "width:1px;height:1px;overflow:hidden",
    "d\\69splay:none",
    "display:/**/none",
    "max-height:0",
    "margin-left:-9999px",
    "clip:rect(0 0 0 0)",
    "color:transparent",
]
FLOATING = ["left:-99em", "position:fi\\78 ed;inset:0", "position:/**/fixed", "position:absolute;top:0"]


@pytest.mark.parametrize("style", HIDING)
def test_a_hiding_style_in_a_table_cell_is_a_dark_link_at_its_line(tmp_path, published, style):
    body = f'<table><tr><td style="{style}"><a href="https://www.gov.cn/">链接</a></td></tr></table>'
    assert_breaks(tmp_path, published, "DARK-LINK", {NEWS: news(body)}, f"{NEWS}:7", "隐藏内容")


@pytest.mark.parametrize("style", FLOATING)
def test_a_positioning_style_is_refused_as_floating_at_its_line(tmp_path, published, style):
    body = f'<table><tr><th style="{style}">覆盖全页</th></tr></table>'
    assert_breaks(tmp_path, published, "FLOAT", {NEWS: news(body)}, f"{NEWS}:7", "漂浮")


def test_a_style_loading_a_third_party_url_is_refused(tmp_path, published):
    body = f'<table><tr><td style="background:url(https://{EVIL}/t.gif)">x</td></tr></table>'
    assert_breaks(tmp_path, published, "SAFE-HTML", {NEWS: news(body)}, f"{NEWS}:7", "加载")


def test_a_hidden_link_in_raw_html_is_a_dark_link_of_the_item(tmp_path, published):
    body = f'<div style="display:none"><a href="https://{EVIL}/">广告</a></div>'
    assert_breaks(tmp_path, published, "DARK-LINK", {NEWS: news(body)}, f"{NEWS}:7", "display")


def test_harmless_styles_are_kept_and_others_dropped_with_a_warning(tmp_path):
    body = "| 名称 | 数量 |\n|:--|--:|\n| 甲 | 1 |\n\n" + '<p style="text-align:center;color:red">居中</p>'
    site = write_site(tmp_path / "s", edited(minimal_site(), {NEWS: news(body)}))
    run = gsgen_here("build", site, "--now", NOW, "-o", tmp_path / "out")
    assert run.code == 0 and "warn[SAFE-HTML]" in run.out and "color" in run.out, run.text
    page = (tmp_path / "out/gzdt/2025-01-06-e.html").read_text("utf-8")
    assert 'style="text-align:right"' in page and 'style="text-align:center"' in page and "red" not in page


# ---------------------------------------------------------------- 5. colours


@pytest.mark.parametrize(
    "primary", ["#b4171b;background:url(https://evil.example.com/x)}body{display:none}", "red}</style><script>x"]
)
def test_a_colour_that_is_not_a_colour_is_refused(tmp_path, published, primary):
    edit = {"config.yaml": lambda c: c + f"colors: {{primary: '{primary}'}}\n"}
    assert_breaks(tmp_path, published, "COLOURS", edit, "config.yaml:", "不是颜色")


def test_three_secondary_colours_are_refused_not_cut(tmp_path, published):
    edit = {"config.yaml": lambda c: c + 'colors: {secondary: ["#1f4e8c", "#2a7a3a", "#7a2a6a"]}\n'}
    assert_breaks(tmp_path, published, "COLOURS", edit, "config.yaml:", "辅助色")


def test_colours_are_written_back_in_one_form(tmp_path):
    site = write_site(
        tmp_path / "s", edited(minimal_site(), {"config.yaml": lambda c: c + "colors: {primary: 'rgb(160 20 30)'}\n"})
    )
    assert gsgen_here("build", site, "--now", NOW, "-o", tmp_path / "out").code == 0
    assert "--primary:#a0141e" in (tmp_path / "out/index.html").read_text("utf-8")


# ---------------------------------------------------------------- 6. themes


def theme_site(tmp_path: Path, files: dict) -> Path:
    return write_site(tmp_path / "s", edited(minimal_site(), {"config.yaml": lambda c: c + "theme: mine\n", **files}))


def test_a_symlink_in_a_theme_is_refused(tmp_path, published):
    out, before = published
    site = theme_site(tmp_path, {"themes/mine/static/css/extra.css": "a{}"})
    (site / "themes/mine/static/passwd.txt").symlink_to("/etc/passwd")
    (site / "themes/mine/templates").mkdir()
    (site / "themes/mine/templates/404.html").symlink_to("/etc/hostname")
    run = gsgen_here("build", site, "--now", NOW, "-o", out)
    assert run.code == 1 and run.out.count("error[THEME]") >= 2 and "主题以外" in run.out, run.text
    assert tree_digest(out) == before


@pytest.mark.parametrize("name", ["/tmp/x", "../../x", "mine/../.."])
def test_a_theme_outside_themes_is_refused(tmp_path, published, name):
    edit = {"config.yaml": lambda c: c + f"theme: '{name}'\n"}
    assert_breaks(tmp_path, published, "FIELD", edit, "config.yaml:", "themes/")


def test_a_missing_theme_is_named(tmp_path, published):
    assert_breaks(
        tmp_path, published, "THEME", {"config.yaml": lambda c: c + "theme: nosuch\n"}, "config.yaml:", "nosuch"
    )


BILLION = "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
    f"{c}: &{c} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True)
)


@pytest.mark.parametrize(
    "text",
    [
        "colors: &c {primary: '#b4171b'}\ncontrast: *c\n",
        "colors: !!python/object/apply:os.system ['touch /tmp/gsgen-pwned']\n",
        "colors: {primary: '#b4171b'\n",
        BILLION,
        "颜色: 红".encode("gbk"),
    ],
    ids=["alias", "python tag", "syntax", "billion laughs", "gbk"],
)
def test_a_broken_theme_yaml_is_a_clear_error(tmp_path, published, text):
    out, before = published
    site = theme_site(tmp_path, {"themes/mine/theme.yaml": text})
    run = gsgen_here("build", site, "--now", NOW, "-o", out)
    assert run.code == 1 and "themes/mine/theme.yaml" in run.out and "error[YAML]" in run.out, run.text
    assert "内部错误" not in run.text and not Path("/tmp/gsgen-pwned").exists()
    assert tree_digest(out) == before


def test_a_theme_template_with_a_script_is_reported_at_its_line(tmp_path, published):
    template = (
        '{% extends "base.html" %}\n{% block main %}\n<p>x</p>\n<img src="x" onerror="alert(1)">\n{% endblock %}\n'
    )
    out, before = published
    site = theme_site(tmp_path, {"themes/mine/templates/404.html": template})
    run = gsgen_here("build", site, "--now", NOW, "-o", out)
    assert run.code == 1 and "themes/mine/templates/404.html:4: error[SAFE-HTML]" in run.out, run.text
    assert tree_digest(out) == before


# ---------------------------------------------------------------- 7, 8. the build cache


def test_a_crafted_pickle_in_the_cache_never_runs(tmp_path):
    import pickle

    site = write_site(tmp_path / "s", minimal_site())
    marker = tmp_path / "pwned"

    class Exploit:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    cache = site / ".gsgen-cache"
    cache.mkdir()
    for name in ("checks.pickle", "bodies.pickle", "checks.json", "bodies.json", "search.json"):
        (cache / name).write_bytes(pickle.dumps(Exploit()))
    run = gsgen("build", site, "--now", NOW, "-o", tmp_path / "out")
    assert run.code == 0 and not marker.exists(), run.text


def test_an_edited_cached_page_is_not_published(tmp_path):
    site = write_site(tmp_path / "s", minimal_site())
    assert gsgen_here("build", site, "--now", NOW, "-o", tmp_path / "first").code == 0
    clean = tree_digest(tmp_path / "first")
    for blob in (site / ".gsgen-cache/pages").rglob("*"):
        if blob.is_file() and b"SiteName" in blob.read_bytes():
            blob.write_bytes(
                blob.read_bytes().replace(b"<main", b'<script src="https://evil.example.com/x.js"></script><main')
            )
    run = gsgen_here("build", site, "--now", NOW, "-o", tmp_path / "again")
    assert run.code == 0, run.text
    assert tree_digest(tmp_path / "again") == clean


def test_with_a_cache_key_an_unsigned_or_forged_cache_is_ignored(tmp_path, monkeypatch):
    site = write_site(tmp_path / "s", minimal_site())
    monkeypatch.setenv("GSGEN_CACHE_KEY", "secret-of-main")
    assert gsgen_here("build", site, "--now", NOW, "-o", tmp_path / "first").code == 0
    assert (site / ".gsgen-cache/checks.json.sig").is_file()
    again = gsgen_here("build", site, "--now", NOW, "-o", tmp_path / "again")
    assert "（0 个重新生成" in again.out or "个页面未改变" in again.err, again.text  # signed: reused
    monkeypatch.setenv("GSGEN_CACHE_KEY", "a branch's other key")
    forged = gsgen_here("build", site, "--now", NOW, "-o", tmp_path / "forged")
    assert forged.code == 0 and "个页面未改变" not in forged.err, forged.text  # not trusted: all rendered


def test_a_defaced_page_is_restored_by_the_next_build(tmp_path):
    site = write_site(tmp_path / "s", minimal_site())
    out = tmp_path / "out"
    assert gsgen_here("build", site, "--now", NOW, "-o", out).code == 0
    clean = tree_digest(out)
    page = out / "gzdt/2025-01-06-e.html"
    with page.open("r+b") as f:  # edited in place, as a defacement would be
        f.write(b"<h1>hacked</h1>")
    cached = {p.stat().st_ino for p in (site / ".gsgen-cache").rglob("*") if p.is_file()}
    assert page.stat().st_ino not in cached  # the output shares no file with the cache
    assert gsgen_here("build", site, "--now", NOW, "-o", out).code == 0
    assert tree_digest(out) == clean


# ---------------------------------------------------------------- 9. outputs that would lose files


@pytest.mark.parametrize("where", ["site", "content", "column", "parent", "foreign"])
def test_an_output_that_would_lose_files_is_refused(tmp_path, where):
    site = write_site(tmp_path / "s", minimal_site())
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine/report.docx").write_bytes(b"an editor's file")
    target = {
        "site": site,
        "content": site / "content",
        "column": site / "content/gzdt",
        "parent": tmp_path,
        "foreign": tmp_path / "mine",
    }[where]
    before = tree_digest(tmp_path)
    run = gsgen("build", site, "--now", NOW, "-o", target)
    assert run.code == 2 and "没有改动任何文件" in run.err and "Traceback" not in run.text, run.text
    assert tree_digest(tmp_path) == before


def test_an_empty_folder_and_gsgens_own_output_are_accepted(tmp_path):
    site = write_site(tmp_path / "s", minimal_site())
    (tmp_path / "empty").mkdir()
    assert gsgen_here("build", site, "--now", NOW, "-o", tmp_path / "empty").code == 0
    assert (tmp_path / "empty/.gsgen-output").is_file()
    assert gsgen_here("build", site, "--now", NOW, "-o", tmp_path / "empty").code == 0


# ---------------------------------------------------------------- 10. unreadable folders


def as_nobody(args: list[str]) -> subprocess.CompletedProcess:
    """Run gsgen as an unprivileged user: root reads every folder, whatever its mode."""
    command = [sys.executable, "-m", "gsgen", *args]
    if os.geteuid() == 0:
        command = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *command]
    env = {**os.environ, "PYTHONPATH": str(REPO), "HOME": "/tmp"}
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)


@pytest.mark.skipif(os.geteuid() == 0 and not shutil.which("setpriv"), reason="needs setpriv to drop root")
def test_an_unreadable_column_folder_is_an_error_not_a_silent_gap(tmp_path_factory):
    top = Path(tempfile_dir(tmp_path_factory))
    files = edited(minimal_site(), {"content/gzdt/zwyw/_column.yaml": "name: 政务要闻\ntype: 工作动态\n"})
    files["content/gzdt/zwyw/2024-09-01-x.md"] = item("要闻一则", "2024-09-01 09:00")
    site = write_site(top / "s", files)
    for path in [top, *top.rglob("*")]:
        path.chmod(0o777 if path.is_dir() else 0o666)
    (site / "content/gzdt/zwyw").chmod(0)
    run = as_nobody(["build", str(site), "--now", NOW, "-o", str(top / "out"), "--no-cache"])
    (site / "content/gzdt/zwyw").chmod(0o777)
    assert run.returncode == 1 and "content/gzdt/zwyw: error[LAYOUT]" in run.stdout, run.stdout + run.stderr


def tempfile_dir(factory: pytest.TempPathFactory) -> str:
    """A folder another user can enter (pytest's own are private to the user running the tests)."""
    import tempfile

    folder = tempfile.mkdtemp(prefix="gsgen-perm-")
    os.chmod(folder, 0o777)
    return folder


# ---------------------------------------------------------------- 11. builds at once, builds killed


def big_site(tmp_path: Path, name: str, pages: int = 200) -> Path:
    files = minimal_site()
    for n in range(pages):
        files[f"content/gzdt/2023-01-01-n{n:03d}.md"] = item(f"第{n}条新闻", "2023-01-01 08:00", body="正文。" * 200)
    return write_site(tmp_path / name, files)


def test_two_builds_of_one_site_at_once_both_succeed(tmp_path):
    site = big_site(tmp_path, "s")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "gsgen", "build", str(site), "--now", NOW, "--no-cache"]
    first = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert first.stderr is not None
    for line in first.stderr:  # the second starts while the first is writing its staging folder
        if "生成并检查页面" in line:
            break
    second = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    outputs = [p.communicate(timeout=300)[0] for p in (first, second)]
    assert first.returncode == 0 and second.returncode == 0, outputs
    assert not [p for p in site.iterdir() if p.name.startswith(".gsgen-") and p.name != ".gsgen-cache"]


def test_a_build_killed_while_indexing_leaves_nothing_behind(tmp_path):
    site = big_site(tmp_path, "s")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "gsgen", "build", str(site), "--now", NOW, "--no-cache", "-j", "1"]
    proc = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stderr is not None
    for line in proc.stderr:  # the build announces each stage
        if "建立搜索索引" in line:
            time.sleep(0.3)
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert gsgen("build", site, "--now", NOW).code == 0
    leftovers = [
        p.name for p in site.iterdir() if p.name.startswith((".gsgen-", "gsgen-")) and p.name != ".gsgen-cache"
    ]
    assert leftovers == []


# ---------------------------------------------------------------- crashes and hangs


@pytest.mark.parametrize(
    ("edit", "file", "rule"),
    [
        (
            {"content/gzdt/_column.yaml": lambda c: c + "order: " + "9" * 5000 + "\n"},
            "content/gzdt/_column.yaml",
            "FIELD",
        ),
        ({"config.yaml": lambda c: c.replace("paginate: 3", "paginate: " + "9" * 5000)}, "config.yaml", "FIELD"),
        (
            {"content/gzdt/_column.yaml": lambda c: c + "update_period: 99999999999d\n"},
            "content/gzdt/_column.yaml",
            "FIELD",
        ),
        (
            {"content/hdjl/messages.yaml": replace("received: 2024-06-01 09:00", "received: 9999-12-31")},
            "content/hdjl/messages.yaml",
            "FIELD",
        ),
    ],
    ids=["5000-digit order", "5000-digit paginate", "huge update period", "year 9999"],
)
def test_huge_numbers_and_dates_are_field_errors(tmp_path, published, edit, file, rule):
    assert_breaks(tmp_path, published, rule, edit, f"{file}:", "")


def test_a_pipe_in_content_is_refused_not_waited_on(tmp_path, published):
    out, before = published
    site = write_site(tmp_path / "s", minimal_site())
    os.mkfifo(site / "content/gzdt/notes.md")
    run = gsgen("build", site, "--now", NOW, "-o", out)  # gsgen() times out after 300 s rather than hang
    assert run.code == 1 and "content/gzdt/notes.md: error[LAYOUT]" in run.out and "管道" in run.out, run.text
    assert tree_digest(out) == before


@pytest.mark.skipif(os.geteuid() != 0, reason="making a device file needs root")
def test_a_device_file_in_content_is_refused(tmp_path, published):
    out, before = published
    site = write_site(tmp_path / "s", minimal_site())
    os.mknod(site / "content/gzdt/zero.pdf", stat.S_IFCHR | 0o600, os.makedev(1, 5))  # /dev/zero
    run = gsgen("build", site, "--now", NOW, "-o", out)
    assert run.code == 1 and "content/gzdt/zero.pdf: error[LAYOUT]" in run.out, run.text
    assert tree_digest(out) == before


def test_the_deploy_guide_gives_the_policy_gsgen_writes():
    """docs/deploy.md repeats the page policy for the web server's headers: it must not drift."""
    from gsgen.gate.policy import CONTENT_SECURITY_POLICY

    guide = (REPO / "docs/deploy.md").read_text("utf-8")
    assert f'set $csp "{CONTENT_SECURITY_POLICY}"' in guide
    assert "wasm" not in guide  # the search page needs nothing more than any page
