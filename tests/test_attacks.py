"""Attack vectors at every entry point of a site: each is refused with an error naming the file (and line)
that carried it, or the site builds and the independent scanner (tests/attacks.py) finds nothing unsafe
in the output. gsgen never crashes on one.

All cases of an entry point are built together (tests/attacks.py, `Settler`), spread over the cores:
about 100 s of CPU when most config.yaml vectors still build (each needs a full build), far less once
they are refused as config.yaml is read. Each case is still its own test, named entry:placement:vector,
whose failure says what gsgen did and what the scanner found.
`python -m tests.attacks --table --details` prints the summary.

Issue 28's classes (attachments with active content, formulas in CSV downloads, control characters in
feeds, items dated after now, hidden links and a site theme's hiding rules, control characters printed,
bodies and front matter that exhaust the build, citizen ID numbers hidden in attachments) are entry points of the same harness (`--new` runs them alone). Their fixes land case by case:
EXPECTED_UNSAFE_UNTIL_FIXED lists the cases still published unsafe on main, as strict xfails, so that a
fixed case fails here until it is taken off the list.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.attacks import (
    BENIGN_SUFFIX,
    CLASSES,
    CRAFTED,
    CSV_CELLS,
    ENTRIES,
    ID_NUMBER,
    NEW_ENTRIES,
    PASSING,
    PERSONAL,
    VECTORS,
    WRONG_CHECK,
    BuildTimeout,
    Case,
    Expect,
    Outcome,
    all_cases,
    baseline_findings,
    citizen_id,
    exhaustion_cases,
    file_problems,
    id_numbers,
    is_citizen_id,
    personal_problems,
    run_entries,
    scan_csv,
    scan_page,
    scan_script,
    scan_xml,
    style_problems,
    terminal_problems,
    time_limit,
    unbounded,
    unsafe_output,
    vectors_of,
)

CASES = all_cases()

# Issue 28's cases that main still publishes unsafe (each fix takes its ids off this list; strict, so a
# case that comes out refused or clean fails until it is).
EXPECTED_UNSAFE_UNTIL_FIXED: frozenset[str] = frozenset()


def _param(case: Case) -> object:
    fixed_later = pytest.mark.xfail(strict=True, reason="issue 28: published unsafe until its fix lands")
    return pytest.param(case, id=case.id, marks=[fixed_later] if case.id in EXPECTED_UNSAFE_UNTIL_FIXED else [])


@pytest.fixture(scope="session")
def outcomes(request: pytest.FixtureRequest) -> dict[str, Outcome]:
    """Runs only the entry points of the tests selected (`-k body` builds the body cases alone)."""
    selected = (getattr(item, "callspec", None) for item in request.session.items)
    wanted = {spec.params["case"].entry for spec in selected if spec and isinstance(spec.params.get("case"), Case)}
    return run_entries([e for e in ENTRIES if e in wanted])


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
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


def test_issue_28_inventory() -> None:
    new = all_cases(NEW_ENTRIES)
    ids = [c.id for c in new]
    assert len(set(ids)) == len(ids) == len({c.id for c in CASES} & set(ids))
    by_entry = {e: [c for c in new if c.entry == e] for e in NEW_ENTRIES}
    assert len(by_entry["attachment"]) >= 40 and len(by_entry["csv"]) >= 20
    assert len(by_entry["exhaustion"]) >= 11 and len(by_entry["personal"]) >= 13
    assert all(by_entry.values())
    assert not EXPECTED_UNSAFE_UNTIL_FIXED - set(ids)  # a stale id there would hide nothing


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
    ("<div>" * 300 + '<a href="https://casino.example.com/">x</a>' + "</div>" * 300, "could not be parsed whole"),
]


def test_the_scanner_passes_a_plain_page() -> None:
    assert [str(f) for f in scan_page(PAGE.replace("<!-- snippet -->", ""), "gzdt/a.html")] == []


@pytest.mark.parametrize(("snippet", "says"), UNSAFE, ids=[s[:80] for s, _ in UNSAFE])
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
        # not a picture at all, named .png: issue 28 has every published file's bytes match its extension
        (b"<script>alert(1)</script>", ""),
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
    if run.code == 1 and "content/gzdt/2024-05-01-pic" in run.out:
        return  # refused, at the item or the picture: nothing published
    assert run.code == 0, run.text  # never a crash
    page = (out / "gzdt/2024-05-01-pic.html").read_text("utf-8")
    tag = page[page.index('<figure class="lead-image">') :].split(">", 2)[1]
    assert tag.endswith(f'alt="图片新闻"{size}'), tag
    assert unsafe_output(out) == baseline_findings()


# ---------------------------------------------------------------- the scanner on issue 28's outputs


@pytest.mark.parametrize("name", list(CRAFTED))
def test_the_scanner_judges_each_crafted_file(name: str) -> None:
    """Each crafted attachment is flagged by what it carries; the plain ones pass."""
    ext, _what, make = CRAFTED[name]
    found = file_problems(make(), f"gzdt/a/a.{ext}")
    if name.endswith(BENIGN_SUFFIX):
        assert found == []
    else:
        assert found, name


def test_the_scanner_names_what_a_file_carries() -> None:
    said = {name: " ".join(file_problems(make(), f"a.{ext}")) for name, (ext, _, make) in CRAFTED.items()}
    for name, word in {
        "pdf-openaction-js-stream": "/JavaScript action",
        "pdf-hex-escaped-name": "/JavaScript",
        "pdf-openaction-uri": "evil.example.com",
        "docx-attached-template": "external attachedTemplate relationship",
        "docx-dde-split": "DDE field",
        "docx-includepicture": "INCLUDEPICTURE field",
        "docx-vba": "vbaProject",
        "xlsx-dde": "calls out",
        "xlsx-external-link": "externalLinkPath",
        "zip-rtlo-name": "bidi",
        "zip-traversal": "leaving the folder",
        "zip-nested-exe": "'附件.zip': a .exe file",
        "zip-exe-as-pdf": "a program (by its bytes) named .pdf",
        "jpg-svg-bytes": "markup in a .jpg",
        "pdf-exe-bytes": "not one",
    }.items():
        assert word in said[name], (name, said[name])


def _csv(rows: list[list[str]]) -> bytes:
    import csv
    import io

    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL).writerows(rows)
    return buffer.getvalue().encode()


@pytest.mark.parametrize("cell", list(CSV_CELLS.values()), ids=list(CSV_CELLS))
def test_the_scanner_flags_a_formula_cell(cell: str) -> None:
    assert scan_csv(_csv([["年份", "数值"], ["2024年", cell]]), "sjfb/a.csv")
    assert scan_csv(_csv([["年份", cell], ["2024年", "1"]]), "sjfb/a.csv")  # in the header too
    assert scan_csv(_csv([["年份", "数值"], ["2024年", "'" + cell]]), "sjfb/a.csv") == []  # OWASP's neutral form


def test_the_scanner_reads_csv_rows_and_numbers() -> None:
    plain = _csv([["年份", "数值"], ["2024年", "-3.2"], ["2025年", "226.4"], ["2026年", "-"], ["2027年", "+1e3"]])
    expect = Expect(csv_rows={"a.csv": 5}, csv_numbers={"a.csv": ("-3.2", "226.4")})
    assert scan_csv(plain, "a.csv", expect) == []
    signed = _csv([["年份", "数值"], ["2024年", "-3.2元"], ["2025年", "+86 023-1111"]])
    assert len(scan_csv(signed, "a.csv")) == 2  # not plain numbers: a spreadsheet tries to compute them
    broken = b"\xef\xbb\xbf\xe5\xb9\xb4,x\n2024,\r1\n"  # an unquoted CR: a row of its own
    assert any("rows from a source of 2" in f.message for f in scan_csv(broken, "a.csv", Expect(csv_rows={"a.csv": 2})))
    altered = _csv([["年份", "数值"], ["2024年", "'-3.2"]])
    assert any("-3.2 is no longer" in f.message for f in scan_csv(altered, "a.csv", expect))


def test_the_scanner_parses_xml_strictly() -> None:
    feed = '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>{}</title></channel></rss>'
    assert scan_xml(feed.format("工作动态").encode(), "rss.xml") == []
    for bad in ("\x01", "\x1b", "\ufffe", "&#1;"):
        found = scan_xml(feed.format(f"工作{bad}动态").encode(), "rss.xml")
        assert [f.message for f in found if "does not parse" in f.message], bad


def test_the_scanner_flags_scripts_that_send_visitors_away() -> None:
    for code in (
        'location.replace("https://x.example.com/")',
        "window.location = u",
        "location.href=u",
        "document.write(s)",
    ):
        assert scan_script(code.encode(), "static/js/site.js"), code
    assert scan_script(b"var q = new URLSearchParams(location.search); if (location.hash == '#x') {}", "s.js") == []


def test_the_scanner_flags_raw_control_characters_printed() -> None:
    assert terminal_problems("content/a.md:1: error[URL] a\r构建完成\n") != []
    assert terminal_problems("x\x1b]52;c;ZWNobw==\x07\n") != []
    assert terminal_problems("x\x9b2K\n") != []  # C1 CSI
    assert terminal_problems("content/a.md:1: error[FIELD] 标题中有控制字符 \\x1b\t（请删去）\n构建完成\n") == []


CASINO = '<a href="https://casino.example.com/" data-external>{}</a>'
HIDDEN_LINKS = [
    CASINO.format(""),
    CASINO.format("\u200b&nbsp;"),
    CASINO.format('<img src="/a.png" width="1" height="1" alt="娱乐">'),
    CASINO.format('<img src="/a.png" alt="">'),
    f"<details><summary> </summary>{CASINO.format('娱乐')}</details>",
    f"<ruby>娱<rp>{CASINO.format('娱乐')}</rp><rt>yu</rt></ruby>",
    "<sub>" * 6 + CASINO.format("娱乐") + "</sub>" * 6,
    f"<template>{CASINO.format('娱乐')}</template>",
    f"<noscript>{CASINO.format('娱乐')}</noscript>",
    f"<div hidden>{CASINO.format('娱乐')}</div>",
    f"<style>.x{{display:none}}</style><p class=x>{CASINO.format('娱乐')}</p>",
    f"<style>a[href*=casino]{{position:absolute;left:-9999px}}</style>{CASINO.format('娱乐')}",
    f"<style>@media screen{{.x a{{font-size:0}}}}</style><p class=x>{CASINO.format('娱乐')}</p>",
]
VISIBLE_LINKS = [
    CASINO.format("娱乐"),
    CASINO.format('<img src="/a.png" width="88" height="31" alt="娱乐">'),
    f"<details><summary>更多</summary>{CASINO.format('娱乐')}</details>",
    f"<details><summary>{CASINO.format('娱乐')}</summary>正文</details>",
    "<sub>" * 2 + CASINO.format("娱乐") + "</sub>" * 2,
    f"<style>@media print{{a{{display:none}}}} .x:hover{{display:none}}</style><p class=x>{CASINO.format('娱乐')}</p>",
    '<p><a href="/gzdt/index.html"></a><a href="https://www.gov.cn/"><img src="/a.png" width="0" alt=""></a></p>',
]


@pytest.mark.parametrize("snippet", HIDDEN_LINKS)
def test_the_scanner_flags_a_hidden_link(snippet: str) -> None:
    found = [f.message for f in scan_page(PAGE.replace("<!-- snippet -->", snippet), "gzdt/a.html")]
    assert any(m.startswith("a link to casino.example.com ") for m in found), found


@pytest.mark.parametrize("snippet", VISIBLE_LINKS)
def test_the_scanner_passes_a_visible_link(snippet: str) -> None:
    assert [str(f) for f in scan_page(PAGE.replace("<!-- snippet -->", snippet), "gzdt/a.html")] == []


def test_the_scanner_applies_the_sites_stylesheets_and_knows_held_pages(tmp_path: Path) -> None:
    (tmp_path / "static/css").mkdir(parents=True)
    (tmp_path / "static/css/site.css").write_text("body{margin:0}\n.links a{text-indent:-10000px}\n")
    page = PAGE.replace("<!-- snippet -->", f'<p class="links">{CASINO.format("娱乐")}</p><a href="f.html">预告</a>')
    (tmp_path / "gzdt").mkdir()
    (tmp_path / "gzdt/a.html").write_text(page)
    (tmp_path / "gzdt/f.html").write_text(PAGE.replace("<!-- snippet -->", ""))
    (tmp_path / "sitemap.xml").write_text(
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<url><loc>https://www.test.gov.cn/gzdt/f.html</loc></url></urlset>"
    )
    found = "\n".join(unsafe_output(tmp_path, expect=Expect(held=frozenset({"gzdt/f.html"}))))
    for word in (
        "gzdt/a.html:7: a link to casino.example.com hidden by the stylesheet rule .links a",
        "gzdt/a.html:7: a link to an item dated after now (gzdt/f.html)",
        "gzdt/f.html:1: an item dated after the build's now is published",
        "sitemap.xml:1: <loc> for an item dated after now",
    ):
        assert word in found, found
    assert "dated after now" not in "\n".join(unsafe_output(tmp_path))


# ---------------------------------------------------------------- the scanner on ID numbers (issue 28, case 6)


def test_the_harness_writes_and_checks_id_numbers() -> None:
    assert citizen_id("11010519491231002") == "11010519491231002X"  # GB 11643's own example
    assert is_citizen_id(ID_NUMBER) and is_citizen_id("11010519491231002x")
    assert not is_citizen_id(WRONG_CHECK) and len(WRONG_CHECK) == 18
    assert id_numbers(f"号码{ID_NUMBER}，又{WRONG_CHECK}，又１１０１０５１９４９１２３１００２Ｘ") == [
        ID_NUMBER,
        "11010519491231002X",
    ]
    assert id_numbers(f"9{ID_NUMBER}") == []  # part of a longer number


@pytest.mark.parametrize("name", list(PERSONAL))
def test_the_scanner_finds_each_hidden_id_number(name: str) -> None:
    """Each crafted file is flagged for the number it hides; the plain ones (no number, or 18 digits
    with a wrong check digit) pass."""
    ext, _what, make = PERSONAL[name]
    found = [p for p in file_problems(make(), f"gzdt/p/p.{ext}") if "citizen ID" in p]
    assert found == [] if name.endswith(BENIGN_SUFFIX) else found, (name, found)


def test_the_scanner_says_where_an_id_number_hides() -> None:
    said = {name: " ".join(personal_problems(make(), f"a.{ext}")) for name, (ext, _, make) in PERSONAL.items()}
    for name, word in {
        "docx-footnote": "word/footnotes.xml",
        "docx-creator": "docProps/core.xml",
        "xlsx-cell-comment": "xl/comments",
        "odt-body": "content.xml",
        "png-text-chunk": "PNG text chunk",
        "jpeg-exif-artist": "JPEG APP",
        "zip-member-name": "member name",
    }.items():
        assert word in said[name], (name, said[name])


def test_the_scanner_reads_compressed_and_encoded_id_numbers() -> None:
    import zlib

    from tests.attacks import pdf_file, pdf_stream, zip_file

    number = ID_NUMBER.encode()
    hidden = {
        "a compressed PDF stream": pdf_file(
            extra=(pdf_stream(zlib.compress(b"(" + number + b")"), "/Filter /FlateDecode"),)
        ),
        "a PDF UTF-16 hex string": pdf_file(info=f"<< /Author <FEFF{ID_NUMBER.encode('utf-16-be').hex()}> >>"),
        "a PNG in a ZIP in a ZIP": zip_file(
            {"a.zip": zip_file({"x.png": _png_with_chunk(b"zTXt", b"Author\0\0" + zlib.compress(number))})}
        ),
        "a Word run split in two": zip_file(
            {"word/document.xml": b"<w:t>" + number[:9] + b"</w:t><w:t>" + number[9:] + b"</w:t>"}
        ),
    }
    for what, data in hidden.items():
        assert personal_problems(data, "a.bin"), what
    plain = pdf_file(info=f"<< /Author <FEFF{WRONG_CHECK.encode('utf-16-be').hex()}> >>")
    assert personal_problems(plain, "a.pdf") == []


def _png_with_chunk(kind: bytes, body: bytes) -> bytes:
    import zlib

    from tests.attacks import png_file

    data = png_file()
    chunk = len(body).to_bytes(4, "big") + kind + body + zlib.crc32(kind + body).to_bytes(4, "big")
    return data[:33] + chunk + data[33:]


def test_a_build_past_its_time_is_stopped() -> None:
    with pytest.raises(BuildTimeout), time_limit(0.05):
        while True:
            pass


def test_a_case_over_a_bound_that_builds_is_unsafe() -> None:
    """An exhaustion case that builds although it exceeds one of gsgen's bounds fails; one within them
    (20,000 short paragraphs) may build; refusals stay refusals."""
    cases = exhaustion_cases()
    built = unbounded({c.id: Outcome("clean") for c in cases}, cases)
    assert {k for k, o in built.items() if o.status == "clean"} == {"exhaustion:md:font-color-20000"}
    assert "over gsgen's bound: 2,000 attachment entries" in built["exhaustion:md:attachments-2000"].details[0]
    refused = unbounded({c.id: Outcome("refused") for c in cases}, cases)
    assert {o.status for o in refused.values()} == {"refused"}
