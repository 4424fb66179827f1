"""The rules gsgen enforces: one small function per rule ID of the catalogue, registered here.

A rule is a generator of `Finding`s (file, line, message); the registry stamps each with the rule's
ID, severity and source from the catalogue, so a rule states only what is wrong and how to fix it.

- Site rules read the site model, before anything is rendered.
- Page rules read one rendered page; output rules read every page of the output at once (links
  between pages, the homepage against the model). Those marked `out` in the catalogue also run in
  `gsgen check` on any folder of HTML, where there is no site model (`ctx.site` is None).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from gsgen.diagnostics import Diagnostic, Severity
from gsgen.rules.catalogue import RULES, diagnostic

if TYPE_CHECKING:
    from gsgen.htmlpage import HtmlPage
    from gsgen.model import Item, Site
    from gsgen.provenance import Provenance


@dataclass(frozen=True)
class Finding:
    file: str
    line: int
    message: str
    severity: Severity | None = None  # only for rules whose severity depends on the case
    evidence: str = ""  # on a rendered page: the offending text, to find the source file that wrote it
    health: bool | None = None  # only for rules whose findings are health findings case by case


@dataclass
class CheckContext:
    """What page and output rules know besides the pages: the site, when there is one."""

    site: Site | None = None
    domain: str | None = None
    trusted_hosts: tuple[str, ...] = ()
    files: set[str] = field(default_factory=set)  # every file of the output, as posix paths
    read: Callable[[str], bytes | None] = lambda _path: None  # a file of the output, if it exists
    theme: dict = field(default_factory=dict)  # the theme's colours and contrast pairs (COLOURS, CONTRAST)
    memo: dict = field(default_factory=dict)  # what rules work out once per run (a stylesheet's size…)
    provenance: Provenance | None = None  # which site files each page was made from (built sites)
    # whether `files` is the whole site: a build's output is; a folder given to `gsgen check` may be a
    # few saved pages, whose links to the rest of their site cannot resolve (links.py says so once a page)
    whole_site: bool = True


SiteRule = Callable[["Site"], Iterable[Finding]]
PageRule = Callable[["HtmlPage", CheckContext], Iterable[Finding]]
OutputRule = Callable[[list["HtmlPage"], CheckContext], Iterable[Finding]]
SITE_RULES: list[tuple[str, SiteRule]] = []
PAGE_RULES: list[tuple[str, PageRule]] = []
OUTPUT_RULES: list[tuple[str, OutputRule]] = []


def _registrar(registry: list, rule_id: str) -> Callable:
    def register(rule: Callable) -> Callable:
        assert rule_id in RULES, rule_id
        registry.append((rule_id, rule))
        return rule

    return register


def each_item(site: Site, key: Hashable, findings: Callable[[Item], Iterable[Finding]]) -> Iterator[Finding]:
    """`findings(item)` for every published item and every item held back until its date
    (`Site.checked_items`), kept with the item's parsed file (`Doc.derived`) under `key` and given
    again while that file is unchanged: a save in gsgen serve checks only the item saved. So
    `findings` may read only what the item's own file holds (its fields, body, lines, path), and
    `key` must hold anything else it reads (a word list, the site's domain)."""
    for item in site.checked_items:
        memo = item.doc.derived
        found = memo.get(key)
        if found is None:
            found = memo[key] = tuple(findings(item))
        yield from found


def site_rule(rule_id: str) -> Callable[[SiteRule], SiteRule]:
    return _registrar(SITE_RULES, rule_id)


def page_rule(rule_id: str) -> Callable[[PageRule], PageRule]:
    return _registrar(PAGE_RULES, rule_id)


def output_rule(rule_id: str) -> Callable[[OutputRule], OutputRule]:
    return _registrar(OUTPUT_RULES, rule_id)


def _stamp(rule_id: str, findings: Iterable[Finding], ctx: CheckContext | None = None) -> Iterator[Diagnostic]:
    """Diagnostics of `rule_id`; a finding on a rendered page is reported at the source file and line
    that wrote its evidence, where one of the page's sources holds it (provenance.py)."""
    for f in findings:
        where = ctx.provenance.locate(f.file, f.evidence) if ctx and ctx.provenance and f.evidence else None
        if where is None:
            yield diagnostic(rule_id, f.file, f.line, f.message, f.severity, f.health)
        else:
            yield diagnostic(rule_id, where[0], where[1], f"{f.message}（见生成的页面 {f.file}）", f.severity, f.health)


def _wanted(rule_id: str, out_only: bool) -> bool:
    return not out_only or RULES[rule_id].out


def check_site(site: Site) -> list[Diagnostic]:
    """Every site rule's findings. A build prints health findings as warnings, whatever their
    severity: they never stop it, and an "error" in a build that succeeds would only confuse.
    Nothing while config.yaml cannot be read: its own error says what to fix first."""
    if not site.config.readable:
        return []
    try:
        found = (d for rule_id, rule in SITE_RULES for d in _stamp(rule_id, rule(site)))
        return [replace(d, severity=Severity.WARN) if d.health else d for d in found]
    finally:
        published.forget()  # what the rules shared: every text of the site, not needed while rendering


def check_health(site: Site) -> list[Diagnostic]:
    """The health findings with their real severity (`gsgen health`): only the rules that can have
    them run, so a scheduled check reads no attachment and renders nothing."""
    if not site.config.readable:
        return []
    rules = [(r, rule) for r, rule in SITE_RULES if RULES[r].health or RULES[r].some_health]
    try:
        return [d for rule_id, rule in rules for d in _stamp(rule_id, rule(site)) if d.health]
    finally:
        published.forget()


def check_page(page: HtmlPage, ctx: CheckContext, out_only: bool = False) -> list[Diagnostic]:
    return [
        d for rule_id, rule in PAGE_RULES if _wanted(rule_id, out_only) for d in _stamp(rule_id, rule(page, ctx), ctx)
    ]


def check_output(pages: list[HtmlPage], ctx: CheckContext, out_only: bool = False) -> list[Diagnostic]:
    return [
        d
        for rule_id, rule in OUTPUT_RULES
        if _wanted(rule_id, out_only)
        for d in _stamp(rule_id, rule(pages, ctx), ctx)
    ]


# Importing the rule modules registers their rules.
from gsgen.rules import (  # noqa: E402, F401
    attachments,
    columns,
    content,
    hidden,
    identity,
    items,
    links,
    opengov,
    personal,
    placeholders,
    presentation,
    published,
    rendered,
    safety,
    secrecy,
    urls,
    words,
    xmlfiles,
)
