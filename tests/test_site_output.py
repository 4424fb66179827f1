"""What a built site promises (docs/content.md, docs/rules.md), for the example site and a minimal site."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from tests.conftest import EXAMPLE_NOW, NOW, REPO, gsgen
from tests.pages import Page, html_pages
from tests.sites import minimal_site, write_site

PUBDATE = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$")


@pytest.fixture(scope="module", params=["example", "minimal"])
def built(request, tmp_path_factory) -> tuple[Path, Path]:
    """(site folder, output folder) of a strict build."""
    if request.param == "example":
        root, now = REPO, EXAMPLE_NOW
    else:
        root, now = write_site(tmp_path_factory.mktemp("minimal"), minimal_site()), NOW
    out = tmp_path_factory.mktemp("out") / "public"
    run = gsgen("build", root, "--strict", "--now", now, "-o", out)
    assert run.code == 0, run.text
    return root, out


def config(root: Path) -> dict:
    return yaml.safe_load((root / "config.yaml").read_text("utf-8"))


def item_pages(out: Path) -> list[Page]:
    return [p for p in html_pages(out) if "ArticleTitle" in p.meta]


def column_pages(out: Path) -> list[Page]:
    return [p for p in html_pages(out) if "ColumnType" in p.meta and "ArticleTitle" not in p.meta]


def test_every_page_carries_the_site_meta_tags_and_full_name(built):
    root, out = built
    site = config(root)["site"]
    pages = html_pages(out)
    assert len(pages) > 10
    for page in pages:
        assert page.meta["SiteName"] == site["name"], page.path
        assert page.meta["SiteDomain"] == site["domain"], page.path
        assert page.meta["SiteIDCode"] == str(site["id_code"]), page.path
        assert site["name"] in page.text("header"), page.path


def test_every_footer_shows_what_site_footer_requires(built):
    root, out = built
    site = config(root)["site"]
    for page in html_pages(out):
        footer = page.text("footer")
        assert "主办单位" + site["host_unit"] in footer.replace("：", ""), page.path
        assert "联系方式" in footer and site["contact"]["phone"] in footer
        assert "网站标识码" + str(site["id_code"]) in footer.replace("：", "")
        links = dict((text, href) for href, text in page.links)
        assert links[site["icp"]].startswith("https://beian.miit.gov.cn")
        assert "beian.mps.gov.cn" in links[site["police_record"]]
        assert links["我为政府网站找错"] == site["error_report_url"]


def test_column_pages_carry_the_four_column_tags_and_list_newest_first(built):
    _, out = built
    pages = column_pages(out)
    assert any(p.meta["ColumnType"] == "首页" for p in pages)
    for page in pages:
        for name in ("ColumnName", "ColumnDescription", "ColumnKeywords", "ColumnType"):
            assert page.meta.get(name), (page.path, name)
    for column_index in out.rglob("index.html"):
        listed = re.findall(r'<time datetime="([^"]+)">', column_index.read_text("utf-8"))
        if column_index.parent != out:
            assert listed == sorted(listed, reverse=True), column_index


def test_pagination_continues_newest_first_across_pages(built):
    root, out = built
    size = config(root).get("paginate", 20)
    paged = sorted(out.rglob("index_2.html"))
    assert paged, "a column with more items than one page holds"
    first, second = paged[0].parent / "index.html", paged[0]
    dates = [re.findall(r'<time datetime="([^"]+)">', p.read_text("utf-8")) for p in (first, second)]
    assert len(dates[0]) == size
    assert dates[0] + dates[1] == sorted(dates[0] + dates[1], reverse=True)


def test_item_pages_carry_article_tags_and_show_date_and_source(built):
    root, out = built
    base = config(root)["site"]["base_url"]
    pages = item_pages(out)
    assert pages
    for page in pages:
        for name in ("ArticleTitle", "PubDate", "ContentSource", "ColumnName", "ColumnType", "Url"):
            assert page.meta.get(name), (page.path, name)
        assert PUBDATE.match(page.meta["PubDate"])
        assert page.meta["Url"] == base + page.path.relative_to(out).as_posix()
        main = page.text("main")
        assert page.meta["PubDate"].replace(" ", "") in main
        assert "来源：" + page.meta["ContentSource"].replace(" ", "") in main


def test_author_and_keywords_appear_where_given(built):
    root, out = built
    sources = [p for p in (root / "content").rglob("*.md")]
    with_author = 0
    for source in sources:
        front = yaml.safe_load(source.read_text("utf-8").split("---")[1])
        if front.get("draft"):
            continue
        page = Page(out / source.relative_to(root / "content").with_suffix(".html"))
        if front.get("author"):
            with_author += 1
            assert page.meta["Author"] == front["author"]
        if front.get("keywords"):
            keywords = front["keywords"]
            keywords = keywords if isinstance(keywords, list) else [keywords]
            assert page.meta["Keywords"].split(",") == keywords
    assert with_author


def test_archived_pages_show_the_banner_with_time_at_the_top(built):
    _, out = built
    archived = [p for p in item_pages(out) if "已归档" in p.text("main")]
    assert archived
    for page in archived:
        main = page.html.split("<main", 1)[1]
        banner = main.index("banner-archived")
        assert banner < main.index("<h1"), page.path
        # the day alone when the archive has no time of day; never a bare 00:00
        assert re.search(r"归档时间：<time[^>]*>\d{4}-\d{2}-\d{2}( \d{2}:\d{2})?</time>", main)
        assert "00:00</time>" not in main.split("banner-archived", 1)[1].split("</div>", 1)[0]


def _status_notice(page: Page) -> str:
    return page.html.split("banner-status", 1)[1].split("</div>\n</div>", 1)[0]


@pytest.mark.parametrize(
    ("status", "level", "label"), [("已废止", "error", "现行文件"), ("已修改", "warning", "修改依据")]
)
def test_a_policy_no_longer_in_force_or_amended_says_so_and_links_the_document_that_changed_it(
    built, status, level, label
):
    root, out = built
    pages = [p for p in item_pages(out) if p.meta["ColumnType"] == "政策文件" and f"本文件{status}" in p.text("main")]
    assert pages or (status == "已修改" and root != REPO)  # the minimal site has no amended policy
    for page in pages:
        opening = re.search(r'<div class="banner [^"]*banner-status"[^>]*>', page.html).group(0)
        assert f"banner-{level}" in opening and 'role="note"' in opening, opening
        notice = _status_notice(page)
        replacement = re.search(rf'{label}：<a href="(/[^"]+\.html)"', notice).group(1)
        assert (out / replacement.lstrip("/")).is_file()
        assert "00:00</time>" not in notice  # the status took effect on a day, not at midnight


def test_policies_and_interpretations_link_each_other(built):
    _, out = built
    interpretations = [p for p in item_pages(out) if p.meta["ColumnType"] in ("政策解读", "回应关切")]
    assert interpretations
    for page in interpretations:
        section = page.html.split('class="related-policy"', 1)[1].split("</p>", 1)[0]
        policy_url = re.search(r'href="(/[^"]+\.html)"', section).group(1)
        own_url = "/" + page.path.relative_to(out).as_posix()
        assert own_url in Page(out / policy_url.lstrip("/")).hrefs()


def test_drafts_are_absent(built):
    root, out = built
    drafts = [s for s in (root / "content").rglob("*.md") if re.search(r"^draft:\s*true", s.read_text("utf-8"), re.M)]
    assert drafts
    for source in drafts:
        assert not (out / source.relative_to(root / "content").with_suffix(".html")).exists()
        title = yaml.safe_load(source.read_text("utf-8").split("---")[1])["title"]
        for page in html_pages(out):
            assert title not in page.html


def test_sitemap_lists_every_item_by_absolute_url(built):
    root, out = built
    base = config(root)["site"]["base_url"]
    sitemap = (out / "sitemap.xml").read_text("utf-8")
    locs = set(re.findall(r"<loc>([^<]+)</loc>", sitemap))
    for page in item_pages(out):
        assert base + page.path.relative_to(out).as_posix() in locs


def test_each_column_has_an_rss_feed_and_there_is_a_404_and_a_site_map_page(built):
    root, out = built
    for column_file in (root / "content").rglob("_column.yaml"):
        if "url:" in column_file.read_text("utf-8"):
            continue
        feed = out / column_file.parent.relative_to(root / "content") / "rss.xml"
        assert "<rss" in feed.read_text("utf-8")
    assert "页面不存在" in Page(out / "404.html").text("main")
    assert "网站地图" in Page(out / "sitemap.html").text("main")


def test_a_long_column_shows_a_window_of_page_links_and_every_page_is_reachable(tmp_path):
    """Every page of a column is reached by 下一页, yet a page links to a handful of page numbers,
    not to all of them (that grows with the square of the pages on a large portal)."""
    from tests.conftest import gsgen_here
    from tests.sites import item

    files = minimal_site()  # paginate: 3
    for n in range(40):
        files[f"content/gzdt/2024-06-{n % 28 + 1:02d}-p{n}.md"] = item(
            f"第{n}条工作动态", f"2024-06-{n % 28 + 1:02d} 09:00"
        )
    out = tmp_path / "out"
    assert gsgen_here("build", write_site(tmp_path / "s", files), "--now", NOW, "-o", out).code == 0
    seen, page = [], out / "gzdt" / "index.html"
    while True:
        html = page.read_text("utf-8")
        pager = re.search(r'<nav class="pager".*?</nav>', html, re.S)[0]
        assert len(re.findall(r">\d+</(?:a|span)>", pager)) <= 7
        seen.append(page.name)
        following = re.search(r'<a href="/gzdt/([^"]+)" rel="next">', pager)
        if not following:
            break
        page = out / "gzdt" / following[1]
    total = int(re.search(r"共 (\d+) 页", pager)[1])
    assert len(seen) == total > 10
    assert "…" in (out / "gzdt" / "index_7.html").read_text("utf-8")


def test_the_homepage_leads_its_news_with_the_newest_picture_and_reserves_its_box(built):
    root, out = built
    if root != REPO:
        return  # the minimal site's news has no picture
    home = Page(out / "index.html")
    lead = re.search(r'<figure class="lead-story"><a href="([^"]+)"><img ([^>]+)>', home.html)
    assert lead, "no lead picture on the homepage"
    attributes = dict(re.findall(r'(\w+)="([^"]*)"', lead.group(2)))
    picture = (out / attributes["src"].lstrip("/")).read_bytes()
    assert picture[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(picture[16:20], "big"), int.from_bytes(picture[20:24], "big")
    assert (attributes["width"], attributes["height"]) == (str(width), str(height))
    # the newest news item that has a picture, before the news list
    assert lead.group(1) == "/gzdt/zwyw/2026-11-18-dongjianquan.html"
    news = home.html[home.html.index('id="sec-1"') :]  # the first channel of the grid: 工作动态
    assert 'href="/gzdt/index.html"' in news[:200] and news.index("lead-story") < news.index('class="item-list"')


def test_the_homepages_frequent_services_come_first_and_its_open_government_links_resolve(built):
    root, out = built
    home = Page(out / "index.html")
    tiles = re.findall(
        r'<li><a href="(/bsfw/[^"]+)">', home.html.split('class="service-tiles"', 1)[1].split("</ul>")[0]
    )
    guides = sorted(g for g in (root / "content/bsfw").glob("*.yaml") if g.name != "_column.yaml")
    frequent = [g for g in guides if re.search(r"^frequent:\s*true", g.read_text("utf-8"), re.M)]
    assert len(tiles) == min(6, len(guides))
    assert tiles[: len(frequent)] == sorted(f"/bsfw/{g.stem}.html" for g in frequent)
    block = home.html.split('class="open-links"', 1)[1].split("</ul>")[0]
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', block)
    assert [name for _, name in links][:3] == ["机构职能", "负责人信息", "政策文件"]
    for href, _ in links:
        assert (out / href.lstrip("/")).is_file(), href


def test_the_footer_shows_the_official_badges_as_pictures_when_the_site_has_them(built):
    root, out = built
    site = config(root)["site"]
    footer = Page(out / "index.html").html.split('<footer class="site-footer">', 1)[1].split("</footer>", 1)[0]
    for key, url_key, name in [
        ("error_report_badge", "error_report_url", "我为政府网站找错"),
        ("conac_badge", "conac_url", "党政机关网站标识"),
    ]:
        if not site.get(url_key):  # the minimal site has no 党政机关网站标识
            assert name not in footer
            continue
        link = re.search(
            rf'<a href="([^"]+)"[^>]*>(<img [^>]*alt="{name}"[^>]*>)?{"" if site.get(key) else name}</a>', footer
        )
        assert link, (name, footer)
        assert link.group(1) == site[url_key].replace("&", "&amp;")
        if site.get(key):
            assert f'src="{site[key]}"' in link.group(2) and (out / site[key].lstrip("/")).is_file()
            assert f">{name}</a>" not in footer  # the picture, not the picture and a text link
