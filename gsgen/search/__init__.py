"""Stage 5, index for search: gsgen's own static index for Chinese, read by the search page's small
client (themes/default/static/js/search.js), with substring semantics: a query found in a page finds
that page.

Chinese has no spaces, and a dictionary that splits words when indexing cannot split a query the same
way in the browser (Pagefind's misses: 亿元, 供查阅…). So, as Lucene's CJK analysis does, every pair
of adjacent characters is a term, with its positions; a query is cut the same way and its pairs must
stand side by side, so a result holds the query exactly. Titles add their pinyin (full and initials).

- analysis.py  how text becomes terms (mirrored by search.js)
- records.py   what is indexed of each item page and attachment, and in what order
- postings.py  every term's records, counts and positions, with numpy, partition by partition of the terms
- writer.py    the files, as FORMAT.md describes them
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gsgen.htmlpage import HtmlPage
from gsgen.model import Site
from gsgen.output import PreviewUpdate, Staging
from gsgen.search.records import Record, site_records
from gsgen.search.writer import FOLDER, FORMAT, index_files

if TYPE_CHECKING:  # the cache imports the rules, which import this package
    from gsgen.cache import BuildCache

__all__ = ["FOLDER", "SearchIndex", "build_index", "search_index"]


def build_index(
    staging: Staging | PreviewUpdate,
    site: Site,
    pages: list[HtmlPage],
    cache: BuildCache,
    progress: Callable[[str], None],
    jobs: int = 0,
) -> int:
    """Index the item pages and attachments into FOLDER of the staging folder; the records indexed.
    The index of the last build is reused when no record changed. `jobs`: processes (0: one per core)."""
    index = search_index(site, pages, cache, progress, jobs)
    index.write(staging)
    return index.records


@dataclass
class SearchIndex:
    digest: str  # of the records: the same records make the same files
    files: dict[str, bytes]  # path under FOLDER → content
    records: int

    def write(self, staging: Staging | PreviewUpdate) -> None:
        staging.write_many({f"{FOLDER}/{rel}": data for rel, data in self.files.items()}, self.digest)


def search_index(
    site: Site,
    pages: list[HtmlPage],
    cache: BuildCache,
    progress: Callable[[str], None] = lambda _: None,
    jobs: int = 0,
) -> SearchIndex:
    """The index of the site's records: the last build's, when no record changed, else made and kept."""
    texts = {page.file: page.search_text for page in pages}
    records = site_records(site, texts)
    digest = _digest(records)
    files = cache.search_index(digest)
    if files is None:
        if len(records) >= 1000:
            progress(f"  为 {len(records)} 条信息建立索引")
        files = index_files(records, jobs=jobs)
        cache.keep_search_index(digest, files)
    return SearchIndex(digest, files, len(records))


def _digest(records: list[Record]) -> str:
    h = hashlib.sha256(f"{FORMAT}".encode())
    for r in records:
        fields = [r.url, r.title, r.text, r.shown_date, r.column, r.kind, r.status, r.issuer, r.source, r.archived]
        h.update(json.dumps(fields, ensure_ascii=False).encode())
    return h.hexdigest()[:32]
