"""What a citizen can see on a built site's item pages, and which pages hold a query: the truth that
search results are measured against (tests/test_search.py, bench/search_index.py).

Read from the built HTML with lxml, independently of gsgen's own text extraction: an item page's
title is its <h1>, its text what the element marked data-search-body shows;
each attachment listed is a record of its own, as the search page promises.
"""

from __future__ import annotations

import random
import re
import time
from pathlib import Path
from urllib.parse import quote

from lxml import html

from gsgen.search.analysis import normalised

WORD_RUN = re.compile(r"[^\W_]+")
INLINE = {"a", "abbr", "b", "code", "em", "i", "mark", "q", "s", "small", "span", "strong", "sub", "sup", "time", "u"}
EVERYDAY = ["政府", "通知", "防火", "县政府", "2026", "社保 2026", "安全生产", "公告", "亿元", "办事指南", "政策解读"]


def _text(element) -> str:
    """Visible text, broken into lines at every element that is not inline."""
    parts: list[str] = []

    def walk(node) -> None:
        if not isinstance(node.tag, str) or node.tag in ("script", "style") or "hidden" in node.attrib:
            return
        if "data-search-ignore" in node.attrib:
            return
        block = node.tag not in INLINE
        if block:
            parts.append("\n")
        parts.append(node.text or "")
        for child in node:
            walk(child)
            parts.append(child.tail or "")
        if block:
            parts.append("\n")

    walk(element)
    return "".join(parts)


def site_records(out: Path) -> dict[str, str]:
    """URL → title and text, of every item page and attachment of the built site in `out`."""
    records = {}
    for page in sorted(out.rglob("*.html")):
        tree = html.fromstring(page.read_bytes())
        body = tree.find(".//*[@data-search-body]")
        if body is None:
            continue
        article = tree.find(".//article")
        title = article.findtext(".//h1").strip()
        url = "/" + page.relative_to(out).as_posix()
        records[url] = f"{title}\n{_text(body)}"
        for link in article.findall(".//section[@class='attachments']//li"):
            a = link.find("a")
            kind = link.findtext("span").strip()
            records[a.get("href")] = f"{a.text_content().strip()}{kind}\n附件，见《{title}》"
    return records


def holding(query: str, records: dict[str, str]) -> set[str]:
    """The records holding every run of letters and numbers of `query`."""
    runs = WORD_RUN.findall(normalised(query))
    return {url for url, text in _normalised(records).items() if runs and all(r in text for r in runs)}


_SEEN: dict[int, tuple[dict[str, str], dict[str, str]]] = {}


def _normalised(records: dict[str, str]) -> dict[str, str]:
    """The records' texts normalised, once per set of records."""
    if id(records) not in _SEEN or _SEEN[id(records)][0] is not records:
        _SEEN[id(records)] = (records, {url: normalised(text) for url, text in records.items()})
    return _SEEN[id(records)][1]


def sampled_queries(records: dict[str, str], count: int, seed: int, most: int = 40) -> list[str]:
    """`count` random substrings of 2–6 letters and numbers of the records' text (at least one
    Chinese character among them: a query of Latin letters alone is also read as pinyin), each
    held by 1 to `most` records."""
    rng = random.Random(seed)
    urls = sorted(records)
    found: list[str] = []
    texts = _normalised(records)
    while len(found) < count:
        text = texts[rng.choice(urls)]
        size = rng.randint(2, 6)
        if len(text) <= size:
            continue
        start = rng.randrange(len(text) - size)
        query = text[start : start + size]
        if not WORD_RUN.fullmatch(query) or not re.search(r"[\u4e00-\u9fff]", query) or query in found:
            continue
        if 1 <= len(holding(query, records)) <= most:
            found.append(query)
    return found


def query_cost(browser, url: str, query: str) -> tuple[int, float]:
    """(bytes of index files fetched, seconds) from opening the search page with `query` until its
    results show; the manifest is left out, as the page fetches it before any query."""
    page = browser.new_page()
    moved: list[int] = []
    page.on(
        "requestfinished",
        lambda r: (
            "/search/" in r.url and not r.url.endswith("index.json") and moved.append(r.sizes()["responseBodySize"])
        ),
    )
    started = time.perf_counter()
    page.goto(f"{url}/search.html?q={quote(query)}")
    page.wait_for_function(
        "() => /找到|没有找到/.test(document.querySelector('.search-status').textContent)", timeout=120000
    )
    seconds = time.perf_counter() - started
    page.close()
    return sum(moved), seconds
