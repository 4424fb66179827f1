"""The rules gsgen enforces: one small function per SPEC ID, registered here.

A rule is a generator of `Finding`s (file, line, message); the registry stamps each with the rule's
ID, severity and source from the catalogue, so a rule states only what is wrong and how to fix it.
Site rules read the site model; page rules (*(out)* in SPEC.md) read rendered HTML.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gsgen.diagnostics import Diagnostic, Severity
from gsgen.rules.catalogue import RULES, diagnostic

if TYPE_CHECKING:
    from gsgen.htmlpage import HtmlPage
    from gsgen.model import Site


@dataclass(frozen=True)
class Finding:
    file: str
    line: int
    message: str
    severity: Severity | None = None  # only for rules whose severity depends on the case


SiteRule = Callable[["Site"], Iterable[Finding]]
PageRule = Callable[["HtmlPage"], Iterable[Finding]]
SITE_RULES: list[tuple[str, SiteRule]] = []
PAGE_RULES: list[tuple[str, PageRule]] = []


def site_rule(rule_id: str) -> Callable[[SiteRule], SiteRule]:
    def register(rule: SiteRule) -> SiteRule:
        assert rule_id in RULES, rule_id
        SITE_RULES.append((rule_id, rule))
        return rule

    return register


def page_rule(rule_id: str) -> Callable[[PageRule], PageRule]:
    def register(rule: PageRule) -> PageRule:
        assert RULES[rule_id].out, f"{rule_id} is not an (out) rule"
        PAGE_RULES.append((rule_id, rule))
        return rule

    return register


def _stamp(rule_id: str, findings: Iterable[Finding]) -> Iterator[Diagnostic]:
    for f in findings:
        yield diagnostic(rule_id, f.file, f.line, f.message, f.severity)


def check_site(site: Site) -> list[Diagnostic]:
    return [d for rule_id, rule in SITE_RULES for d in _stamp(rule_id, rule(site))]


def check_page(page: HtmlPage) -> list[Diagnostic]:
    return [d for rule_id, rule in PAGE_RULES for d in _stamp(rule_id, rule(page))]


# Importing the rule modules registers their rules.
from gsgen.rules import columns, identity, items, pages, urls  # noqa: E402, F401
