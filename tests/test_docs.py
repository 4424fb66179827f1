"""The documentation in docs/ is the user's only reference: the rule pages are generated from the rule
catalogue and must not drift from it, every link between pages resolves, and nothing points outside
the repository."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gsgen.rules.catalogue import RULES
from gsgen.rules.guide import FIELDS, explain, guide, rules_markdown
from tests.conftest import REPO, gsgen_here

DOCS = REPO / "docs"
PAGES = ["content.md", "rules.md", "sources.md", "deploy.md", "upgrade.md", "platform.md"]


def test_the_rule_pages_are_the_catalogue_as_it_is():
    written = (DOCS / "rules.md").read_text("utf-8")
    assert written == rules_markdown(), (
        "docs/rules.md differs from the rule catalogue: run `python -m gsgen.rules.guide > docs/rules.md`"
    )


def test_every_rule_is_explained_and_nothing_else():
    assert list(guide()) == list(RULES), "guide.yaml lists the catalogue's rules, in its order"
    for rule_id, text in guide().items():
        assert set(text) == set(FIELDS), rule_id
        assert all(isinstance(v, str) and v.strip() for v in text.values()), rule_id


@pytest.mark.parametrize("rule_id", ["LINKS", "COL-STALE", "YAML"])
def test_explain_prints_what_why_and_how(rule_id):
    run = gsgen_here("explain", rule_id.lower())
    assert run.code == 0 and run.out.strip() == explain(rule_id)
    assert run.out.startswith(rule_id) and "检查什么" in run.out and "怎样改" in run.out
    assert RULES[rule_id].source in run.out


def test_explain_an_unknown_rule_is_a_usage_error():
    run = gsgen_here("explain", "NO-SUCH")
    assert run.code == 2 and "gsgen explain" in run.err


@pytest.mark.parametrize("page", PAGES)
def test_every_docs_page_exists_and_its_links_resolve(page):
    text = re.sub(r"^```.*?^```", "", (DOCS / page).read_text("utf-8"), flags=re.M | re.S)  # examples are no links
    text = re.sub(r"`[^`\n]*`", "", text)
    anchors = {p: _anchors(DOCS / p) for p in PAGES}
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"[a-z]+:", target):
            continue
        file, _, anchor = target.partition("#")
        path = (DOCS / file).resolve() if file else DOCS / page
        assert path.exists(), f"docs/{page} links to {target}, which does not exist"
        if anchor and path.name in anchors:
            assert anchor in anchors[path.name], f"docs/{page} links to {target}: no such anchor"


def _anchors(path: Path) -> set[str]:
    text = path.read_text("utf-8")
    ids = set(re.findall(r'<a id="([^"]+)"', text))
    # GitHub's own heading anchors: lower case, spaces to -, punctuation dropped
    for heading in re.findall(r"^#+ (.+)$", text, re.M):
        ids.add(re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-"))
    return ids


def test_nothing_a_user_has_points_outside_the_repository():
    """The team's reference folder beside the repository is not part of the product: none of its
    documents (the contract, the rule list, the style notes, the source texts) is named."""
    paths = [REPO / "README.md", *DOCS.glob("*.md"), *(REPO / "gsgen").rglob("*.py"), *(REPO / "bench").glob("*.py")]
    paths += [*(REPO / "gsgen").rglob("*.yaml"), *(REPO / "gsgen" / "scaffold_files").rglob("*")]
    for path in paths:
        if path.is_file():
            text = path.read_text("utf-8")
            for pattern in ("CONTENT.md", "SPEC.md", "STYLE.md", "seeds/"):
                assert pattern not in text, f"{path.relative_to(REPO)} mentions {pattern}"


def test_the_readme_points_at_the_docs():
    readme = (REPO / "README.md").read_text("utf-8")
    for page in PAGES:
        assert f"docs/{page}" in readme, page
