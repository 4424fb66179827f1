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
