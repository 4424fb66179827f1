"""Typed fields: how each kind of value in config.yaml, _column.yaml and front matter is read.

A `FieldReader` wraps one YAML mapping; `get(key, parser)` returns the parsed value or None and
records a diagnostic (with file and line) when the value has the wrong shape, so every problem in a
file is reported in one run.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any, TypeVar

from gsgen.dates import BadDate, parse_datetime
from gsgen.diagnostics import Diagnostic, Severity
from gsgen.gate.css import canonical_colour
from gsgen.gate.text import visible
from gsgen.gate.urls import scheme_problem, web_address_problem
from gsgen.yamlfile import Doc

T = TypeVar("T")


class FieldError(ValueError):
    pass


def text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        if value.strip() and not visible(value):  # a title of zero-width spaces makes an empty link (DARK-LINK)
            raise FieldError("只有看不见的字符（如零宽空格、填充符），请写上文字，或删除这一项")
        return value.strip() or None
    raise FieldError("应为一段文字" + ("（true/false 需要加引号）" if isinstance(value, bool) else ""))


def texts(value: Any) -> list[str]:
    """A list of words; a single string separated by commas or 、 is accepted too."""
    if value is None:
        return []
    if isinstance(value, str):
        return [w.strip() for w in re.split(r"[,，、;；]", value) if w.strip()]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return [v.strip() for v in value if v.strip()]
    raise FieldError("应为文字列表，如 [词一, 词二]")


def flag(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    raise FieldError("应为 true 或 false")


def when(value: Any) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise FieldError("应为时间，如 2024-03-05 09:30")
    try:
        return parse_datetime(value)
    except BadDate as exc:
        raise FieldError(str(exc)) from None


WHOLE_DIGITS = 9  # orders, page sizes: nothing an editor writes needs more, and 5,000 digits must not crash


def whole(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
        if len(value.strip().lstrip("-")) > WHOLE_DIGITS:
            raise FieldError(f"数字太大：请写不超过 {WHOLE_DIGITS} 位的整数")
        return int(value)
    raise FieldError("应为整数")


MAX_SECONDARY_COLOURS = 2  # one primary colour and at most two secondary ones (COLOURS)


def colour(value: Any) -> str | None:
    """A CSS colour, written back as #rrggbb: a colour is pasted into a stylesheet, so only a colour may."""
    given = text(value)
    if given is None:
        return None
    found = canonical_colour(given)
    if found is None:
        raise FieldError(f"「{given}」不是颜色：请写成 #b4171b 这样的六位十六进制颜色")
    return found


def colours(value: Any) -> list[str]:
    given = [value] if isinstance(value, str) else value
    if given is None:
        return []
    if not isinstance(given, list):
        raise FieldError('应为颜色列表，如 ["#1f4e8c"]')
    if len(given) > MAX_SECONDARY_COLOURS:
        raise FieldError(
            f"最多 {MAX_SECONDARY_COLOURS} 种辅助色（1 个主色加 2 个辅色），这里有 {len(given)} 种：请删去多余的"
        )
    return [c for c in (colour(v) for v in given) if c]


def mapping(value: Any) -> dict[str, Any]:
    if value is None:
        return {}
    if isinstance(value, dict):
        return value
    raise FieldError("应为“字段: 值”形式的一组设置")


def records(value: Any) -> list[dict[str, Any]]:
    """A list of mappings, as `people:` or `materials:`."""
    if value is None:
        return []
    if isinstance(value, list) and all(isinstance(v, dict) for v in value):
        return value
    raise FieldError("应为列表，每一项是“字段: 值”形式，如 - {name: …}")


class FieldReader:
    """Reads the fields of one mapping in `doc` at `path`, collecting diagnostics."""

    def __init__(self, doc: Doc, file: str, found: list[Diagnostic], path: tuple = ()) -> None:
        self.doc, self.file, self.found, self.path = doc, file, found, path
        data = doc.data
        for key in path:
            if isinstance(data, dict):
                data = data.get(key)
            elif isinstance(data, list) and isinstance(key, int) and key < len(data):
                data = data[key]
            else:
                data = None
        self.data: dict[str, Any] = data if isinstance(data, dict) else {}

    def line(self, key: str | int | None = None) -> int:
        return self.doc.line(*self.path, *([key] if key is not None else []))

    def report(self, rule: str, key: str | int | None, message: str, severity: Severity | None = None) -> None:
        # Imported here: importing gsgen.rules registers every rule module, and rule modules read fields
        # (xxgk, workreport) — a module-level import would make `import gsgen.load` circular.
        from gsgen.rules.catalogue import diagnostic

        self.found.append(diagnostic(rule, self.file, self.line(key), message, severity))

    def get(self, key: str, parse: Callable[[Any], T], rule: str = "FIELD") -> T | None:
        try:
            return parse(self.data.get(key))
        except FieldError as exc:
            self.report(rule, key, f"字段 {self.name(key)} {exc}")
            return None

    def address(self, key: str) -> str | None:
        """A field that must be a complete web address (https://…); None, reported, if it is not. An
        address a browser would run (javascript:, a disguised host) is a safety error (SAFE-HTML)."""
        value = self.get(key, text)
        problem = value and (scheme_problem(value) or web_address_problem(value))
        if problem:
            self.report("SAFE-HTML" if scheme_problem(value) else "FIELD", key, f"{self.name(key)}：{problem}")
            return None
        return value

    def nested(self, key: str | int) -> FieldReader:
        return FieldReader(self.doc, self.file, self.found, (*self.path, key))

    def warn_unknown(self, known: Iterable[str], where: str) -> None:
        """An unknown field is most often a typo of a known one: say which."""
        known = list(known)
        for key in self.data:
            if key in known:
                continue
            close = difflib.get_close_matches(key, known, n=1)
            hint = f"，是否想写 {close[0]}？" if close else f"，{where}可用的字段有：{'、'.join(known)}"
            self.report("FIELD", key, f"未知字段 {self.name(key)}{hint}", Severity.WARN)

    def name(self, key: str) -> str:
        """The field as the editor reads it in messages: site.logo, materials.0.note."""
        return ".".join(str(p) for p in (*self.path, key))
