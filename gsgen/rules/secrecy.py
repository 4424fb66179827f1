"""SECRECY: classification marks (密级标志) and internal-use markings in anything published.

A mark is a mark by its form, not by its words: 秘密★1年 wherever it stands; 机密, 内部资料 or 注意保密
standing alone as a line, a cell, a paragraph or a field; such a word leading one of the first lines
of a document; 密级：秘密. The same words in prose (保守国家秘密, 不得公开内部资料) are no mark.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from gsgen.model import Site
from gsgen.rules import Finding, each_item, site_rule
from gsgen.rules.published import Text, item_texts, published

LEVELS = ("绝密", "机密", "秘密")
MARKS = (*LEVELS, "内部资料", "内部文件", "内部使用", "注意保存", "注意保密")
_MARK = "|".join(MARKS)
STARRED = re.compile(r"(?:绝密|机密|秘密)\s*[★☆]\s*(?:\d+\s*[年个月]+|长期)?")
GRADED = re.compile(r"密级\s*[:：]?\s*(?:绝密|机密|秘密|内部)")
# Only marks, between punctuation, spaces and Markdown markup (`# 秘密`, `【内部资料】`, `**机密**`).
ALONE = re.compile(rf"[\W_]*(?:(?:{_MARK})[\W_]*)+")
# A mark leading a line, followed by a space or punctuation rather than more words (内部资料 请勿外传).
LEADING = re.compile(rf"[\W_]*(?:{_MARK})(?:[\W_]|$)")


def classification_mark(text: str, head: bool = False) -> str | None:
    """The mark in `text`, or None; `head`: the text is one of the first lines of a document."""
    if "密" not in text and "内部" not in text and "注意保" not in text:
        return None
    found = STARRED.search(text) or GRADED.search(text)
    if found:
        return found[0].strip()
    stripped = text.strip()
    cells = stripped.strip("|").split("|") if stripped.startswith("|") else []  # a Markdown table row
    for cell in (stripped, *cells):
        if ALONE.fullmatch(cell.strip()):
            return cell.strip(" \t*#>|-")
    if head and LEADING.match(stripped):
        return stripped[:20]
    return None


@site_rule("SECRECY")
def secrecy(site: Site) -> Iterator[Finding]:
    yield from each_item(site, "SECRECY", lambda item: _marked(item_texts(item)))
    yield from _marked(published(site).texts)


def _marked(texts: Iterable[Text]) -> Iterator[Finding]:
    for text in texts:
        mark = classification_mark(text.text, text.head)
        if mark:
            yield Finding(text.file, text.line, _message(text, mark))


def _message(text: Text, mark: str) -> str:
    what = "密级标志" if any(level in mark for level in LEVELS) else "内部资料标注"
    where = f"{text.place}：" if text.place else ""
    remove = "请撤下该文件" if text.attached else "请撤下该信息"
    return f"{where}发现「{mark}」：这是{what}，涉密或内部信息不得在政府网站公开：{remove}并按保密审查流程处理"
