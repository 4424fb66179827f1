"""Everything a site publishes, as text with its place: what PRIVACY, SECRECY and WORDS read.

Item fields and body lines (at their file line), the fields of columns, and the files under content/
that published items use and that hold text — data tables, attachments, files a body links to —
cell by cell, paragraph by paragraph, page by page (filetext.py). An item's own texts are read item by
item (`item_texts`), so that a rule's findings on them can be kept with the item's file
(`rules.each_item`); the rest is read once per site, for the three rules to share (`published`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from gsgen.filetext import has_text
from gsgen.model import Item, Site
from gsgen.paths import CONTENT, resolve_ref

UNSCANNED = {"allow_personal_info"}
HEAD_LINES = 3  # the first lines of a document, where a classification mark stands
# References in a body's raw HTML: the files they point to are published with the page.
HTML_REF = re.compile(r"""\b(?:href|src)\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)


class Text(NamedTuple):  # a tuple: 300,000 of them for a 10,000-item site, made in a second less
    file: str  # the published file it is in: an item, a column's settings, a file under content/
    line: int  # its line in that file; 0 where the place says where it is (a page of a PDF)
    place: str  # in a file under content/: "第 4 行「身份证号」列", "第 3 页"…; "" in an item or column
    text: str
    head: bool = False  # among the first lines of a body or a file
    items: tuple[Item, ...] = ()  # the items whose allow_personal_info applies to it
    attached: bool = False  # in a file under content/ rather than in an item's own text


@dataclass
class Published:
    """What a site publishes besides its items' own texts: columns' fields and files' contents."""

    texts: list[Text] = field(default_factory=list)
    # Files read only in part or not at all: (file, why, whether some of it was read)
    unread: list[tuple[str, str, bool]] = field(default_factory=list)


def item_texts(item: Item) -> Iterator[Text]:
    """Every piece of text an item publishes, at its file line: field values, then body lines.
    A body line is read as the page shows it: `&#49;` is the digit 1 to a reader."""
    file, items = item.file, (item,)
    for path, value in item.doc.strings():
        if path[:1] and path[0] not in UNSCANNED:
            yield Text(file, item.doc.line(*path), "", value, False, items)
    head_lines = 0
    for n, line in enumerate(item.body.split("\n")):
        text = html.unescape(line) if "&" in line else line
        head = head_lines < HEAD_LINES and bool(text.strip())
        head_lines += head
        yield Text(file, item.body_line + n, "", text, head, items)


_last: list[tuple[Site, Published]] = []  # the site last read: the three rules read it in turn


def published(site: Site) -> Published:
    if _last and _last[0][0] is site:
        return _last[0][1]
    found = Published()
    for column in site.columns.values():
        for path, value in column.doc.strings():
            found.texts.append(Text(column.file, column.doc.line(*path), "", value))
    for rel, items in sorted(_files(site).items()):
        file = f"{CONTENT}/{rel}"
        read = site.file_texts.read(site.root / CONTENT / rel, rel.rsplit(".", 1)[-1].lower())
        for n, piece in enumerate(read.pieces):
            found.texts.append(Text(file, piece.line, piece.place, piece.text, n < HEAD_LINES, items, True))
        if read.unread:
            found.unread.append((file, read.unread, bool(read.pieces)))
    _last[:] = [(site, found)]
    return found


def forget() -> None:
    """Let go of the texts of the site last read (a 10,000-item site's are tens of MB)."""
    _last.clear()


def _files(site: Site) -> dict[str, tuple[Item, ...]]:
    """The files under content/ with text that published (or held) items use, and the items using each."""
    assets = set(site.assets)
    users: dict[str, list[Item]] = {}
    for item in site.checked_items:
        used = [a.file for a in item.attachments] + sorted(item.type_files())  # and a guide's forms, samples…
        if item.data.get("file"):
            used.append(item.data["file"])
        if item.parsed:
            used += [ref.target for ref in item.parsed.refs if ref.target]
            for _line, raw in item.parsed.raw_html:
                used += [resolve_ref(item.path, html.unescape(url), assets) for url in HTML_REF.findall(raw)]
        for rel in dict.fromkeys(used):
            if rel in assets and has_text(rel):
                users.setdefault(rel, []).append(item)
    return {rel: tuple(items) for rel, items in users.items()}
