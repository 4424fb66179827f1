"""Diagnostics are data: every problem gsgen finds is a `Diagnostic` with a rule ID, a place and a
message, so that strict mode, suppression and the summary count diagnostics, not log lines."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARN = "warn"


@dataclass(frozen=True, order=True)
class Diagnostic:
    file: str
    line: int
    rule: str
    severity: Severity
    message: str
    source: str

    def format(self, strict: bool = False) -> str:
        level = Severity.ERROR if strict else self.severity
        place = f"{self.file}:{self.line}" if self.line else self.file
        basis = f" (依据：{self.source})" if self.source else ""
        return f"{place}: {level}[{self.rule}] {self.message}{basis}"


class BuildFailed(Exception):
    """Raised by a stage whose diagnostics stop the build; the diagnostics say why."""


@dataclass
class Report:
    """Everything found in one run, in the order found."""

    diagnostics: list[Diagnostic]

    def __init__(self, diagnostics: Iterable[Diagnostic] = ()) -> None:
        self.diagnostics = list(diagnostics)

    def extend(self, more: Iterable[Diagnostic]) -> None:
        self.diagnostics.extend(more)

    def errors(self, strict: bool) -> list[Diagnostic]:
        """The diagnostics that stop the build: errors, and under --strict warnings too."""
        return [d for d in self.diagnostics if strict or d.severity is Severity.ERROR]

    def counts(self) -> Counter[Severity]:
        return Counter(d.severity for d in self.diagnostics)

    def sorted(self) -> list[Diagnostic]:
        return sorted(set(self.diagnostics))
