"""PLACEHOLDER: a value `gsgen new site` or `gsgen new item` wrote for the editor to replace, still there.

The values, and what to write instead, are defined once in `gsgen/starter.py`. A warning: the new
site builds and previews as it is, and `gsgen build --strict` (as CI runs it) lists what is left.
"""

from __future__ import annotations

from collections.abc import Iterator

from gsgen.model import Item, Site
from gsgen.rules import Finding, each_item, site_rule
from gsgen.starter import placeholder_hint
from gsgen.yamlfile import Doc


def _field(path: tuple) -> str:
    """`site.contact.phone`, `people 第1项的 name`: a field as an editor finds it in the file."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f" 第{part + 1}项的 "
        else:
            text += ("." if text and not text.endswith(" ") else "") + str(part)
    return text.strip()


def _shown(value: str) -> str:
    first = value.strip().splitlines()[0]
    return first + ("……" if first != value.strip() else "")


def _in_doc(file: str, doc: Doc) -> Iterator[Finding]:
    for path, value in doc.strings():
        hint = placeholder_hint(value)
        if hint:
            yield Finding(
                file,
                doc.line(*path),
                f"字段 {_field(path)} 还是 gsgen new 写入的占位内容「{_shown(value)}」：请改为{hint}",
            )


@site_rule("PLACEHOLDER")
def placeholders(site: Site) -> Iterator[Finding]:
    yield from _in_doc(site.config.file, site.config.doc)
    for column in site.columns.values():
        if column.file:
            yield from _in_doc(column.file, column.doc)
    yield from each_item(site, "PLACEHOLDER", _in_item)


def _in_item(item: Item) -> Iterator[Finding]:
    yield from _in_doc(item.file, item.doc)
    hint = placeholder_hint(item.body, body=True) if item.body.strip() else None
    if hint:
        lines = item.body.split("\n")
        blank = next(n for n, line in enumerate(lines) if line.strip())
        yield Finding(
            item.file,
            item.body_line + blank,
            f"正文还是 gsgen new 写入的占位内容「{_shown(item.body)}」：请改为{hint}",
        )
