"""The README's own-site section, followed literally: its commands, run as written in a shell, create a
site in a new git repository whose first `--strict` build lists each placeholder, whose build passes
once they are replaced, and whose CI script builds and publishes it to a folder with rsync."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

SECTION = "## 建一个自己的网站"


def section_blocks(kind: str) -> list[str]:
    """The fenced blocks of the README's own-site section, of one kind (``sh`` or plain)."""
    readme = (REPO / "README.md").read_text("utf-8")
    section = readme.split(SECTION, 1)[1].split("\n## ", 1)[0]
    return [body for lang, body in re.findall(r"^```(\w*)\n(.*?)^```$", section, re.M | re.S) if lang == kind]


def test_the_own_site_section_followed_literally(tmp_path):
    assert shutil.which("rsync") and shutil.which("git")
    first, second, publish = section_blocks("sh")
    (sample,) = section_blocks("")
    # A fresh clone where README command 1 has run: its .venv/bin/gsgen is this checkout's gsgen
    clone = tmp_path / "gsgen"
    (clone / ".venv/bin").mkdir(parents=True)
    (clone / ".venv/bin/gsgen").write_text(f'#!/bin/sh\nexec "{sys.executable}" -m gsgen "$@"\n')
    (clone / ".venv/bin/gsgen").chmod(0o755)
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GSGEN", "PUBLISH_", "RSYNC_", "S3_", "GIT_"))}
    env |= {"HOME": str(home), "PYTHONPATH": str(REPO), "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    env |= {
        f"GIT_{who}_{what}": value
        for who in ("AUTHOR", "COMMITTER")
        for what, value in (("NAME", "编辑"), ("EMAIL", "e@x"))
    }
    # The editor's part between the blocks: every placeholder replaced, as tests/test_scaffold.py does it
    fill_in = f'"{sys.executable}" -c "from pathlib import Path; from tests.test_scaffold import fill_in; fill_in(Path.cwd())"'
    script = "\n".join(
        [f"cd '{clone}'", first, "echo @@first=$?", fill_in, second, "echo @@second=$?", publish, "echo @@publish=$?"]
    )
    run = subprocess.run(["bash", "-c", script], env=env, capture_output=True, text=True, timeout=600)
    out = run.stdout + run.stderr
    site = tmp_path / "wangzhan"

    # the first strict build fails, listing each placeholder with what to write, the README's sample among them
    first_out, rest = out.split("@@first=", 1)
    assert rest.startswith("1"), out
    findings = [line for line in first_out.splitlines() if re.match(r"^\S+:\d+: error\[", line)]
    assert len(findings) >= 20 and all("error[PLACEHOLDER]" in line and "请改为" in line for line in findings), out
    assert any(line.startswith(sample.strip()) for line in findings), sample
    assert (site / ".git").is_dir() and "新建站点" in git_log(site, env)

    # once they are replaced, it builds and is committed
    second_out, rest = rest.split("@@second=", 1)
    assert rest.startswith("0") and "构建完成" in second_out and "PLACEHOLDER" not in second_out, out
    assert "填写本站信息" in git_log(site, env)
    assert not [p for p in git_files(site, env) if p.startswith(("public/", ".gsgen-cache/"))]

    # the CI script builds and publishes to the folder named in RSYNC_DEST
    assert rest.split("@@publish=", 1)[1].startswith("0"), out
    www = home / "www/wangzhan"  # a folder that did not exist
    assert (www / "index.html").is_file() and not (www / ".gsgen-output").exists()
    assert (www / "index.html").read_bytes() == (site / "public/index.html").read_bytes()


def git_log(site: Path, env: dict[str, str]) -> str:
    return subprocess.run(["git", "log", "--format=%s"], cwd=site, env=env, capture_output=True, text=True).stdout


def git_files(site: Path, env: dict[str, str]) -> list[str]:
    return subprocess.run(["git", "ls-files"], cwd=site, env=env, capture_output=True, text=True).stdout.split()
