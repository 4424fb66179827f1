"""Columns and channels: COL-REQUIRED, COL-NAME, CHANNELS."""

from __future__ import annotations

from collections.abc import Iterator

from gsgen.coltypes import PORTAL_REQUIRED_KINDS, REQUIRED_KINDS
from gsgen.diagnostics import Severity
from gsgen.model import Site
from gsgen.rules import Finding, site_rule

MAX_COLUMN_NAME = 10
CHANNEL_RANGE = (5, 8)


@site_rule("COL-REQUIRED")
def col_required(site: Site) -> Iterator[Finding]:
    kinds = list(REQUIRED_KINDS)
    if site.config.site.kind == "portal":
        kinds += PORTAL_REQUIRED_KINDS
    present = {c.type for c in site.columns.values()}
    for label, types in kinds:
        if not present & types:
            example = "、".join(sorted(types))
            yield Finding(
                "content",
                0,
                f"缺少「{label}」栏目：请在 content/ 下新建一个栏目文件夹，"
                f"其 _column.yaml 的 type 为 {example}"
                + ("（可用 url 指向政务服务平台）" if label == "办事服务" else ""),
            )


@site_rule("COL-NAME")
def col_name(site: Site) -> Iterator[Finding]:
    for column in site.columns.values():
        if len(column.name) > MAX_COLUMN_NAME:
            yield Finding(
                column.file,
                column.doc.line("name"),
                f"栏目名称「{column.name}」有 {len(column.name)} 个字，宜简短直白（不超过 {MAX_COLUMN_NAME} 个字）",
            )


@site_rule("CHANNELS")
def channels(site: Site) -> Iterator[Finding]:
    config = site.config
    if config.channels is None:
        return
    line = config.doc.line("channels")
    for n, path in enumerate(config.channels):
        column = site.columns.get(path)
        if column is None or column.parent is not None:
            yield Finding(
                config.file,
                config.doc.line("channels", n),
                f"channels 中的 {path} 不是 content/ 下的顶级栏目文件夹，请改为已有栏目的文件夹名",
                Severity.ERROR,
            )
    low, high = CHANNEL_RANGE
    if not low <= len(config.channels) <= high:
        yield Finding(config.file, line, f"主导航有 {len(config.channels)} 个频道，宜为 {low}–{high} 个")
