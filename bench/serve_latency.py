"""Time from save to updated page served by `gsgen serve` (issue 6), for an item, a template and
config.yaml. Run by hand, on a copy of a site:

    .venv/bin/python bench/serve_latency.py            # the example site
    .venv/bin/python bench/serve_latency.py 10000      # the benchmark corpus (bench/corpus.py), 10,000 items
"""

from __future__ import annotations

import argparse
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def until(predicate, timeout: float = 900) -> float:
    started = time.perf_counter()
    while not predicate():
        if time.perf_counter() - started > timeout:
            raise TimeoutError
        time.sleep(0.05)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("items", nargs="?", type=int, help="a corpus of this many items (default: the example site)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="gsgen-serve-bench-"))
    if args.items:
        subprocess.run(
            [
                sys.executable,
                str(REPO / "bench" / "corpus.py"),
                str(args.items),
                str(work),
                "--tools",
                "gsgen",
            ],
            check=True,
            capture_output=True,
        )
        site = work / "gsgen"
    else:
        site = work / "site"
        shutil.copytree(REPO, site, ignore=shutil.ignore_patterns(".git", ".venv", "public", "tests", "__pycache__"))
    item = sorted((site / "content").rglob("*.md"))[-1]
    page = "/" + item.relative_to(site / "content").with_suffix(".html").as_posix()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen(
        [str(REPO / ".venv/bin/gsgen"), "serve", str(site), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        print(f"first build and serve: {until(lambda: 'SiteName' in fetch(url + page)):.1f} s")
        text = item.read_text("utf-8")
        item.write_text(text.replace("title: ", "title: 改", 1), "utf-8")
        print(f"item saved → page served: {until(lambda: '改' in fetch(url + page).split('<title>')[1][:3]):.2f} s")
        template = site / "themes/default/templates/404.html"
        template.parent.mkdir(parents=True, exist_ok=True)
        source = REPO / "themes/default/templates/404.html"
        template.write_text(source.read_text("utf-8").replace("抱歉", "很抱歉"), "utf-8")
        print(f"template saved → page served: {until(lambda: '很抱歉' in fetch(url + '/404.html')):.2f} s")
        config = site / "config.yaml"
        config.write_text(config.read_text("utf-8").replace("phone: ", "phone: 8", 1), "utf-8")
        print(f"config.yaml saved → page served: {until(lambda: '电话 8' in fetch(url + page)):.2f} s")
    finally:
        proc.terminate()
        proc.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
