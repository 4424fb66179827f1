"""政府信息公开: the fields of the 信息公开目录, the 目录 itself (generated from every published
item's metadata, never written by hand) and the year a 信息公开年报 reports on.

The 目录 lives in the site's first column of type 信息公开目录 when there is one (that column's pages
ARE the 目录), else at CATALOGUE_FOLDER. Either way it is paginated like a column (`paginate`), newest
first, with one filtered 目录 per column at `<目录>/lm/<column path>/index.html` ("lm": 栏目), so a
reader narrows a city portal's 10,000 items without any script.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from gsgen import fields as f
from gsgen.coltypes import CATALOGUE, OPEN_REPORT
from gsgen.dates import YEARS
from gsgen.fields import FieldReader
from gsgen.model import Column, Item, Site, children_in_order, newest_first

CATALOGUE_FOLDER = "xxgkml"  # the 目录's address when no column is of type 信息公开目录: /xxgkml/index.html
FILTER_FOLDER = "lm"  # the per-column 目录 under the 目录's folder: /xxgkml/lm/gzdt/index.html
CATALOGUE_NAME = "信息公开目录"
YEAR_IN_TITLE = re.compile(r"(\d{4})\s*年")


# ---------------------------------------------------------------- fields, read with the item


def read_fields(r: FieldReader, item: Item) -> None:
    """The 目录's own fields (any item: index_no, topic, written) and a 年报's `year`."""
    item.index_no = r.get("index_no", f.text)
    item.topic = r.get("topic", f.text)
    item.written = r.get("written", f.when)
    if item.column.type == OPEN_REPORT:
        year = r.get("year", f.whole)
        if year is not None and year not in YEARS:
            r.report("FIELD", "year", f"year 应为年报所报告的年份（如 2025），而不是 {year}")
            year = None
        item.year = year


def report_year(item: Item) -> int | None:
    """The year a 信息公开年报 reports on: `year:`, else the first 4-digit year of the title (2025年)."""
    if item.year is not None:
        return item.year
    match = YEAR_IN_TITLE.search(item.title or "")
    return int(match[1]) if match and int(match[1]) in YEARS else None


# ---------------------------------------------------------------- one row of the 目录


def index_number(site: Site, item: Item) -> str:
    """索引号: the editor's `index_no`, else `<网站标识码>/<item path>`.

    Why the path: it is unique (two items can never publish to one address) and it depends on the
    item alone, so adding, removing or re-dating other items never renumbers this one, unlike the
    running serial numbers of hand-kept 目录 (which change when an item is inserted). It changes only
    when the item itself moves, which changes its address too. The 标识码 prefix tells one site's
    numbers from another's when 目录 are gathered (a city portal's from its counties').
    """
    if item.index_no:
        return item.index_no
    code = site.config.site.id_code
    return f"{code}/{item.path}" if code else item.path


def topic(item: Item) -> str:
    """主题分类: `topic`, else the name of the item's column."""
    return item.topic or item.column.name


def issuer(item: Item) -> str | None:
    """发布机构: a policy's issuing body (发文机关), else the item's source."""
    return (item.issuer if item.is_policy else None) or item.source


@dataclass(frozen=True)
class Entry:
    """One row of the 目录, as the template shows it."""

    index_no: str
    title: str
    url: str
    topic: str
    issuer: str
    doc_number: str
    written: datetime | None
    date: datetime | None


def entry(site: Site, item: Item) -> Entry:
    return Entry(
        index_number(site, item),
        item.title or "",
        item.url,
        topic(item),
        issuer(item) or "",
        item.doc_number or "",
        item.written,
        item.date,
    )


# ---------------------------------------------------------------- where the 目录 lives


def catalogue_column(site: Site) -> Column | None:
    """The column whose pages are the 目录: the first (in content order) of type 信息公开目录."""
    return next((c for c in site.columns.values() if c.type == CATALOGUE and not c.url), None)


def catalogue_folder(site: Site) -> str:
    column = catalogue_column(site)
    return column.path if column else CATALOGUE_FOLDER


def catalogue_href(site: Site) -> str:
    return f"/{catalogue_folder(site)}/index.html"


def filter_folder(site: Site, column: Column) -> str:
    return f"{catalogue_folder(site)}/{FILTER_FOLDER}/{column.path}"


Filter = tuple[Column, int, str]  # a column, how many items it shows, its 目录's first page


def filter_columns(site: Site) -> list[Filter]:
    """The columns a reader can narrow the 目录 to, in navigation order, with how many items each
    shows (its sub-columns included) and where: every column that holds a published item."""
    found: list[Filter] = []
    folder = catalogue_folder(site)

    def walk(column: Column) -> None:
        if column.url:
            return
        count = len(column.all_items())
        if count:
            found.append((column, count, f"/{folder}/{FILTER_FOLDER}/{column.path}/index.html"))
        for child in children_in_order(column):
            walk(child)

    for top in site.top_columns:
        walk(top)
    return found


@dataclass(frozen=True)
class CatalogueView:
    """One set of 目录 pages: every item, or those of one column (`within`)."""

    folder: str  # output folder of its pages
    items: list[Item]
    within: Column | None = None


def catalogue_views(site: Site, filters: list[Filter]) -> Iterator[CatalogueView]:
    yield CatalogueView(catalogue_folder(site), newest_first(site.published))
    for column, _count, _href in filters:
        yield CatalogueView(filter_folder(site, column), column.all_items(), column)


def catalogue_context(site: Site, view: CatalogueView, entries: list[Entry], filters: list[Filter]) -> dict[str, Any]:
    """What the template shows beside the pager: the rows, the filter links and the column tags.
    Rows are given by value (`Entry`), which is also what the page's fingerprint counts."""
    column = catalogue_column(site)
    name = column.name if column else CATALOGUE_NAME
    return {
        "directory": {
            "name": name,
            "href": catalogue_href(site),
            "within": view.within,
            "filters": filters,
            "total": len(view.items),
        },
        "column": column,
        "entries": entries,
        "meta": {
            "ColumnName": name,
            "ColumnDescription": (column.description if column else "")
            or "本网站全部已发布信息的政府信息公开目录：索引号、主题分类、发布机构、文号、成文日期和发布日期",
            "ColumnKeywords": ",".join(column.keywords if column and column.keywords else [name, "政府信息公开"]),
            "ColumnType": CATALOGUE,
        },
    }
