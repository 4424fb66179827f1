"""The code stays ruff clean: part of every test run, so CI holds it."""

import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_ruff_is_clean():
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    assert ruff, "ruff is installed with the test extras"
    run = subprocess.run([ruff, "check", "gsgen", "tests"], cwd=REPO, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout


def test_every_module_imports_on_its_own():
    """Whatever a tool or a test imports first must work: an import cycle shows only in that order."""
    modules = sorted(
        ".".join(p.relative_to(REPO).with_suffix("").parts).removesuffix(".__init__")
        for p in (REPO / "gsgen").rglob("*.py")
        if "_themes" not in p.parts and p.name != "__main__.py"  # __main__ runs the command line
    )
    script = (
        "import subprocess, sys\nfrom concurrent.futures import ThreadPoolExecutor\n"
        "def run(m):\n    r = subprocess.run([sys.executable, '-c', f'import {m}'], capture_output=True, text=True)\n"
        "    return f'{m}: {r.stderr[-300:]}' if r.returncode else ''\n"
        "print(''.join(ThreadPoolExecutor(4).map(run, sys.argv[1:])), end='')\n"
    )
    run = subprocess.run([sys.executable, "-c", script, *modules], cwd=REPO, capture_output=True, text=True)
    assert run.returncode == 0 and run.stdout == "", run.stdout + run.stderr
