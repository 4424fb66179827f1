"""`gsgen check` runs the rules marked out on any folder of HTML: pages shaped like real portal pages
(tests/fixtures/portal, see EXPECTED.md there) and gsgen's own output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE_NOW, REPO, gsgen

PORTAL = Path(__file__).parent / "fixtures" / "portal"
EXPECTED = {
    "index.html": set(),
    "gzdt/index.html": set(),
    "gzdt/2024-05-10-clean.html": set(),
    "gzdt/2024-05-09-no-idcode.html": {"SITE-META"},
    "gzdt/2024-05-08-seconds.html": {"ART-DATE"},
    "gzdt/2024-05-07-no-source.html": {"ART-META"},
    "gzdt/2024-05-06-hidden-link.html": {"DARK-LINK"},
    "gzdt/2024-05-05-broken-link.html": {"LINKS"},
    "gzdt/2024-05-04-badge-footer.html": set(),
}


@pytest.fixture(scope="module")
def portal_findings() -> dict[str, set[str]]:
    run = gsgen("check", PORTAL, "--format", "json")
    assert run.code == 1, run.text
    report = json.loads(run.out)
    assert report["pages"] == len(EXPECTED)
    found: dict[str, set[str]] = {page: set() for page in EXPECTED}
    for finding in report["findings"]:
        assert set(finding) == {"rule", "severity", "file", "line", "message", "source"}
        found[finding["file"]].add(finding["rule"])
    return found


@pytest.mark.parametrize("page", list(EXPECTED))
def test_each_portal_page_reports_exactly_its_rule(portal_findings, page):
    assert portal_findings[page] == EXPECTED[page]


def test_text_format_names_file_line_rule_and_clause():
    run = gsgen("check", PORTAL)
    assert run.code == 1
    line = next(x for x in run.out.splitlines() if "DARK-LINK" in x)
    assert line.startswith("gzdt/2024-05-06-hidden-link.html:") and "error[DARK-LINK]" in line and "依据：" in line
    assert run.out.strip().splitlines()[-1] == "检查完成：9 个页面，5 个错误，0 个警告"


def test_the_example_sites_output_is_clean(tmp_path):
    out = tmp_path / "public"
    assert gsgen("build", REPO, "--now", EXAMPLE_NOW, "-o", out).code == 0
    run = gsgen("check", out, "--format", "json")
    assert run.code == 0, run.out
    assert json.loads(run.out)["findings"] == []


def test_check_needs_a_folder_or_a_page(tmp_path):
    run = gsgen("check", tmp_path / "missing")
    assert run.code == 2 and "不存在" in run.err


@pytest.mark.parametrize("page", ["gzdt/2024-05-05-broken-link.html", "gzdt/2024-05-10-clean.html"])
def test_check_one_page_resolves_its_links_in_its_folder(page):
    run = gsgen("check", PORTAL / page)
    assert run.code == (1 if EXPECTED[page] else 0), run.text
    assert {line.split("error[")[1].split("]")[0] for line in run.out.splitlines() if "error[" in line} == EXPECTED[
        page
    ]
    assert all(line.startswith(f"{PORTAL / page}:") for line in run.out.splitlines() if "error[" in line)
    assert run.out.strip().splitlines()[-1].startswith("检查完成：1 个页面")
