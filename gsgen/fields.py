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
from gsgen.rules.catalogue import diagnostic
from gsgen.yamlfile import Doc

T = TypeVar("T")


class FieldError(ValueError):
    pass


def text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
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


def whole(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
        return int(value)
    raise FieldError("应为整数")


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

    def line(self, key: str | None = None) -> int:
        return self.doc.line(*self.path, *([key] if key else []))

    def report(self, rule: str, key: str | int | None, message: str, severity: Severity | None = None) -> None:
        self.found.append(diagnostic(rule, self.file, self.line(key), message, severity))

    def get(self, key: str, parse: Callable[[Any], T], rule: str = "FIELD") -> T | None:
        try:
            return parse(self.data.get(key))
        except FieldError as exc:
            self.report(rule, key, f"字段 {self._name(key)} {exc}")
            return None

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
            self.report("FIELD", key, f"未知字段 {self._name(key)}{hint}", Severity.WARN)

    def _name(self, key: str) -> str:
        return ".".join(str(p) for p in (*self.path, key))
