"""The search index's parts (shards): which items go into which Pagefind bundle, and where it lives.

One bundle serves a small site. A large one gets a bundle per period, so that indexing takes less
memory, a changed item re-indexes only its period, and the search page merges the parts (search.js).
"""

from __future__ import annotations

from dataclasses import dataclass

from gsgen.model import Item, Site

BUNDLE = "pagefind"  # the folder of the index in the output
SHARD_RECORDS = 2000  # records per shard at most, where a period can be split (memory, re-indexing)


@dataclass(frozen=True)
class Shard:
    """A part of the index, built and cached on its own: the items of one period (search.js merges)."""

    key: str  # "all" for a site small enough for one index; else a period: 2024, 2024-h1, 2024-q3, 2024-05
    items: tuple[Item, ...]

    @property
    def bundle(self) -> str:
        """Its folder in the output."""
        return BUNDLE if self.key == "all" else f"{BUNDLE}/{self.key}"

    @property
    def records(self) -> int:
        return sum(1 + len(item.attachments) for item in self.items)


def shards(site: Site) -> list[Shard]:
    """The index's parts, newest first: one for a small site; else one per year, per half, quarter or
    month where a year holds more than SHARD_RECORDS records (memory and re-indexing grow with a part's
    size; each part costs the browser a little to open, so they are no smaller than needed).
    """
    items = site.published
    if sum(1 + len(i.attachments) for i in items) <= SHARD_RECORDS:
        return [Shard("all", tuple(items))]
    by_year: dict[int, list[Item]] = {}
    for item in items:
        by_year.setdefault(item.date.year if item.date else 0, []).append(item)
    found: list[Shard] = []
    for year in sorted(by_year, reverse=True):
        found.extend(_year_shards(year, by_year[year]))
    return found


def _year_shards(year: int, items: list[Item]) -> list[Shard]:
    if year == 0:
        return [Shard("undated", tuple(items))]
    for suffix, months in _PERIODS:
        parts: dict[str, list[Item]] = {}
        for item in items:
            assert item.date is not None
            parts.setdefault(f"{year}{suffix(item.date.month)}", []).append(item)
        found = [Shard(key, tuple(parts[key])) for key in sorted(parts, reverse=True)]
        if months == 1 or all(s.records <= SHARD_RECORDS for s in found):
            return found
    raise AssertionError("unreachable: months always fit")


_PERIODS = (
    (lambda month: "", 12),
    (lambda month: f"-h{(month - 1) // 6 + 1}", 6),
    (lambda month: f"-q{(month - 1) // 3 + 1}", 3),
    (lambda month: f"-{month:02d}", 1),
)
