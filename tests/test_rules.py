"""Each rule: a site that breaks only that rule fails with the rule ID and the file, prints no
traceback and leaves the previous output exactly as it was; the same site fixed builds."""

from __future__ import annotations

import pytest

from gsgen.load import load_site
from gsgen.rules import CheckContext, check_output
from tests.conftest import NOW, assert_breaks, tree_digest
from tests.conftest import gsgen_here as gsgen
from tests.sites import THEME, column, edited, item, minimal_site, replace, write_site

NEWS = "content/gzdt/2024-02-01-a.md"
POLICY = "content/zcwj/2025-001.md"
INTERP = "content/jdhy/2025-01-03-jd.md"

# rule, the edit that breaks it, the file the message must name, a word the message must contain
ERROR_CASES = [
    ("SITE-NAME", {"config.yaml": replace("  name: 测试县人民政府\n", "")}, "config.yaml", "site.name"),
    ("SITE-NAME", {"config.yaml": replace("name: 测试县人民政府", "name: 测试")}, "config.yaml", "全称"),
    ("SITE-DOMAIN", {"config.yaml": replace("www.test.gov.cn\n", "www.test.com\n")}, "config.yaml", ".gov.cn"),
    ("SITE-DOMAIN", {"config.yaml": replace("domain: www.test.gov.cn", "domain: test.gov.cn")}, "config.yaml", "www"),
    ("SITE-IDCODE", {"config.yaml": replace('"5001000099"', '"50010"')}, "config.yaml", "10位"),
    ("SITE-IDCODE", {"config.yaml": replace('  id_code: "5001000099"\n', "")}, "config.yaml", "标识码"),
    ("SITE-FOOTER", {"config.yaml": replace("  icp: 渝ICP备00000099号-1\n", "")}, "config.yaml", "ICP"),
    (
        "COL-REQUIRED",
        {"content/hdjl": None, "config.yaml": replace("gzdt, hdjl, bsfw", "gzdt, bsfw")},
        "content",
        "互动交流",
    ),
    ("COL-REQUIRED", {"content/bsfw": None, "config.yaml": replace("hdjl, bsfw", "hdjl")}, "content", "办事服务"),
    ("ART-DATE", {NEWS: item("会议", "2024-02-30 08:00")}, NEWS, "2024-02-30"),
    ("ART-DATE", {NEWS: item("会议", "下周一")}, NEWS, "下周一"),
    ("ART-DATE", {NEWS: replace("date: 2024-02-01 08:00\n", "")}, NEWS, "date"),
    ("ART-SOURCE", {NEWS: replace("source: 测试县人民政府办公室\n", "")}, NEWS, "source"),
    ("ART-META", {NEWS: replace("title: 一月工作会议召开\n", "")}, NEWS, "title"),
    ("COL-META", {"content/gzdt/_column.yaml": "type: 工作动态\n"}, "content/gzdt/_column.yaml", "name"),
    (
        "POLICY-INTERP",
        {INTERP: replace("interprets: zcwj/2025-001", "interprets: zcwj/2099-001")},
        INTERP,
        "zcwj/2099-001",
    ),
    ("POLICY-INTERP", {INTERP: replace("interprets: zcwj/2025-001\n", "")}, INTERP, "interprets"),
    (
        "POLICY-INTERP",
        {INTERP: replace("interprets: zcwj/2025-001", "interprets: gzdt/2024-02-01-a")},
        INTERP,
        "政策文件",
    ),
    ("POLICY-STATUS", {POLICY: replace("status: 有效", "status: 作废")}, POLICY, "作废"),
    (
        "POLICY-STATUS",
        {"content/zcwj/2024-001.md": replace("replaced_by: zcwj/2025-001", "replaced_by: zcwj/x")},
        "content/zcwj/2024-001.md",
        "zcwj/x",
    ),
    (
        "POLICY-STATUS",
        {"content/zcwj/2024-001.md": replace("status_date: 2025-01-01 00:00\n", "")},
        "content/zcwj/2024-001.md",
        "status_date",
    ),
    (
        "URL",
        {NEWS: None, "content/gzdt/2024-02-01-会议.md": item("会议")},
        "content/gzdt/2024-02-01-会议.md",
        "建议改为 2024-02-01-huiyi.md",
    ),
    ("URL", {"content/gzdt/Photo 1.JPG": b"\x89PNG"}, "content/gzdt/Photo 1.JPG", "photo-1.jpg"),
    ("URL", {"content/gzdt/index.md": item("索引")}, "content/gzdt/index.md", "冲突"),
    ("URL", {"content/gzdt/2024-02-01-a.yaml": "title: x\n"}, "content/gzdt/2024-02-01-a", "同一网址"),
    ("YAML", {NEWS: "---\ntitle: [会议\ndate: 2024-02-01\n---\n正文\n"}, NEWS, "YAML"),
    ("YAML", {NEWS: "---\ntitle: 会议\n\tdate: 2024-02-01\n---\n"}, NEWS, "Tab"),
    ("YAML", {NEWS: "---\ntitle: !!python/object/apply:os.system [ls]\n---\n"}, NEWS, "标签"),
    ("YAML", {NEWS: "---\ntitle: 会议\ndate: 2024-02-01\n"}, NEWS, "没有结束"),
    ("YAML", {NEWS: "title: 会议\n"}, NEWS, "front matter"),
    ("YAML", {NEWS: "---\ntitle: 会议\n---\n".encode("gbk")}, NEWS, "UTF-8"),
    ("FIELD", {"content/gzdt/_column.yaml": column("工作动态", "新闻")}, "content/gzdt/_column.yaml", "新闻"),
    ("FIELD", {NEWS: item("会议", keywords="{a: b}")}, NEWS, "keywords"),
    ("FIELD", {"config.yaml": replace("kind: portal", "kind: county")}, "config.yaml", "kind"),
    ("CHANNELS", {"config.yaml": replace("gzdt, hdjl", "gzdt, nope, hdjl")}, "config.yaml", "nope"),
    (
        "LAYOUT",
        {"content/gzdt/extra/2024-01-01-x.md": item("迷路的条目")},
        "content/gzdt/extra/2024-01-01-x.md",
        "_column.yaml",
    ),
    ("LAYOUT", {"content/2024-01-01-x.md": item("根目录条目")}, "content/2024-01-01-x.md", "栏目文件夹"),
    ("LINKS", {NEWS: item("会议", image="missing.jpg")}, NEWS, "missing.jpg"),
]


@pytest.mark.parametrize(
    ("rule", "edit", "file", "word"), ERROR_CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(ERROR_CASES)]
)
def test_a_broken_rule_stops_the_build_and_keeps_the_output(tmp_path, published, rule, edit, file, word):
    assert_breaks(tmp_path, published, rule, edit, file, word)


def test_every_problem_is_reported_in_one_run(tmp_path):
    files = edited(
        minimal_site(),
        {
            "config.yaml": replace('"5001000099"', '"50010"'),
            NEWS: item("会议", "2024-02-30 08:00"),
            INTERP: replace("interprets: zcwj/2025-001", "interprets: zcwj/2099-001"),
        },
    )
    run = gsgen("build", write_site(tmp_path / "s", files), "--now", NOW, "-o", tmp_path / "out")
    assert run.code == 1
    for rule in ("SITE-IDCODE", "ART-DATE", "POLICY-INTERP"):
        assert f"error[{rule}]" in run.out
    assert "3 个错误" in run.out


def test_a_line_number_points_at_the_field(tmp_path):
    site = write_site(tmp_path / "s", edited(minimal_site(), {NEWS: item("会议", "2024-13-01 08:00")}))
    run = gsgen("build", site, "--now", NOW, "-o", tmp_path / "out")
    assert f"{NEWS}:3: error[ART-DATE]" in run.out


@pytest.mark.parametrize(
    ("rule", "edit"),
    [
        ("COL-NAME", {"content/gzdt/_column.yaml": column("县政府工作动态与政务要闻汇总", "工作动态")}),
        (
            "CHANNELS",
            {"config.yaml": replace("channels: [jgzn, ldxx, zcwj, jdhy, gzdt, hdjl, bsfw]", "channels: [zcwj, gzdt]")},
        ),
        ("FIELD", {NEWS: item("会议", soruce="错拼的字段")}),
    ],
)
def test_a_warning_passes_but_fails_under_strict(tmp_path, rule, edit):
    site = write_site(tmp_path / "s", edited(minimal_site(), edit))
    run = gsgen("build", site, "--now", NOW, "-o", tmp_path / "out")
    assert run.code == 0, run.text
    assert f"warn[{rule}]" in run.out
    strict = gsgen("build", site, "--strict", "--now", NOW, "-o", tmp_path / "out2")
    assert strict.code == 1
    assert f"error[{rule}]" in strict.out
    assert not (tmp_path / "out2").exists()


def test_unknown_field_suggests_the_known_one(tmp_path):
    site = write_site(tmp_path / "s", edited(minimal_site(), {NEWS: item("会议", soruce="x")}))
    assert "是否想写 source" in gsgen("build", site, "--now", NOW, "-o", tmp_path / "out").out


def test_the_minimal_site_fixed_builds(tmp_path):
    assert (
        gsgen(
            "build", write_site(tmp_path / "s", minimal_site()), "--strict", "--now", NOW, "-o", tmp_path / "out"
        ).code
        == 0
    )


def test_draft_rule_reports_a_draft_that_reached_the_output(tmp_path):
    site, _ = load_site(write_site(tmp_path / "s", minimal_site()))

    def drafts(files: set[str]) -> list[tuple[str, str]]:
        found = check_output([], CheckContext(site, files=files))
        return [(d.rule, d.file) for d in found if d.rule == "DRAFT"]

    assert drafts({"gzdt/2024-02-01-a.html"}) == []
    assert drafts({"gzdt/2024-06-01-draft.html"}) == [("DRAFT", "content/gzdt/2024-06-01-draft.md")]


# *(out)* rules run on the rendered HTML, so a customised theme is held to them too.
OVERRIDE = "themes/default/templates/"


def line_of(path, text: str) -> int:
    """The number of the first line of `path` holding `text`."""
    return next(n for n, line in enumerate(path.read_text("utf-8").splitlines(), start=1) if text in line)


OUT_CASES = [
    (
        "COL-META",
        {
            OVERRIDE + "partials/macros.html": replace(
                '"ColumnKeywords": (column.keywords or [column.name]) | join(","),', ""
            )
        },
    ),
    ("SITE-NAME", {OVERRIDE + "partials/header.html": "<header><a href='/index.html'>首页</a></header>"}),
    ("SITE-FOOTER", {OVERRIDE + "partials/footer.html": "<footer><p>主办单位：测试县</p></footer>"}),
    (
        "ART-SOURCE",
        {
            OVERRIDE + "item.html": "{% extends 'base.html' %}{% block meta %}<meta name='ColumnName' "
            "content='x'><meta name='ColumnType' content='x'><meta name='ArticleTitle' content='{{ item.title }}'>"
            "<meta name='PubDate' content='{{ item.date | datetime }}'><meta name='ContentSource' "
            "content='{{ item.source }}'>{% endblock %}{% block main %}<h1>{{ item.title }}</h1>"
            "{{ item.date | datetime }}{% endblock %}"
        },
    ),
    (
        "SITE-META",
        {
            OVERRIDE + "404.html": "<!DOCTYPE html><html lang='zh-CN'><title>404</title>"
            "<header>测试县人民政府</header><p>找不到</p></html>"
        },
    ),
]


@pytest.mark.parametrize(("rule", "edit"), OUT_CASES, ids=[c[0] for c in OUT_CASES])
def test_a_theme_that_breaks_an_out_rule_fails(tmp_path, published, rule, edit):
    out, before = published
    site = write_site(tmp_path / "s", edited(minimal_site(), edit))
    run = gsgen("build", site, "--now", NOW, "-o", out)
    assert run.code == 1, run.text
    assert f"error[{rule}]" in run.out
    assert tree_digest(out) == before


def test_a_broken_template_is_reported_not_raised(tmp_path, published):
    out, before = published
    site = write_site(
        tmp_path / "s",
        edited(
            minimal_site(),
            {OVERRIDE + "404.html": "{% extends 'base.html' %}{% block main %}{{ nothing.here }}{% endblock %}"},
        ),
    )
    run = gsgen("build", site, "--now", NOW, "-o", out)
    assert run.code == 1 and "error[THEME]" in run.out and "Traceback" not in run.text
    assert tree_digest(out) == before


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        # an undefined name in an overridden partial: the partial's line, once for all the pages it stopped
        (
            {"partials/macros.html": replace("{% if moment %}", "{{ nothing.here }}{% if moment %}")},
            f"partials/macros.html:{line_of(THEME / 'templates/partials/macros.html', '{% if moment %}')}:",
        ),
        # a syntax error, and an unknown filter: found before any page is rendered
        ({"404.html": "{% extends 'base.html' %}\n{% block main %}{% if %}{% endblock %}"}, "404.html:2:"),
        ({"404.html": "{% extends 'base.html' %}\n\n{% block main %}{{ 1 | nofilter }}{% endblock %}"}, "404.html:3:"),
    ],
    ids=["undefined", "syntax", "filter"],
)
def test_a_template_error_is_one_error_at_the_template_line(tmp_path, published, edit, expected):
    out, before = published
    files = edited(minimal_site(), {OVERRIDE + name: change for name, change in edit.items()})
    run = gsgen("build", write_site(tmp_path / "s", files), "--now", NOW, "-o", out)
    assert run.code == 1 and "内部错误" not in run.text and "Traceback" not in run.text, run.text
    errors = [line for line in run.out.splitlines() if "error[" in line]
    assert len(errors) == 1 and errors[0].startswith(OVERRIDE + expected + " error[THEME]"), run.out
    assert tree_digest(out) == before
