"""CSV as gsgen writes it, for whoever opens it in a spreadsheet: the 数据发布 downloads
(`/<item>.csv`), the 年度工作报表 (`/ndbb/<year>.csv`) and `gsgen report --format csv`.

A spreadsheet evaluates a cell that starts with `=`, `+`, `-` or `@` as a formula (Excel and
LibreOffice also after leading spaces, and a leading tab or line break is how a formula is hidden
behind one): `=HYPERLINK(…)` makes a link to anywhere, `=cmd|' /C calc'!A0` runs a program through
DDE, `=WEBSERVICE(…)` sends the sheet's data away. As OWASP's "CSV Injection" advises, such a cell
is written with a leading `'`, which makes it text, except a plain number (`-3.2`, `+5`, `1,234`,
`-12%`), which a spreadsheet reads as a number and nothing else, and a lone `-`. Every cell that
holds a line break (CR as well as LF) is quoted, so a value cannot start a row of its own.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from typing import Any

# What makes a spreadsheet read a cell as a formula (OWASP: = + - @, tab, carriage return; OWASP ASVS
# 1.2.10 adds NUL; line feed too, as it starts a new line within the cell).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\0")
_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?(?:[eE][+-]?\d+)?%?")


def is_number(text: str) -> bool:
    """A plain number as a spreadsheet reads it: 226.4, -3.2, +5, 1,234, 1e6, -12%."""
    return any(ch.isdigit() for ch in text) and _NUMBER.fullmatch(text.strip()) is not None


def formula_like(text: str) -> bool:
    """Whether a spreadsheet would evaluate this cell: not a plain number, nor a lone `-` (how a table
    says 无, which no spreadsheet computes)."""
    stripped = text.lstrip()
    if not (text.startswith(FORMULA_STARTS) or stripped.startswith(FORMULA_STARTS)):
        return False
    return not is_number(text) and text.strip() != "-"


def cell(value: Any) -> Any:
    """The value as a spreadsheet must get it: formulas made text with a leading `'`; numbers as they are."""
    if isinstance(value, str) and formula_like(value):
        return "'" + value
    return value


def csv_text(rows: Iterable[Iterable[Any]]) -> str:
    """The rows as CSV, every cell through `cell`, lines ending in \\n (no BOM: the caller adds the one
    Excel needs when it writes a file). The csv module quotes a cell holding LF (the line terminator)
    but not one holding a lone CR, which spreadsheets also read as a line break: a row with such a
    cell is written with every cell quoted."""
    out = io.StringIO()
    minimal = csv.writer(out, lineterminator="\n")
    quoted = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
    for row in rows:
        cells = [cell(value) for value in row]
        (quoted if any(isinstance(c, str) and "\r" in c for c in cells) else minimal).writerow(cells)
    return out.getvalue()
