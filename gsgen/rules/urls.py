"""URL: every published name is lower-case ASCII, and no two files claim one address."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from gsgen.model import Site
from gsgen.paths import RESERVED_ITEM_NAMES, is_valid_name, proposed_name
from gsgen.rules import Finding, site_rule


def _bad_segment(path: str) -> tuple[str, str] | None:
    """The first segment of `path` that is not a valid name, with a proposed replacement."""
    for segment in path.split("/"):
        stem, ext = posixpath.splitext(segment)
        if not is_valid_name(stem) or (ext and not is_valid_name(ext[1:])):
            return segment, proposed_name(stem) + ext.lower()
    return None


def _message(kind: str, segment: str, proposal: str) -> str:
    return f"{kind}名「{segment}」不能作为网址：只能用小写英文字母、数字和 -，建议改为 {proposal}"


@site_rule("URL")
def url_names(site: Site) -> Iterator[Finding]:
    for column in site.columns.values():
        bad = _bad_segment(posixpath.basename(column.path))
        if bad:
            yield Finding(column.file, 0, _message("栏目文件夹", *bad))
    for item in site.items.values():
        bad = _bad_segment(item.slug)
        if bad:
            suffix = posixpath.splitext(item.file)[1]  # the item's own .md/.yaml, kept in the proposal
            yield Finding(item.file, 0, _message("文件", bad[0] + suffix, bad[1] + suffix))
        elif RESERVED_ITEM_NAMES.match(item.slug):
            yield Finding(item.file, 0, f"文件名 {item.slug} 与栏目页的网址冲突，请换一个名字")
    for asset in site.assets:
        folders = [p for p in _parents(asset) if p not in site.columns and p not in site.items]
        bad = _bad_segment("/".join([*(posixpath.basename(p) for p in folders), posixpath.basename(asset)]))
        if bad:
            yield Finding(f"content/{asset}", 0, _message("文件", *bad))


def _parents(path: str) -> list[str]:
    parents = []
    while path := posixpath.dirname(path):
        parents.append(path)
    return parents[::-1]
