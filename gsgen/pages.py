"""Stage 2, the site's pages: every file the build writes, as data (`Page`), before any rendering.

Each page names its output path, its template and what the template is given beyond the site itself;
rendering is then a pure function of (page, site, theme) — see render.py.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from gsgen.coltypes import HOMEPAGE_TYPE
from gsgen.model import Column, Item, Site, children_in_order, newest_first

HOME_LATEST = 8  # items per channel on the homepage
FEED_SIZE = 20
SEARCH_PAGE = "search.html"


@dataclass(frozen=True)
class Page:
    output: str  # path under the output folder
    template: str | None  # None: `body` is the file's content as it is
    context: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    body: str = ""


@dataclass(frozen=True)
class Pager:
    number: int
    total: int
    urls: tuple[str, ...]

    @property
    def prev(self) -> str | None:
        return self.urls[self.number - 2] if self.number > 1 else None

    @property
    def next(self) -> str | None:
        return self.urls[self.number] if self.number < self.total else None

    def window(self, around: int = 2) -> list[tuple[int, str] | None]:
        """The page links to show: the first, the last, and `around` either side of this one, with
        None where pages are left out. Listing every page on every page grows with the square of
        the pages (2,000 links on each of 2,000 pages of a large column)."""
        shown = sorted({1, self.total, *range(max(1, self.number - around), min(self.total, self.number + around) + 1)})
        links: list[tuple[int, str] | None] = []
        for n in shown:
            if links and links[-1] is not None and n - links[-1][0] > 1:
                links.append(None)
            links.append((n, self.urls[n - 1]))
        return links


def page_url(column: Column, number: int) -> str:
    return f"/{column.path}/index.html" if number == 1 else f"/{column.path}/index_{number}.html"


def site_pages(site: Site) -> list[Page]:
    return [
        home_page(site),
        *(p for c in site.columns.values() if not c.url for p in column_pages(site, c)),
        *(p for item in site.published for p in item_pages(site, item)),
        Page("404.html", "404.html"),
        Page(SEARCH_PAGE, "search.html", {"title": "站内搜索"}),
        Page("sitemap.html", "sitemap.html", {"title": "网站地图"}),
        Page("sitemap.xml", "sitemap.xml", {"items": newest_first(site.published)}),
    ]


def home_page(site: Site) -> Page:
    sections = [(c, c.all_items()[:HOME_LATEST]) for c in site.channels if not c.url]
    topics = sorted(site.topics, key=lambda c: (c.order, c.path))
    return Page(
        "index.html",
        "home.html",
        {
            "sections": sections,
            "active_topics": [t for t in topics if not t.archived_at],
            "archived_topics": [t for t in topics if t.archived_at],
            "meta": homepage_meta(site),
        },
    )


def homepage_meta(site: Site) -> dict[str, str]:
    """The homepage is a column page of type 首页 (网页设计规范 三、网页标签)."""
    name = site.config.site.name or ""
    kind = "门户网站" if site.config.site.kind == "portal" else "网站"
    return {
        "ColumnName": "首页",
        "ColumnDescription": f"{name}{kind}首页",
        "ColumnKeywords": ",".join([name, *(c.name for c in site.channels)]),
        "ColumnType": HOMEPAGE_TYPE,
    }


def column_pages(site: Site, column: Column) -> Iterator[Page]:
    items = column.all_items()
    size = site.config.paginate
    total = max(1, -(-len(items) // size))
    urls = tuple(page_url(column, n) for n in range(1, total + 1))
    for number in range(1, total + 1):
        yield Page(
            urls[number - 1].lstrip("/"),
            "column.html",
            {
                "column": column,
                "items": items[(number - 1) * size : number * size],
                "pager": Pager(number, total, urls),
                "subcolumns": [c for c in children_in_order(column)],
            },
        )
    yield Page(f"{column.path}/rss.xml", "rss.xml", {"column": column, "items": items[:FEED_SIZE]})


def item_pages(site: Site, item: Item) -> Iterator[Page]:
    context = {
        "item": item,
        "interpretations": site.interpretations.get(item.path, []),
        "policy": site.items.get(item.interprets) if item.interprets else None,
        "replaced_by": site.items.get(item.replaced_by) if item.replaced_by else None,
    }
    yield Page(f"{item.path}.html", "item.html", context)
    if item.layout == "data":
        yield from data_downloads(item)


def data_downloads(item: Item) -> Iterator[Page]:
    """The data behind a 数据发布 page, offered as CSV and JSON (CONTENT.md)."""
    header, rows = item.data["header"], item.data["rows"]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header, *rows])
    yield Page(f"{item.path}.csv", None, body="\ufeff" + out.getvalue())  # BOM: Excel reads UTF-8
    records = [dict(zip(header, row, strict=False)) for row in rows]
    payload = {
        "title": item.title,
        "unit": item.data.get("unit"),
        "period": item.data.get("period"),
        "source": item.source,
        "rows": records,
    }
    yield Page(f"{item.path}.json", None, body=json.dumps(payload, ensure_ascii=False, indent=1) + "\n")


__all__ = ["Page", "Pager", "site_pages"]
