"""Time of each site rule on a loaded site, the slowest first. Run by hand:

    .venv/bin/python bench/corpus.py 10000 /tmp/c10k --tools gsgen
    .venv/bin/python bench/site_rules.py /tmp/c10k/gsgen [--now "2025-01-10 12:00"] [--most 10]

The rules run in-process on the site model, without rendering: the figures are the rules' own cost,
steadier than a whole build's wall time on a shared machine. PRIVACY includes reading every published
text once (rules/published.py), which SECRECY and WORDS then reuse.
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict
from pathlib import Path

from gsgen.dates import parse_datetime
from gsgen.load import load_site
from gsgen.rules import SITE_RULES


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("site", type=Path)
    ap.add_argument("--now", default="2025-01-10 12:00")
    ap.add_argument("--most", type=int, default=10)
    args = ap.parse_args()
    started = time.perf_counter()
    site, _found = load_site(args.site, now=parse_datetime(args.now))
    print(f"load {time.perf_counter() - started:.2f} s, {len(site.published)} published items")
    spent: dict[str, float] = defaultdict(float)
    for rule_id, rule in SITE_RULES:
        started = time.perf_counter()
        for _finding in rule(site):
            pass
        spent[rule_id] += time.perf_counter() - started
    for rule_id, seconds in sorted(spent.items(), key=lambda x: -x[1])[: args.most]:
        print(f"{rule_id:20} {seconds:6.2f} s")
    print(f"{'all':20} {sum(spent.values()):6.2f} s")


if __name__ == "__main__":
    main()
