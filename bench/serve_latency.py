"""Time from save to updated page served by `gsgen serve` (issue 6), for an item, a template and
config.yaml, each saved --saves times. Run by hand, on a copy of a site:

    .venv/bin/python bench/serve_latency.py                 # the example site
    .venv/bin/python bench/serve_latency.py 10000           # the benchmark corpus (bench/corpus.py), 10,000 items
    .venv/bin/python bench/serve_latency.py --saves 20      # saves of each kind (default 20)
    .venv/bin/python bench/serve_latency.py 10000 --kinds config.yaml --saves 5

Each save writes a new counter (the item's title 改1：…, the 404 template 很抱歉1，…, the contact
phone 1020-…), and is timed from just before the write until the page served shows that counter.
Between saves the server is left to go quiet (the build done, its search index made), so that one
save's measure does not include the previous one's work. Prints, for each kind, the median, the 95th
percentile (nearest rank), the fastest and the slowest, in seconds.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TEMPLATE = "themes/default/templates/404.html"


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


def status(url: str) -> dict:
    try:
        return json.loads(fetch(url + "/__gsgen/status"))
    except ValueError:  # no answer (""), mid-restart
        return {}


def quiet(url: str, version: int) -> bool:
    """A build after `version` is done and its search index made. The page shows a save before the
    build's status does (the preview is updated inside the build), so `searching` alone could still
    be the previous build's false."""
    now = status(url)
    return now.get("version", -1) > version and not now.get("searching", False)


def timed_save(url: str, path: Path, text: str, page: str, marker: str) -> float:
    """Write `text` to `path`; the seconds until `page` contains `marker`. Then wait for quiet."""
    version = status(url).get("version", 0)
    started = time.perf_counter()
    path.write_text(text, "utf-8")
    until(lambda: marker in fetch(url + page))
    seconds = time.perf_counter() - started
    until(lambda: quiet(url, version))
    return seconds


def make_site(items: int | None, work: Path) -> Path:
    if items:
        corpus = [sys.executable, str(REPO / "bench" / "corpus.py"), str(items), str(work), "--tools", "gsgen"]
        subprocess.run(corpus, check=True, capture_output=True)
        site = work / "gsgen"
    else:
        site = work / "site"
        # not the repo's .gsgen-cache: the first build would not be a first build
        ignore = shutil.ignore_patterns(".git", ".venv", ".gsgen-cache", "public", "tests", "__pycache__")
        shutil.copytree(REPO, site, ignore=ignore)
    # the template exists before serve starts (the corpus has no themes/), so that every save is an edit
    template = site / TEMPLATE
    template.parent.mkdir(parents=True, exist_ok=True)
    if not template.exists():
        shutil.copyfile(REPO / TEMPLATE, template)
    return site


def saves(site: Path, item: Path, page: str) -> dict[str, Callable[[int], tuple[Path, str, str, str]]]:
    """For each kind: save n → (file, its new text, page to fetch, what that page then contains)."""
    item_text, template = item.read_text("utf-8"), site / TEMPLATE
    template_text, config = template.read_text("utf-8"), site / "config.yaml"
    config_text = config.read_text("utf-8")
    phone = re.search(r"phone: ([^,}\n]+)", config_text)  # the first is site.contact's, in every footer
    if "抱歉，" not in template_text or not phone:
        raise SystemExit("404.html without 抱歉，, or config.yaml without a phone: nothing to change")

    def item_save(n: int) -> tuple[Path, str, str, str]:
        # inside the quotes the corpus puts titles in; the full-width colon ends the counter (改1 is not 改12)
        text = re.sub(r"^title: (\"?)", rf"title: \g<1>改{n}：", item_text, count=1, flags=re.M)
        return item, text, page, f"<title>改{n}："

    def template_save(n: int) -> tuple[Path, str, str, str]:
        return template, template_text.replace("抱歉，", f"很抱歉{n}，", 1), "/404.html", f"很抱歉{n}，"

    def config_save(n: int) -> tuple[Path, str, str, str]:
        # the footer shows 电话 <phone>; digits before the number, and the whole number matched
        start, end = phone.span(1)
        text = f"{config_text[:start]}{n}{phone[1]}{config_text[end:]}"
        return config, text, page, f"电话 {n}{phone[1]}"

    return {"item": item_save, "template": template_save, "config.yaml": config_save}


def percentile(values: list[float], p: float) -> float:
    """Nearest rank: the smallest value with at least p % of the values at or below it."""
    return sorted(values)[max(0, math.ceil(p / 100 * len(values)) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("items", nargs="?", type=int, help="a corpus of this many items (default: the example site)")
    parser.add_argument("--saves", type=int, default=20, help="saves of each kind (default 20)")
    parser.add_argument(
        "--kinds",
        default="item,template,config.yaml",
        help="which saves, comma-separated (a config.yaml save renders every page again: slow on a large site)",
    )
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="gsgen-serve-bench-"))
    site = make_site(args.items, work)
    item = sorted((site / "content").rglob("*.md"))[-1]
    page = "/" + item.relative_to(site / "content").with_suffix(".html").as_posix()
    kinds = {k: v for k, v in saves(site, item, page).items() if k in args.kinds.split(",")}
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
        print(f"first build and serve: {until(lambda: 'SiteName' in fetch(url + page)):.1f} s", flush=True)
        until(lambda: quiet(url, 0))
        times: dict[str, list[float]] = {}
        for kind, save in kinds.items():
            times[kind] = [timed_save(url, *save(n)) for n in range(1, args.saves + 1)]
            print(f"{kind}: " + " ".join(f"{t:.2f}" for t in times[kind]), flush=True)
    finally:
        proc.terminate()
        proc.wait()
        shutil.rmtree(work, ignore_errors=True)
    name = f"{args.items} items" if args.items else "the example site"
    print(f"\n{name}, save → updated page served (seconds)")
    print("| save | saves | median | p95 | min | max |")
    print("|---|---|---|---|---|---|")
    for kind, seconds in times.items():
        cells = (statistics.median(seconds), percentile(seconds, 95), min(seconds), max(seconds))
        print(f"| {kind} | {len(seconds)} | " + " | ".join(f"{c:.2f}" for c in cells) + " |")


if __name__ == "__main__":
    main()
