"""A reader of the search index written from FORMAT.md alone (not from gsgen's writer), for tests: it
finds a phrase's records the way the browser client does, so that a test can compare the index
with the truth of the pages without a browser."""

from __future__ import annotations

import gzip
import itertools
import json
from dataclasses import dataclass
from pathlib import Path

from gsgen.search.analysis import bigram, bucket, has_positions, normalised, runs, unigram


def _varints(data: bytes, at: int, count: int) -> tuple[list[int], int]:
    values = []
    for _ in range(count):
        value = shift = 0
        while True:
            byte = data[at]
            at += 1
            value += (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                break
        values.append(value)
    return values, at


@dataclass
class Entry:
    key: int
    docs: list[int]
    weights: list[int]
    positions: dict[int, list[int]] | None  # record → positions; None for terms without


class Index:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.manifest = json.loads((folder / "index.json").read_text("utf-8"))

    def _file(self, rel: str) -> bytes:
        return gzip.decompress((self.folder / rel).read_bytes())

    def entry(self, key: int) -> Entry | None:
        data = self._file(f"t/{bucket(key, self.manifest['buckets'])}.bin")
        (count,), at = _varints(data, 0, 1)
        header, at = _varints(data, at, count * 5)
        offsets = {"docs": at}
        rows, previous = [], 0
        for i in range(count):
            gap, df, docs, weights, inline = header[i * 5 : i * 5 + 5]
            previous = gap if i == 0 else previous + gap
            rows.append((previous, df, docs, weights, inline))
        offsets["weights"] = offsets["docs"] + sum(r[2] for r in rows)
        offsets["inline"] = offsets["weights"] + sum(r[3] for r in rows)
        for term, df, docs_size, weights_size, inline_size in rows:
            if term == key:
                gaps, _ = _varints(data, offsets["docs"], df)
                docs = [sum(gaps[: i + 1]) for i in range(df)]
                weights, _ = _varints(data, offsets["weights"], df)
                positions = None
                if has_positions(key):
                    positions = self._positions(key, docs, weights, data, offsets["inline"], inline_size)
                return Entry(key, docs, weights, positions)
            offsets["docs"] += docs_size
            offsets["weights"] += weights_size
            offsets["inline"] += inline_size
        return None

    def _positions(self, key, docs, weights, data, at, inline_size) -> dict[int, list[int]]:
        found = {}
        block = self.manifest["block"]
        for i, (doc, weight) in enumerate(zip(docs, weights, strict=True)):
            if inline_size == 0 and i % block == 0:
                name = _base36(key)
                data, at = self._file(f"p/{name}-{i // block}.bin"), 0
            gaps, at = _varints(data, at, weight >> 1)
            found[doc] = [sum(gaps[: j + 1]) for j in range(len(gaps))]
        return found

    def records(self, query: str) -> set[int]:
        """The records holding every run of `query` (as search.js finds them)."""
        result: set[int] | None = None
        for _, run in runs(normalised(query)):
            found = self._run(run)
            result = found if result is None else result & found
        return result or set()

    def _run(self, run: str) -> set[int]:
        if len(run) == 1:
            entry = self.entry(unigram(run))
            return set(entry.docs) if entry else set()
        entries = [self.entry(bigram(a, b)) for a, b in itertools.pairwise(run)]
        if any(e is None for e in entries):
            return set()
        common = set.intersection(*(set(e.docs) for e in entries))
        return {
            doc
            for doc in common
            if any(
                all(p + i in entries[i].positions[doc] for i in range(len(entries))) for p in entries[0].positions[doc]
            )
        }

    def shown(self, number: int) -> dict:
        return json.loads(self._file(f"x/{number}.bin"))


def _base36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while n:
        n, r = divmod(n, 36)
        out = digits[r] + out
    return out or "0"
