"""Search-index figures on the benchmark corpus (bench/corpus.py). Run by hand:

    .venv/bin/python bench/search_index.py 1000 10000 100000 [--queries 60]

For each size: builds the corpus with gsgen (no cache), and reports the index stage's CPU time and
wall time, the index's size and number of files, the manifest the search page fetches before any
query, and — in Debian's Chromium, on the real search page — what a query fetches from the index
(median and 95th percentile) and how long until its results show, over `--queries` random 2–6
character substrings of the items (each held by 1–40 items) and the everyday queries of the tests.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import gsgen.search as search_stage  # noqa: E402
from gsgen.build import BuildOptions, build  # noqa: E402
from gsgen.dates import parse_datetime  # noqa: E402
from tests.browser import CHROMIUM, CHROMIUM_ARGS, serve  # noqa: E402
from tests.searchtruth import EVERYDAY, query_cost  # noqa: E402

HAN = re.compile(r"[\u4e00-\u9fff]")
WORDS = re.compile(r"[^\W_]+")


def sampled(texts: list[str], count: int, seed: int) -> list[str]:
    """Random 2–6 character substrings (letters and numbers, with Chinese) held by 1–40 texts."""
    rng, found = random.Random(seed), []
    while len(found) < count:
        text = rng.choice(texts)
        size = rng.randint(2, 6)
        start = rng.randrange(max(1, len(text) - size))
        query = text[start : start + size]
        fits = len(query) == size and WORDS.fullmatch(query) and HAN.search(query) and query not in found
        if fits and _held_by_at_most(query, texts, 40):
            found.append(query)
    return found


def _held_by_at_most(query: str, texts: list[str], most: int) -> bool:
    """Whether 1 to `most` texts hold `query`; stops counting at `most` + 1 (most candidates are
    common, and a large corpus is long to read to the end)."""
    held = 0
    for text in texts:
        if query in text:
            held += 1
            if held > most:
                return False
    return held > 0


def measure_queries(out: Path, queries: list[str]) -> tuple[list[int], list[float]]:
    """Bytes fetched from the index (the manifest apart) and seconds to results, per query."""
    from playwright.sync_api import sync_playwright

    with serve(out) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        costs = [query_cost(browser, url, query) for query in queries]
        browser.close()
    return [c[0] for c in costs], [c[1] for c in costs]


def percentile(values: list, share: float):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def one_size(items: int, queries: int) -> dict:
    work = Path(tempfile.mkdtemp(prefix=f"gsgen-search-{items}-"))
    subprocess.run(
        [sys.executable, str(REPO / "bench/corpus.py"), str(items), str(work), "--tools", "gsgen"],
        check=True,
        capture_output=True,
    )
    measured: dict = {}
    original = search_stage.index_files

    def timed(records):
        cpu, wall = time.process_time(), time.perf_counter()
        files = original(records)
        measured.update(cpu=time.process_time() - cpu, wall=time.perf_counter() - wall, records=len(records))
        return files

    search_stage.index_files = timed
    out = work / "public"
    options = BuildOptions(work / "gsgen", out, now=parse_datetime("2025-01-10 12:00"), cache=False)
    result = build(options)
    search_stage.index_files = original
    assert result.ok, [d.format() for d in result.report.errors(False)][:5]
    index = [p for p in (out / "search").rglob("*") if p.is_file()]
    texts = [json.loads(line) for line in (work / "bodies.jsonl").read_text("utf-8").splitlines()]
    texts = [f"{t['title']}\n{t['body']}" for t in texts]
    sizes, seconds = measure_queries(out, sampled(texts, queries, seed=12) + EVERYDAY)
    return {
        "items": items,
        "records": measured["records"],
        "index CPU s": round(measured["cpu"], 2),
        "index wall s": round(measured["wall"], 2),
        "search stage wall s": round(result.timings.get("建立搜索索引", 0.0), 2),
        "files": len(index),
        "size MB": round(sum(p.stat().st_size for p in index) / 1e6, 1),
        "manifest KB": round((out / "search/index.json").stat().st_size / 1024, 1),
        "KB/query median": round(statistics.median(sizes) / 1024, 1),
        "KB/query p95": round(percentile(sizes, 0.95) / 1024, 1),
        "s/query median": round(statistics.median(seconds), 2),
        "peak RSS MB": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("items", type=int, nargs="+")
    parser.add_argument("--queries", type=int, default=60)
    args = parser.parse_args()
    rows = [one_size(n, args.queries) for n in args.items]
    print("| " + " | ".join(rows[0]) + " |")
    print("|" + "---|" * len(rows[0]))
    for row in rows:
        print("| " + " | ".join(str(v) for v in row.values()) + " |")


if __name__ == "__main__":
    main()
