"""Attack vectors at every entry point of a site: each is refused with an error naming the file (and line)
that carried it, or the site builds and the independent scanner (tests/attacks.py) finds nothing unsafe
in the output. gsgen never crashes on one.

All cases of an entry point are built together (tests/attacks.py, `Settler`), spread over the cores:
about 100 s of CPU when most config.yaml vectors still build (each needs a full build), far less once
they are refused as config.yaml is read. Each case is still its own test, named entry:placement:vector,
whose failure says what gsgen did and what the scanner found.
`python -m tests.attacks --table --details` prints the summary.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.attacks import (
    CLASSES,
    ENTRIES,
    PASSING,
    VECTORS,
    Case,
    Outcome,
    all_cases,
    baseline_findings,
    run_entries,
    scan_page,
    style_problems,
    unsafe_output,
    vectors_of,
)

CASES = all_cases()


@pytest.fixture(scope="session")
def outcomes(request: pytest.FixtureRequest) -> dict[str, Outcome]:
    """Runs only the entry points of the tests selected (`-k body` builds the body cases alone)."""
    selected = (getattr(item, "callspec", None) for item in request.session.items)
    wanted = {spec.params["case"].entry for spec in selected if spec and isinstance(spec.params.get("case"), Case)}
    return run_entries([e for e in ENTRIES if e in wanted])


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_vector_is_refused_or_harmless(case: Case, outcomes: dict[str, Outcome]) -> None:
    outcome = outcomes[case.id]
    where = f"{case.source}" + (f":{case.line}" if case.line else "")
    if outcome.status not in PASSING:
        pytest.fail(f"{case.id} in {where}: {outcome.explain()}\n  payload: {case.vector.payload!r}", pytrace=False)


def test_the_site_without_vectors_is_clean() -> None:
    """The base every case starts from: whatever it shows is subtracted from each case, so it must be
    clean itself (for example no inline script in the default theme)."""
    assert [str(f) for f in baseline_findings()] == []


def test_vector_inventory() -> None:
    ids = [v.id for v in VECTORS]
    assert len(ids) >= 110 and len(set(ids)) == len(ids)
    assert {v.cls for v in VECTORS} == set(CLASSES)
    # URL and style vectors are written inside double-quoted attributes
    assert not [v.id for v in vectors_of("url") + vectors_of("style") if '"' in v.payload]


# ---------------------------------------------------------------- the scanner itself

PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><meta name="SiteIDCode" content="5001000099">
<link rel="stylesheet" href="/static/css/site.css"><script src="/static/js/site.js" defer></script>
<script type="application/ld+json">{"a": 1}</script></head><body>
<a href="https://www.gov.cn/">国务院</a> <a href="https://www.baidu.com/" data-external>百度</a>
<a href="mailto:zfb@test.gov.cn">邮箱</a> <a href="/gzdt/index.html">工作动态</a> <img src="/a.png" alt="">
<iframe src="https://v.www.gov.cn/1"></iframe> <p style="text-align:center;color:#333">正文</p>
<!-- snippet -->
</body></html>"""

# Snippets the scanner must flag, and a word of what it must say.
UNSAFE = [
    ("<script>alert(1)</script>", "inline script"),
    ('<script src="//evil.example.com/x.js"></script>', "script from another host"),
    ("<body onload=alert(1)>", "onload"),  # libxml2 drops a second <body>; the tokenizer does not
    ('<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>', "onerror"),
    ('<a href="javascript&colon;alert(1)">x</a>', "javascript:"),  # an HTML5 entity libxml2 does not know
    ('<a href="jav&#x09;ascript:alert(1)">x</a>', "javascript:"),
    ('<a href="&#0000106avascript:alert(1)">x</a>', "javascript:"),
    ('<a href="https://evil.example.com\\.gov.cn/">x</a>', "evil.example.com"),
    ('<a href="/\\evil.example.com/">x</a>', "evil.example.com"),
    ('<a href="https://www.gov.cn@evil.example.com/">x</a>', "evil.example.com"),
    ('<a href="http://0x7f000001/">x</a>', "127.0.0.1"),
    ('<img srcset="/a.png 1x, https://evil.example.com/b.png 2x" alt="">', "srcset loads from another host"),
    ('<video poster="https://evil.example.com/p.jpg"></video>', "poster loads"),
    ('<form action="https://evil.example.com/"><button formaction="/x">提交</button></form>', "form action"),
    ('<iframe srcdoc="<b>x</b>"></iframe>', "srcdoc"),
    ('<iframe src="https://evil.example.com/"></iframe>', "iframe of a non-government host"),
    ('<object data="/x.swf"></object>', "<object>"),
    ('<meta http-equiv="refresh" content="0;url=/">', "meta refresh"),
    ('<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>', "javascript:"),
    ('<link rel="icon" href="https://evil.example.com/i.ico">', "loads from another host"),
    ("<style>@import '/x.css';</style>", "@import"),
    ("<style>b{background:url(https://evil.example.com/t.gif)}</style>", "from another host"),
    ('<p style="d\\69splay:none">x</p>', "hides"),
    ('<p style="position:fi\\78 ed">x</p>', "positions"),
    ('<p style="position:/**/fixed">x</p>', "positions"),
    ('<p style="DISPLAY:NONE!IMPORTANT">x</p>', "hides"),
    ('<p style="opacity:.01">x</p>', "opacity"),
    ('<p style="width:1px;height:1px;overflow:hidden">x</p>', "overflow hidden"),
    ('<p style="transform:scale(0)">x</p>', "transforms"),
    ('<p style="margin-left:-9999px">x</p>', "negative margin-left"),
    ('<p style="background:u\\72l(https://evil.example.com/t.gif)">x</p>', "loads content"),
    ('<p style="width:expression(alert(1))">x</p>', "loads content"),
    ('<meta name="Url" content="https://evil.example.com/gzdt/a.html">', "own address on another host"),
]


def test_the_scanner_passes_a_plain_page() -> None:
    assert [str(f) for f in scan_page(PAGE.replace("<!-- snippet -->", ""), "gzdt/a.html")] == []


@pytest.mark.parametrize(("snippet", "says"), UNSAFE, ids=[s for s, _ in UNSAFE])
def test_the_scanner_flags(snippet: str, says: str) -> None:
    found = [f.message for f in scan_page(PAGE.replace("<!-- snippet -->", snippet), "gzdt/a.html")]
    assert any(says in message for message in found), found


def test_the_scanner_reads_styles_as_css_does() -> None:
    assert style_problems("dis/**/play:none") == []  # a comment splits the name: browsers ignore it
    assert style_problems("text-align:center;width:50%") == []
    assert style_problems("display:/**/none")


def test_the_scanner_flags_files_gsgen_never_writes(tmp_path: Path) -> None:
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "ok.js").write_text("")
    (tmp_path / "evil.js").write_text("alert(1)")
    (tmp_path / "raw.htm").write_text(PAGE.replace("<!-- snippet -->", ""))
    (tmp_path / "raw.html").write_text("<html><body>原样发布</body></html>")
    (tmp_path / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script/></svg>')
    (tmp_path / "sitemap.xml").write_text(
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://evil.example.com/</loc></url>'
        "<url><loc>https://www.test.gov.cn/index.html</loc></url></urlset>"
    )
    found = "\n".join(unsafe_output(tmp_path))
    for word in (
        "evil.js",
        "raw.htm:",
        "raw.html:1: no <meta",
        "logo.svg:1: SVG file with event handler",
        "<script>",
        "sitemap.xml:1: <loc> on another host evil.example.com",
    ):
        assert word in found, found
    assert "ok.js" not in found


# ---------------------------------------------------------------- picture headers (width and height)


def _png_header(width: int, height: int) -> bytes:
    import struct
    import zlib

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = struct.pack(">I", len(ihdr)) + b"IHDR" + ihdr + struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    return b"\x89PNG\r\n\x1a\n" + chunk + b"\x00\x00\x00\x00IEND\xaeB`\x82"


@pytest.mark.parametrize(
    ("picture", "size"),
    [
        (_png_header(640, 480), ' width="640" height="480"'),  # a real header: its box is reserved
        (_png_header(2**31 - 1, 1), ""),  # a header claiming a picture 2 billion pixels wide
        (_png_header(0, 0), ""),
        (b"\x89PNG\r\n\x1a\n" + b"\xff" * 9, ""),  # cut short
        (b"<script>alert(1)</script>", ""),  # not a picture at all, named .png
    ],
    ids=["plausible", "huge", "empty", "truncated", "not-a-picture"],
)
def test_a_pictures_header_gives_its_size_only_when_plausible(tmp_path: Path, picture: bytes, size: str) -> None:
    from tests.conftest import NOW, gsgen
    from tests.sites import item, minimal_site, write_site

    files: dict[str, str | bytes] = dict(minimal_site())
    files["content/gzdt/2024-05-01-pic.md"] = item("图片新闻", "2024-05-01 09:00", image="pic.png")
    files["content/gzdt/2024-05-01-pic/pic.png"] = picture
    root = write_site(tmp_path / "site", files)
    out = tmp_path / "public"
    run = gsgen("build", root, "--now", NOW, "-o", out)
    assert run.code == 0, run.text  # never a crash; the picture is published as it is (PASSIVE type)
    page = (out / "gzdt/2024-05-01-pic.html").read_text("utf-8")
    tag = page[page.index('<figure class="lead-image">') :].split(">", 2)[1]
    assert tag.endswith(f'alt="图片新闻"{size}'), tag
    assert unsafe_output(out) == baseline_findings()
