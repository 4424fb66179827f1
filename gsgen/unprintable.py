"""Characters that are not text: which ones a site's files may not hold, and how gsgen shows them on
a terminal.

In what editors write (fields, Markdown, data files), control characters other than tab and line
breaks — U+0000–U+001F, U+007F–U+009F — and U+FFFE/U+FFFF are never meant: they come from a copy
and paste, or from a YAML escape such as `"\\e"` or `"\\x01"`. They are invisible on a page, XML
forbids most of them (a feed holding one is ill-formed: no reader opens it), and on a terminal ESC
and CR rewrite what was printed before. Lone surrogates (`"\\ud800"`) are not text either and cannot
be written as UTF-8. Bidi controls are allowed in text (Uyghur, Arabic), but not on a terminal.

On a terminal, a diagnostic quotes file names and values, so a file named `a\\r构建完成b.md` or a
title holding `\\e[2K\\e[1A` could make a CI log say what did not happen. `for_terminal` shows every
such character as an escape (`\\u001b`, `\\u202e`) — in the form a JSON string also reads, so JSON
printed through it stays JSON.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TextIO

FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# On a terminal: the above, CR, the bidi controls (LRM/RLM, ALM, embeddings and overrides, isolates)
# and the line and paragraph separators that some log viewers break lines at.
_TERMINAL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]"
)


def first_forbidden(text: str) -> str | None:
    """The first character of `text` that a site's text may not hold, if any."""
    found = FORBIDDEN.search(text)
    return found.group() if found else None


def codepoint(ch: str) -> str:
    """A character as messages name it: U+001B."""
    return f"U+{ord(ch):04X}"


def for_terminal(text: str) -> str:
    """`text` with every character that could move the cursor, erase or reorder what a terminal shows
    written as a visible escape: ESC as \\u001b, CR as \\u000d, U+202E as \\u202e."""
    return _TERMINAL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


class TerminalStream:
    """A text stream (sys.stdout, sys.stderr) that writes everything through `for_terminal`: what
    gsgen prints — diagnostics, progress, usage errors, a library's warnings — quotes file names and
    values, and none of them may steer the terminal."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        return self.stream.write(for_terminal(text))

    def writelines(self, lines: Iterable[str]) -> None:
        self.stream.writelines(for_terminal(line) for line in lines)

    def __getattr__(self, name: str) -> Any:  # flush, fileno, isatty, encoding… as the stream has them
        return getattr(self.stream, name)


@contextmanager
def terminal_streams() -> Iterator[None]:
    """sys.stdout and sys.stderr as `TerminalStream`s while the block runs."""
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = TerminalStream(sys.stdout), TerminalStream(sys.stderr)  # type: ignore[assignment]
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved
