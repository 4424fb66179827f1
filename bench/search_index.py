"""Search-index figures on the shared corpus (issue 5): index time, index size on disk, peak memory
of the indexing step, and what the search page transfers for a first query. Run by hand:

    .venv/bin/python bench/search_index.py 10000

Generates the corpus with ../shared/bench/make_corpus.py, builds it with gsgen (timing each stage),
then opens the search page in Debian's Chromium and counts the bytes of a first query.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from gsgen.build import BuildOptions, build  # noqa: E402
from gsgen.dates import parse_datetime  # noqa: E402
from tests.browser import CHROMIUM, CHROMIUM_ARGS, serve  # noqa: E402


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def first_query_bytes(out: Path, query: str) -> tuple[int, int]:
    """(bytes transferred, requests) from opening the search page with `query` until results show."""
    from playwright.sync_api import sync_playwright

    with serve(out) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        sizes: list[int] = []
        page.on(
            "requestfinished", lambda r: sizes.append(r.sizes()["responseBodySize"] + r.sizes()["responseHeadersSize"])
        )
        page.goto(f"{url}/search.html?q={query}")
        page.wait_for_function(
            "() => /找到|没有找到/.test(document.querySelector('.search-status').textContent)", timeout=60000
        )
        page.wait_for_timeout(500)
        browser.close()
    return sum(sizes), len(sizes)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("items", type=int)
    parser.add_argument("--query", default="营商环境")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="gsgen-search-bench-"))
    subprocess.run(
        [
            sys.executable,
            str(REPO.parent / "shared/bench/make_corpus.py"),
            str(args.items),
            str(work),
            "--tools",
            "gsgen",
        ],
        check=True,
        capture_output=True,
    )
    out = work / "public"
    started = time.perf_counter()
    result = build(BuildOptions(work / "gsgen", out, now=parse_datetime("2026-11-25 12:00")))
    wall = time.perf_counter() - started
    assert result.ok, [d.format() for d in result.report.errors(False)][:5]
    children_peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    self_peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    transferred, requests = first_query_bytes(out, args.query)
    print(f"items: {args.items}, pages: {result.pages}, records indexed: {result.indexed}")
    print(f"build wall: {wall:.1f} s; stages: " + ", ".join(f"{k} {v:.1f} s" for k, v in result.timings.items()))
    print(
        f"index on disk: {folder_size(out / 'pagefind') / 2**20:.1f} MiB "
        f"({sum(1 for _ in (out / 'pagefind').rglob('*') if _.is_file())} files)"
    )
    print(f"peak memory: pagefind (indexing) {children_peak_mb:.0f} MiB, gsgen {self_peak_mb:.0f} MiB")
    print(f"first query '{args.query}': {transferred / 1024:.0f} KiB in {requests} requests")


if __name__ == "__main__":
    main()
