"""The site model: typed objects that every stage after loading works from.

Values are already parsed (dates are datetimes, lists are lists); a value that could not be parsed is
None and the loader has reported it. `Site` knows its columns and items and how they link, nothing
about HTML.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from gsgen.coltypes import COLUMN_TYPES, FILE_KEYS, INTERPRETATION_TYPES, POLICY, TOPIC, ColumnType
from gsgen.filetext import FileTexts
from gsgen.gate.attachments import Verdicts
from gsgen.markdown import Body
from gsgen.yamlfile import Doc


@dataclass
class Contact:
    phone: str | None = None
    email: str | None = None
    address: str | None = None


@dataclass
class SiteInfo:
    name: str | None = None
    kind: str = "portal"
    domain: str | None = None
    id_code: str | None = None
    base_url: str = ""
    host_unit: str | None = None
    operator_unit: str | None = None
    contact: Contact = field(default_factory=Contact)
    icp: str | None = None
    police_record: str | None = None
    error_report_url: str | None = None
    interaction_url: str | None = None
    conac_url: str | None = None  # 党政机关网站标识 link, where the site has one
    logo: str | None = None  # URL of the logo shown beside the name in the header
    error_report_badge: str | None = None  # the 我为政府网站找错 picture, for its link in the footer
    conac_badge: str | None = None  # the 党政机关网站标识 picture the site was issued
    test_build: bool = False  # base_url set by `gsgen build --base-url` for a test server: pages say noindex


@dataclass(frozen=True)
class WordEntry:
    """An entry of the site's wrong/sensitive-expression list (错敏词, WORDS)."""

    wrong: str
    right: str | None
    level: str  # "error" or "warn"
    line: int


@dataclass(frozen=True)
class WordAllowance:
    """`- {allow: 词, reason: 原因}` in the site's list: a word of gsgen's own list this site may use."""

    word: str
    reason: str
    line: int


@dataclass(frozen=True)
class Suppression:
    """`checks.ignore`: a rule silenced, everywhere or for files matching `path`, for a stated reason."""

    rule: str
    path: str | None
    reason: str
    warnings_only: bool = False  # silences the rule's warnings, never its errors (config.WARNINGS_ONLY)


@dataclass(frozen=True)
class Notice:
    """A notice shown at the top of the homepage from `start` until `end` (config.yaml `notices`):
    an emergency, or the site's opening, migration, temporary closure or change of address."""

    title: str
    kind: str
    start: datetime
    end: datetime | None
    path: str | None  # `link` written as a site item or column (zcwj/2024-003)…
    url: str | None  # …or as a web address, through the URL gate
    text: str | None
    line: int


@dataclass(frozen=True)
class NewMedia:
    """A 政务新媒体 account the site's organisation runs (config.yaml `new_media`)."""

    platform: str
    name: str
    unit: str | None  # 使用单位, when not the site's own host unit
    account: str | None
    qr: str | None  # a picture of the site, by its address: /images/wx.png
    url: str | None
    line: int


@dataclass
class Config:
    site: SiteInfo
    theme: str = "default"
    colors: dict[str, Any] = field(default_factory=dict)
    channels: list[str] | None = None
    review_required: bool = False
    review_levels: list[str] = field(default_factory=list)
    words_file: str | None = None
    trusted_hosts: list[str] = field(default_factory=list)
    words: list[WordEntry] = field(default_factory=list)
    words_allowed: list[WordAllowance] = field(default_factory=list)
    ignore: list[Suppression] = field(default_factory=list)
    holidays: frozenset[date] = frozenset()  # public holidays on weekdays (working-day counts)
    workdays: frozenset[date] = frozenset()  # weekend days worked in their place (调休)
    paginate: int = 20
    hot_words: list[str] = field(default_factory=list)  # 热词 suggested on the search page
    # 年度工作报表 figures the content cannot give, by year (`work_reports`, workreport.py)
    work_reports: dict[int, dict[str, Any]] = field(default_factory=dict)
    notices: list[Notice] = field(default_factory=list)
    new_media: list[NewMedia] = field(default_factory=list)
    doc: Doc = field(default_factory=lambda: Doc({}))
    file: str = "config.yaml"
    # False when config.yaml is missing or cannot be parsed: the site rules then wait for it, since
    # each of them would only report a follow-on of that one error (「缺少 site.name」…).
    readable: bool = True


@dataclass
class Attachment:
    file: str  # path under content/, posix
    title: str
    line: int = 0  # the line of its `file:` in the item's front matter


@dataclass(eq=False)
class Column:
    path: str  # folder under content/, posix: "gzdt" or "gzdt/zwyw"
    name: str
    type: str
    description: str = ""
    keywords: list[str] = field(default_factory=list)
    order: int = 0
    update_period: Any = None
    archived: datetime | None = None
    url: str | None = None  # an external system this column points to
    source: str | None = None  # the usual 来源 of its items, which `gsgen new item` fills in
    parent: Column | None = None
    children: list[Column] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)  # published items directly in this column
    file: str = ""
    doc: Doc = field(default_factory=lambda: Doc({}))

    @property
    def kind(self) -> ColumnType | None:
        return COLUMN_TYPES.get(self.type)

    @property
    def href(self) -> str:
        return self.url or f"/{self.path}/index.html"

    @property
    def ancestors(self) -> list[Column]:
        """From the top-level column down to the parent."""
        chain, parent = [], self.parent
        while parent is not None:
            chain.append(parent)
            parent = parent.parent
        return chain[::-1]

    @property
    def archived_at(self) -> datetime | None:
        """When this column, or the earliest archived column above it, was archived."""
        times = [c.archived for c in [*self.ancestors, self] if c.archived]
        return min(times) if times else None

    @property
    def is_policy_column(self) -> bool:
        return self.type == POLICY

    @property
    def is_topic(self) -> bool:
        """A topic (专题) proper: a 专题 column that does not itself hold 专题 sub-columns."""
        return self.type == TOPIC and not any(c.type == TOPIC for c in self.children)

    def all_items(self) -> list[Item]:
        """Published items of this column and its sub-columns, newest first (COL-ORDER)."""
        items = list(self.items)
        for child in self.children:
            if not child.url:
                items.extend(child.all_items())
        return newest_first(items)


@dataclass(eq=False)
class Item:
    path: str  # under content/, posix, without extension: "gzdt/2024-03-05-meeting"
    file: str  # "content/gzdt/2024-03-05-meeting.md"
    column: Column
    doc: Doc
    title: str | None = None
    date: datetime | None = None
    source: str | None = None
    author: str | None = None
    keywords: list[str] = field(default_factory=list)
    description: str | None = None
    image: str | None = None  # path under content/, posix
    image_size: tuple[int, int] | None = None  # (width, height) in pixels, when its header says
    draft: bool = False
    archived: datetime | None = None
    review: dict[str, str] = field(default_factory=dict)
    allow_personal_info: list[dict[str, str]] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    body: str = ""  # Markdown, for .md items
    body_line: int = 1  # the file line the body starts on
    parsed: Body | None = None  # the body parsed once, for the rules and the renderer
    data: dict[str, Any] = field(default_factory=dict)  # the type's own fields (people, materials…)
    # policies (政策文件)
    doc_number: str | None = None
    issuer: str | None = None
    status: str | None = None
    status_date: datetime | None = None
    replaced_by: str | None = None
    major: bool = False
    normative: bool = False  # 规范性文件: interpreted like a major policy, unless...
    no_interpretation: str | None = None  # ...this states why it needs none
    # interpretations (政策解读 / 回应关切)
    interprets: str | None = None
    # 信息公开目录 (xxgk.py): any item may give these; absent ones are derived when the 目录 is built
    index_no: str | None = None  # 索引号
    topic: str | None = None  # 主题分类
    written: datetime | None = None  # 成文日期
    # 信息公开年报: the year reported on (OPEN-REPORT)
    year: int | None = None
    # basic information (概况信息, 机构职能, 负责人信息): when it was last checked and found still accurate
    reviewed: datetime | None = None

    @property
    def url(self) -> str:
        return f"/{self.path}.html"

    @property
    def slug(self) -> str:
        return self.path.rsplit("/", 1)[-1]

    @property
    def layout(self) -> str:
        kind = self.column.kind
        return kind.layout if kind else "article"

    @property
    def is_policy(self) -> bool:
        return self.column.type == POLICY

    @property
    def is_interpretation(self) -> bool:
        return self.column.type in INTERPRETATION_TYPES

    @property
    def archived_at(self) -> datetime | None:
        times = [t for t in (self.archived, self.column.archived_at) if t]
        return min(times) if times else None

    def type_files(self) -> set[str]:
        """The files under content/ its type's fields name, as resolved: a video, the photos of
        people, the forms, samples and instructions of materials."""
        found = {self.data[key] for key in FILE_KEYS if isinstance(self.data.get(key), str)}
        for value in self.data.values():
            for record in value if isinstance(value, list) else ():
                if isinstance(record, dict):
                    found |= {record[key] for key in FILE_KEYS if isinstance(record.get(key), str)}
        return found


@dataclass
class Site:
    root: Path
    config: Config
    columns: dict[str, Column]  # every column by path, in content order
    items: dict[str, Item]  # every item by path, drafts included
    assets: list[str] = field(default_factory=list)  # other files under content/, published as they are
    interpretations: dict[str, list[Item]] = field(default_factory=dict)  # policy path → its 解读
    now: datetime | None = None  # "today" for the date rules (--now), Asia/Shanghai
    # Items dated after `now` (定时发布), by path: decided once, by load_site, and read through
    # `published`, so that no page, list, feed, index or rule sees them before their time.
    held: frozenset[str] = frozenset()
    file_texts: FileTexts = field(default_factory=FileTexts)  # attachments' text by hash (the build cache's)
    file_verdicts: Verdicts = field(default_factory=Verdicts)  # files' active content by hash (the cache's)

    @property
    def published(self) -> list[Item]:
        return [i for i in self.items.values() if self.is_published(i)]

    @property
    def checked_items(self) -> list[Item]:
        """The published items and those held back: what is checked item by item (its own texts, its
        files) in this build, so that a held item's problem is found when it is scheduled, not in the
        build meant to publish it, which it would stop."""
        return [i for i in self.items.values() if not i.draft]

    def is_published(self, item: Item) -> bool:
        """Neither a draft nor held back until its date."""
        return not item.draft and item.path not in self.held

    def published_with(self, item: Item, target: Item) -> bool:
        """Whether `target` is published by the time `item` is: an item held back may name another
        one held back no later than itself (a policy and its 解读 scheduled together)."""
        if target.draft:
            return False
        if target.path not in self.held:
            return True
        return item.path in self.held and (target.date or datetime.max) <= (item.date or datetime.min)

    @property
    def held_items(self) -> list[Item]:
        """The items held back, soonest first."""
        return sorted((self.items[p] for p in self.held), key=lambda i: (i.date or datetime.min, i.path))

    def happened(self, moment: datetime | None) -> bool:
        """Whether a recorded moment (a review, a reply, an archive) is not after now: a later one is
        an error the build reports (rules/items.py), and must not clear a health finding meanwhile."""
        return moment is not None and (self.now is None or moment <= self.now)

    @property
    def top_columns(self) -> list[Column]:
        return sorted((c for c in self.columns.values() if c.parent is None), key=_column_order)

    @property
    def channels(self) -> list[Column]:
        """The main navigation: `channels` from config in that order, else every top-level column."""
        if self.config.channels is None:
            return self.top_columns
        return [self.columns[p] for p in self.config.channels if p in self.columns]

    @property
    def topics(self) -> list[Column]:
        return [c for c in self.columns.values() if c.is_topic]

    def absolute(self, url: str) -> str:
        return self.config.site.base_url.rstrip("/") + url

    def page_at(self, path: str) -> Item | Column | None:
        """The published item, or else the column, at a content path (zcwj/2024-003, hdjl): what a
        link written as a path, not an address, opens; None where nothing is published."""
        item = self.items.get(path)
        if item is not None and self.is_published(item):
            return item
        return self.columns.get(path)


def held_back(items: dict[str, Item], now: datetime | None) -> frozenset[str]:
    """The paths of items, drafts aside, dated after `now` (none without a clock)."""
    if now is None:
        return frozenset()
    return frozenset(p for p, i in items.items() if not i.draft and i.date is not None and i.date > now)


def newest_first(items: list[Item]) -> list[Item]:
    return sorted(items, key=lambda i: (i.date or datetime.min, i.path), reverse=True)


def _column_order(column: Column) -> tuple[int, str]:
    return (column.order, column.path)


def children_in_order(column: Column) -> list[Column]:
    return sorted(column.children, key=_column_order)
