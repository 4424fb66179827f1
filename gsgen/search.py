"""Stage 5, index for search: Pagefind's extended build, which segments Chinese (政府, 防火), run
through its Python API on the staged output.

Only item pages are indexed (their templates mark `data-pagefind-body`), with meta for title, date,
column and source, filters for 栏目 and 年份 (and 状态, 发文机关 for policies), and a date sort.
Attachments become records of their own, found by their titles. Pinyin spellings of every title's
2–4 character runs (`senlinfanghuo`, `slfh`) are indexed with the page, so a query typed in pinyin
finds the items whose titles match.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from html import escape
from pathlib import Path

from pypinyin import lazy_pinyin

from gsgen.cache import BuildCache
from gsgen.dates import display
from gsgen.diagnostics import Diagnostic
from gsgen.model import Item, Site
from gsgen.output import Staging
from gsgen.rules.catalogue import diagnostic
from gsgen.shards import BUNDLE, Shard, shards

RECORDS = "_gsgen-records"  # where attachments' search records live among the indexed files
LANGUAGE = "zh-cn"
INDEX_FORMAT = 2  # bump when what goes into a shard changes
_HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")
PROBE_PAGE = (
    '<html lang="zh-CN"><head><meta charset="utf-8"><title>t</title></head><body>'
    "<main data-pagefind-body><p>全县开展森林防火宣传活动。</p></main></body></html>"
)


class SearchUnavailable(Exception):
    """Pagefind is missing, or cannot segment Chinese: an index it built would find nothing."""


def title_tokens(title: str) -> list[str]:
    """Every 2–4 character run of Chinese in `title`, with its full pinyin and its initials.

    Pagefind segments a title one way (重点 / 时段安排表); a citizen may type another (时段安排).
    Indexing each short run of the title as a word of its own finds the title either way, and its
    pinyin finds it from a query typed in pinyin (senlinfanghuo, slfh).
    """
    tokens: dict[str, None] = {}
    for run in _HAN_RUN.findall(title):
        syllables = lazy_pinyin(run)
        if len(syllables) != len(run):
            continue
        for size in (2, 3, 4):
            for start in range(len(run) - size + 1):
                span = syllables[start : start + size]
                tokens[run[start : start + size]] = None
                tokens["".join(span)] = None
                tokens["".join(s[0] for s in span)] = None
    return list(tokens)


def executable() -> Path:
    from pagefind.service import get_executable

    found = get_executable()
    if found is None or not Path(found).exists():
        raise SearchUnavailable(
            "找不到 Pagefind 程序：请运行 pip install 'pagefind[extended]'（gsgen 的依赖会自动安装它）"
        )
    return Path(found)


@cache
def check_segmentation(binary: Path) -> None:
    """Index a known Chinese sentence and look for 防火 as a word of its own in the index."""
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "index.html").write_text(PROBE_PAGE, "utf-8")
        subprocess.run([str(binary), "--site", folder, "--silent"], check=True, capture_output=True, timeout=60)
        word = "防火".encode()
        cbor_text = bytes([0x60 + len(word)]) + word  # a CBOR text string holding exactly this word
        chunks = (gzip.decompress(p.read_bytes()) for p in (Path(folder) / BUNDLE / "index").glob("*.pf_index"))
        if not any(cbor_text in chunk for chunk in chunks):
            raise SearchUnavailable(
                f"当前的 Pagefind 程序（{binary.name}）不能对中文分词，生成的索引搜“防火”“政府”将一无所获："
                "请安装扩展版 pip install 'pagefind[extended]'，或删除 PAGEFIND_BINARY_PATH 环境变量"
            )


def build_index(
    staging: Staging,
    site: Site,
    fingerprints: dict[str, str],
    cache: BuildCache,
    progress: Callable[[str], None] = lambda _: None,
) -> tuple[int, list[Diagnostic]]:
    """Index the item pages and attachments into the staging folder, one Pagefind bundle per shard,
    re-indexing only shards whose pages changed; (records indexed, problems)."""
    try:
        binary = executable()
        check_segmentation(binary)
    except SearchUnavailable as exc:
        return 0, [diagnostic("SEARCH", "pagefind", 0, str(exc))]
    parts = shards(site)
    plans = [(shard, f"{shard.key}-{_shard_fingerprint(shard, fingerprints)}") for shard in parts]
    kept: dict[str, dict[str, bytes]] = {}
    todo = []
    for shard, name in plans:
        folder = cache.search_bundle(name)
        files = cache.verified_bundle(name)
        if folder is None:
            todo.append((shard, staging.path / shard.bundle))
        elif files is None:  # not built yet, or changed since it was made
            shutil.rmtree(folder, ignore_errors=True)
            todo.append((shard, folder))
        else:
            kept[name] = files
    if len(plans) > 1:
        progress(f"  搜索索引共 {len(plans)} 个分片，{len(todo)} 个有改动需重建")
    _index_all(todo, staging, binary, progress)
    for shard, name in plans:
        folder = cache.search_bundle(name)
        if folder is None:
            staging.adopt(shard.bundle)
            continue
        if name not in kept:
            cache.record_bundle(name, folder)
        for rel, data in (kept.get(name) or cache.verified_bundle(name) or {}).items():
            staging.write(f"{shard.bundle}/{rel}", data)
    return sum(s.records for s in parts), []


def _shard_fingerprint(shard: Shard, fingerprints: dict[str, str]) -> str:
    h = hashlib.sha256(f"{INDEX_FORMAT}|{shard.key}|".encode())
    for item in shard.items:  # an item page's fingerprint covers its attachments' titles too
        h.update(f"{item.path}|{fingerprints[item.path + '.html']}|".encode())
    return h.hexdigest()[:20]


def _index_all(todo: list[tuple[Shard, Path]], staging: Staging, binary: Path, progress: Callable[[str], None]) -> None:
    """Index the shards, as many at once as there are cores (each is one Pagefind process)."""
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        jobs = [pool.submit(_index_shard, shard, folder, staging, binary) for shard, folder in todo]
        for n, done in enumerate(jobs, start=1):
            done.result()
            if len(todo) > 1:
                progress(f"  已建立索引分片 {n}/{len(todo)}")


def _index_shard(shard: Shard, folder: Path, staging: Staging, binary: Path) -> None:
    """Write the shard's bundle into `folder`, through a temporary folder beside it so that a killed
    build never leaves half a bundle in the cache.

    Pagefind's command line reads the records from a folder of their own (item pages linked from the
    staging folder, attachment records written out): its Python API answers one call per 0.1 s.
    """
    partial = folder.with_name(folder.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    records = staging.scratch()
    try:
        for item in shard.items:
            page = staging.path / f"{item.path}.html"
            target = Path(records, f"{item.path}.html")
            target.parent.mkdir(parents=True, exist_ok=True)
            os.link(page, target)
            for url, html in attachment_pages(item):
                record = Path(records, RECORDS, url.lstrip("/") + ".html")
                record.parent.mkdir(parents=True, exist_ok=True)
                record.write_text(html, "utf-8")
        command = [str(binary), "--site", str(records), "--output-path", str(partial), "--force-language", LANGUAGE]
        subprocess.run([*command, "--silent"], check=True, capture_output=True)
    finally:
        shutil.rmtree(records, ignore_errors=True)
    folder.parent.mkdir(parents=True, exist_ok=True)
    os.replace(partial, folder)


def attachment_pages(item: Item) -> Iterator[tuple[str, str]]:
    """(URL, HTML) of a search record for each attachment, found by its title.

    Given to Pagefind as HTML rather than as a custom record, because only HTML goes through its
    Chinese segmentation.
    """
    date = display(item.date) if item.date else ""
    for attachment in item.attachments:
        kind = attachment.file.rsplit(".", 1)[-1].upper()
        tags = {
            "meta": {
                "date": date,
                "column": item.column.name,
                "source": item.source or "",
                "summary": f"附件，见《{item.title}》",
                "link": f"/{attachment.file}",  # the record's own URL is not the file's
            },
            "filter": {"栏目": item.column.name, "年份": str(item.date.year) if item.date else ""},
            "sort": {"date": date},
        }
        head = "".join(
            f'<meta data-pagefind-{what}="{escape(key)}[content]" content="{escape(value)}">'
            for what, values in tags.items()
            for key, value in values.items()
            if value
        )
        yield (
            f"/{attachment.file}",
            (
                f'<html lang="zh-CN"><head><meta charset="utf-8">{head}</head><body><main data-pagefind-body>'
                f"<h1>{escape(attachment.title)}（{kind}）</h1><p>附件，见《{escape(item.title or '')}》</p>"
                f"<div hidden>{escape(' '.join(title_tokens(attachment.title)))}</div>"
                "</main></body></html>"
            ),
        )
