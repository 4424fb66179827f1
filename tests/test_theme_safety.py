"""A site's own theme cannot hide links off the government web, publish an unreviewed script, or
trust a whole public suffix (issue 28): each case is a line of a small site's theme, built once."""

from __future__ import annotations

import hashlib

import pytest

from tests.conftest import NOW, gsgen_here
from tests.sites import minimal_site, write_site

# Hiding rules of a site's own stylesheet, and rules that look alike but leave links in view.
EXTRA_CSS = """\
.x { display: none }
a[href*=casino] { position: absolute; left: -9999px }
.tiny { font-size: 0 }
.indent { text-indent: -9999px }
.faded { opacity: 0 }
.menu { font-size: 0 }
.menu a { font-size: 14px }
.js .later { visibility: hidden }
@media print { .paper { display: none } }
@media (max-width: 40em) { .phone { display: none } }
.centre { position: absolute; top: 50%; transform: translateY(-50%) }
.open.x { display: block }
.nest { color: #333; a { display: none } }
.shorthand { font: 0/0 a }
@supports (display: nothing) { .x.never { display: block } }
"""

# An extra page of the theme: each outside link in a case of its own (the line is the case's).
CASES_PAGE = """\
{% extends "base.html" %}
{% block main %}
<h1>链接</h1>
<p class="x"><a href="https://a.example.com/" data-external>甲</a></p>
<p><a href="https://casino.example.com/" data-external>乙</a></p>
<p class="tiny"><a href="https://c.example.com/" data-external>丙</a></p>
<div class="indent"><p><a href="https://d.example.com/" data-external>丁</a></p></div>
<template><a href="https://e.example.com/" data-external>戊</a></template>
<noscript><a href="https://f.example.com/" data-external>己</a></noscript>
<p class="faded"><a href="https://g.example.com/" data-external>庚</a></p>
<p class="later"><a href="https://h.example.com/" data-external>辛</a></p>
<p class="menu"><a href="https://ok1.example.com/" data-external>壬</a></p>
<p class="paper"><a href="https://ok2.example.com/" data-external>癸</a></p>
<p class="phone"><a href="https://ok3.example.com/" data-external>子</a></p>
<p class="centre"><a href="https://ok4.example.com/" data-external>丑</a></p>
<p class="x open"><a href="https://ok5.example.com/" data-external>寅</a></p>
<p class="x"><a href="/index.html">本站的链接</a></p>
<noscript><a href="/sitemap.html">网站地图</a></noscript>
<p class="nest"><a href="https://i.example.com/" data-external>卯</a></p>
<p class="shorthand"><a href="https://j.example.com/" data-external>辰</a></p>
<p class="x never"><a href="https://k.example.com/" data-external>巳</a></p>
<style>.in-page { visibility: hidden }</style>
<p class="in-page"><a href="https://l.example.com/" data-external>午</a></p>
{% endblock %}
"""
HIDDEN = {  # href → (line of CASES_PAGE, what the message names)
    "https://a.example.com/": (4, "extra.css 第 1 行的规则 .x {display: none}"),
    "https://casino.example.com/": (5, "extra.css 第 2 行的规则 a[href*=casino] {left: -9999px}"),
    "https://c.example.com/": (6, "extra.css 第 3 行的规则 .tiny {font-size: 0}"),
    "https://d.example.com/": (7, "extra.css 第 4 行的规则 .indent {text-indent: -9999px}"),
    "https://e.example.com/": (8, "<template>"),
    "https://f.example.com/": (9, "<noscript>"),
    "https://g.example.com/": (10, "extra.css 第 5 行的规则 .faded {opacity: 0}"),
    "https://h.example.com/": (11, "extra.css 第 8 行的规则 .js .later {visibility: hidden}"),
    "https://i.example.com/": (19, "extra.css 第 13 行的规则 :is(.nest) a {display: none}"),
    "https://j.example.com/": (20, "extra.css 第 14 行的规则 .shorthand {font: 0/0 a}"),
    "https://k.example.com/": (21, "extra.css 第 1 行的规则 .x {display: none}"),  # @supports may not hold
    "https://l.example.com/": (23, "404.html 中的 <style> 第"),
}
SHOWN = ["https://ok1.example.com/", "https://ok2.example.com/", "https://ok3.example.com/"]
SHOWN += ["https://ok4.example.com/", "https://ok5.example.com/"]
PAGE = "themes/blue/templates/404.html"


def _theme_site() -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = dict(minimal_site())
    files["config.yaml"] += "theme: blue\n"
    files["themes/blue/static/css/extra.css"] = EXTRA_CSS
    files["themes/blue/templates/404.html"] = CASES_PAGE
    return files


@pytest.fixture(scope="module")
def css_build(tmp_path_factory) -> list[str]:
    root = tmp_path_factory.mktemp("css")
    files = _theme_site()
    run = gsgen_here("build", write_site(root / "s", files), "--now", NOW, "-o", root / "out")
    assert run.code == 1, run.text
    return [line for line in run.text.splitlines() if "error[" in line]


@pytest.mark.parametrize("href", list(HIDDEN))
def test_an_outside_link_the_theme_hides_is_a_dark_link_at_its_template_line(css_build, href):
    line, named = HIDDEN[href]
    found = [e for e in css_build if href in e]
    assert found, css_build
    assert found[0].startswith(f"{PAGE}:{line}: error[DARK-LINK]"), found
    assert named in found[0], found


@pytest.mark.parametrize("href", SHOWN)
def test_an_outside_link_the_theme_leaves_in_view_passes(css_build, href):
    assert not [e for e in css_build if href in e], css_build


def test_hidden_site_links_and_a_noscript_fallback_are_not_dark_links(css_build):
    assert not [e for e in css_build if "/index.html" in e or "/sitemap.html" in e], css_build
    assert all("error[DARK-LINK]" in e for e in css_build), css_build


def test_the_default_theme_hides_no_outside_link(tmp_path):
    """The default theme hides menus on phones, its print address, a skip link: the example pages
    build clean (an outside link in the menu, as a column to another system, included)."""
    files = minimal_site()
    files["content/wsbs/_column.yaml"] = "name: 网上办事\ntype: 办事服务\nurl: https://zwfw.example.com/\n"
    files["config.yaml"] = files["config.yaml"].replace("hdjl, bsfw]", "hdjl, bsfw, wsbs]")
    run = gsgen_here("build", write_site(tmp_path / "s", files), "--strict", "--now", NOW, "-o", tmp_path / "out")
    assert run.code == 0, run.text


# ---------------------------------------------------------------- scripts, selectors, trusted hosts

OK_JS = b"document.documentElement.classList.add('blue');\n"
WRONG_JS = b"location.replace('https://casino.example.com/');\n"
NEW_JS = b"document.body.insertAdjacentHTML('beforeend', '<a href=https://casino.example.com/>x</a>');\n"
THEME_YAML = f"""\
colors:
  primary: "#0b5394"
scripts:
  js/ok.js: {hashlib.sha256(OK_JS).hexdigest()}
  js/wrong.js: {hashlib.sha256(b"what was reviewed").hexdigest()}
  js/gone.js: {"0" * 64}
"""
CONFIG_LINES = (minimal_site()["config.yaml"] + "theme: blue\n").count("\n")  # where TRUSTED starts
TRUSTED = """\
checks:
  trusted_hosts:
    - com
    - cn
    - com.cn
    - github.io
    - example-bank.com.cn
    - https://x.com/
    - 10.0.0.8
"""


@pytest.fixture(scope="module")
def theme_build(tmp_path_factory) -> list[str]:
    root = tmp_path_factory.mktemp("scripts")
    files = _theme_site()
    files["config.yaml"] += TRUSTED
    files["themes/blue/theme.yaml"] = THEME_YAML
    files["themes/blue/static/js/ok.js"] = OK_JS
    files["themes/blue/static/js/wrong.js"] = WRONG_JS
    files["themes/blue/static/js/new.js"] = NEW_JS
    files["themes/blue/static/css/odd.css"] = (
        ".a:-webkit-any(.x) { display: none }\n.b:-webkit-any(.x) { color: red }\n"
    )
    run = gsgen_here("build", write_site(root / "s", files), "--now", NOW, "-o", root / "out")
    assert run.code == 1, run.text
    return [line for line in run.text.splitlines() if "error[" in line or "warn[" in line]


def test_an_undeclared_script_is_refused_with_the_hash_to_write(theme_build):
    found = [e for e in theme_build if e.startswith("themes/blue/static/js/new.js: error[THEME]")]
    assert found, theme_build
    assert f"js/new.js: {hashlib.sha256(NEW_JS).hexdigest()}" in found[0]
    assert "themes/blue/theme.yaml" in found[0]


def test_a_script_changed_since_its_review_is_refused_at_its_declaration(theme_build):
    found = [e for e in theme_build if e.startswith("themes/blue/theme.yaml:5: error[THEME]")]
    assert found and "static/js/wrong.js" in found[0], theme_build
    assert hashlib.sha256(WRONG_JS).hexdigest() in found[0]


def test_a_declared_script_passes_and_a_missing_one_is_a_warning(theme_build):
    assert not [e for e in theme_build if "ok.js" in e], theme_build
    assert [e for e in theme_build if e.startswith("themes/blue/theme.yaml:6: warn[THEME]")], theme_build


def test_a_hiding_rule_whose_selector_gsgen_cannot_read_is_refused(theme_build):
    found = [e for e in theme_build if e.startswith("themes/blue/static/css/odd.css:")]
    assert len(found) == 1 and found[0].startswith("themes/blue/static/css/odd.css:1: error[THEME]"), found


@pytest.mark.parametrize(
    ("line", "entry"), [(3, "com"), (4, "cn"), (5, "com.cn"), (6, "github.io"), (8, "https://x.com/"), (9, "10.0.0.8")]
)
def test_a_trusted_host_must_be_one_sites_domain(theme_build, line, entry):
    found = [e for e in theme_build if e.startswith(f"config.yaml:{CONFIG_LINES + line}: error[FIELD]")]
    assert found and f"「{entry}」" in found[0], theme_build


def test_a_registrable_trusted_host_is_kept(theme_build):
    assert not [e for e in theme_build if "「example-bank.com.cn」" in e], theme_build


def test_the_default_theme_declares_its_own_scripts():
    from tests.sites import THEME

    declared = (THEME / "theme.yaml").read_text("utf-8")
    for script in sorted((THEME / "static" / "js").glob("*.js")):
        assert f"js/{script.name}: {hashlib.sha256(script.read_bytes()).hexdigest()}" in declared


def test_gsgen_check_refuses_a_public_suffix_as_trusted_host(tmp_path):
    (tmp_path / "index.html").write_text('<html><body><a href="https://x.example.com/">x</a></body></html>')
    run = gsgen_here("check", tmp_path, "--trusted-host", "com")
    assert run.code == 2 and "--trusted-host 「com」是公共后缀" in run.err, run.text
    assert gsgen_here("check", tmp_path, "--trusted-host", "example.com").code != 2


def test_the_default_stylesheet_has_no_hiding_rule_gsgen_cannot_read():
    from gsgen.gate.sheets import unreadable_selectors
    from tests.sites import THEME

    assert unreadable_selectors((THEME / "static/css/site.css").read_text("utf-8")) == []


# ---------------------------------------------------------------- pages the parser cannot read whole

DEEP = 300  # libxml2 stops reading at 256 nested elements and keeps what it read; a browser shows it all


def test_a_page_nested_deeper_than_the_parser_reads_is_refused(tmp_path):
    """What stands beyond libxml2's depth is in no parsed tree: a theme nesting a link there would pass
    every page rule unseen, so such a page is refused rather than judged by the part that was read."""
    files = _theme_site()
    deep = "<div>" * DEEP + '<a href="https://casino.example.com/">娱乐</a>' + "</div>" * DEEP
    files["themes/blue/templates/404.html"] = CASES_PAGE.replace("<h1>链接</h1>", f"<h1>链接</h1>\n{deep}")
    files["themes/blue/static/css/extra.css"] = ""
    run = gsgen_here("build", write_site(tmp_path / "s", files), "--now", NOW, "-o", tmp_path / "out")
    assert run.code == 1, run.text
    refused = [e for e in run.text.splitlines() if "error[SAFE-HTML]" in e and "无法完整检查" in e]
    assert refused and refused[0].startswith("404.html:1: error[SAFE-HTML]"), run.text
    assert not (tmp_path / "out").exists()


def test_gsgen_check_says_a_page_was_read_only_in_part(tmp_path):
    folder = tmp_path / "site"
    folder.mkdir()
    deep = "<div>" * DEEP + '<a href="https://casino.example.com/">娱乐</a>' + "</div>" * DEEP
    (folder / "index.html").write_text(f"<!DOCTYPE html><html><body>{deep}</body></html>", "utf-8")
    run = gsgen_here("check", folder)
    assert run.code == 1, run.text
    assert "index.html: error[CHECK-INPUT] 页面只检查了前一部分" in run.text, run.text
