"""The rules beyond the spine: each fails on a site that breaks only it (with its ID, the
file and the clause, the previous output untouched) and passes on the minimal site."""

from __future__ import annotations

import pytest

from gsgen.rules.personal import luhn_valid, personal_info, valid_id_number
from gsgen.rules.presentation import hue_families
from tests.conftest import NOW, REPO, assert_breaks
from tests.conftest import gsgen_here as gsgen
from tests.sites import column, edited, item, minimal_site, replace, write_site

NEWS = "content/gzdt/2025-01-06-e.md"
MESSAGES = "content/hdjl/messages.yaml"
GUIDE = "content/bsfw/gtgsh.yaml"
REVIEWED = "review: {初审: 甲, 审核: 乙, 签发: 丙}"
OVERRIDE = "themes/default/templates/"
# A valid GB 11643 number (check digit X), a Luhn-valid card number, a mobile number.
ID_OK, ID_BAD_CHECK = "11010519491231002X", "110105194912310021"
CARD, MOBILE = "6222 0202 0011 2233 446", "138 1234 5678"


def news(body: str = "正文。", **extra: str) -> str:
    return item("新年第一次工作会议召开", "2025-01-06 10:00", body=body, **extra)


def with_review(files: dict[str, str]) -> dict[str, str]:
    """The minimal site with review required and every item reviewed."""
    files = dict(files)
    files["config.yaml"] += "review: {required: true, levels: [初审, 审核, 签发]}\n"
    for rel, text in files.items():
        if rel.startswith("content/") and not rel.endswith("_column.yaml"):
            files[rel] = (
                text.replace("---\n\n", f"{REVIEWED}\n---\n\n", 1) if rel.endswith(".md") else text + REVIEWED + "\n"
            )
    return files


ERROR_CASES = [
    # PRIVACY
    ("PRIVACY", {NEWS: news(f"经办人身份证号{ID_OK}。")}, NEWS, "身份证号码 110"),
    ("PRIVACY", {NEWS: news(f"联系人手机 {MOBILE}。")}, NEWS, "手机号码"),
    ("PRIVACY", {NEWS: news(f"补贴打入账户 {CARD}。")}, NEWS, "银行卡号"),
    (
        "PRIVACY",
        {MESSAGES: replace("question: 人民路路灯不亮。", "question: 人民路路灯不亮，电话13812345678。")},
        MESSAGES,
        "手机号码",
    ),
    ("PRIVACY", {NEWS: news(f"手机 {MOBILE}。", allow_personal_info=f'[{{value: "{MOBILE}"}}]')}, NEWS, "reason"),
    # WORDS
    (
        "WORDS",
        {
            "config.yaml": lambda c: c + "checks: {words: words.yaml}\n",
            "words.yaml": "- {wrong: 中华人名共和国, right: 中华人民共和国, level: error}\n",
            NEWS: news("依据中华人名共和国有关法律。"),
        },
        NEWS,
        "应为「中华人民共和国」",
    ),
    # SAFE-HTML
    ("SAFE-HTML", {NEWS: news("<script>alert(1)</script>")}, NEWS, "<script>"),
    ("SAFE-HTML", {NEWS: news('<p onclick="x()">点我</p>')}, NEWS, "onclick"),
    ("SAFE-HTML", {NEWS: news("[点我](javascript:alert(1))")}, NEWS, "javascript:"),
    ("SAFE-HTML", {NEWS: news('<a href="javascript:void(0)">点我</a>')}, NEWS, "javascript:"),
    ("SAFE-HTML", {NEWS: news('<iframe src="https://video.example.com/1"></iframe>')}, NEWS, "政府网站"),
    ("SAFE-HTML", {NEWS: news("![图](data:image/png;base64,iVBORw0KGgo=)")}, NEWS, "data:"),
    ("SAFE-HTML", {NEWS: news('<embed src="/a.swf">')}, NEWS, "<embed>"),
    # SERVICE-GUIDE
    ("SERVICE-GUIDE", {GUIDE: replace("fee: 不收费\n", "")}, GUIDE, "收费标准"),
    ("SERVICE-GUIDE", {GUIDE: replace("online_level: 全程网办\n", "")}, GUIDE, "网上可办理程度"),
    ("SERVICE-GUIDE", {GUIDE: replace(" copies: '1',", "")}, GUIDE, "份数"),
    # INTERACT
    ("INTERACT", {MESSAGES: replace(" dept: 县城市管理局,", "")}, MESSAGES, "答复部门"),
    # LINKS: a body link to a page that does not exist, reported at the item's line, not the page's
    ("LINKS", {NEWS: news("详见[通知](../zcwj/2099-001.md)。")}, f"{NEWS}:7", "2099-001"),
    ("LINKS", {NEWS: news("![照片](nowhere.jpg)")}, f"{NEWS}:7", "nowhere.jpg"),
    ("LINKS", {NEWS: news(attachments="[{file: ../../../etc/passwd}]")}, NEWS, "content/ 文件夹以外"),
    # DARK-LINK: a link hidden by inline style in raw HTML, at the item's line
    (
        "DARK-LINK",
        {NEWS: news('<table><tr><td style="display:none"><a href="https://www.gov.cn/">x</a></td></tr></table>')},
        f"{NEWS}:7",
        "隐藏内容",
    ),
    # CONTRAST: a light primary colour under the header's white text
    ("CONTRAST", {"config.yaml": lambda c: c + 'colors: {primary: "#f5d142"}\n'}, "config.yaml", "页头和导航"),
]

THEME_CASES = [
    (
        "EXT-LINK",
        {
            OVERRIDE + "404.html": "{% extends 'base.html' %}{% block main %}<h1>404</h1>"
            "<a href='https://www.baidu.com/'>搜索</a>{% endblock %}"
        },
        OVERRIDE + "404.html:1",  # the template that wrote the link, not the page
        "离站提示",
    ),
    (
        "ARCHIVED",
        {OVERRIDE + "partials/macros.html": replace("{% if moment %}", "{% if false %}")},
        "gzdt/2024-05-01-d.html",
        "已归档",
    ),
    (
        "COL-ORDER",
        {
            OVERRIDE + "column.html": replace(
                "{{ m.item_list(items, show_column=subcolumns|length > 0) }}",
                "{{ m.item_list(items | reverse | list) }}",
            )
        },
        "gzdt/index.html",
        "从新到旧",
    ),
    (
        "FLOAT",
        {OVERRIDE + "404.html": "{% extends 'base.html' %}{% block main %}<marquee>欢迎</marquee>{% endblock %}"},
        OVERRIDE + "404.html:1",  # the template that wrote it
        "marquee",
    ),
    ("PRINT", {"themes/default/static/css/site.css": "body{color:#222}"}, "index.html", "@media print"),
    (
        "PRINT",
        {
            OVERRIDE + "404.html": "{% extends 'base.html' %}{% block main %}<div oncontextmenu='return false'>x</div>"
            "{% endblock %}"
        },
        "404.html",
        "oncontextmenu",
    ),
    (
        "RESPONSIVE",
        {OVERRIDE + "base.html": replace('<meta name="viewport" content="width=device-width, initial-scale=1">', "")},
        "index.html",
        "viewport",
    ),
    (
        "A11Y",
        {
            OVERRIDE
            + "404.html": "{% extends 'base.html' %}{% block main %}<img src='/static/css/site.css'>{% endblock %}"
        },
        OVERRIDE + "404.html:1",
        "alt",
    ),
    ("A11Y", {OVERRIDE + "base.html": replace('<html lang="zh-CN">', "<html>")}, "index.html", "lang"),
    ("ART-SHARE", {OVERRIDE + "partials/share.html": "<p>分享</p>"}, "gzdt/2025-01-06-e.html", "复制链接"),
    (
        "A11Y",
        {OVERRIDE + "partials/header.html": replace("长辈模式</button>", "大字</button>")},
        "index.html",
        "长辈模式",
    ),
    (
        "COLOURS",
        {
            "themes/default/static/css/extra.css": ".a{color:#0a7d32}.b{color:#7a2ea8}.c{color:#c45a00}"
            "@media print{nav{display:none}}",
            OVERRIDE + "base.html": replace(
                '<link rel="stylesheet" href="/static/css/site.css">',
                '<link rel="stylesheet" href="/static/css/site.css">'
                '<link rel="stylesheet" href="/static/css/extra.css">',
            ),
        },
        "static/css/extra.css",
        "色系",
    ),
    (
        "TOPIC-ARCHIVE",
        {
            "content/zt/_column.yaml": column("专题专栏", "专题"),
            "content/zt/old/_column.yaml": column("旧专题", "专题", archived="2024-12-01 10:00"),
            "content/zt/old/2024-10-01-a.md": item("专题文章", "2024-10-01 10:00"),
            OVERRIDE + "home.html": lambda t: t.replace("{% if active_topics %}", "{% if true %}", 1).replace(
                "{% for t in active_topics %}", "{% for t in active_topics + archived_topics %}", 1
            ),
        },
        "content/zt/old/_column.yaml",
        "显著位置",
    ),
]


@pytest.mark.parametrize(
    ("rule", "edit", "file", "word"),
    ERROR_CASES + THEME_CASES,
    ids=[f"{c[0]}-{i}" for i, c in enumerate(ERROR_CASES + THEME_CASES)],
)
def test_a_broken_rule_stops_the_build_and_keeps_the_output(tmp_path, published, rule, edit, file, word):
    assert_breaks(tmp_path, published, rule, edit, file, word)


WARN_CASES = [
    (
        "WORDS",
        {
            "config.yaml": lambda c: c + "checks: {words: words.yaml}\n",
            "words.yaml": "- {wrong: 二〇二五年, right: 2025年, level: warn}\n",
            NEWS: news("二〇二五年工作要点。"),
        },
        NEWS,
    ),
    ("INTERACT", {MESSAGES: replace("replied: 2024-06-03 16:00", "replied: 2024-06-20 16:00")}, MESSAGES),
    ("COL-EMPTY", {"content/e0/_column.yaml": column("空栏目", "其他")}, "content/e0/_column.yaml"),
    # ADS: a link in the body, reported at the item (traced from the page)
    ("ADS", {NEWS: news("[点击领取](https://s.click.taobao.com/xyz)")}, f"{NEWS}:7"),
    (
        "PLUGINS",
        {NEWS: news(attachments="[{file: intro.rar, title: 资料}]"), "content/gzdt/intro.rar": b"Rar!\x1a\x07\x01\x00"},
        NEWS,
    ),
    ("WEIGHT", {NEWS: news("很长的正文。" * 30000)}, "gzdt/2025-01-06-e.html"),
]


@pytest.mark.parametrize(("rule", "edit", "file"), WARN_CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(WARN_CASES)])
def test_a_warning_rule_warns_and_fails_only_under_strict(tmp_path, rule, edit, file):
    site = write_site(tmp_path / "s", edited(minimal_site(), edit))
    run = gsgen("build", site, "--now", NOW, "-o", tmp_path / "out")
    assert run.code == 0, run.text
    assert any(line.startswith(file) and f"warn[{rule}]" in line for line in run.out.splitlines()), run.text
    strict = gsgen("build", site, "--strict", "--now", NOW, "-o", tmp_path / "out2")
    assert strict.code == 1 and f"error[{rule}]" in strict.out


# Health rules: what time alone brings about. The build publishes, --strict or not, and says so;
# `gsgen health` reports them with their real severity and fails on an error (docs/rules.md, 健康检查).
HEALTH_CASES = [
    ("COL-STALE", {NEWS: None}, "content/gzdt/_column.yaml", "warn", "超过更新周期"),
    (
        "COL-STALE",
        {"content/gzdt/_column.yaml": lambda c: c + "update_period: 3d\n"},
        "content/gzdt/_column.yaml",
        "warn",
        "超过更新周期",
    ),
    (
        "POLICY-INTERP-LATE",
        {"content/jdhy/2025-01-03-jd.md": replace("2025-01-03 15:00", "2025-01-09 15:00")},
        "content/zcwj/2025-001.md",
        "warn",
        "解读",
    ),
    ("INTERACT", {MESSAGES: replace("replied: 2024-06-03 16:00,", "")}, MESSAGES, "error", "超过 3 个月未答复"),
    (
        "VETO",
        {f"content/e{n}/_column.yaml": column(f"空栏目{n}", "其他") for n in range(5)},
        "content",
        "error",
        "单项否决：空白栏目有 5 个",
    ),
    (
        "VETO",
        {
            **{f"content/dt{n}/_column.yaml": column(f"动态{n}", "工作动态") for n in range(5)},
            **{f"content/dt{n}/2024-12-01-a.md": item(f"旧动态{n}", "2024-12-01 09:00") for n in range(5)},
        },
        "content",
        "error",
        "单项否决：未按期更新的栏目共 5 个（动态、要闻类栏目超过 14 天未更新 5 个",
    ),
    (  # 3 news and 2 notice columns: the inspection counts them together
        "VETO",
        {
            **{f"content/dt{n}/_column.yaml": column(f"动态{n}", "工作动态") for n in range(3)},
            **{f"content/dt{n}/2024-12-01-a.md": item(f"旧动态{n}", "2024-12-01 09:00") for n in range(3)},
            **{f"content/tz{n}/_column.yaml": column(f"通知公告{n}", "工作动态") for n in range(2)},
            **{f"content/tz{n}/2024-01-02-a.md": item(f"旧通知{n}", "2024-01-02 09:00") for n in range(2)},
        },
        "content",
        "error",
        "共 5 个（动态、要闻类栏目超过 14 天未更新 3 个，通知公告、政策文件类栏目超过 6 个月未更新 2 个",
    ),
]


def test_four_stale_columns_are_no_veto(tmp_path):
    edit = {
        **{f"content/dt{n}/_column.yaml": column(f"动态{n}", "工作动态") for n in range(4)},
        **{f"content/dt{n}/2024-12-01-a.md": item(f"旧动态{n}", "2024-12-01 09:00") for n in range(4)},
    }
    site = write_site(tmp_path / "s", edited(minimal_site(), edit))
    health = gsgen("health", site, "--now", NOW)
    assert health.code == 0 and "[VETO]" not in health.out and health.out.count("warn[COL-STALE]") == 4, health.text


@pytest.mark.parametrize(
    ("rule", "edit", "file", "level", "word"), HEALTH_CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(HEALTH_CASES)]
)
def test_a_health_rule_never_stops_the_build_and_fails_the_health_check(tmp_path, rule, edit, file, level, word):
    site = write_site(tmp_path / "s", edited(minimal_site(), edit))
    # Each empty column is itself a COL-EMPTY warning, which --strict makes an error; their count is health.
    strict = () if rule == "VETO" else ("--strict",)
    run = gsgen("build", site, *strict, "--now", NOW, "-o", tmp_path / "out")
    assert run.code == 0, run.text
    assert (tmp_path / "out" / "index.html").is_file()
    assert any(f"warn[{rule}]" in line and word in line for line in run.out.splitlines()), run.text
    health = gsgen("health", site, "--now", NOW)
    found = [line for line in health.out.splitlines() if line.startswith(file) and f"{level}[{rule}]" in line]
    assert found and word in found[0], health.text
    assert health.code == (1 if level == "error" else 0), health.text
    assert gsgen("health", site, "--now", NOW, "--strict").code == 1


def test_review_names_the_missing_level(tmp_path):
    files = with_review(minimal_site())
    assert gsgen("build", write_site(tmp_path / "ok", files), "--strict", "--now", NOW, "-o", tmp_path / "o1").code == 0
    files[NEWS] = files[NEWS].replace("签发: 丙", "签发: ''")
    run = gsgen("build", write_site(tmp_path / "bad", files), "--now", NOW, "-o", tmp_path / "o2")
    assert run.code == 1
    assert any(line.startswith(NEWS) and "error[REVIEW]" in line and "签发" in line for line in run.out.splitlines())


def test_allowed_personal_info_with_a_reason_is_published(tmp_path):
    body = f"咨询电话 {MOBILE}。"
    files = edited(minimal_site(), {NEWS: news(body, allow_personal_info=f'[{{value: "{MOBILE}", reason: 值班手机}}]')})
    assert gsgen("build", write_site(tmp_path / "s", files), "--strict", "--now", NOW, "-o", tmp_path / "o").code == 0


def test_privacy_messages_never_repeat_the_whole_number(tmp_path):
    run = gsgen(
        "build",
        write_site(tmp_path / "s", edited(minimal_site(), {NEWS: news(f"身份证{ID_OK}")})),
        "--now",
        NOW,
        "-o",
        tmp_path / "o",
    )
    assert ID_OK not in run.text and "110***********002X" in run.out


def test_suppression_needs_a_reason_and_is_counted(tmp_path):
    files = edited(minimal_site(), {NEWS: None})  # gzdt goes stale
    files["config.yaml"] += "checks:\n  ignore:\n    - {rule: COL-STALE, path: content/gzdt/*, reason: 栏目调整中}\n"
    run = gsgen("build", write_site(tmp_path / "s", files), "--strict", "--now", NOW, "-o", tmp_path / "o")
    assert run.code == 0 and "content/gzdt/_column.yaml" not in run.out
    assert "1 条问题按 config.yaml 的 checks.ignore 忽略" in run.out
    health = gsgen("health", tmp_path / "s", "--strict", "--now", NOW)  # the scheduled check ignores it too
    assert health.code == 0 and "content/gzdt/_column.yaml" not in health.out and "checks.ignore" in health.out
    files["config.yaml"] = files["config.yaml"].replace(", reason: 栏目调整中", "")
    run = gsgen("build", write_site(tmp_path / "s2", files), "--now", NOW, "-o", tmp_path / "o2")
    assert run.code == 1 and "error[FIELD]" in run.out and "reason" in run.out


def test_interpretation_in_time_and_fresh_columns_pass(tmp_path):
    assert (
        gsgen("build", write_site(tmp_path / "s", minimal_site()), "--strict", "--now", NOW, "-o", tmp_path / "o").code
        == 0
    )


def test_words_that_only_sound_like_a_problem_pass_strictly(tmp_path):
    """「已归档」 in a body is no archived page; the site's own news about 广告牌 is no advertisement."""
    files = edited(
        minimal_site(),
        {
            NEWS: item("县城管局开展户外广告牌安全检查", "2025-01-06 10:00", body="检查材料已归档备查。"),
            "content/gzdt/2025-01-07-f.md": item(
                "转发", "2025-01-07 10:00", body="见[户外广告牌检查](2025-01-06-e.md)"
            ),
        },
    )
    run = gsgen("build", write_site(tmp_path / "s", files), "--strict", "--now", NOW, "-o", tmp_path / "o")
    assert run.code == 0, run.out


def test_gb11643_check_digit():
    assert valid_id_number(ID_OK)
    assert not valid_id_number(ID_BAD_CHECK)
    assert list(personal_info(f"号码{ID_BAD_CHECK}")) == []


def test_luhn():
    assert luhn_valid("6222020200112233446")
    assert not luhn_valid("6222020200112233448")


def test_office_landlines_and_dates_are_not_personal_information():
    assert list(personal_info("电话 023-12345678，2024年3月5日，编号20240305093000")) == []


def test_hue_families_wrap_around_red():
    assert len(hue_families([355.0, 5.0, 20.0, 220.0])) == 2
    assert len(hue_families([10.0, 120.0, 220.0, 300.0])) == 4


def health_lines(site, rule: str) -> list[str]:
    return [line for line in gsgen("health", site, "--now", NOW).out.splitlines() if f"[{rule}]" in line]


def test_a_normative_document_is_interpreted_unless_a_reason_is_given(tmp_path):
    policy = "content/zcwj/2024-001.md"
    files = edited(minimal_site(), {policy: replace("issuer:", "normative: true\nissuer:")})
    found = health_lines(write_site(tmp_path / "a", files), "POLICY-INTERP-LATE")
    assert any(line.startswith(policy) and "规范性文件" in line and "no_interpretation" in line for line in found)
    files = edited(files, {policy: replace("normative: true\n", "normative: true\nno_interpretation: 仅调整文号\n")})
    assert not health_lines(write_site(tmp_path / "b", files), "POLICY-INTERP-LATE")
    # a 重大政策 is always interpreted, whatever reason is written
    files = edited(files, {policy: replace("normative: true\n", "major: true\n")})
    assert any(
        line.startswith(policy) and "重大政策" in line
        for line in health_lines(write_site(tmp_path / "c", files), "POLICY-INTERP-LATE")
    )


def test_basic_information_is_reviewed_yearly_and_a_review_counts(tmp_path):
    units = "content/jgzn/units.yaml"
    files = edited(minimal_site(), {units: replace("date: 2024-06-03 09:00", "date: 2023-06-02 09:00")})
    found = health_lines(write_site(tmp_path / "a", files), "COL-STALE")
    assert any(line.startswith("content/jgzn/_column.yaml") and "reviewed" in line for line in found), found
    files = edited(files, {units: replace("date: 2023-06-02 09:00", "date: 2023-06-02 09:00\nreviewed: 2024-12-20")})
    assert not [line for line in health_lines(write_site(tmp_path / "b", files), "COL-STALE") if "jgzn" in line]


def test_a_site_whose_last_post_is_30_days_old_publishes_and_fails_the_health_check(tmp_path):
    """Time alone never blocks a deploy (not even the fix for a stale column); the scheduled health
    check is what fails, naming the stale columns and the homepage veto."""
    month_later = "2026-12-24 12:00"  # the example's last post is of 2026-11-24
    run = gsgen("build", REPO, "--strict", "--now", month_later, "-o", tmp_path / "public")
    assert run.code == 0 and (tmp_path / "public/index.html").is_file(), run.text
    assert "warn[COL-STALE]" in run.out and "warn[VETO]" in run.out
    health = gsgen("health", REPO, "--now", month_later)
    assert health.code == 1, health.text
    stale = [line for line in health.out.splitlines() if "[COL-STALE]" in line]
    assert any(line.startswith("content/gzdt/_column.yaml:") for line in stale), health.out
    assert any("error[VETO]" in line and "首页已超过 14 天没有更新" in line for line in health.out.splitlines())


def test_a_rebuild_that_reuses_unchanged_files_finds_what_a_fresh_build_finds(tmp_path):
    """gsgen serve keeps the item made from a file, and what text rules found in it, with the file's
    parse (load._Content._item_from, rules.each_item): after each save, the findings of the kept parses must be
    those of a fresh read of the same files, also for files not saved whose findings depend on
    something else saved (the word list, the domain, a picture an item names)."""
    from datetime import datetime

    from gsgen.load import load_site
    from gsgen.rules import check_site
    from gsgen.sources import SourceCache

    root = write_site(tmp_path / "site", minimal_site())
    kept = SourceCache()

    def findings(sources: SourceCache | None) -> list[str]:
        site, found = load_site(root, sources=sources)
        site.now = datetime.fromisoformat(NOW)
        return sorted(d.format() for d in [*found, *check_site(site)])

    def saved(rel: str, edit) -> None:
        path = root / rel
        path.write_text(edit(path.read_text("utf-8")), "utf-8")
        fresh, reused = findings(None), findings(kept)
        assert reused == fresh
        return fresh

    assert findings(kept) == findings(None)
    PICTURED = "content/gzdt/2025-01-07-tu.md"
    words = "「全县人民群从」应为「全县人民群众」（错敏词表 words.yaml）"  # in an item not saved since
    # hidden (DARK-LINK); a picture from a foreign host (SAFE-HTML) until the site's domain is that host
    raw_html = '<a href="http://www.test.gov.cn/x.html" style="display:none">x</a><img src="https://www.example.com/t.png" alt="图">'
    steps = [
        (
            NEWS,
            replace("正文。", f"机密\n\n身份证 {ID_OK}\n\n全县人民群从\n\n{raw_html}"),
            ["SECRECY", "PRIVACY", "DARK-LINK", "非政府网站的内容（www.example.com）"],
        ),
        ("config.yaml", lambda t: t + "checks: {words: words.yaml}\n", None),  # an error: no words.yaml yet
        ("words.yaml", lambda _: "- {wrong: 全县人民群从, right: 全县人民群众}\n", [words]),
        ("config.yaml", replace("domain: www.test.gov.cn", "domain: www.example.com"), None),
        (NEWS, replace("机密\n\n", ""), None),
        ("words.yaml", lambda _: "- {wrong: 截止目前, right: 截至目前}\n", None),
        # an item naming a picture not there yet; then the picture, the item unchanged
        (PICTURED, lambda _: item("有图的一条", "2025-01-07 10:00", image="tu.svg"), ["图片 tu.svg 找不到"]),
        ("content/gzdt/tu.svg", lambda _: (REPO / "themes/default/static/img/favicon.svg").read_text("utf-8"), None),
    ]
    for rel, edit, expected in steps:
        path = root / rel
        if not path.exists():
            path.write_text("", "utf-8")
        found = saved(rel, edit)
        text = "\n".join(found)
        for what in expected or ():
            assert what in text, (rel, what, text)
    gone = ("SECRECY", words, "非政府网站的内容", "tu.svg")
    assert [w for w in gone if w in text] == []  # each found, then gone
