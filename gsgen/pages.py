"""Stage 2, the site's pages: every file the build writes, as data (`Page`), before any rendering.

Each page names its output path, its template and what the template is given beyond the site itself;
rendering is then a pure function of (page, site, theme) — see render.py.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from pypinyin import lazy_pinyin

from gsgen import workreport, xxgk
from gsgen.coltypes import (
    CATALOGUE,
    HOMEPAGE_TYPE,
    INTERPRETATION_TYPES,
    NEWS,
    OPEN_GOVERNMENT,
    OPEN_GUIDE,
    POLICY,
    SERVICES,
)
from gsgen.dates import day, display
from gsgen.model import Column, Item, Site, children_in_order, newest_first
from gsgen.spreadsheet import csv_text

HOME_LATEST = 8  # items per channel on the homepage
HOME_SERVICES = 6  # 高频办事 tiles on the homepage (top_services)
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
    directory = xxgk.catalogue_column(site)  # its pages are the 信息公开目录's
    gathered = open_government(site)  # on the homepage and on the column that gathers 政府信息公开
    return [
        home_page(site, gathered),
        *(
            p
            for c in site.columns.values()
            if not c.url and c is not directory
            for p in column_pages(site, c, gathered)
        ),
        *catalogue_pages(site),
        *work_report_pages(site),
        *(p for item in site.published for p in item_pages(site, item)),
        Page("404.html", "404.html"),
        Page(SEARCH_PAGE, "search.html", {"title": "站内搜索"}),
        Page("sitemap.html", "sitemap.html", {"title": "网站地图", "generated": generated_links(site)}),
        Page("sitemap.xml", "sitemap.xml", sitemap_context(site)),
    ]


def sitemap_context(site: Site) -> dict[str, Any]:
    """Every item newest first, and each one's (address, lastmod) as the sitemap prints them: worked
    out here rather than by 10,000 calls from the template's sandbox, a tenth of a second of every
    save that gsgen serve makes of a large site."""
    items = newest_first(site.published)
    return {"items": items, "entries": [(site.absolute(item.url), day(item.date)) for item in items]}


def home_page(site: Site, gathered: dict[str, Any]) -> Page:
    channels = sorted((c for c in site.channels if not c.url), key=home_rank)
    sections = [(c, c.all_items()[:HOME_LATEST]) for c in channels]
    topics = sorted(site.topics, key=lambda c: (c.order, c.path))
    services = next((c for c in site.columns.values() if c.type == SERVICES and not c.url), None)
    return Page(
        "index.html",
        "home.html",
        {
            "sections": sections,
            "services": services,
            "top_services": top_services(services) if services else [],
            "open_government": gathered,
            "lead_story": lead_story(sections),
            "active_topics": [t for t in topics if not t.archived_at],
            "archived_topics": [t for t in topics if t.archived_at],
            "notices": home_notices(site),
            "meta": homepage_meta(site),
        },
    )


def top_services(column: Column) -> list[Item]:
    """The homepage's 高频办事: the guides marked `frequent: true`, then the newest others, HOME_SERVICES
    in all, each group newest first."""
    guides = column.all_items()
    frequent = [g for g in guides if g.data.get("frequent")]
    return (frequent + [g for g in guides if not g.data.get("frequent")])[:HOME_SERVICES]


def home_rank(column: Column) -> int:
    """Where a channel's latest items come on the homepage: news first, then policies and their
    interpretations, then the rest in the order of config.yaml `channels` (a stable sort)."""
    if column.type == NEWS:
        return 0
    if column.type == POLICY:
        return 1
    return 2 if column.type in INTERPRETATION_TYPES else 3


def lead_story(sections: list[tuple[Column, list[Item]]]) -> dict[str, Any] | None:
    """The newest item with a picture among the homepage's news (工作动态 channels), shown with it at
    the head of its channel; None when no recent news has one."""
    for column, items in sections:
        if column.type == NEWS:
            for item in items:
                if item.image:
                    return {"channel": column.path, "item": item}
    return None


def open_government(site: Site) -> dict[str, Any]:
    """The 政府信息公开 entries a citizen looks for (指引 三(一)): (name, address) of each column of the
    types in OPEN_GOVERNMENT that the site has, the 信息公开目录 always (gsgen makes it), and the
    column that gathers the 指南/年报/依申请公开 columns, if one does, as the block's own address."""
    by_type: dict[str, Column] = {}
    for column in site.columns.values():
        by_type.setdefault(column.type, column)
    links = []
    for kind in OPEN_GOVERNMENT:
        if kind == CATALOGUE:
            links.append((xxgk.CATALOGUE_NAME, xxgk.catalogue_href(site)))
        elif kind in by_type:
            links.append((by_type[kind].name, by_type[kind].href))
    guide = by_type.get(OPEN_GUIDE)
    hub = guide.parent if guide is not None else None
    return {"links": links, "href": hub.href if hub is not None else xxgk.catalogue_href(site)}


def home_notices(site: Site) -> list[dict[str, str | None]]:
    """The notices shown at the top of the homepage at the time of the build (config.yaml `notices`),
    emergencies first. A static page shows them as of its build: a daily scheduled build takes an
    expired notice down."""
    now = site.now
    current = [n for n in site.config.notices if now is None or (n.start <= now and (n.end is None or now < n.end))]
    shown = []
    for notice in sorted(current, key=lambda n: (n.kind != "紧急", n.start)):
        target = site.page_at(notice.path) if notice.path is not None else None
        href = notice.url or (page_href(target) if target else None)
        shown.append(
            {
                "title": notice.title,
                "kind": notice.kind,
                "text": notice.text,
                "href": href,
                "date": display(notice.start),
            }
        )
    return shown


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


def column_pages(site: Site, column: Column, gathered: dict[str, Any]) -> Iterator[Page]:
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
                "section": section_of(column),
                "open_government": gathered if number == 1 and gathered["href"] == column.href else None,
                "catalogue": service_catalogue(column, items) if number == 1 else None,
            },
        )
    yield Page(f"{column.path}/rss.xml", "rss.xml", {"column": column, "items": items[:FEED_SIZE]})


def section_of(column: Column) -> dict[str, Any] | None:
    """The side navigation of a column page: its top-level column and that column's sub-columns, so
    that a reader in 通知公告 sees 政务要闻 beside it; None for a column without sub-columns or siblings."""
    top = column.ancestors[0] if column.parent else column
    children = children_in_order(top)
    return {"top": top, "columns": children} if children else None


AUDIENCES = ("个人", "法人")  # 服务对象 in the order portals list them; others follow by pinyin


def service_catalogue(column: Column, items: list[Item]) -> dict[str, list[tuple[str, list[Item]]]] | None:
    """The guides of a 办事服务 column by 服务对象 and by 主题, each group newest first like the column:
    citizens look for a service by who they are and what it concerns, not by when it was published."""
    if column.type != SERVICES:
        return None
    by_audience: dict[str, list[Item]] = {}
    by_topic: dict[str, list[Item]] = {}
    for item in items:
        if item.layout == "service":
            for audience in item.data.get("audience") or []:
                by_audience.setdefault(audience, []).append(item)
            for topic in item.data.get("topics") or []:
                by_topic.setdefault(topic, []).append(item)
    if not by_audience and not by_topic:
        return None
    known = {name: n for n, name in enumerate(AUDIENCES)}
    return {
        "audiences": sorted(by_audience.items(), key=lambda g: (known.get(g[0], len(known)), lazy_pinyin(g[0]))),
        "topics": sorted(by_topic.items(), key=lambda g: lazy_pinyin(g[0])),
    }


def related_links(site: Site, item: Item) -> list[dict[str, str]]:
    """A service guide's 相关链接 as the page shows them: a site path becomes its page's address, and
    lends its title where none is written (a path to nothing is a LINKS error, and is left out)."""
    links = []
    for link in item.data.get("related") or []:
        target = site.page_at(link["path"]) if link.get("path") else None
        if link.get("url"):
            links.append({"title": link["title"], "href": link["url"]})
        elif isinstance(target, Item):
            links.append({"title": link["title"] or target.title or target.path, "href": page_href(target)})
        elif isinstance(target, Column):
            links.append({"title": link["title"] or target.name, "href": page_href(target)})
    return links


def page_href(target: Item | Column) -> str:
    """The address of what `Site.page_at` found: an item's page, or a column's."""
    return target.url if isinstance(target, Item) else target.href


def _paged(folder: str, number: int) -> str:
    return f"/{folder}/index.html" if number == 1 else f"/{folder}/index_{number}.html"


def catalogue_pages(site: Site) -> Iterator[Page]:
    """The 信息公开目录 (xxgk.py): every published item, then each column's, paginated like a column."""
    size = site.config.paginate
    filters = xxgk.filter_columns(site)
    column = xxgk.catalogue_column(site)
    rows = {item.path: xxgk.entry(site, item) for item in site.published}  # each item is in two views or more
    for view in xxgk.catalogue_views(site, filters):
        total = max(1, -(-len(view.items) // size))
        urls = tuple(_paged(view.folder, n) for n in range(1, total + 1))
        for number in range(1, total + 1):
            entries = [rows[item.path] for item in view.items[(number - 1) * size : number * size]]
            context = xxgk.catalogue_context(site, view, entries, filters)
            context["pager"] = Pager(number, total, urls)
            context["subcolumns"] = children_in_order(column) if column and view.within is None else []
            yield Page(urls[number - 1].lstrip("/"), "xxgkml.html", context)
    if column is not None:  # the column's feed: the newest items of the 目录
        feed = {"column": column, "items": newest_first(site.published)[:FEED_SIZE]}
        yield Page(f"{column.path}/rss.xml", "rss.xml", feed)


def work_report_pages(site: Site) -> Iterator[Page]:
    """The 年度工作报表 of each complete year, as a page and as CSV, and their index (workreport.py)."""
    for output, data in workreport.pages_data(site):
        if isinstance(data, str):
            yield Page(output, None, body=data)
        else:
            yield Page(output, "ndbb.html" if output.endswith("/index.html") else "workreport.html", data)


def generated_links(site: Site) -> list[tuple[str, str]]:
    """The pages gsgen makes from the content beyond its columns, for the site map."""
    return [
        (xxgk.CATALOGUE_NAME, xxgk.catalogue_href(site)),
        (workreport.TITLE, f"/{workreport.FOLDER}/index.html"),
    ]


def item_pages(site: Site, item: Item) -> Iterator[Page]:
    context = {
        "item": item,
        "interpretations": site.interpretations.get(item.path, []),
        "policy": site.items.get(item.interprets) if item.interprets else None,
        "replaced_by": site.items.get(item.replaced_by) if item.replaced_by else None,
        "related": related_links(site, item),
    }
    yield Page(f"{item.path}.html", "item.html", context)
    if item.layout == "data":
        yield from data_downloads(item)


def data_downloads(item: Item) -> Iterator[Page]:
    """The data behind a 数据发布 page, offered as CSV and JSON (docs/content.md)."""
    header, rows = item.data["header"], item.data["rows"]
    # formulas made text (spreadsheet.py); the JSON keeps every value as written
    yield Page(f"{item.path}.csv", None, body="\ufeff" + csv_text([header, *rows]))  # BOM: Excel reads UTF-8
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
