"""Hidden links (暗链) in what editors write: a link without visible text, around a picture too small to
see, inside an element that hides its content by default (a closed `<details>` with no visible summary,
`<rp>`, `<template>`, `<noscript>`), or in text too small to read, is a DARK-LINK error at the source
line. One build of the minimal site holds every case, each in its own item."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest

from tests.conftest import NOW, Run, gsgen_here
from tests.sites import edited, item, minimal_site, write_site

CASINO = "https://www.casino-{}.com/"
# A 2×2 PNG, for pictures inside links.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg=="
)


def nested(tag: str, depth: int, inner: str) -> str:
    return f"<{tag}>" * depth + inner + f"</{tag}>" * depth


# (case, body): each becomes content/gzdt/2024-02-<n>-dark.md, its body starting on line 7, the link
# on the line of the marker `@` (replaced by the case's own casino host).
DARK = [
    ("empty text", "[](@)"),
    ("zero-width space", "[\u200b](@)"),
    ("zero-width joiner and word joiner", "[\u200d\u2060](@)"),
    ("hangul filler", "[\u3164](@)"),
    ("braille blank", "[\u2800](@)"),
    ("no-break and ideographic spaces", "[&nbsp;\u3000](@)"),
    ("empty raw <a>", '<p><a href="@"></a></p>'),
    ("<a> holding only a line break", '<p><a href="@"><br></a></p>'),
    ("picture of 0×0", '<p><a href="@"><img src="p.png" alt="图片" width="0" height="0"></a></p>'),
    ("picture of 1×1", '<p><a href="@"><img src="p.png" alt="图片" width="1" height="1"></a></p>'),
    ("picture 1 px high", '<p><a href="@"><img src="p.png" alt="横幅" width="300" height="1"></a></p>'),
    ("picture without alt", '<p><a href="@"><img src="p.png" width="120" height="40"></a></p>'),
    ("Markdown picture with empty alt", "[![](p.png)](@)"),
    ("details with an empty summary", "<details><summary></summary>\n\n[详情](@)\n\n</details>"),
    ("details without summary", "<details>\n\n[详情](@)\n\n</details>"),
    ("details with a blank summary", "<details><summary>\u200b </summary>\n\n[详情](@)\n\n</details>"),
    ("link in <rp>", '<ruby>汉<rp>(<a href="@">详情</a>)</rp><rt>han</rt></ruby>'),
    ("15 nested <sub>", nested("sub", 15, "[详情](@)")),
    ("15 nested <small>", nested("small", 15, "[详情](@)")),
    ("4 nested <small> and <sup>", nested("small", 2, nested("sup", 2, "[详情](@)"))),
    # Refused in the body's HTML before any page is made (the sanitiser would drop a <template> with its
    # content and print a <noscript>'s as text): built on their own, as a source error stops the build.
    ("link in <template>", '<template><a href="@">详情</a></template>'),
    ("link in <noscript>", '<noscript><a href="@">详情</a></noscript>'),
]
AT_SOURCE = {"link in <template>", "link in <noscript>"}
BENIGN = [
    ("a link with text", "[省政府](https://www.example.com/)"),
    (
        "a picture link with alt of normal size",
        '<p><a href="https://www.example.com/"><img src="p.png" alt="专题" width="120" height="40"></a></p>',
    ),
    ("a Markdown picture link with alt", "[![专题](p.png)](https://www.example.com/)"),
    (
        "details with a visible summary",
        "<details><summary>相关链接</summary>\n\n[省政府](https://www.example.com/)\n\n</details>",
    ),
    (
        "details open by default",
        "<details open><summary></summary>\n\n[省政府](https://www.example.com/)\n\n</details>",
    ),
    ("ruby without links in rp", "<ruby>汉<rp>(</rp><rt>han</rt><rp>)</rp></ruby>[省政府](https://www.example.com/)"),
    ("three nested <small>", nested("small", 3, "[省政府](https://www.example.com/)")),
    ("a footnote in <sup>", "正文<sup>[1](#note-1)</sup>"),
    ("an emoji as text", "[📄](https://www.example.com/)"),
]
GUIDE = "content/bsfw/dark.yaml"
TITLED = "content/gzdt/2024-02-28-title.md"  # a title of fillers: an empty link on every list


def _case_file(n: int) -> str:
    return f"content/gzdt/2024-02-{n + 1:02d}-dark.md"


def _body(n: int, body: str) -> str:
    return body.replace("@", CASINO.format(n))


def _site(root: Path, dark: list[int], benign: bool) -> tuple[Run, Path]:
    files: dict[str, str | bytes] = {"content/gzdt/p.png": PNG}
    for n in dark:
        body = _body(n, DARK[n][1])
        files[_case_file(n)] = item(f"暗链测试第{n + 1}条", f"2024-02-{n + 1:02d} 10:00", body=body)
    for n, (_, body) in enumerate(BENIGN if benign else []):
        files[f"content/gzdt/2024-03-{n + 1:02d}-ok.md"] = item(
            f"正常链接第{n + 1}条", f"2024-03-{n + 1:02d} 10:00", body=body
        )
    if not benign:  # front matter is read before any page is made
        guide = minimal_site()["content/bsfw/gtgsh.yaml"].replace("个体工商户设立登记", "暗链办事指南")
        related = (
            "related:\n  - {title: 咨询, url: hdjl}\n  - {title: \"\\u200b\", url: 'https://www.casino-guide.com/'}\n"
        )
        files[GUIDE] = guide + related
        files[TITLED] = item('"\\u3164\\u200b"', "2024-02-28 10:00")
    site = write_site(root / "site", edited(minimal_site(), files))
    return gsgen_here("build", site, "--now", NOW, "-o", root / "out"), site


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Run, Path]]:
    """Two builds: the cases refused in the body's HTML, and those found on the pages."""
    source = [n for n, (case, _) in enumerate(DARK) if case in AT_SOURCE]
    pages = [n for n in range(len(DARK)) if n not in source]
    return {
        "source": _site(tmp_path_factory.mktemp("dark-source"), source, benign=False),
        "pages": _site(tmp_path_factory.mktemp("dark-pages"), pages, benign=True),
    }


def _errors(run) -> list[str]:
    return [line for line in run.out.splitlines() if "error[" in line]


def _line_of(site: Path, file: str, needle: str) -> int:
    lines = (site / file).read_text("utf-8").split("\n")
    return next(n for n, text in enumerate(lines, start=1) if needle in text)


@pytest.mark.parametrize(("n", "case"), list(enumerate(name for name, _ in DARK)), ids=[c for c, _ in DARK])
def test_a_hidden_link_is_a_dark_link_at_its_line(built, n, case):
    run, site = built["source" if case in AT_SOURCE else "pages"]
    file = _case_file(n)
    line = _line_of(site, file, CASINO.format(n))
    mine = [e for e in _errors(run) if e.startswith(f"{file}:") and "[A11Y]" not in e]
    assert mine, run.text
    assert all(e.startswith(f"{file}:{line}: error[DARK-LINK]") for e in mine), mine


def test_a_link_text_of_invisible_characters_in_front_matter_is_refused_at_its_line(built):
    run, site = built["source"]
    errors = _errors(run)
    related = _line_of(site, GUIDE, "casino-guide")
    assert f"{GUIDE}:{related}: error[FIELD] 字段 related.1.title 只有看不见的字符" in run.out, errors
    assert f"{TITLED}:2: error[ART-META] 字段 title 只有看不见的字符" in run.out, errors


def test_only_the_dark_cases_fail_and_visible_links_pass(built):
    run, _ = built["pages"]
    files = {e.split(":")[0] for e in _errors(run)}
    dark = {_case_file(n) for n, (case, _) in enumerate(DARK) if case not in AT_SOURCE}
    assert run.code == 1 and files == dark, run.text  # no benign case among them
    rules = {re.search(r"error\[([A-Z0-9-]+)\]", e)[1] for e in _errors(run)}
    assert rules == {"DARK-LINK", "A11Y"}, run.text  # A11Y: the picture without alt


# ---------------------------------------------------------------- gsgen check: the same judgement


CHECKED = [  # (page markup in the footer, the hidden links it holds that leave the government web)
    ('<a href="https://www.casino-a.com/"></a>', ["https://www.casino-a.com/"]),
    ('<a href="https://www.casino-b.com/">\u200b\u3164</a>', ["https://www.casino-b.com/"]),
    (
        '<a href="https://www.casino-c.com/"><img src="/images/p.png" alt="x" width="1" height="1"></a>',
        ["https://www.casino-c.com/"],
    ),
    ('<ruby>汉<rp><a href="https://www.casino-d.com/">(</a></rp><rt>han</rt></ruby>', ["https://www.casino-d.com/"]),
    (
        '<details><summary></summary><a href="https://www.casino-e.com/">详情</a></details>',
        ["https://www.casino-e.com/"],
    ),
    (nested("small", 6, '<a href="https://www.casino-f.com/">详情</a>'), ["https://www.casino-f.com/"]),
    ('<template><a href="https://www.casino-g.com/">详情</a></template>', ["https://www.casino-g.com/"]),
    ('<noscript><a href="https://www.casino-h.com/">详情</a></noscript>', ["https://www.casino-h.com/"]),
    ('<a href="https://www.casino-i.com/"><span style="display:none">详情</span></a>', ["https://www.casino-i.com/"]),
    ('<a href="https://www.casino-j.com/"><img src="/images/p.png" alt="x" hidden></a>', ["https://www.casino-j.com/"]),
    # Within the government web, a hidden or empty link is a tab, a menu or an icon: no 暗链.
    ('<a href="/zwgk/index.html"></a><a href="https://www.gd.gov.cn/">\u200b</a>', []),
    ('<details><summary></summary><a href="/zwgk/index.html">政务公开</a></details>', []),
    ('<noscript><a href="/sitemap.html">网站地图</a></noscript>', []),
    # Seen: text, a picture of visible size with alt, a details with a visible summary.
    ('<a href="https://www.example.com/">示例</a>', []),
    ('<a href="https://www.example.com/"><img src="/images/p.png" alt="示例" width="88" height="31"></a>', []),
    ('<details><summary>更多</summary><a href="https://www.example.com/">示例</a></details>', []),
]


def test_gsgen_check_reports_the_same_hidden_links_when_they_leave_the_government_web(tmp_path):
    from tests.test_check import CLEAN, check_json

    footer = "".join(markup for markup, _ in CHECKED)
    (tmp_path / "index.html").write_text(CLEAN.replace("</footer>", footer + "</footer>"), "utf-8")
    _, report = check_json(tmp_path)
    dark = [f["message"].split("：")[1].split("。")[0] for f in report["findings"] if f["rule"] == "DARK-LINK"]
    assert sorted(dark) == [href for _, hrefs in CHECKED for href in hrefs], report["findings"]
