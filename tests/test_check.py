"""`gsgen check` runs the rules marked out on any folder of HTML: pages shaped like real portal pages
(tests/fixtures/portal, see EXPECTED.md there) and gsgen's own output."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE_NOW, REPO, gsgen, gsgen_here

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
    run = gsgen("check", PORTAL, "--site-root", "--format", "json")  # the fixture is a whole site
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
    run = gsgen("check", PORTAL, "--site-root")
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
    run = gsgen("check", PORTAL / page, "--site-root")
    assert run.code == (1 if EXPECTED[page] else 0), run.text
    assert {line.split("error[")[1].split("]")[0] for line in run.out.splitlines() if "error[" in line} == EXPECTED[
        page
    ]
    assert all(line.startswith(f"{PORTAL / page}:") for line in run.out.splitlines() if "error[" in line)
    assert run.out.strip().splitlines()[-1].startswith("检查完成：1 个页面")


# ---------------------------------------------------------------- never abort, never pass silently

CLEAN = (PORTAL / "gzdt/2024-05-10-clean.html").read_text("utf-8")


def check_json(folder: Path) -> tuple[int, dict]:
    run = gsgen_here("check", folder, "--format", "json")
    return run.code, json.loads(run.out)


def rules_by_file(report: dict) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for finding in report["findings"]:
        found.setdefault(finding["file"], []).append(finding["rule"])
    return {file: sorted(rules) for file, rules in found.items()}


def test_pages_of_every_kind_and_case_are_checked(tmp_path):
    for name in ("a.SHTML", "b.htm", "c.xhtml", "d.Html", "e.shtm"):
        (tmp_path / name).write_text(CLEAN, "utf-8")
    (tmp_path / "notes.txt").write_text("不是网页", "utf-8")
    code, report = check_json(tmp_path)
    assert code == 1 and report["pages"] == 5  # copied out of their site, their links do not resolve
    assert set(rules_by_file(report)) == {"a.SHTML", "b.htm", "c.xhtml", "d.Html", "e.shtm"}


def test_a_folder_without_pages_is_an_error_not_a_clean_pass(tmp_path):
    (tmp_path / "index.asp").write_text("<% response.write 1 %>", "utf-8")
    run = gsgen_here("check", tmp_path)
    assert run.code == 1, run.text
    assert "error[CHECK-INPUT]" in run.out and "没有可检查的网页" in run.out
    assert run.out.strip().splitlines()[-1] == "检查完成：0 个页面，1 个错误，0 个警告"


def test_a_binary_file_named_html_is_one_finding_and_the_rest_is_checked(tmp_path):
    (tmp_path / "photo.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (tmp_path / "page.html").write_text(CLEAN, "utf-8")
    code, report = check_json(tmp_path)
    assert code == 1 and report["pages"] == 1
    found = rules_by_file(report)
    assert found["photo.html"] == ["CHECK-INPUT"]
    assert "CHECK-INPUT" not in found["page.html"]


@pytest.mark.parametrize(
    "declaration",
    [
        '<meta charset="gbk">',
        '<meta charset="GB2312">',
        '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">',
        "",
    ],
    ids=["gbk", "gb2312", "http-equiv", "undeclared"],
)
def test_a_gbk_page_is_read_as_its_utf8_twin(tmp_path, declaration):
    (tmp_path / "utf8.html").write_text(CLEAN, "utf-8")
    (tmp_path / "gbk.html").write_bytes(CLEAN.replace('<meta charset="utf-8">', declaration).encode("gbk"))
    code, report = check_json(tmp_path)
    found = rules_by_file(report)
    assert code == 1 and found["gbk.html"] == found["utf8.html"], found
    assert not [f for f in report["findings"] if f["file"] == "gbk.html" and "�" in f["message"]]


def test_bytes_that_do_not_decode_are_a_warning_naming_the_page(tmp_path):
    (tmp_path / "page.html").write_bytes(CLEAN.encode("utf-8").replace("主办单位".encode(), b"\xff\xfe\xff"))
    code, report = check_json(tmp_path)
    assert code == 1
    warnings = [f for f in report["findings"] if f["rule"] == "CHECK-INPUT"]
    assert len(warnings) == 1 and warnings[0]["severity"] == "warn" and warnings[0]["file"] == "page.html"
    assert "3 处字节" in warnings[0]["message"]
    assert report["pages"] == 1


def test_a_rule_that_fails_on_one_page_does_not_stop_the_run(tmp_path, monkeypatch):
    import gsgen.check

    (tmp_path / "bad.html").write_text(CLEAN, "utf-8")
    (tmp_path / "good.html").write_text(CLEAN, "utf-8")
    real = gsgen.check.check_page

    def failing(page, ctx, out_only=False):
        if page.file == "bad.html":
            raise ValueError("Invalid IPv6 URL")
        return real(page, ctx, out_only)

    monkeypatch.setattr(gsgen.check, "check_page", failing)
    result = gsgen.check.check_folder(tmp_path)
    assert result.pages == 1
    bad = [d for d in result.findings if d.file == "bad.html"]
    assert [d.rule for d in bad] == ["CHECK-INPUT"] and "Invalid IPv6 URL" in bad[0].message
    assert any(d.file == "good.html" for d in result.findings)


@pytest.mark.parametrize("url", ["http://www.example.gov.cn]", "http://[ICP_URL]/", "http://[::1"])
def test_an_address_no_browser_can_follow_is_a_broken_link_not_a_crash(tmp_path, url):
    (tmp_path / "page.html").write_text(CLEAN.replace("</footer>", f'<a href="{url}">链接</a></footer>'), "utf-8")
    code, report = check_json(tmp_path)
    assert code == 1 and report["pages"] == 1
    found = [f for f in report["findings"] if url in f["message"]]
    assert len(found) == 1 and found[0]["rule"] == "LINKS" and "不是有效的网址" in found[0]["message"], found


# ---------------------------------------------------------------- a folder that is not a whole site


def test_pages_checked_apart_from_their_site_give_one_warning_each_for_their_site_links(tmp_path):
    (tmp_path / "a.html").write_text(CLEAN, "utf-8")  # saved alone: its menu's links lead nowhere here
    (tmp_path / "b.html").write_text(CLEAN, "utf-8")
    code, report = check_json(tmp_path)
    assert code == 1  # warnings count too (exit 1 on any finding)
    links = [f for f in report["findings"] if f["rule"] == "LINKS"]
    assert [(f["file"], f["severity"]) for f in links] == [("a.html", "warn"), ("b.html", "warn")], links
    assert "--site-root" in links[0]["message"] and "/index.html" in links[0]["message"]
    run = gsgen_here("check", tmp_path, "--site-root", "--format", "json")
    whole = [f for f in json.loads(run.out)["findings"] if f["rule"] == "LINKS"]
    assert len(whole) > 2 and {f["severity"] for f in whole} == {"error"}


@pytest.mark.parametrize(
    "reference",
    [
        '<a href="${article.url}">模板</a>',
        '<a href="<%= link %>">模板</a>',
        '<a href="{{ url }}">模板</a>',
        '<a href="{url}">模板</a>',
        '<img src="2024-05-10-clean_files/logo.png" alt="">',
    ],
    ids=["dollar", "asp", "jinja", "braces", "saved-page-files"],
)
def test_template_placeholders_and_a_saved_pages_files_are_not_broken_links(tmp_path, reference):
    (tmp_path / "index.html").write_text(CLEAN.replace("</footer>", reference + "</footer>"), "utf-8")
    run = gsgen_here("check", tmp_path, "--site-root", "--format", "json")
    mentioned = [
        f
        for f in json.loads(run.out)["findings"]
        if f["rule"] == "LINKS" and ("_files" in f["message"] or "{" in f["message"] or "%" in f["message"])
    ]
    assert mentioned == []


# ---------------------------------------------------------------- DARK-LINK: hidden links that leave


def test_a_hidden_tab_panel_of_the_sites_own_links_is_no_dark_link_but_a_hidden_outside_link_is(tmp_path):
    panels = (
        '<div class="tab-panel" style="display:none"><a href="/zwgk/tzgg/index.html">通知公告</a>'
        '<a href="https://www.gd.gov.cn/">省政府</a></div>'
        '<div hidden><a href="https://www.hg8868-vip.com/">皇冠体育</a></div>'
    )
    (tmp_path / "index.html").write_text(CLEAN.replace("</footer>", panels + "</footer>"), "utf-8")
    code, report = check_json(tmp_path)
    dark = [f for f in report["findings"] if f["rule"] == "DARK-LINK"]
    assert code == 1 and [f["message"].split("：")[1].split("。")[0] for f in dark] == ["https://www.hg8868-vip.com/"]


# ---------------------------------------------------------------- header and footer without the elements


@pytest.mark.parametrize(
    ("header", "footer"),
    [
        ('<div class="head">', '<div class="footer">'),
        ('<div id="top">', '<div id="bottom">'),
        ('<div role="banner">', '<div role="contentinfo">'),
        ('<div class="header-wrap">', '<div class="copyright">'),
    ],
    ids=["class", "id", "role", "words"],
)
def test_a_header_and_footer_marked_by_class_id_or_role_are_found(tmp_path, header, footer):
    page = CLEAN.replace('<header class="head">', header).replace("</header>", "</div>")
    page = page.replace('<footer class="foot">', footer).replace("</footer>", "</div>")
    (tmp_path / "page.html").write_text(page, "utf-8")
    (tmp_path / "elements.html").write_text(CLEAN, "utf-8")
    _code, report = check_json(tmp_path)
    found = rules_by_file(report)
    assert found["page.html"] == found["elements.html"], found
    assert "SITE-FOOTER" not in found["page.html"] and "SITE-NAME" not in found["page.html"]


def test_a_page_without_any_footer_is_told_where_a_footer_may_be(tmp_path):
    page = CLEAN.split('<footer class="foot">')[0] + CLEAN.split("</footer>")[1]
    (tmp_path / "page.html").write_text(page, "utf-8")
    code, report = check_json(tmp_path)
    footer = [f for f in report["findings"] if f["rule"] == "SITE-FOOTER"]
    assert code == 1 and len(footer) == 1 and "contentinfo" in footer[0]["message"]


# ---------------------------------------------------------------- EXT-LINK: a site-wide leaving prompt, bare IPs

OUTSIDE = '<a href="https://www.example.com/">友情链接</a>'
COMMON_JS = 'document.addEventListener("click", function (e) { if (!confirm("您即将离开本网站，是否继续？")) e.preventDefault(); });'


@pytest.mark.parametrize(
    ("files", "script"),
    [
        ({"js/common.js": COMMON_JS.encode("utf-8")}, '<script src="/js/common.js"></script>'),
        ({"js/common.js": COMMON_JS.encode("gbk")}, '<script src="../js/common.js"></script>'),
        ({}, f"<script>{COMMON_JS}</script>"),
    ],
    ids=["script-file", "gbk-script-file", "inline"],
)
def test_a_site_wide_leaving_prompt_is_a_leaving_prompt(tmp_path, files, script):
    (tmp_path / "gzdt").mkdir()
    for name, data in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data)
    (tmp_path / "gzdt/prompted.html").write_text(CLEAN.replace("</footer>", OUTSIDE + "</footer>" + script), "utf-8")
    (tmp_path / "gzdt/silent.html").write_text(CLEAN.replace("</footer>", OUTSIDE + "</footer>"), "utf-8")
    _code, report = check_json(tmp_path)
    found = rules_by_file(report)
    assert "EXT-LINK" not in found["gzdt/prompted.html"]
    [silent] = [f for f in report["findings"] if f["rule"] == "EXT-LINK"]
    assert silent["file"] == "gzdt/silent.html" and "config.yaml" not in silent["message"], silent


@pytest.mark.parametrize("url", ["http://120.78.12.34/", "https://[2001:db8::1]/x"])
def test_a_link_to_a_bare_ip_address_is_named_as_such_even_with_a_prompt(tmp_path, url):
    link = f'<a href="{url}" data-external>数据平台</a>'
    (tmp_path / "page.html").write_text(CLEAN.replace("</footer>", link + "</footer>"), "utf-8")
    code, report = check_json(tmp_path)
    found = [f for f in report["findings"] if f["rule"] == "EXT-LINK"]
    assert code == 1 and len(found) == 1 and "IP 地址" in found[0]["message"], found


# ---------------------------------------------------------------- page kinds from what pages show; identity


def without_meta(html: str, *names: str) -> str:
    return "\n".join(line for line in html.split("\n") if not any(f'<meta name="{n}"' in line for n in names))


def test_a_content_page_without_its_tags_is_known_by_its_source_and_time(tmp_path):
    bare = without_meta(
        CLEAN, "ColumnName", "ColumnType", "ArticleTitle", "PubDate", "ContentSource", "Description", "Url"
    )
    (tmp_path / "page.html").write_text(bare, "utf-8")
    code, report = check_json(tmp_path)
    missing = sorted(
        f["message"].split('name="')[1].split('"')[0]
        for f in report["findings"]
        if f["rule"] in ("ART-META", "COL-META")
    )
    assert code == 1
    assert missing == ["ArticleTitle", "ColumnName", "ColumnType", "ContentSource", "Description", "PubDate", "Url"]


def test_a_homepage_without_column_tags_is_known_by_its_place(tmp_path):
    (tmp_path / "index.html").write_text(
        without_meta(
            (PORTAL / "index.html").read_text("utf-8"),
            "ColumnName",
            "ColumnType",
            "ColumnDescription",
            "ColumnKeywords",
        ),
        "utf-8",
    )
    _code, report = check_json(tmp_path)
    missing = {f["message"].split('name="')[1].split('"')[0] for f in report["findings"] if f["rule"] == "COL-META"}
    assert missing == {"ColumnName", "ColumnType", "ColumnDescription", "ColumnKeywords"}


@pytest.mark.parametrize(
    ("shown", "says"),
    [
        ("2024年05月10日 09:30", "格式不对：应写成 2024-05-10 09:30"),
        ("2024-05-10", "只有日期"),
        ("2024-05-10 09:30:15", "格式不对：应写成 2024-05-10 09:30"),
        ("2024-05-11 09:30", "不一致"),
    ],
    ids=["chinese-form", "no-time", "seconds", "other-moment"],
)
def test_a_shown_publication_time_is_judged_for_what_it_is(tmp_path, shown, says):
    (tmp_path / "page.html").write_text(CLEAN.replace("发布时间：2024-05-10 09:30", f"发布时间：{shown}"), "utf-8")
    code, report = check_json(tmp_path)
    dates = [f["message"] for f in report["findings"] if f["rule"] == "ART-DATE"]
    assert code == 1 and len(dates) == 1 and says in dates[0], dates


def test_an_id_code_that_is_no_id_code_and_another_sites_domain_are_found(tmp_path):
    (tmp_path / "a.html").write_text(CLEAN, "utf-8")
    (tmp_path / "b.html").write_text(CLEAN, "utf-8")
    (tmp_path / "c.html").write_text(
        CLEAN.replace('content="4400000123"', 'content="28"').replace(
            'content="www.yangli.gov.cn"', 'content="www.other.gov.cn"'
        ),
        "utf-8",
    )
    _code, report = check_json(tmp_path)
    found = {(f["rule"], f["file"]) for f in report["findings"] if f["rule"] in ("SITE-IDCODE", "SITE-DOMAIN")}
    assert found == {("SITE-IDCODE", "c.html"), ("SITE-DOMAIN", "c.html")}
    run = gsgen_here("check", tmp_path, "--domain", "www.other.gov.cn", "--format", "json")
    domains = [f for f in json.loads(run.out)["findings"] if f["rule"] == "SITE-DOMAIN"]
    assert [d["file"] for d in domains] == ["a.html"] and "共 2 个页面" in domains[0]["message"]


# ---------------------------------------------------------------- real-world shapes (tests/fixtures/realworld)

REALWORLD = Path(__file__).parent / "fixtures" / "realworld"
REALWORLD_FINDINGS = {  # see EXPECTED.md there: every finding true, every shape's problem found
    ("index.html", "COL-META"): 4,
    ("gzdt/stray-bracket.html", "LINKS"): 1,
    ("gzdt/date-nianyueri.html", "ART-DATE"): 1,
    ("gzdt/bare-ip.html", "EXT-LINK"): 1,
    ("gzdt/no-tags.html", "ART-META"): 5,
    ("gzdt/no-tags.html", "COL-META"): 2,
    ("gzdt/hidden-outside.html", "DARK-LINK"): 1,
    ("gzdt/copied-template.html", "SITE-IDCODE"): 1,
    ("gzdt/copied-template.html", "SITE-DOMAIN"): 1,
    ("gzdt/photo.html", "CHECK-INPUT"): 1,
}


def test_real_world_page_shapes_give_exactly_their_true_findings():
    from collections import Counter

    code, report = check_json(REALWORLD)
    assert code == 1 and report["pages"] == 14
    assert Counter((f["file"], f["rule"]) for f in report["findings"]) == Counter(REALWORLD_FINDINGS)


# ---------------------------------------------------------------- the HTML report


def test_the_html_report_groups_findings_by_rule_with_counts(tmp_path):
    from lxml import html as lxml_html

    run = gsgen_here("check", REALWORLD, "--format", "html")
    assert run.code == 1
    doc = lxml_html.fromstring(run.out)
    rows = {
        row.xpath("string(td[1])"): [int(row.xpath(f"string(td[{k}])")) for k in (3, 4, 5)]
        for row in doc.xpath("//table/tbody/tr")
    }
    counts = {}
    for (file, rule), n in REALWORLD_FINDINGS.items():
        counts.setdefault(rule, [0, set()])
        counts[rule][0] += n
        counts[rule][1].add(file)
    assert rows == {rule: [n, 0, len(files)] for rule, (n, files) in counts.items()}
    assert "检查了 14 个页面：18 个错误，0 个警告" in doc.text_content()
    assert len(doc.xpath("//li")) == 18


def test_the_html_report_shows_what_the_pages_hold_as_text_never_as_markup(tmp_path):
    from tests.attacks import scan_page

    evil = '"><script>alert(1)</script><img src=x onerror=alert(2)>'
    link = f'<a href="https://evil.example.com/{html.escape(evil)}">x</a>'  # its address holds the markup
    (tmp_path / "page.html").write_text(CLEAN.replace("</footer>", link + "</footer>"), "utf-8")
    (tmp_path / "x<b onmouseover=alert(3)>.html").write_text("\0binary", "utf-8")
    run = gsgen_here("check", tmp_path, "--format", "html")
    assert run.code == 1 and "&lt;script&gt;" in run.out
    # the attack scanner finds nothing a browser would run or load (the report is no page of a site, so
    # the scanner's own check that gsgen rendered it, by its SiteIDCode, does not apply)
    assert [f for f in scan_page(run.out, "report.html") if "SiteIDCode" not in f.message] == []


def test_the_national_error_report_script_is_the_error_report_entry(tmp_path):
    entry = '<a href="https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=4400000123">我为政府网站找错</a>'
    script = '<script id="_jiucuo_" sitecode="4400000123" src="https://zfwzgl.www.gov.cn/exposure/jiucuo.js"></script>'
    assert entry in CLEAN
    (tmp_path / "script.html").write_text(CLEAN.replace(entry, script), "utf-8")
    (tmp_path / "none.html").write_text(CLEAN.replace(entry, ""), "utf-8")
    _code, report = check_json(tmp_path)
    footer = [(f["file"], f["message"]) for f in report["findings"] if f["rule"] == "SITE-FOOTER"]
    assert len(footer) == 1 and footer[0][0] == "none.html" and "我为政府网站找错" in footer[0][1], footer


def test_a_page_that_cannot_be_read_is_a_finding_and_the_run_goes_on(tmp_path, monkeypatch):
    import gsgen.check

    (tmp_path / "locked.html").write_text(CLEAN, "utf-8")
    (tmp_path / "open.html").write_text(CLEAN, "utf-8")
    real = Path.read_bytes

    def read_bytes(self):
        if self.name == "locked.html":
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    result = gsgen.check.check_folder(tmp_path)
    locked = [d for d in result.findings if d.file == "locked.html"]
    assert (
        result.pages == 1 and [d.rule for d in locked] == ["CHECK-INPUT"] and "Permission denied" in locked[0].message
    )
