"""Build speed and memory, gsgen beside Hugo, on the benchmark corpus (bench/corpus.py). Run by hand:

    .venv/bin/python bench/build_speed.py 10000 [--runs 3] [--keep DIR]

Generates N items with bench/corpus.py (gsgen and Hugo layouts of the same content),
then times, in one run on this machine:

    gsgen clean       no cache, no output: load, rules, render, HTML checks, Chinese search index
    gsgen no change   the same build again, with the cache
    gsgen one item    one item's body edited
    gsgen template    one list template edited (column.html: column pages re-render, items do not)
    hugo clean        `hugo --quiet` on the same corpus (Debian's hugo: apt-get install hugo)

For each, the median of --runs runs of: wall time; CPU time (user + system, all processes); peak
memory as PSS (proportional set size: the build and every process it started, each page shared by
n processes counted 1/n in each, so gsgen's forked workers do not count the parent's pages again);
and, beside it, the peak of the sum of their resident memory (RSS), which does count them again.
Both are read from /proc/<pid>/smaps_rollup every 200 ms (reading it every 20 ms took a third of a core
from the build on a 2-core machine); each peak is the largest of its own samples.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, fields
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "bench" / "corpus.py"
NOW = "2025-01-10 12:00"
SAMPLE = 0.2  # seconds between memory samples: smaps_rollup is slow to read (ms per process)


@dataclass
class Run:
    wall: float
    cpu: float
    pss_mb: float  # peak PSS of the process tree
    rss_mb: float  # peak sum of RSS of the process tree


def tree_memory_kb(pid: int) -> tuple[int, int]:
    """PSS and RSS (kB) of `pid` and all its descendants, each summed over the tree, from /proc."""
    pss = rss = 0
    todo = [pid]
    while todo:
        current = todo.pop()
        try:
            # smaps_rollup, not status: only it has PSS; its Rss is the same resident memory as VmRSS
            with open(f"/proc/{current}/smaps_rollup") as rollup:
                for line in rollup:
                    if line.startswith("Pss:"):
                        pss += int(line.split()[1])
                    elif line.startswith("Rss:"):
                        rss += int(line.split()[1])
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    todo.extend(int(c) for c in children.read().split())
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return pss, rss


def measure(command: list[str], env: dict[str, str] | None = None) -> Run:
    before = os.times()
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    peak_pss = peak_rss = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak_pss, peak_rss
        while not done.is_set():
            pss, rss = tree_memory_kb(process.pid)
            peak_pss, peak_rss = max(peak_pss, pss), max(peak_rss, rss)
            time.sleep(SAMPLE)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = process.communicate()
    wall = time.perf_counter() - started
    done.set()
    sampler.join()
    after = os.times()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{err.decode()[-2000:]}")
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return Run(wall, cpu, peak_pss / 1024, peak_rss / 1024)


def median(runs: list[Run]) -> Run:
    return Run(*(statistics.median(getattr(r, f.name) for r in runs) for f in fields(Run)))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("items", type=int)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="generate the corpus here and keep it")
    parser.add_argument(
        "--clean-only", action="store_true", help="only the clean builds, gsgen's and Hugo's (a 100,000-item corpus)"
    )
    args = parser.parse_args()
    if not shutil.which("hugo"):
        raise SystemExit("hugo is not installed: apt-get install -y hugo")
    work = args.keep or Path(tempfile.mkdtemp(prefix="gsgen-bench-"))
    if not (work / "gsgen" / "config.yaml").exists():
        subprocess.run([sys.executable, CORPUS, str(args.items), str(work), "--tools", "gsgen,hugo"], check=True)
    site, out = work / "gsgen", work / "out"
    theme = site / "themes" / "default"
    if not theme.exists():  # a copy of the default theme, so that editing a template leaves the repo alone
        shutil.copytree(REPO / "themes" / "default", theme)
    gsgen = [sys.executable, "-m", "gsgen", "build", str(site), "-o", str(out), "--now", NOW]
    env = {**os.environ, "GSGEN_QUIET": "1"}
    item = next((site / "content").glob("gzdt/*.md"))
    template = theme / "templates" / "column.html"
    results: dict[str, list[Run]] = {}

    def record(name: str, run: Run) -> None:
        results.setdefault(name, []).append(run)
        memory = f"{run.pss_mb:6.0f} MB PSS {run.rss_mb:6.0f} MB RSS"
        print(f"  {name:<16} {run.wall:8.2f} s wall {run.cpu:8.2f} s CPU {memory}", flush=True)

    for n in range(args.runs):
        print(f"run {n + 1}/{args.runs}", flush=True)
        shutil.rmtree(site / ".gsgen-cache", ignore_errors=True)
        shutil.rmtree(out, ignore_errors=True)
        record("gsgen clean", measure(gsgen, env))
        if not args.clean_only:
            record("gsgen no change", measure(gsgen, env))
            item.write_text(item.read_text("utf-8") + f"\n补充说明第{n}次。\n", "utf-8")
            record("gsgen one item", measure(gsgen, env))
            template.write_text(template.read_text("utf-8") + f"\n{{# bench {n} #}}<!-- {n} -->\n", "utf-8")
            record("gsgen template", measure(gsgen, env))
        hugo_out = work / "hugo-out"
        shutil.rmtree(hugo_out, ignore_errors=True)
        record("hugo clean", measure(["hugo", "--quiet", "-s", str(work / "hugo"), "-d", str(hugo_out)]))

    hugo = median(results["hugo clean"])
    print(f"\n{args.items} items, median of {args.runs} (gsgen/Hugo: wall-time ratio against Hugo's clean build)")
    print("| build | wall | CPU | peak memory (PSS) | peak RSS sum | gsgen/Hugo |")
    print("|---|---|---|---|---|---|")
    for name, runs in results.items():
        m = median(runs)
        row = f"| {name} | {m.wall:.2f} s | {m.cpu:.2f} s | {m.pss_mb:.0f} MB | {m.rss_mb:.0f} MB |"
        print(f"{row} {m.wall / hugo.wall:.1f}× |")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
