"""What the index holds of each item page and attachment (a record), in the order of its numbering.

Records are numbered oldest first (then by address), so that the newest items, the ones being added,
take new numbers and leave every other record's number, and the index files that name it, as they were;
and so that a higher number is a later date (sorting by date needs no dates in the index).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from gsgen.coltypes import KINDS, POLICY_STATUSES
from gsgen.dates import display
from gsgen.gate.urls import target
from gsgen.model import Item, Site

ATTACHMENT_KIND = KINDS[-1]
CURRENT = "现行有效"  # how the 状态 filter names a policy in force (its status is 有效)
STATUSES = (CURRENT, *POLICY_STATUSES[1:])


@dataclass(frozen=True)
class Record:
    url: str
    title: str
    text: str  # what the page shows of the item, as text (the title apart)
    date: datetime | None
    column: str
    kind: str  # 类型, one of coltypes.KINDS
    status: str  # 状态 of a policy (one of STATUSES), else ""
    issuer: str  # 发文机关 of a policy, else ""
    source: str
    archived: bool

    @property
    def year(self) -> str:
        return str(self.date.year) if self.date else ""

    @property
    def shown_date(self) -> str:
        return display(self.date) if self.date else ""


def site_records(site: Site, texts: dict[str, str]) -> list[Record]:
    """The records of the site's published items and their attachments, numbered in list order.
    `texts`: each item page's text (by output path), as the render stage found it."""
    records = []
    for item in site.published:
        record = _item_record(item, texts.get(item.path + ".html", ""))
        records.append(record)
        for attachment in item.attachments:
            kind_name = attachment.file.rsplit(".", 1)[-1].upper()
            records.append(
                Record(
                    f"/{attachment.file}",
                    f"{attachment.title}（{kind_name}）",
                    f"附件，见《{record.title}》",
                    record.date,
                    record.column,
                    ATTACHMENT_KIND,
                    record.status,
                    record.issuer,
                    record.source,
                    record.archived,
                )
            )
    return sorted((r for r in records if on_site(r.url)), key=lambda r: (r.date or datetime.min, r.url))


def on_site(url: str) -> bool:
    """A result links only to a page or file of the site itself, by its path: the gate's judgement,
    for the one address the index publishes (the loader has already refused any other)."""
    return url.startswith("/") and not url.startswith("//") and url == url.strip() and target(url).own


def _item_record(item: Item, text: str) -> Record:
    status = ""
    if item.is_policy and item.status:
        status = CURRENT if item.status == POLICY_STATUSES[0] else item.status
    return Record(
        item.url,
        item.title or "",
        text,
        item.date,
        item.column.name,
        item.column.kind.kind if item.column.kind else "其他",
        status,
        (item.issuer or "") if item.is_policy else "",
        item.source or "",
        item.archived_at is not None,
    )
