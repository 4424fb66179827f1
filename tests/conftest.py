from __future__ import annotations

import contextlib
import hashlib
import io
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from gsgen.cli import main
from tests.sites import minimal_site, write_site

REPO = Path(__file__).resolve().parents[1]
# "Today" for builds of the minimal site (tests/sites.py) and of the example site.
NOW = "2025-01-10 12:00"
EXAMPLE_NOW = "2026-11-25 12:00"


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err


def gsgen(*args: str | Path, cwd: Path | None = None) -> Run:
    """Run the real command line, as an editor or CI would."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.run(
        [sys.executable, "-m", "gsgen", *map(str, args)], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)


def gsgen_here(*args: str | Path) -> Run:
    """The same command line, run in this process: much faster, for the many small rule cases."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:  # argparse usage errors
            code = int(exc.code or 0)
    return Run(code, out.getvalue(), err.getvalue())


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file under `folder` with the hash of its bytes."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def site_dir(tmp_path: Path) -> Path:
    return write_site(tmp_path / "site", minimal_site())


@pytest.fixture(scope="session")
def good_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The minimal site built once per run: tests that need a previous output get a copy of it."""
    root = tmp_path_factory.mktemp("good")
    out = root / "public"
    assert gsgen_here("build", write_site(root / "site", minimal_site()), "--now", NOW, "-o", out).code == 0
    return out


@pytest.fixture
def published(tmp_path: Path, good_build: Path) -> tuple[Path, dict[str, str]]:
    """An output folder of this test's own holding a good build, and the digest of every file in it
    (a copy of one build: building it for each of some 200 tests took a minute of the suite)."""
    out = tmp_path / "public"
    shutil.copytree(good_build, out, symlinks=True)
    return out, tree_digest(out)


def assert_breaks(
    tmp_path: Path, published: tuple[Path, dict[str, str]], rule: str, edit: dict, file: str, word: str
) -> None:
    """The minimal site with `edit` fails with an error of `rule` naming `file` (and `word`), with its
    clause, no traceback, and the previous output exactly as it was."""
    from tests.sites import edited

    out, before = published
    site = write_site(tmp_path / "broken", edited(minimal_site(), edit))
    run = gsgen_here("build", site, "--now", NOW, "-o", out)
    assert run.code == 1, run.text
    lines = [line for line in run.out.splitlines() if f"error[{rule}]" in line]
    assert lines, run.text
    assert any(line.startswith(file) and word in line and "依据：" in line for line in lines), run.text
    assert "Traceback" not in run.text and "构建失败" in run.out
    assert tree_digest(out) == before
