"""The index files (FORMAT.md describes each), made from the records and their postings.

Every file is a pure function of the records: the same site gives the same bytes (gzip without a
time stamp, JSON with sorted keys), so a one-item change rewrites only the files that hold that item's
terms, its record and its text.
"""

from __future__ import annotations

import functools
import json
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from gsgen.coltypes import KINDS
from gsgen.parallel import forked_map
from gsgen.search.analysis import SYLLABLES
from gsgen.search.postings import MAX_PARTITIONS, PASS, Analysis, Postings, buckets_of, doc_gaps
from gsgen.search.records import STATUSES, Record
from gsgen.search.varint import encoded, one

FORMAT = 1  # FORMAT.md: bump with any change a client must know of
FOLDER = "search"  # where the index lives in the output
INLINE_BYTES = 2048  # a term whose positions take at most this many bytes keeps them in its bucket file
BLOCK = 128  # else its positions are in files of this many postings each
CHUNK = 128  # records per file of record facts (d/): a query fetches those of its candidates
# Postings per bucket file: about 4 KB, counted before the postings are made as positional occurrences
# (each takes about 3 bytes with its share of records and weights, measured at 100 to 10,000 items).
BUCKET_OCCURRENCES = 1365
MAX_BUCKETS = 65536
PARALLEL_FROM = 1_000_000  # positional occurrences (about 700 items): below, one process
FILTERS = ("column", "year", "kind", "status", "issuer")


@dataclass
class _Terms:
    """Every term of the index, the postings of all kinds laid end to end."""

    keys: np.ndarray
    df: np.ndarray
    first: np.ndarray  # where each term's postings start, len(keys) + 1
    docs: tuple[np.ndarray, np.ndarray]  # varint bytes of the record gaps, size of each
    weights: tuple[np.ndarray, np.ndarray]
    positions: tuple[np.ndarray, np.ndarray]  # varint bytes of position gaps, size of each posting's
    inline: np.ndarray  # bool per term: positions in the bucket
    blocked: np.ndarray  # bool per term: positions in block files


def index_files(records: list[Record], partitions: int = 0, jobs: int = 1) -> dict[str, bytes]:
    """Path under FOLDER → bytes, of every file of the index, the terms' files made partition by
    partition, in `jobs` processes (0: one per core). `partitions` (a power of two; by default as many
    as keep memory bounded and the processes busy) changes how the work is cut, never the bytes."""
    found = Analysis([r.title for r in records], [r.text for r in records])
    buckets = _bucket_count(found.occurrences)
    found.partition(min(partitions or _partition_count(found.occurrences), buckets))
    files: dict[str, bytes] = {}
    made = functools.partial(_partition_files, records, found, buckets)
    for part in forked_map(made, range(found.partitions), jobs, minimum=2, chunk=1):
        files.update(part)
    filters = _filter_values(records)
    files.update(_record_files(records, found.lengths, filters))
    average = float(found.lengths.mean()) if len(records) else 0.0
    manifest = {
        "format": FORMAT,
        "records": len(records),
        "buckets": buckets,
        "block": BLOCK,
        "chunk": CHUNK,
        "averageLength": round(average, 2),
        "syllables": " ".join(SYLLABLES),
        "filters": filters,
    }
    files["index.json"] = json.dumps(manifest, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    return files


def _terms(kinds: list[Postings]) -> _Terms:
    keys = np.concatenate([k.keys for k in kinds])
    offsets = np.cumsum([0] + [len(k.docs) for k in kinds])
    first = np.concatenate([k.first[:-1] + offset for k, offset in zip(kinds, offsets, strict=False)] + [offsets[-1:]])
    docs = encoded(np.concatenate([doc_gaps(k) for k in kinds]))
    weights = encoded(np.concatenate([k.weights for k in kinds]))
    gaps = [k.positions for k in kinds if k.positions is not None]
    data, sizes = encoded(np.concatenate(gaps))
    per_posting = np.zeros(int(offsets[-1]), dtype=np.int64)
    at = 0  # where each kind's occurrences start in `sizes`
    for kind, offset in zip(kinds, offsets, strict=False):
        if kind.occurrences is not None:
            own = sizes[at : at + int(kind.occurrences[-1])]
            per_posting[offset : offset + len(kind.docs)] = (
                np.add.reduceat(own, kind.occurrences[:-1]) if len(own) else 0
            )
            at += len(own)
    positional = np.concatenate([np.full(len(k.keys), k.positions is not None) for k in kinds])
    wide = _per_term(per_posting, first) > INLINE_BYTES
    return _Terms(
        keys, np.diff(first), first, docs, weights, (data, per_posting), positional & ~wide, positional & wide
    )


def _bucket_count(occurrences: int) -> int:
    count = 16
    while count < MAX_BUCKETS and occurrences / count > BUCKET_OCCURRENCES:
        count *= 2
    return count


def _partition_count(occurrences: int) -> int:
    """Enough partitions to sort at most PASS occurrences at once, and four to share among processes
    once the index takes a second or more."""
    count = 4 if occurrences >= PARALLEL_FROM else 1
    while count < MAX_PARTITIONS and occurrences / count > PASS:
        count *= 2
    return count


def _partition_files(records: list[Record], found: Analysis, buckets: int, partition: int) -> dict[str, bytes]:
    """The bucket and block files of one partition's terms, and the result files of its share of
    the records."""
    terms = _terms(found.postings(partition))
    files = _bucket_files(terms, buckets, partition, found.partitions) | dict(_block_files(terms))
    for number in range(partition, len(records), found.partitions):
        files[f"x/{number}.bin"] = _packed(_shown(records[number]))
    return files


def _per_term(per_posting: np.ndarray, first: np.ndarray) -> np.ndarray:
    if not len(per_posting):
        return np.zeros(len(first) - 1, dtype=np.int64)
    return np.add.reduceat(per_posting, first[:-1])


def _bucket_files(terms: _Terms, count: int, partition: int, partitions: int) -> dict[str, bytes]:
    """The files of the buckets in `partition` (whose number modulo `partitions` is it): `terms`
    holds every term of those buckets."""
    bucket = buckets_of(terms.keys, count)
    order = np.lexsort((terms.keys, bucket))
    sizes = {
        "docs": _per_term(terms.docs[1], terms.first),
        "weights": _per_term(terms.weights[1], terms.first),
        "inline": np.where(terms.inline, _per_term(terms.positions[1], terms.first), 0),
    }
    sections = {
        "docs": _gathered(terms.docs[0], _starts(sizes["docs"]), sizes["docs"], order),
        "weights": _gathered(terms.weights[0], _starts(sizes["weights"]), sizes["weights"], order),
        "inline": _gathered(
            terms.positions[0], _starts(_per_term(terms.positions[1], terms.first)), sizes["inline"], order
        ),
    }
    ends = {name: np.cumsum(sizes[name][order]) for name in sections}
    keys, ordered_bucket = terms.keys[order], bucket[order]
    bounds = np.searchsorted(ordered_bucket, np.arange(count + 1))
    gaps = keys.copy()
    gaps[1:] -= keys[:-1]
    gaps[bounds[:-1][bounds[:-1] < len(keys)]] = keys[bounds[:-1][bounds[:-1] < len(keys)]]
    header = np.stack([gaps, terms.df[order].astype(np.uint64)] + [sizes[n][order].astype(np.uint64) for n in sections])
    header_bytes, header_sizes = encoded(header.T.ravel())
    header_ends = np.cumsum(header_sizes.reshape(-1, 5).sum(axis=1))
    files = {}
    for b in range(partition, count, partitions):
        lo, hi = int(bounds[b]), int(bounds[b + 1])
        parts = [one(hi - lo), _slice(header_bytes, header_ends, lo, hi)]
        parts += [_slice(sections[name], ends[name], lo, hi) for name in sections]
        files[f"t/{b}.bin"] = _packed_bytes(b"".join(parts))
    return files


def _starts(sizes: np.ndarray) -> np.ndarray:
    return np.cumsum(sizes) - sizes


def _slice(data: np.ndarray, ends: np.ndarray, lo: int, hi: int) -> bytes:
    start = int(ends[lo - 1]) if lo else 0
    end = int(ends[hi - 1]) if hi else 0
    return data[start:end].tobytes()


def _gathered(data: np.ndarray, starts: np.ndarray, sizes: np.ndarray, order: np.ndarray) -> np.ndarray:
    """The segments (start, size) of `data`, laid end to end in `order`."""
    sizes, starts = sizes[order], starts[order]
    total = int(sizes.sum())
    if not total:
        return np.zeros(0, dtype=np.uint8)
    shift = np.repeat(starts - (np.cumsum(sizes) - sizes), sizes)
    return data[shift + np.arange(total)]


def _block_files(terms: _Terms) -> Iterator[tuple[str, bytes]]:
    """The positions of each widely held term, BLOCK postings to a file."""
    data, per_posting = terms.positions
    ends = np.cumsum(per_posting)
    for t in np.flatnonzero(terms.blocked).tolist():
        name = np.base_repr(int(terms.keys[t]), 36).lower()
        start, stop = int(terms.first[t]), int(terms.first[t + 1])
        for k, lo in enumerate(range(start, stop, BLOCK)):
            hi = min(lo + BLOCK, stop)
            begin = int(ends[lo - 1]) if lo else 0
            yield f"p/{name}-{k}.bin", _packed_bytes(data[begin : int(ends[hi - 1])].tobytes())


def _filter_values(records: list[Record]) -> dict[str, list[str]]:
    present = {name: {getattr(r, name) for r in records} - {""} for name in FILTERS}
    return {
        "column": sorted(present["column"]),
        "year": sorted(present["year"], reverse=True),
        "kind": [k for k in KINDS if k in present["kind"]],
        "status": [s for s in STATUSES if s in present["status"]],
        "issuer": sorted(present["issuer"]),
    }


def _record_files(records: list[Record], lengths: np.ndarray, filters: dict[str, list[str]]) -> dict[str, bytes]:
    """The facts of each record that ranking and filters need, CHUNK records to a file, in columns:
    each filter's value as an index into the manifest's list (-1: none), title length, length, archived."""
    numbers = {name: {value: n for n, value in enumerate(values)} for name, values in filters.items()}
    files = {}
    for k, lo in enumerate(range(0, len(records), CHUNK)):
        part = records[lo : lo + CHUNK]
        columns = {name: [numbers[name].get(getattr(r, name), -1) for r in part] for name in FILTERS}
        columns["titleLength"] = [len(r.title) for r in part]
        columns["length"] = lengths[lo : lo + CHUNK].tolist()
        columns["archived"] = [int(r.archived) for r in part]
        files[f"d/{k}.bin"] = _packed(columns)
    return files


def _shown(record: Record) -> dict:
    """What a result shows: the record's own words, never index-only tokens."""
    return {
        "url": record.url,
        "title": record.title,
        "date": record.shown_date,
        "column": record.column,
        "kind": record.kind,
        "status": record.status,
        "source": record.source,
        "archived": record.archived,
        "text": record.text,
    }


def _packed(value: object) -> bytes:
    return _packed_bytes(json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode())


def _packed_bytes(data: bytes) -> bytes:
    """gzip with a 4 KB window: the index's files are small, and a small window halves the cost of
    starting each of tens of thousands of compressions; no time stamp, so the bytes are the same."""
    packer = zlib.compressobj(6, zlib.DEFLATED, 16 + 12, 5)
    return packer.compress(data) + packer.flush()
