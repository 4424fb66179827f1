"""SAFE-FILE: no file a page publishes holds active content (gate/attachments.py).

Every file under content/ that a published item names — its attachments, picture, data file, the
files of its type (photos, forms, a video), the files its body links to or shows — and the pictures
config.yaml names, is checked by format. A finding is reported where the editor named the file: the
`attachments:` entry's line, the body line that links it, the config.yaml line; and once for each
item that names it, since each item publishes it.
"""

from __future__ import annotations

import html
from collections.abc import Iterator

from gsgen.coltypes import FILE_KEYS
from gsgen.diagnostics import Severity
from gsgen.gate.attachments import message, unchecked_message
from gsgen.gate.files import publishable_content, suffix
from gsgen.gate.urls import target
from gsgen.model import Item, Site
from gsgen.paths import CONTENT, resolve_ref
from gsgen.rules import Finding, site_rule
from gsgen.rules.published import HTML_REF


@site_rule("SAFE-FILE")
def active_files(site: Site) -> Iterator[Finding]:
    for rel, places in published_files(site).items():
        verdict = site.file_verdicts.read(site.root / CONTENT / rel, suffix(rel))
        name = rel.rsplit("/", 1)[-1]
        refused, unchecked = message(name, verdict), unchecked_message(name, verdict)
        for file, line in places:
            if refused:
                yield Finding(file, line, refused)
            if unchecked:
                yield Finding(file, line, unchecked, Severity.WARN)


def published_files(site: Site) -> dict[str, list[tuple[str, int]]]:
    """The files under content/ that the site publishes as they are (not SVG pictures, which the file
    gate cleans), now or when a held item falls due, each with the places that name it: (file, line),
    once per item."""
    assets = set(site.assets)
    found: dict[str, list[tuple[str, int]]] = {}

    def add(rel: str | None, file: str, line: int) -> None:
        if rel in assets and publishable_content(rel) and suffix(rel) != "svg":
            places = found.setdefault(rel, [])
            if not any(f == file for f, _line in places):
                places.append((file, line))

    for item in site.checked_items:  # a held item's files too: found when it is scheduled, not on its day
        for rel, line in item_files(item, assets):
            add(rel, item.file, line)
    from gsgen.config import SITE_PICTURES  # here: config.py imports the rules' catalogue

    info, domain = site.config.site, site.config.site.domain
    for key in SITE_PICTURES:
        add(_own_file(getattr(info, key), domain), site.config.file, site.config.doc.line("site", key))
    for media in site.config.new_media:
        add(_own_file(media.qr, domain), site.config.file, media.line)
    return found


def item_files(item: Item, assets: set[str]) -> Iterator[tuple[str | None, int]]:
    """The files an item names, each with the line of its file that names it."""
    doc = item.doc
    if item.image:
        yield item.image, doc.line("image")
    for attachment in item.attachments:
        yield attachment.file, attachment.line
    if item.data.get("file"):
        yield item.data["file"], doc.line("data")
    for key, value in item.data.items():
        if key in FILE_KEYS and isinstance(value, str):
            yield value, doc.line(key)
        for n, record in enumerate(value if isinstance(value, list) else ()):
            if isinstance(record, dict):
                for field in FILE_KEYS.keys() & record.keys():
                    if isinstance(record[field], str):
                        yield record[field], doc.line(key, n, field)
    if item.parsed:
        for ref in item.parsed.refs:
            yield ref.target, ref.line
        for line, raw in item.parsed.raw_html:
            for url in HTML_REF.findall(raw):
                yield resolve_ref(item.path, html.unescape(url), assets), line


def _own_file(url: str | None, domain: str | None) -> str | None:
    """The file under content/ a picture of config.yaml is, by its address on the site."""
    if not url:
        return None
    found = target(url, domain)
    return found.path.lstrip("/") if found.own else None
