"""Chinese site search in a real browser: Pagefind's extended build segments Chinese, so 2- and
4-character queries, phrases deep in a body, filters, pinyin and empty results all behave as citizens
expect, on a small fixture site and on the example site."""

from __future__ import annotations

import gzip
import json
import os
import re
import stat
from urllib.parse import quote

import pytest

from gsgen import shards
from gsgen.search import title_tokens
from tests.browser import CHROMIUM, CHROMIUM_ARGS, require_chromium, serve
from tests.conftest import EXAMPLE_NOW, NOW, REPO, gsgen, gsgen_here
from tests.sites import item, minimal_site, write_site


def fixture_site() -> dict[str, str]:
    files = minimal_site()
    files["content/gzdt/2025-01-07-fh.md"] = item(
        "关于做好2025年春季森林防火工作的通知",
        "2025-01-07 09:00",
        body="各乡镇要严格野外用火管理。\n\n" + "加强巡山护林。" * 40 + "\n\n特别提醒：祭祀用火必须远离林区。",
    )
    files["content/zcwj/2024-002.md"] = item(
        "示例县森林防火条例实施办法",
        "2024-03-01 10:00",
        body="防火期内禁止野外用火。",
        doc_number="测府发〔2024〕2号",
        issuer="测试县人民政府",
        status="有效",
    )
    return files


@pytest.fixture(scope="module", params=["fixture", "example", "sharded"])
def search_site(request, tmp_path_factory):
    """ "sharded" is the example site with its index cut into parts of at most 10 records, as a large
    site's is (one per period, merged by the search page): every search must behave the same."""
    require_chromium()
    if request.param == "fixture":
        root, now = write_site(tmp_path_factory.mktemp("search-site"), fixture_site()), NOW
    else:
        root, now = REPO, EXAMPLE_NOW
    out = tmp_path_factory.mktemp("search-out") / "public"
    if request.param == "sharded":
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(shards, "SHARD_RECORDS", 10)
            run = gsgen_here("build", root, "--now", now, "-o", out)
        assert len(bundles(out)) > 3
    else:
        run = gsgen("build", root, "--now", now, "-o", out)
    assert run.code == 0, run.text
    with serve(out) as url:
        yield ("example" if request.param == "sharded" else request.param), url


def bundles(out) -> list[str]:
    """The parts of the index the search page opens."""
    page = (out / "search.html").read_text("utf-8")
    return re.search(r'data-bundles="([^"]*)"', page).group(1).split()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def results(browser, url: str, query: str, **params: str) -> tuple[list[str], str]:
    """(result titles, status line) of a search, as the visitor sees them."""
    page = browser.new_page()
    extra = "".join(f"&{k}={quote(v)}" for k, v in params.items())
    page.goto(f"{url}/search.html?q={quote(query)}{extra}")
    status = page.locator(".search-status")
    page.wait_for_function("() => !/正在搜索|^$/.test(document.querySelector('.search-status').textContent)")
    titles = page.locator(".search-result h2 a").all_inner_texts()
    text = status.inner_text()
    page.close()
    return titles, text


def test_two_character_query(browser, search_site):
    _, url = search_site
    titles, _ = results(browser, url, "防火")
    assert titles and any("森林防火" in t for t in titles)


def test_four_character_query(browser, search_site):
    _, url = search_site
    titles, _ = results(browser, url, "森林防火")
    assert any("森林防火" in t for t in titles)


def test_a_phrase_from_deep_inside_a_body(browser, search_site):
    kind, url = search_site
    query, expected = ("祭祀用火", "春季森林防火") if kind == "fixture" else ("意外伤害", "临时救助")
    titles, _ = results(browser, url, query)
    assert any(expected in t for t in titles), titles


def test_filter_by_column_and_by_year(browser, search_site):
    kind, url = search_site
    column = "政策文件"
    titles, _ = results(browser, url, "防火", column=column)
    everything, _ = results(browser, url, "防火")
    assert titles and len(titles) < len(everything)
    year = "2024" if kind == "fixture" else "2026"
    by_year, _ = results(browser, url, "防火", year=year)
    assert by_year and len(by_year) < len(everything)


@pytest.mark.parametrize("query", ["senlinfanghuo", "slfh"])
def test_pinyin_query_finds_titles(browser, search_site, query):
    _, url = search_site
    titles, _ = results(browser, url, query)
    assert any("森林防火" in t for t in titles), titles


def test_no_results_gives_a_helpful_message(browser, search_site):
    _, url = search_site
    titles, status = results(browser, url, "潜水艇")
    assert titles == []
    assert "没有找到" in status and "错别字" in status


def test_sort_by_date(browser, search_site):
    _, url = search_site
    page = browser.new_page()
    page.goto(f"{url}/search.html?q={quote('防火')}&sort=date")
    page.wait_for_selector(".search-result")
    dates = [d.split("　")[0] for d in page.locator(".search-meta").all_inner_texts()]
    page.close()
    assert dates == sorted(dates, reverse=True)


def test_archived_items_are_found_and_labelled(browser, search_site):
    kind, url = search_site
    query = "四月工作会议" if kind == "fixture" else "安全生产"
    page = browser.new_page()
    page.goto(f"{url}/search.html?q={quote(query)}")
    page.wait_for_selector(".search-result")
    labelled = page.locator(".search-result", has=page.locator(".tag-archived"))
    assert labelled.count() >= 1
    page.close()


def test_header_search_box_works_by_pressing_enter(browser, search_site):
    _, url = search_site
    page = browser.new_page()
    page.goto(url + "/index.html")
    box = page.get_by_role("search").get_by_role("searchbox")
    box.fill("防火")
    box.press("Enter")
    page.wait_for_selector(".search-result")
    assert "search.html?q=" in page.url
    page.close()


def test_only_items_and_attachments_are_indexed(search_site):
    from urllib.request import urlopen

    kind, url = search_site
    search_page = urlopen(url + "/search.html").read().decode("utf-8")
    parts = re.search(r'data-bundles="([^"]*)"', search_page).group(1).split()
    count = 0
    for part in parts:
        entry = json.loads(urlopen(f"{url}/{part}/pagefind-entry.json").read())
        count += entry["languages"]["zh-cn"]["page_count"]
    expected = {"fixture": 14, "example": 51}[kind]  # published items (+ the example's one attachment)
    assert count == expected


def test_attachments_are_found_by_title(browser, search_site):
    kind, url = search_site
    if kind == "fixture":
        pytest.skip("the fixture site has no attachment")
    titles, _ = results(browser, url, "时段安排")
    assert any("PDF" in t for t in titles), titles


def test_title_tokens_cover_runs_of_two_to_four_characters():
    tokens = title_tokens("关于做好森林防火工作的通知")
    assert {"senlinfanghuo", "slfh", "fanghuo", "tongzhi"} <= set(tokens)


def test_a_binary_that_cannot_segment_chinese_fails_the_build(tmp_path, monkeypatch):
    """An index from a Pagefind without Chinese segmentation would find nothing: refuse to ship it."""
    fake = tmp_path / "pagefind"
    index = tmp_path / "whole-sentence.pf_index"
    index.write_bytes(gzip.compress("全县开展森林防火宣传活动".encode()))  # one unsegmented run
    fake.write_text(
        f'#!/bin/sh\nwhile [ $# -gt 0 ]; do [ "$1" = --site ] && site=$2; shift; done\n'
        f'mkdir -p "$site/pagefind/index" && cp {index} "$site/pagefind/index/x.pf_index"\n'
    )
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(fake))
    from gsgen import search

    search.check_segmentation.cache_clear()
    out = tmp_path / "out"
    run = gsgen_here("build", write_site(tmp_path / "s", minimal_site()), "--now", NOW, "-o", out)
    search.check_segmentation.cache_clear()
    assert run.code == 1 and "error[SEARCH]" in run.out and "不能对中文分词" in run.out
    assert "pagefind[extended]" in run.out
    assert not out.exists()
    assert os.environ["PAGEFIND_BINARY_PATH"] == str(fake)
