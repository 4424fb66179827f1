"""Chinese site search in a real browser, on gsgen's own index (gsgen/search/): every page holding
what was typed is found, and only those; filters, sorting, pinyin, attachments, labels and the
「您是不是要找」 suggestions behave as citizens expect, on a small fixture site and on the example site;
and the index is the same bytes for the same site, and changes only where an item changed."""

from __future__ import annotations

import json
import re
import statistics
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.browser import CHROMIUM, CHROMIUM_ARGS, require_chromium, serve
from tests.conftest import EXAMPLE_NOW, NOW, REPO, gsgen
from tests.searchindex import Index
from tests.searchtruth import EVERYDAY, holding, query_cost, sampled_queries, site_records
from tests.sites import item, minimal_site, write_site

CORPUS_NOW = "2025-01-10 12:00"


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


@pytest.fixture(scope="module", params=["fixture", "example"])
def search_site(request, tmp_path_factory):
    require_chromium()
    if request.param == "fixture":
        root, now = write_site(tmp_path_factory.mktemp("search-site"), fixture_site()), NOW
    else:
        root, now = REPO, EXAMPLE_NOW
    out = tmp_path_factory.mktemp("search-out") / "public"
    run = gsgen("build", root, "--now", now, "-o", out)
    assert run.code == 0, run.text
    with serve(out) as url:
        yield request.param, url


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def open_search(browser, url: str, query: str, **params: str):
    return show_search(browser.new_page(), url, query, **params)


def show_search(tab, url: str, query: str, **params: str):
    """`tab` at the search page for `query`, once the search has finished."""
    extra = "".join(f"&{k}={quote(v)}" for k, v in params.items())
    tab.goto(f"{url}/search.html?q={quote(query)}{extra}")
    tab.wait_for_function("() => !/正在搜索|^$/.test(document.querySelector('.search-status').textContent)")
    return tab


def results(browser, url: str, query: str, **params: str) -> tuple[list[str], str]:
    """(result titles, status line) of a search, as the visitor sees them."""
    page = open_search(browser, url, query, **params)
    titles = page.locator(".search-result h2 a").all_inner_texts()
    text = page.locator(".search-status").inner_text()
    page.close()
    return titles, text


def search_results(tab, url: str, query: str, most: int = 40) -> tuple[int, list[str]]:
    """(the number of results announced, the addresses shown): all of them, following the pager,
    where there are at most `most`; else those of the first page. One tab serves every query, as a
    visitor searching again would (a third of the time of a new tab each)."""
    found, number = [], 1
    while True:
        page = show_search(tab, url, query, page=str(number))
        status = page.locator(".search-status").inner_text()
        count = int(re.match(r"找到 (\d+) 条", status)[1]) if status.startswith("找到") else 0
        found += [a.get_attribute("href") for a in page.locator(".search-result h2 a").all()]
        more = page.locator(".search-pager a", has_text="下一页").count()
        if not more or count > most:
            return count, found
        number += 1


def test_two_character_query(browser, search_site):
    _, url = search_site
    titles, _ = results(browser, url, "防火")
    assert titles and any("森林防火" in t for t in titles)


def test_four_character_query(browser, search_site):
    _, url = search_site
    titles, _ = results(browser, url, "森林防火")
    assert any("森林防火" in t for t in titles)


def test_a_single_character_query(browser, search_site):
    _, url = search_site
    titles, status = results(browser, url, "林")
    assert titles and "找到" in status


def test_a_phrase_from_deep_inside_a_body(browser, search_site):
    kind, url = search_site
    query, expected = ("祭祀用火", "春季森林防火") if kind == "fixture" else ("意外伤害", "临时救助")
    titles, _ = results(browser, url, query)
    assert any(expected in t for t in titles), titles


def test_filter_by_column_and_by_year(browser, search_site):
    kind, url = search_site
    titles, _ = results(browser, url, "防火", column="政策文件")
    everything, _ = results(browser, url, "防火")
    assert titles and len(titles) < len(everything)
    by_year, _ = results(browser, url, "防火", year="2024" if kind == "fixture" else "2026")
    assert by_year and len(by_year) < len(everything)


def test_filters_show_how_many_results_each_value_has(browser, search_site):
    _, url = search_site
    page = open_search(browser, url, "防火")
    options = page.locator("select[name=column] option").all_inner_texts()
    page.close()
    assert any(re.fullmatch(r"政策文件（\d+）", o) for o in options), options


@pytest.mark.parametrize("query", ["senlinfanghuo", "slfh", "sen lin fang huo"])
def test_pinyin_query_finds_titles(browser, search_site, query):
    _, url = search_site
    titles, _ = results(browser, url, query)
    assert titles and all("森林防火" in t for t in titles), titles


def test_no_results_gives_a_helpful_message(browser, search_site):
    _, url = search_site
    titles, status = results(browser, url, "潜水艇")
    assert titles == []
    assert "没有找到" in status and "错别字" in status


def test_sort_by_date(browser, search_site):
    _, url = search_site
    page = open_search(browser, url, "防火", sort="date")
    dates = [d.split("　")[0] for d in page.locator(".search-meta").all_inner_texts()]
    page.close()
    assert len(dates) > 1 and dates == sorted(dates, reverse=True)


def test_archived_items_are_found_and_labelled(browser, search_site):
    kind, url = search_site
    query = "四月工作会议" if kind == "fixture" else "安全生产"
    page = open_search(browser, url, query)
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


def test_excerpts_are_the_pages_own_words_with_the_query_marked(browser, search_site):
    _, url = search_site
    page = open_search(browser, url, "防火")
    marks = page.locator(".search-excerpt mark").all_inner_texts()
    excerpts = page.locator(".search-excerpt").all_inner_texts()
    page.close()
    assert marks and set(marks) == {"防火"}
    assert not any(re.search(r"[a-z]{4,}", e) for e in excerpts), excerpts  # no index-only pinyin


# ---------------------------------------------------------------- the example site's own cases


@pytest.fixture()
def example(search_site):
    kind, url = search_site
    if kind != "example":
        pytest.skip("a case of the example site")
    return url


def test_only_items_and_attachments_are_indexed(example):
    from urllib.request import urlopen

    manifest = json.loads(urlopen(example + "/search/index.json").read())
    assert manifest["records"] == 57  # published items and the example's one attachment


def test_attachments_are_found_by_title(browser, example):
    titles, _ = results(browser, example, "时段安排")
    assert any("（PDF）" in t for t in titles), titles


def test_a_document_number_finds_its_policy(browser, example):
    titles, _ = results(browser, example, "示府发〔2026〕9号")
    policy = "示例县人民政府关于印发《示例县促进就业创业若干措施》的通知"
    assert policy in titles and len(titles) == 2, titles  # the policy, and its 解读 that cites it
    other, _ = results(browser, example, "示府发〔2025〕9号")
    assert policy not in other


def test_a_mixed_query_needs_all_its_parts(browser, example):
    both, status = results(browser, example, "防火 2024")
    _, everything = results(browser, example, "防火")
    count = int(re.match(r"找到 (\d+) 条", status)[1])
    assert both and count < int(re.match(r"找到 (\d+) 条", everything)[1])


def test_policies_no_longer_in_force_are_labelled(browser, example):
    page = open_search(browser, example, "政府网站管理办法", status="已修改")
    tags = page.locator(".search-result .tag-status").all_inner_texts()
    titles = page.locator(".search-result h2 a").all_inner_texts()
    page.close()
    assert titles and tags == ["已修改"] * len(titles)


def test_nothing_found_suggests_titles_sharing_most_of_the_query(browser, example):
    page = open_search(browser, example, "森林防火工作会议通报")
    suggestions = page.locator(".search-suggest a").all_inner_texts()
    page.close()
    assert suggestions and all("森林防火" in s for s in suggestions), suggestions


def test_hot_words_come_from_config(browser, example):
    import yaml

    words = (yaml.safe_load((REPO / "config.yaml").read_text("utf-8")).get("search") or {}).get("hot") or []
    page = browser.new_page()
    page.goto(example + "/search.html")
    shown = page.locator(".hot-words a").all_inner_texts()
    page.close()
    assert words and shown == words


# ---------------------------------------------------------------- recall and precision against the truth


@pytest.fixture(scope="module")
def corpus_site(tmp_path_factory):
    """A generated site of 1,000 items (bench/corpus.py), built."""
    require_chromium()
    work = tmp_path_factory.mktemp("corpus")
    subprocess.run(
        [sys.executable, str(REPO / "bench/corpus.py"), "1000", str(work), "--tools", "gsgen"],
        check=True,
        capture_output=True,
    )
    out = work / "public"
    run = gsgen("build", work / "gsgen", "--now", CORPUS_NOW, "-o", out)
    assert run.code == 0, run.text
    return out


@pytest.mark.parametrize("site", ["example", "corpus"])
def test_every_page_holding_the_query_is_found_and_little_else(browser, site, request, tmp_path_factory):
    """60 random 2–6 character substrings of item pages (each in 1–40 pages) and everyday queries,
    searched on the real search page: recall 100%, precision at least 98%. Where a query has more
    than 40 results, the number announced must be the truth's and the first page's all true."""
    if site == "example":
        out = tmp_path_factory.mktemp("truth") / "public"
        assert gsgen("build", REPO, "--now", EXAMPLE_NOW, "-o", out).code == 0
    else:
        out = request.getfixturevalue("corpus_site")
    records = site_records(out)
    queries = sampled_queries(records, 60, seed=12) + EVERYDAY
    missed, extra, shown, miscounted = [], [], 0, []
    tab = browser.new_page()
    with serve(out) as url:
        for query in queries:
            truth = holding(query, records)
            count, found = search_results(tab, url, query)
            assert len(found) == len(set(found)), query
            shown += len(found)
            extra += [(query, u) for u in set(found) - truth]
            if count != len(truth):
                miscounted.append((query, count, len(truth)))
            if len(truth) <= 40:
                missed += [(query, u) for u in truth - set(found)]
    tab.close()
    assert not missed, missed[:10]
    assert not miscounted, miscounted[:10]
    assert (shown - len(extra)) / shown >= 0.98, extra[:10]


def test_the_index_finds_what_the_truth_finds_without_a_browser(corpus_site):
    """The same measure on 200 queries, read with a reader written from FORMAT.md alone."""
    records = site_records(corpus_site)
    index = Index(corpus_site / "search")
    numbered = {index.shown(n)["url"]: n for n in range(index.manifest["records"])}
    for query in sampled_queries(records, 200, seed=7):
        truth = {numbered[u] for u in holding(query, records)}
        assert index.records(query) == truth, query


# ---------------------------------------------------------------- the index files


def index_files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted((out / "search").rglob("*")) if p.is_file()}


def test_the_same_site_gives_the_same_index_and_one_change_touches_few_files(tmp_path):
    site = write_site(tmp_path / "site", fixture_site())
    first, again, changed = tmp_path / "first", tmp_path / "again", tmp_path / "changed"
    assert gsgen("build", site, "--now", NOW, "-o", first, "--no-cache").code == 0
    assert gsgen("build", site, "--now", NOW, "-o", again, "--no-cache").code == 0
    assert index_files(first) == index_files(again)
    text = (site / "content/gzdt/2025-01-07-fh.md").read_text("utf-8")
    (site / "content/gzdt/2025-01-07-fh.md").write_text(text.replace("特别提醒", "再次提醒"), "utf-8")
    assert gsgen("build", site, "--now", NOW, "-o", changed).code == 0
    before, after = index_files(first), index_files(changed)
    touched = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    buckets = [k for k in touched if k.startswith("search/t/")]
    assert touched and len(buckets) <= 8, touched  # 再次 and its neighbours' terms, the record's text
    assert len(touched) < len(before) / 4


def test_the_client_is_small_and_needs_no_eval(tmp_path):
    import gzip

    script = (REPO / "themes/default/static/js/search.js").read_text("utf-8")
    import rjsmin

    assert len(gzip.compress(rjsmin.jsmin(script).encode())) <= 15 * 1024
    assert not re.search(r"\beval\b|new Function|WebAssembly|innerHTML", script)


def test_typical_queries_fetch_little(browser, corpus_site):
    """What a query moves over the network is about what it shows, not the site's size."""
    records = site_records(corpus_site)
    with serve(corpus_site) as url:
        sizes = [query_cost(browser, url, query)[0] for query in sampled_queries(records, 15, seed=3)]
    assert statistics.median(sizes) <= 60 * 1024, sizes


def test_markup_in_a_title_or_text_is_shown_as_text(browser, tmp_path):
    """Titles and texts reach the results as text, never as markup (the client never sets innerHTML)."""
    require_chromium()
    files = minimal_site()
    files["content/gzdt/2025-01-08-x.md"] = item(
        '关于<img src=x onerror="document.title=1">防火的通知',
        "2025-01-08 09:00",
        body="正文写着 `<b>防火</b>` 几个字。",
    )
    out = tmp_path / "out"
    assert gsgen("build", write_site(tmp_path / "s", files), "--now", NOW, "-o", out).code == 0
    with serve(out) as url:
        page = open_search(browser, url, "防火")
        titles = page.locator(".search-result h2 a").all_inner_texts()
        assert page.locator(".search-results img, .search-results b").count() == 0
        assert page.title() != "1"
        page.close()
    assert any("<img src=x" in t for t in titles), titles


@pytest.mark.parametrize("width", [1366, 390])
def test_results_arrive_without_moving_the_page_and_fit_a_phone(browser, search_site, width):
    """Space is kept for the status line and the results: nothing shifts as they arrive (layout
    shift below 0.01), and at a phone's width nothing is wider than the screen."""
    _, url = search_site
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    page.add_init_script(
        "window.__shift = 0; new PerformanceObserver(list => { for (const e of list.getEntries())"
        " { if (!e.hadRecentInput) window.__shift += e.value; } }).observe({type: 'layout-shift', buffered: true});"
    )
    page.goto(f"{url}/search.html?q={quote('防火')}")
    page.wait_for_selector(".search-result")
    page.wait_for_timeout(300)
    shift = page.evaluate("window.__shift")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    context.close()
    assert shift < 0.01, shift
    assert overflow <= 0, overflow


def test_full_width_and_upper_case_queries_find_the_same(browser, example):
    """The browser normalises a query as the index normalised the pages (NFKC, lower case)."""
    assert results(browser, example, "２０２６")[1] == results(browser, example, "2026")[1].replace("2026", "２０２６")
    titles, _ = results(browser, example, "ＰＤＦ")
    assert any("（PDF）" in t for t in titles), titles


def test_the_index_is_the_same_however_its_work_is_cut():
    """A large portal's index is made partition by partition, in several processes, so that memory
    stays bounded: how the work is cut never changes a byte."""
    import random
    from datetime import datetime

    from gsgen.search.records import Record
    from gsgen.search.writer import index_files

    pick = random.Random(7)
    words = ["政府", "信息", "公开", "森林", "防火", "社保", "医保", "办理", "2025", "年度", "Ａｂｃ", "通知", "、"]
    records = [
        Record(
            url=f"/gzdt/{n}.html",
            title="".join(pick.choices(words, k=6)),
            text="".join(pick.choices(words, k=pick.randrange(20, 400))),
            date=datetime(2020 + n % 5, 1 + n % 12, 1),
            column="工作动态",
            kind="新闻",
            status="",
            issuer="",
            source="测试县人民政府",
            archived=n % 7 == 0,
        )
        for n in range(600)
    ]
    whole = index_files(records, partitions=1, jobs=1)
    assert any(name.startswith("p/") for name in whole)  # terms whose positions fill block files
    assert index_files(records, partitions=8, jobs=1) == whole
    assert index_files(records, partitions=4, jobs=2) == whole
