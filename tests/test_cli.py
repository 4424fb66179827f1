"""The command line behaves like a Python tool: console script, `python -m gsgen`, exit codes."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time

from tests.conftest import NOW, REPO, gsgen, tree_digest
from tests.sites import item, minimal_site, write_site


def test_usage_errors_exit_2(tmp_path):
    assert gsgen("build", tmp_path / "nowhere").code == 2
    assert gsgen("build", "--bogus").code == 2
    bad_now = gsgen("build", write_site(tmp_path / "s", minimal_site()), "--now", "昨天")
    assert bad_now.code == 2 and "--now" in bad_now.err


def test_console_script_is_installed():
    script = shutil.which("gsgen", path=os.path.dirname(sys.executable))
    assert script, "pip install -e . provides the gsgen command"
    assert subprocess.run([script, "--version"], capture_output=True, text=True).stdout.startswith("gsgen ")


def test_a_build_ends_with_a_summary(tmp_path):
    run = gsgen("build", write_site(tmp_path / "s", minimal_site()), "--now", NOW, "-o", tmp_path / "out")
    last = run.out.strip().splitlines()[-1]
    assert last.startswith("构建完成：") and "个页面" in last and "个警告" in last and "秒" in last
    # The progress line counts pages as the summary does
    pages = re.search(r"构建完成：(\d+) 个页面", last)[1]
    assert re.search(rf"^生成并检查页面（{pages} 个(，另有 \d+ 个数据文件)?）", run.text, re.M), run.text


def test_default_output_is_public_inside_the_site(tmp_path):
    site = write_site(tmp_path / "s", minimal_site())
    assert gsgen("build", "--now", NOW, cwd=site).code == 0
    assert (site / "public" / "index.html").is_file()


def test_a_rebuild_replaces_the_output_whole(tmp_path):
    site = write_site(tmp_path / "s", minimal_site())
    out = tmp_path / "out"
    gsgen("build", site, "--now", NOW, "-o", out)
    (out / "stale.html").write_text("old")
    (site / "content/gzdt/2024-02-01-a.md").unlink()
    assert gsgen("build", site, "--now", NOW, "-o", out).code == 0
    assert not (out / "stale.html").exists()
    assert not (out / "gzdt/2024-02-01-a.html").exists()
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".gsgen-")]


def test_a_killed_build_leaves_the_previous_output_or_the_new_one_whole(tmp_path):
    """SIGKILL at moments spread over a build: the output is always one complete build."""
    out = tmp_path / "out"
    old_site = write_site(tmp_path / "old", minimal_site())
    new_files = minimal_site()
    for n in range(150):  # enough pages that a build takes a while
        new_files[f"content/gzdt/2023-01-01-n{n:03d}.md"] = item(
            f"第{n}条新闻", "2023-01-01 08:00", body="正文。" * 200
        )
    new_site = write_site(tmp_path / "new", new_files)
    assert gsgen("build", new_site, "--now", NOW, "-o", out).code == 0
    new_digest = tree_digest(out)
    shutil.rmtree(out)
    assert gsgen("build", old_site, "--now", NOW, "-o", out).code == 0
    old_digest = tree_digest(out)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    outcomes = set()
    for delay in (0.05, 0.2, 0.4, 0.6, 0.8, 1.0, 1.5):
        proc = subprocess.Popen(
            [sys.executable, "-m", "gsgen", "build", str(new_site), "--now", NOW, "-o", str(out)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        digest = tree_digest(out)
        assert digest in (old_digest, new_digest), f"killed after {delay}s: output is neither build"
        outcomes.add("new" if digest == new_digest else "old")
        if digest == new_digest:  # start again from the old output
            assert gsgen("build", old_site, "--now", NOW, "-o", out).code == 0
    assert "old" in outcomes
    # The next build cleans up what the killed ones left behind.
    assert gsgen("build", old_site, "--now", NOW, "-o", out).code == 0
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".gsgen-")]


def test_report_prints_the_years_figures(tmp_path):
    site = write_site(tmp_path / "s", minimal_site())
    text = gsgen("report", site, "--year", "2024")
    assert text.code == 0 and "2024" in text.out and "测试县人民政府" in text.out
    as_json = gsgen("report", site, "--year", "2024", "--format", "json")
    assert as_json.code == 0 and '"year": 2024' in as_json.out
    as_csv = gsgen("report", site, "--year", "2024", "--format", "csv")
    assert as_csv.code == 0 and as_csv.out.startswith("\ufeff指标,栏目,数值")
