"""Work spread over forked worker processes, where there is enough of it to be worth a pool.

Workers are forked, so they inherit the function and its inputs (the site model, the parsed theme)
without copying or pickling them; only each result comes back. Forking is only safe from a process
with no other threads, so `gsgen serve` (which has its server threads) works in one process.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any

CHUNK = 64  # inputs per task: large enough to amortise the round trip, small enough to balance

_task: tuple[Callable[[Any], Any], Sequence[Any]] | None = None  # what forked workers inherit


def forked_map(
    function: Callable[[Any], Any], inputs: Sequence[Any], jobs: int = 0, minimum: int = 400, chunk: int = CHUNK
) -> Iterator:
    """`function` of each input, in order; in this process for fewer than `minimum` inputs (a pool
    costs more than it saves), for `jobs` 1, or where forking is unsafe. `jobs` 0: one per core.
    `chunk`: inputs sent to a worker at a time."""
    jobs = jobs or os.cpu_count() or 1
    if jobs == 1 or len(inputs) < minimum or not can_fork():
        yield from map(function, inputs)
        return
    global _task
    _task = (function, inputs)
    gc.freeze()  # what the workers inherit is never collected by them: its pages stay shared, not copied
    try:
        chunks = [range(start, min(start + chunk, len(inputs))) for start in range(0, len(inputs), chunk)]
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            for results in pool.imap(_run_chunk, chunks):
                yield from results
    finally:
        gc.unfreeze()
        _task = None


def _run_chunk(chunk: range) -> list[Any]:
    assert _task is not None
    function, inputs = _task
    return [function(inputs[i]) for i in chunk]


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1
