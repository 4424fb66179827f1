"""WORDS: wrong and sensitive expressions (错敏词) in anything published.

gsgen ships a list every site is checked against (gsgen/data/words.yaml: misspelt names of organs of
state, and the standard 规范表述 of government proofreading); a site adds its own with `checks.words`,
and may allow a word of gsgen's list for a stated reason (`- {allow: 词, reason: 原因}`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

import yaml

from gsgen.diagnostics import Severity
from gsgen.model import Config, Site, WordEntry
from gsgen.rules import Finding, each_item, site_rule
from gsgen.rules.published import Text, item_texts, published

BASELINE = Path(__file__).resolve().parents[1] / "data" / "words.yaml"


@lru_cache(maxsize=1)
def baseline() -> tuple[WordEntry, ...]:
    """gsgen's own list (our file, shipped in the package: read as it is)."""
    entries = yaml.safe_load(BASELINE.read_text("utf-8"))
    return tuple(WordEntry(e["wrong"], e.get("right"), e.get("level", "error"), 0) for e in entries)


def word_list(config: Config) -> list[tuple[WordEntry, bool]]:
    """Every entry a site is checked against, with whether it is gsgen's own: the site's entries,
    then gsgen's that the site neither allows nor gives itself."""
    own = {e.wrong for e in config.words} | {a.word for a in config.words_allowed}
    return [(e, False) for e in config.words] + [(e, True) for e in baseline() if e.wrong not in own]


@site_rule("WORDS")
def words(site: Site) -> Iterator[Finding]:
    config = site.config
    known = {e.wrong for e in baseline()}
    for allowance in config.words_allowed:
        if allowance.word not in known:
            yield Finding(
                config.words_file or "",
                allowance.line,
                f"「{allowance.word}」不在 gsgen 内置的错敏词表中，这一 allow 项不起作用：请删除",
                Severity.WARN,
            )
    listed = _Listed(word_list(config), config.words_file)
    # The key as one string: its hash is worked out once, not once per item as a tuple's would be.
    key = f"WORDS {config.words_file} {listed.entries!r}"
    yield from each_item(site, key, lambda item: listed(item_texts(item)))
    yield from listed(published(site).texts)


class _Listed:
    """The findings of a word list in texts."""

    def __init__(self, entries: list[tuple[WordEntry, bool]], words_file: str | None) -> None:
        self.entries = entries
        self.words_file = words_file
        # One scan of each text for all the words; the entries are matched one by one only where one is.
        self.anyone = re.compile("|".join(re.escape(e.wrong) for e, _ in entries))

    def __call__(self, texts: Iterable[Text]) -> Iterator[Finding]:
        for text in texts:
            if self.anyone.search(text.text):
                yield from self._found(text)

    def _found(self, text: Text) -> Iterator[Finding]:
        where = f"{text.place}：" if text.place else ""
        for entry, builtin in self.entries:
            if entry.wrong in text.text:
                fix = f"应为「{entry.right}」" if entry.right else "请删除或改写"
                severity = Severity.WARN if entry.level == "warn" else Severity.ERROR
                source = (
                    f"gsgen 内置错敏词表。确需保留的，如引用原文，在本站错敏词表（config.yaml 的 checks.words）中写"
                    f" - {{allow: {entry.wrong}, reason: 原因}}"
                    if builtin
                    else f"错敏词表 {self.words_file}"
                )
                yield Finding(text.file, text.line, f"{where}「{entry.wrong}」{fix}（{source}）", severity)
