"""Stage 5, index for search: Pagefind's extended build, which segments Chinese (政府, 防火), run
through its Python API on the staged output.

Only item pages are indexed (their templates mark `data-pagefind-body`), with meta for title, date,
column and source, filters for 栏目 and 年份 (and 状态, 发文机关 for policies), and a date sort.
Attachments become records of their own, found by their titles. Pinyin spellings of every title's
2–4 character runs (`senlinfanghuo`, `slfh`) are indexed with the page, so a query typed in pinyin
finds the items whose titles match.
"""

from __future__ import annotations

import asyncio
import gzip
import os
import re
import subprocess
import tempfile
from collections.abc import Iterator
from functools import cache
from html import escape
from pathlib import Path

from pypinyin import lazy_pinyin

from gsgen.dates import display
from gsgen.diagnostics import Diagnostic
from gsgen.model import Item, Site
from gsgen.rules.catalogue import diagnostic

BUNDLE = "pagefind"  # the folder of the index in the output
LANGUAGE = "zh-cn"
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


def build_index(output: Path, site: Site) -> tuple[int, list[Diagnostic]]:
    """Index the item pages under `output` into output/pagefind; (records indexed, problems)."""
    try:
        binary = executable()
        check_segmentation(binary)
    except SearchUnavailable as exc:
        return 0, [diagnostic("SEARCH", "pagefind", 0, str(exc))]
    return asyncio.run(_index(output, site, binary)), []


async def _index(output: Path, site: Site, binary: Path) -> int:
    from pagefind.index import IndexConfig, PagefindIndex

    os.environ.setdefault("PAGEFIND_BINARY_PATH", str(binary))
    config = IndexConfig(force_language=LANGUAGE, output_path=str(output / BUNDLE))
    async with PagefindIndex(config=config) as index:
        await index.add_directory(str(output))
        records = 0
        for item in site.published:
            for url, html in attachment_pages(item):
                await index.add_html_file(content=html, url=url, source_path=url.lstrip("/") + ".html")
                records += 1
        await index.write_files(output_path=str(output / BUNDLE))
    return sum(1 for item in site.published) + records


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
