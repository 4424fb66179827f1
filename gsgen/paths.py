"""Names and references: what a published name may be (URL), and how a reference written in an
item (`photo.jpg`, `../zcwj/2024-003.md`) resolves to a file under content/."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Container

from pypinyin import lazy_pinyin

CONTENT = "content"  # the folder of columns and items, under the site's root
ITEM_SUFFIXES = (".md", ".yaml", ".yml")  # files under content/ that are items, not assets
# A field that links somewhere is a web address when it starts with a scheme (or //), else a site path.
SCHEME = re.compile(r"^\s*(?:[A-Za-z][A-Za-z0-9+.-]*:|//)")
NAME = re.compile(r"^[a-z0-9-]+$")
# Names the site itself writes at a column's top: an item cannot take them.
RESERVED_ITEM_NAMES = re.compile(r"^(index|index_\d+|rss)$")


def is_valid_name(name: str) -> bool:
    return bool(NAME.match(name))


def proposed_name(name: str) -> str:
    """A lower-case ASCII name for `name`: Chinese becomes pinyin, the rest is folded to `-`."""
    spelled = "".join(lazy_pinyin(name))
    folded = re.sub(r"[^a-z0-9]+", "-", spelled.lower()).strip("-")
    return re.sub(r"-{2,}", "-", folded) or "item"


def escapes_content(item_path: str, ref: str) -> bool:
    """Whether a reference climbs out of content/ (`../../etc/passwd`)."""
    if ref.startswith("/"):
        return posixpath.normpath(ref.lstrip("/")).startswith("..")
    return posixpath.normpath(posixpath.join(posixpath.dirname(item_path), ref)).startswith("..")


def resolve_ref(item_path: str, ref: str, files: Container[str]) -> str | None:
    """The content path a reference from item `item_path` points at, or None if nothing is there.

    A relative reference is looked up in the item's own folder (`gzdt/a/photo.jpg` for item
    `gzdt/a`) first, then beside the item; `/x/y.jpg` is taken from content/. A Markdown source
    (`.md`) stands for the page it becomes.
    """
    ref = ref.split("#", 1)[0].split("?", 1)[0]
    if not ref:
        return None
    if ref.startswith("/"):
        candidates = [ref.lstrip("/")]
    else:
        folder = posixpath.dirname(item_path)
        candidates = [posixpath.join(item_path, ref), posixpath.join(folder, ref)]
    for candidate in candidates:
        normal = posixpath.normpath(candidate)
        if normal.startswith("../") or normal == "..":
            continue  # outside content/: never published
        if normal in files:
            return normal
    return None


def site_path(ref: str) -> str:
    """A site item or column as an editor may write it (/zcwj/2024-003.html, zcwj/2024-003.md, bsfw/)
    in the form of `Site.items` and `Site.columns` keys."""
    path = ref.split("#", 1)[0].split("?", 1)[0].strip().strip("/")
    for ending in (".html", ".md", ".yaml", ".yml"):
        path = path.removesuffix(ending)
    return path.removesuffix("/index") if path != "index" else ""
