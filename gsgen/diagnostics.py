"""Diagnostics are data: every problem gsgen finds is a `Diagnostic` with a rule ID, a place and a
message, so that strict mode, suppression and the summary count diagnostics, not log lines."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from fnmatch import fnmatch
from typing import Protocol


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
    health: bool = False  # changes with time alone: never stops a build (rules/catalogue.py)

    def format(self, strict: bool = False) -> str:
        level = Severity.ERROR if strict and not self.health else self.severity
        place = f"{self.file}:{self.line}" if self.line else self.file
        basis = f" (依据：{self.source})" if self.source else ""
        return f"{place}: {level}[{self.rule}] {self.message}{basis}"

    def as_dict(self) -> dict[str, str | int | bool]:
        """The diagnostic as JSON gives it (`gsgen check --format json`, `gsgen health`, serve's status);
        `health` only where it is one, so the keys of every other diagnostic stay as they were."""
        found: dict[str, str | int | bool] = {
            "rule": self.rule,
            "severity": str(self.severity),
            "file": self.file,
            "line": self.line,
            "message": self.message,
            "source": self.source,
        }
        if self.health:
            found["health"] = True
        return found


class BuildFailed(Exception):
    """Raised by a stage whose diagnostics stop the build; the diagnostics say why."""


class Silencer(Protocol):
    rule: str
    path: str | None
    warnings_only: bool  # an error of the rule is never silenced


class Report:
    """Everything found in one run. Diagnostics a site silenced (`checks.ignore`) are kept apart:
    they neither stop the build nor disappear from the summary."""

    def __init__(self, diagnostics: Iterable[Diagnostic] = ()) -> None:
        self.diagnostics: list[Diagnostic] = []
        self.suppressed: list[Diagnostic] = []
        self.silencers: list[Silencer] = []
        self.extend(diagnostics)

    def silence(self, silencers: Iterable[Silencer]) -> None:
        """Apply `checks.ignore` to what was found so far and to everything found from now on."""
        self.silencers = list(silencers)
        found, self.diagnostics = self.diagnostics, []
        self.extend(found)

    def extend(self, more: Iterable[Diagnostic]) -> None:
        for d in more:
            (self.suppressed if self._silenced(d) else self.diagnostics).append(d)

    def _silenced(self, d: Diagnostic) -> bool:
        return any(
            s.rule == d.rule
            and (not s.path or fnmatch(d.file, s.path))
            and not (s.warnings_only and d.severity is Severity.ERROR)
            for s in self.silencers
        )

    def errors(self, strict: bool) -> list[Diagnostic]:
        """The diagnostics that stop the build: errors, and under --strict warnings too; never the
        health findings, which time alone brings about."""
        return [d for d in self.diagnostics if not d.health and (strict or d.severity is Severity.ERROR)]

    def health(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.health]

    def counts(self) -> Counter[Severity]:
        return Counter(d.severity for d in self.diagnostics)

    def sorted(self) -> list[Diagnostic]:
        return sorted(set(self.diagnostics))
