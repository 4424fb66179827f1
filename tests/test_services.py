"""What the national rules ask a portal to publish beyond the guide's elements: forms, samples and
filling instructions beside each material, the 办事服务 catalogue by topic and audience, related links,
the 在线访谈 page, and the result of a 征集调查 once it has closed. Each with a real build."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest

from tests.conftest import NOW, Run, assert_breaks
from tests.conftest import gsgen_here as gsgen
from tests.sites import column, edited, minimal_site, replace, write_site

GUIDE = "content/bsfw/gtgsh.yaml"
MATERIAL_LINE = 7  # the line of the guide's one material in tests/sites.py
MATERIAL = "note: 无}"
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 40
INTERVIEWS = "content/hdjl/zxft"
CONSULTATIONS = "content/hdjl/zjdc"


def tiny_pdf(text: str) -> bytes:
    """A one-page PDF that PDF readers, and the build's check of what files say, can open."""
    stream = f"BT /F1 12 Tf 72 770 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (n, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def tiny_docx(text: str) -> bytes:
    """A Word document of one paragraph."""
    main = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml"'
            ' ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Target="word/document.xml" Type='
            '"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/></Relationships>'
        ),
        "word/document.xml": f'<w:document xmlns:w="{main}"><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p>'
        "</w:body></w:document>",
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, xml in parts.items():
            z.writestr(name, xml)
    return out.getvalue()


DOCX = tiny_docx("个体工商户登记（备案）申请书")
PDF = tiny_pdf("Sample")


def with_forms(**material: str) -> dict:
    """The minimal site's guide with files named beside its material, and the files themselves."""
    written = ", ".join(f"{k}: {v}" for k, v in material.items())
    return {
        GUIDE: replace(MATERIAL, f"note: 无, {written}}}"),
        "content/bsfw/gtgsh/sqs.docx": DOCX,
        "content/bsfw/gtgsh/fanli.pdf": PDF,
        "content/bsfw/gtgsh/shuoming.pdf": PDF,
    }


def build(tmp_path: Path, edit: dict, *flags: str) -> tuple[Run, Path]:
    out = tmp_path / "out"
    site = write_site(tmp_path / "site", edited(minimal_site(), edit))
    return gsgen("build", site, "--now", NOW, "-o", out, *flags), out


def page(out: Path, rel: str) -> str:
    return (out / rel).read_text("utf-8")


# ---------------------------------------------------------------- forms, samples, instructions


@pytest.mark.parametrize("key", ["form", "sample", "instructions"])
def test_a_materials_missing_file_fails_naming_the_file_and_its_line(tmp_path, published, key):
    edit = {GUIDE: replace(MATERIAL, f"note: 无, {key}: nope-{key}.docx}}")}
    assert_breaks(tmp_path, published, "LINKS", edit, f"{GUIDE}:{MATERIAL_LINE}:", f"nope-{key}.docx")


def test_forms_samples_and_instructions_are_published_and_linked_from_the_guide(tmp_path):
    edit = with_forms(form="sqs.docx", sample="fanli.pdf", instructions="shuoming.pdf")
    run, out = build(tmp_path, edit, "--strict")
    assert run.code == 0, run.text
    assert (out / "bsfw/gtgsh/sqs.docx").read_bytes() == DOCX
    assert (out / "bsfw/gtgsh/fanli.pdf").read_bytes() == PDF
    html = page(out, "bsfw/gtgsh.html")
    start = html.index('<table class="materials">')
    materials = html[start : html.index("</table>", start)]
    assert '<th scope="col">表格下载</th>' in materials
    for href, label in [("sqs.docx", "空白表格"), ("fanli.pdf", "示例样表"), ("shuoming.pdf", "填写说明")]:
        assert re.search(rf'<a href="/bsfw/gtgsh/{re.escape(href)}" download>{label}', materials), materials


def test_a_sample_form_is_checked_for_personal_information_like_an_attachment(tmp_path):
    edit = with_forms(sample="fanli.docx") | {"content/bsfw/gtgsh/fanli.docx": tiny_docx("身份证号 11010519491231002X")}
    run, out = build(tmp_path, edit)
    assert run.code == 1
    found = [line for line in run.out.splitlines() if "error[PRIVACY]" in line]
    assert any(line.startswith("content/bsfw/gtgsh/fanli.docx") and "身份证号码" in line for line in found), run.text
    assert not out.exists()


def test_a_form_that_would_run_in_a_browser_is_refused(tmp_path):
    edit = {GUIDE: replace(MATERIAL, "note: 无, form: sqs.html}"), "content/bsfw/gtgsh/sqs.html": "<script></script>"}
    run, out = build(tmp_path, edit)
    assert run.code == 1
    assert any("error[SAFE-HTML]" in line and "sqs.html" in line for line in run.out.splitlines()), run.text
    assert not out.exists()


# ---------------------------------------------------------------- the catalogue by topic and audience

SECOND_GUIDE = (
    "title: 企业开办一件事\ndate: 2024-02-05 09:00\nsource: 测试县市场监督管理局\n"
    "topics: [市场主体登记]\naudience: [法人]\n"
    "basis: 《市场主体登记管理条例》\nconditions: 依法设立的企业\n"
    "materials:\n  - {name: 设立登记申请书, basis: 条例第十六条, format: 原件, copies: '1', note: 无}\n"
    "steps: [申请, 受理, 发照]\ntime_limit: 1个工作日\nfee: 不收费\noffice: 县市场监督管理局\n"
    "address: 县政务服务中心\nhours: 工作日 9:00-17:00\nphone: 023-11110002\nonline_level: 全程网办\n"
)


def catalogue_groups(html: str) -> dict[str, list[str]]:
    """Each group of the 办事服务 catalogue (its heading) with the guides it links to."""
    start = html.index('<section class="service-catalogue"')
    section = html[start : html.index("全部事项", start)]
    groups = re.findall(r"<h4[^>]*>([^<]+)<span.*?</h4>\s*<ul[^>]*>(.*?)</ul>", section, re.S)
    return {name: re.findall(r'<a href="([^"]+)"', links) for name, links in groups}


def test_the_service_column_lists_its_guides_by_audience_and_by_topic(tmp_path):
    edit = {
        GUIDE: replace("conditions:", "topics: [市场主体登记, 优化营商环境]\naudience: [个人, 法人]\nconditions:"),
        "content/bsfw/qykb.yaml": SECOND_GUIDE,
    }
    run, out = build(tmp_path, edit, "--strict")
    assert run.code == 0, run.text
    html = page(out, "bsfw/index.html")
    assert "按服务对象" in html and "按主题" in html
    assert catalogue_groups(html) == {
        "个人办事": ["/bsfw/gtgsh.html"],
        "法人办事": ["/bsfw/qykb.html", "/bsfw/gtgsh.html"],  # newest first, like the column
        "市场主体登记": ["/bsfw/qykb.html", "/bsfw/gtgsh.html"],
        "优化营商环境": ["/bsfw/gtgsh.html"],
    }
    guide = page(out, "bsfw/gtgsh.html")
    assert '<th scope="row">服务对象</th><td>个人、法人</td>' in guide
    assert '<th scope="row">主题分类</th><td>市场主体登记、优化营商环境</td>' in guide


def test_a_column_without_topics_or_audiences_shows_no_catalogue(tmp_path):
    run, out = build(tmp_path, {})
    assert run.code == 0, run.text
    assert "service-catalogue" not in page(out, "bsfw/index.html")


# ---------------------------------------------------------------- related links

RELATED_LINE = 18  # the first record of `related`, appended after the guide's 16 lines


def with_related(*records: str) -> dict:
    return {GUIDE: lambda text: text + "related:\n" + "".join(f"  - {r}\n" for r in records)}


@pytest.mark.parametrize(
    ("url", "word"),
    [("zcwj/2099-001", "zcwj/2099-001"), ("gzdt/2024-06-01-draft", "未发布")],
    ids=["missing", "draft"],
)
def test_a_related_link_to_a_missing_or_unpublished_item_fails(tmp_path, published, url, word):
    edit = with_related(f"{{title: 相关政策, url: {url}}}")
    assert_breaks(tmp_path, published, "LINKS", edit, f"{GUIDE}:{RELATED_LINE}:", word)


def test_a_related_web_address_passes_the_url_gate(tmp_path, published):
    edit = with_related("{title: 投诉, url: 'javascript:alert(1)'}")
    assert_breaks(tmp_path, published, "SAFE-HTML", edit, f"{GUIDE}:{RELATED_LINE}:", "javascript")


def test_related_links_open_items_columns_and_web_addresses(tmp_path):
    edit = with_related(
        "{url: zcwj/2025-001}",
        "{title: 留言咨询, url: /hdjl/}",
        "{title: 投诉举报, url: 'https://www.12345.example.com/ts'}",
    )
    run, out = build(tmp_path, edit, "--strict")
    assert run.code == 0, run.text
    html = page(out, "bsfw/gtgsh.html")
    related = html[html.index('<section class="related"') :]
    related = related[: related.index("</section>")]
    assert '<h2 id="related-h">相关链接</h2>' in related
    assert '<a href="/zcwj/2025-001.html">关于印发新办法的通知</a>' in related  # the item's own title
    assert '<a href="/hdjl/index.html">留言咨询</a>' in related
    assert '<a href="https://www.12345.example.com/ts" data-external>投诉举报</a>' in related


# ---------------------------------------------------------------- 在线访谈

INTERVIEW = (
    "title: 县长谈优化营商环境\ndate: 2024-11-20 16:00\nsource: 测试县人民政府办公室\n"
    "time: 2024-11-20 09:30\nhost: 主持人王某\nvideo: fangtan.mp4\n"
    "guests:\n  - {name: 李县长, post: 县长}\n  - {name: 赵局长, post: 县市场监督管理局局长}\n"
    "transcript:\n"
    "  - {speaker: 主持人, text: 欢迎收看本期在线访谈。}\n"
    "  - speaker: 李县长\n    text: |-\n      营商环境就是生产力。\n      今年企业开办时间压缩到1个工作日。\n"
)


def with_interviews(**items: str | bytes) -> dict:
    return {f"{INTERVIEWS}/_column.yaml": column("在线访谈", "在线访谈")} | {
        f"{INTERVIEWS}/{name}": text for name, text in items.items()
    }


def test_the_interview_page_shows_guests_time_video_and_the_transcript(tmp_path):
    edit = with_interviews(**{"yshj.yaml": INTERVIEW, "yshj/fangtan.mp4": MP4})
    run, out = build(tmp_path, edit, "--strict")
    assert run.code == 0, run.text
    html = page(out, "hdjl/zxft/yshj.html")
    facts = html[html.index('<dl class="facts">') : html.index("</dl>")]
    assert '<dt>访谈时间</dt><dd><time datetime="2024-11-20T09:30:00">2024-11-20 09:30</time></dd>' in facts
    assert "<dt>访谈嘉宾</dt>" in facts and "<dt>主持人</dt><dd>主持人王某</dd>" in facts
    for name, post in [("李县长", "县长"), ("赵局长", "县市场监督管理局局长")]:
        assert f'<span class="guest-name">{name}</span><span class="guest-post">{post}</span>' in facts
    assert '<h2 id="transcript-h">文字实录</h2>' in html
    assert '<p><strong class="speaker">主持人：</strong>欢迎收看本期在线访谈。</p>' in html
    # a record of several lines: one paragraph each, the speaker named on the first
    assert (
        '<p><strong class="speaker">李县长：</strong>营商环境就是生产力。</p><p>今年企业开办时间压缩到1个工作日。</p>'
        in html
    )
    assert '<video controls preload="metadata" src="/hdjl/zxft/yshj/fangtan.mp4"' in html
    assert (out / "hdjl/zxft/yshj/fangtan.mp4").read_bytes() == MP4


def test_an_interview_may_give_its_transcript_as_a_markdown_body(tmp_path):
    text = "---\ntitle: 访谈\ndate: 2024-11-20 16:00\nsource: 测试县人民政府办公室\ntime: 2024-11-20 09:30\n"
    text += "guests: [{name: 李县长, post: 县长}]\n---\n\n**主持人：** 欢迎收看。\n"
    run, out = build(tmp_path, with_interviews(**{"md.md": text}), "--strict")
    assert run.code == 0, run.text
    html = page(out, "hdjl/zxft/md.html")
    transcript = html[html.index('<section class="transcript"') :]
    assert "<strong>主持人：</strong> 欢迎收看。" in transcript[: transcript.index("</section>")]


@pytest.mark.parametrize(
    ("change", "rule", "word"),
    [
        (replace("video: fangtan.mp4", "video: fangtan.flv"), "FIELD", "MP4"),
        (replace("video: fangtan.mp4", "video: missing.mp4"), "LINKS", "missing.mp4"),
    ],
    ids=["not-mp4", "missing"],
)
def test_an_interview_video_must_be_an_mp4_beside_the_item(tmp_path, change, rule, word):
    edit = with_interviews(**{"yshj.yaml": INTERVIEW, "yshj/fangtan.flv": MP4})
    edit[f"{INTERVIEWS}/yshj.yaml"] = change(INTERVIEW)
    run, _ = build(tmp_path, edit)
    assert run.code == 1
    assert any(f"error[{rule}]" in line and word in line for line in run.out.splitlines()), run.text


def test_an_interview_without_guests_or_transcript_warns(tmp_path):
    text = "title: 访谈\ndate: 2024-11-20 16:00\nsource: 测试县人民政府办公室\ntime: 2024-11-20 09:30\n"
    run, _ = build(tmp_path, with_interviews(**{"bare.yaml": text}))
    assert run.code == 0, run.text
    lines = [line for line in run.out.splitlines() if "warn[INTERACT]" in line and "bare.yaml" in line]
    assert lines and "guests" in lines[0] and "transcript" in lines[0], run.text


# ---------------------------------------------------------------- 征集调查

CONSULTATION = (
    "title: 关于《停车管理办法（征求意见稿）》公开征求意见\ndate: 2024-12-01 09:00\nsource: 测试县城市管理局\n"
    "period: {start: 2024-12-01 09:00, end: 2024-12-31 18:00}\n"
)
RESULT = "opinions: 46\nresult: 共收到意见46条，已逐条研究。\nadopted: 采纳28条，未采纳18条。\n"


def with_consultation(text: str) -> dict:
    return {f"{CONSULTATIONS}/_column.yaml": column("意见征集", "征集调查"), f"{CONSULTATIONS}/tcgl.yaml": text}


def test_a_finished_consultation_without_a_result_warns_but_publishes_under_strict(tmp_path):
    run, out = build(tmp_path, with_consultation(CONSULTATION), "--strict")
    assert run.code == 0, run.text  # a health finding: time alone brought it about
    warning = [line for line in run.out.splitlines() if "warn[INTERACT]" in line and "tcgl.yaml:4:" in line]
    assert warning and "result" in warning[0] and "2024-12-31 18:00" in warning[0], run.text
    html = page(out, "hdjl/zjdc/tcgl.html")
    assert "征集结束后，将在此公布" in html
    health = gsgen("health", tmp_path / "site", "--now", NOW)
    assert any("warn[INTERACT]" in line and "tcgl.yaml" in line for line in health.out.splitlines()), health.text


def test_an_open_consultation_does_not_warn(tmp_path):
    text = CONSULTATION.replace("end: 2024-12-31 18:00", "end: 2025-02-01 18:00")
    run, _ = build(tmp_path, with_consultation(text), "--strict")
    assert run.code == 0 and "[INTERACT]" not in run.out, run.text


def test_a_consultation_with_a_result_shows_it_above_the_messages(tmp_path):
    messages = "messages:\n  - {title: 建议增设车位, received: 2024-12-02 09:00}\n"
    run, out = build(tmp_path, with_consultation(CONSULTATION + RESULT + messages), "--strict")
    assert run.code == 0 and "[INTERACT]" not in run.out, run.text
    html = page(out, "hdjl/zjdc/tcgl.html")
    section = html[html.index('<section class="consultation"') :]
    section = section[: section.index("</section>")]
    assert "<dt>征集时间</dt>" in section and "2024-12-01 09:00" in section and "2024-12-31 18:00" in section
    assert "<dt>收到意见</dt><dd>46 条</dd>" in section
    assert "<h3>结果反馈</h3>" in section and "<p>共收到意见46条，已逐条研究。</p>" in section
    assert "<h3>采纳情况</h3>" in section and "<p>采纳28条，未采纳18条。</p>" in section
    assert html.index('<section class="consultation"') < html.index("<h2>建议增设车位</h2>")
