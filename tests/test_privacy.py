"""PRIVACY, SECRECY and WORDS over everything a site publishes: item text, data tables and attachments
(CSV, xlsx, docx, PDF), built for real from files written here."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import openpyxl
import pypdf
import pytest

from gsgen import filetext
from gsgen.rules.secrecy import classification_mark
from gsgen.rules.words import baseline
from tests.conftest import NOW, assert_breaks
from tests.conftest import gsgen_here as gsgen
from tests.sites import column, edited, item, minimal_site, write_site

NEWS = "content/gzdt/2025-01-06-e.md"
FOLDER = "content/gzdt/2025-01-06-e"  # the item's own folder, where its attachments live
ID_OK, ID_BAD_CHECK = "11010519491231002X", "110105194912310021"
MOBILE = "13812345678"
DATA = "content/sjfb/table.yaml"


def news(body: str = "正文。", **extra: str) -> str:
    return item("新年第一次工作会议召开", "2025-01-06 10:00", body=body, **extra)


def attached(name: str, content: bytes, **extra: str) -> dict:
    """The news item with one attachment, `name`, in its own folder."""
    return {NEWS: news(attachments=f"[{{file: {name}, title: 附件}}]", **extra), f"{FOLDER}/{name}": content}


def data_item(table: str) -> dict:
    """A 数据发布 column whose item publishes `table` (CSV text) as `data: table.csv`."""
    return {
        "content/sjfb/_column.yaml": column("数据发布", "数据发布"),
        DATA: "title: 补贴发放名单\ndate: 2025-01-06 10:00\nsource: 测试县民政局\ndata: table.csv\n",
        "content/sjfb/table.csv": table,
    }


def xlsx(rows: list[list[object]], sheet: str = "Sheet1") -> bytes:
    book = openpyxl.Workbook()
    book.active.title = sheet
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def word(paragraphs: list[str], table: list[list[str]] | None = None, header: str = "") -> bytes:
    document = docx.Document()
    if header:
        document.sections[0].header.paragraphs[0].text = header
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, text in enumerate(row):
                grid.cell(r, c).text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def pdf(*pages: str) -> bytes:
    """A minimal valid PDF, one line of ASCII text (Helvetica) a page, with a correct xref table."""
    count = len(pages)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    kids = " ".join(f"{4 + 2 * n} 0 R" for n in range(count))
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {count} >>".encode())
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    for n, text in enumerate(pages):
        stream = f"BT /F1 12 Tf 72 740 Td ({text}) Tj ET".encode()
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {5 + 2 * n} 0 R"
            " /Resources << /Font << /F1 3 0 R >> >> >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (n, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def ofd(*pages: list[tuple[float, float, str]]) -> bytes:
    """A minimal OFD (GB/T 33190): a page is text objects at (x, y); objects on one y make a line."""
    ns = 'xmlns:ofd="http://www.ofdspec.org/2016"'
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(
            "OFD.xml",
            f"<ofd:OFD {ns}><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>",
        )
        archive.writestr("Doc_0/Document.xml", f"<ofd:Document {ns}/>")
        for n, objects in enumerate(pages):
            texts = "".join(
                f'<ofd:TextObject ID="{i}" Boundary="{x} {y} 100 5" Font="1" Size="4">'
                f'<ofd:TextCode X="0" Y="4">{text}</ofd:TextCode></ofd:TextObject>'
                for i, (x, y, text) in enumerate(objects)
            )
            archive.writestr(
                f"Doc_0/Pages/Page_{n}/Content.xml",
                f'<ofd:Page {ns}><ofd:Content><ofd:Layer ID="0">{texts}</ofd:Layer></ofd:Content></ofd:Page>',
            )
    return out.getvalue()


def zipped(files: dict[str, bytes], gbk_names: bool = False) -> bytes:
    """A ZIP archive; `gbk_names`: member names in GBK without the UTF-8 flag, as Chinese Windows writes them."""
    out = io.BytesIO()
    raw = {}  # zipfile writes any non-ASCII name as flagged UTF-8: write a placeholder, then the GBK bytes
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for n, (name, content) in enumerate(files.items()):
            encoded = name.encode("gbk")
            placeholder = chr(ord("A") + n) * len(encoded) if gbk_names else name
            raw[placeholder.encode()] = encoded
            archive.writestr(placeholder, content)
    data = out.getvalue()
    for placeholder, encoded in raw.items():
        data = data.replace(placeholder, encoded)
    return data


def build(tmp_path: Path, edit: dict, *flags: str):
    site = write_site(tmp_path / "s", edited(minimal_site(), edit))
    return gsgen("build", site, *flags, "--now", NOW, "-o", tmp_path / "out")


def lines(run, rule: str, level: str = "error") -> list[str]:
    return [line for line in run.out.splitlines() if f"{level}[{rule}]" in line]


# ---------------------------------------------------------------- an ID number wherever it is published

BREAKS = [
    pytest.param(
        "PRIVACY",
        data_item(f"姓名,身份证号\n甲,1\n乙,2\n丙,3\n丁,{ID_OK}\n"),
        "content/sjfb/table.csv:5",
        "第 4 行「身份证号」列：疑似公民身份证号码 110***********002X",
        id="csv-data-file",
    ),
    pytest.param(
        "PRIVACY",
        {
            "content/sjfb/_column.yaml": column("数据发布", "数据发布"),
            DATA: f"title: 名单\ndate: 2025-01-06 10:00\nsource: 测试县民政局\nrows:\n  - [姓名, 身份证号]\n  - [丁, {ID_OK}]\n",
        },
        f"{DATA}:6",
        "身份证号码",
        id="inline-rows",
    ),
    pytest.param(
        "PRIVACY",
        attached(
            "mingdan.xlsx", xlsx([["序号", "姓名", "身份证号"], *[[n, "某", ""] for n in range(5)], [6, "丁", ID_OK]])
        ),
        f"{FOLDER}/mingdan.xlsx: error[PRIVACY] 工作表「Sheet1」第 7 行 C 列",
        "110***********002X",
        id="xlsx-attachment",
    ),
    pytest.param(
        "PRIVACY",
        attached("mingdan.docx", word(["关于发放补贴的说明", f"经办人身份证号 {ID_OK}"])),
        f"{FOLDER}/mingdan.docx: error[PRIVACY] 第 2 段",
        "身份证号码",
        id="docx-paragraph",
    ),
    pytest.param(
        "PRIVACY",
        attached("mingdan.docx", word(["名单如下"], [["姓名", "手机"], ["甲", "无"], ["乙", MOBILE]])),
        f"{FOLDER}/mingdan.docx: error[PRIVACY] 表格 1 第 3 行",
        "手机号码",
        id="docx-table",
    ),
    pytest.param(
        "PRIVACY",
        attached("list.pdf", pdf("Subsidy list", f"Zhang San {ID_OK}")),
        f"{FOLDER}/list.pdf: error[PRIVACY] 第 2 页",
        "身份证号码",
        id="pdf-page",
    ),
    pytest.param(
        "PRIVACY",
        {NEWS: news(f"![经办人身份证 {ID_OK}](photo.png)"), f"{FOLDER}/photo.png": b"\x89PNG\r\n\x1a\n"},
        f"{NEWS}:7",
        "身份证号码",
        id="markdown-alt-text",
    ),
    pytest.param(
        "PRIVACY",
        {NEWS: news(f'<img src="photo.png" alt="&#49;{ID_OK[1:]}">'), f"{FOLDER}/photo.png": b"\x89PNG\r\n\x1a\n"},
        f"{NEWS}:7",
        "身份证号码",
        id="html-alt-text-with-an-entity",
    ),
    pytest.param(
        "PRIVACY",
        attached(
            "wenjian.ofd",
            ofd([(20, 30, "通知")], [(20, 50, "经办人身份证号"), (60, 50, ID_OK[:9]), (90, 50, ID_OK[9:])]),
        ),
        f"{FOLDER}/wenjian.ofd: error[PRIVACY] 第 2 页",
        "身份证号码",
        id="ofd-page-number-split-across-objects",
    ),
    pytest.param(
        "PRIVACY",
        attached(
            "cailiao.zip",
            zipped(
                {"说明.txt": "材料清单".encode(), "名单/mingdan.xlsx": xlsx([["身份证号"], [ID_OK]])}, gbk_names=True
            ),
        ),
        f"{FOLDER}/cailiao.zip: error[PRIVACY] 压缩包内 名单/mingdan.xlsx：工作表「Sheet1」第 2 行 A 列",
        "身份证号码",
        id="xlsx-inside-a-zip-named-in-gbk",
    ),
    pytest.param(
        "SECRECY",
        attached("cailiao.zip", zipped({"inner.zip": zipped({"jiyao.docx": word(["秘密★1年", "纪要"])})})),
        f"{FOLDER}/cailiao.zip: error[SECRECY] 压缩包内 inner.zip：压缩包内 jiyao.docx：第 1 段",
        "密级标志",
        id="mark-in-a-zip-in-a-zip",
    ),
    # SECRECY: a classification mark in the body, and in an attachment's header
    pytest.param("SECRECY", {NEWS: news("秘密★1年\n\n会议纪要。")}, f"{NEWS}:7", "密级标志", id="mark-in-body"),
    pytest.param("SECRECY", {NEWS: news("会议纪要。\n\n内部资料\n")}, f"{NEWS}:9", "内部资料标注", id="alone-in-body"),
    pytest.param(
        "SECRECY",
        attached("jiyao.docx", word(["会议纪要", "正文"], header="机密★长期")),
        f"{FOLDER}/jiyao.docx: error[SECRECY] 页眉",
        "请撤下该文件并按保密审查流程处理",
        id="mark-in-docx-header",
    ),
    pytest.param(
        "SECRECY",
        attached("biao.xlsx", xlsx([["密级", "秘密"], ["事项", "x"]])),
        f"{FOLDER}/biao.xlsx: error[SECRECY] 工作表「Sheet1」第 1 行",
        "密级",
        id="mark-in-xlsx-cell",
    ),
    # WORDS: gsgen's own list applies without checks.words, to bodies and data rows alike
    pytest.param("WORDS", {NEWS: news("台湾政府有关人士表示。")}, f"{NEWS}:7", "应为「台湾当局」", id="baseline-word"),
    pytest.param(
        "WORDS",
        data_item("地区,说明\n北京,北朝鲜代表团来访\n"),
        "content/sjfb/table.csv:2",
        "第 1 行「说明」列：「北朝鲜」应为「朝鲜」",
        id="baseline-word-in-data",
    ),
]


@pytest.mark.parametrize(("rule", "edit", "file", "word"), BREAKS)
def test_published_text_breaks_the_build_naming_the_place(tmp_path, published, rule, edit, file, word):
    assert_breaks(tmp_path, published, rule, edit, file, word)


def test_the_whole_number_is_never_printed(tmp_path):
    run = build(tmp_path, attached("mingdan.xlsx", xlsx([["身份证号"], [ID_OK]])))
    assert run.code == 1 and ID_OK not in run.text


# ---------------------------------------------------------------- what passes, and what only warns


def test_prose_about_secrets_is_no_mark(tmp_path):
    body = "各单位要严格保守国家秘密，严禁泄露机密，不得公开内部资料。\n\n注意保密工作常抓不懈。"
    table = word(["保密工作要点", "各部门要保守国家秘密、工作秘密。"])
    run = build(
        tmp_path,
        {**attached("yaodian.docx", table), NEWS: news(body, attachments="[{file: yaodian.docx}]")},
        "--strict",
    )
    assert run.code == 0, run.text


def test_a_wrong_check_digit_is_a_warning(tmp_path):
    run = build(tmp_path, {NEWS: news(f"编号 {ID_BAD_CHECK}。")})
    assert run.code == 0, run.text
    warned = lines(run, "PRIVACY", "warn")
    assert warned and warned[0].startswith(f"{NEWS}:7") and "校验位不符，可能是录入错误" in warned[0], run.text
    assert ID_BAD_CHECK not in run.text


@pytest.mark.parametrize(
    ("name", "content", "word"),
    [
        ("mingdan.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "旧版 Word 格式"),
        ("mingdan.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "旧版 Excel 格式"),
        ("cailiao.zip", zipped({"a.txt": b"ok", "mingdan.doc": b"x"}), "压缩包内未能检查：mingdan.doc"),
    ],
)
def test_what_cannot_be_read_is_said_to_be_unchecked(tmp_path, name, content, word):
    """A format gsgen cannot read is published (it is a common format) but never silently passed: the
    editor hears that its content was not checked, and how to make it checkable."""
    run = build(tmp_path, attached(name, content))
    assert run.code == 0, run.text
    found = lines(run, "PRIVACY", "warn")
    assert any(line.startswith(f"{FOLDER}/{name}") and word in line and "人工检查" in line for line in found), run.text


def test_a_home_address_is_a_warning(tmp_path):
    run = build(tmp_path, {NEWS: news("申请人家住幸福小区3栋2单元501室。")})
    assert run.code == 0 and any("疑似个人详细住址" in line for line in lines(run, "PRIVACY", "warn")), run.text


def test_allow_personal_info_covers_the_items_attachments(tmp_path):
    allow = f'[{{value: "{MOBILE}", reason: 值班电话}}]'
    edit = attached("zhiban.xlsx", xlsx([["值班电话"], [int(MOBILE)]]), allow_personal_info=allow)
    assert build(tmp_path, edit, "--strict").code == 0
    other = attached("zhiban.xlsx", xlsx([["值班电话"], [int(MOBILE)]]))
    assert lines(build(tmp_path / "no", other), "PRIVACY")


def test_a_baseline_word_is_allowed_with_a_reason(tmp_path):
    text = news("外电原文标题为《北朝鲜发射卫星》。")
    config = {"config.yaml": lambda c: c + "checks: {words: words.yaml}\n"}
    plain = build(tmp_path / "a", {NEWS: text})
    assert plain.code == 1 and any(line.startswith(f"{NEWS}:7") for line in lines(plain, "WORDS")), plain.text
    allow = {**config, "words.yaml": "- {allow: 北朝鲜, reason: 引用外电原文}\n", NEWS: text}
    allowed = build(tmp_path / "b", allow, "--strict")
    assert allowed.code == 0, allowed.text
    missing = build(tmp_path / "c", {**config, "words.yaml": "# 本站词表\n- {allow: 北朝鲜}\n", NEWS: text})
    assert missing.code == 1 and any(line.startswith("words.yaml:2") for line in lines(missing, "FIELD")), missing.text


def test_unreadable_attachments_are_warned_about_not_crashed_on(tmp_path):
    bomb = io.BytesIO()  # a zip bomb: 64 MB of zeros in a few kilobytes
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\0" * (filetext.MAX_UNZIPPED + 1))
    locked = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(pdf(f"ID {ID_OK}"))))
    locked.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    locked_pdf = io.BytesIO()
    locked.write(locked_pdf)
    names = ("huai.docx", "jiami.xlsx", "zha.docx", "mima.pdf")
    edit = {
        NEWS: news(attachments="[" + ", ".join(f"{{file: {name}}}" for name in names) + "]"),
        f"{FOLDER}/huai.docx": b"PK\x03\x04 not really a zip",
        f"{FOLDER}/jiami.xlsx": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512,
        f"{FOLDER}/zha.docx": bomb.getvalue(),
        f"{FOLDER}/mima.pdf": locked_pdf.getvalue(),
    }
    run = build(tmp_path, edit)
    assert run.code == 0 and "Traceback" not in run.text, run.text
    warned = lines(run, "PRIVACY", "warn")
    for name in names:
        assert any(
            line.startswith(f"{FOLDER}/{name}") and "无法读取" in line and "请人工检查" in line for line in warned
        )
    assert any("已加密" in line for line in warned) and any("压缩炸弹" in line for line in warned)
    assert any("mima.pdf" in line and "需要密码" in line for line in warned)


def test_a_warm_build_reads_no_unchanged_attachment(tmp_path, monkeypatch):
    allow = f'[{{value: "{MOBILE}", reason: 值班电话}}]'
    site = write_site(
        tmp_path / "s", edited(minimal_site(), attached("biao.xlsx", xlsx([[MOBILE]]), allow_personal_info=allow))
    )
    reads = []
    original = filetext.READERS["xlsx"]
    monkeypatch.setitem(filetext.READERS, "xlsx", lambda data, out: (reads.append(1), original(data, out)))
    for n in range(2):
        assert gsgen("build", site, "--now", NOW, "-o", tmp_path / f"out{n}").code == 0
    assert len(reads) == 1
    assert (site / ".gsgen-cache" / "texts.json").is_file()


# ---------------------------------------------------------------- the pieces


@pytest.mark.parametrize(
    ("text", "head", "mark"),
    [
        ("秘密★1年", False, "秘密★1年"),
        ("本文件标注为机密 ★ 长期。", False, "机密 ★ 长期"),
        ("## 绝密", False, "绝密"),
        ("| 内部资料 | 共 3 页 |", False, "内部资料"),
        ("密级：秘密", False, "密级：秘密"),
        ("内部资料，请勿外传", True, "内部资料，请勿外传"),
        ("内部资料，请勿外传", False, None),
        ("保守国家秘密", True, None),
        ("严禁泄露机密。", False, None),
        ("不得公开内部资料。", True, None),
        ("机密文件管理办法", True, None),
    ],
)
def test_classification_marks(text, head, mark):
    assert classification_mark(text, head) == mark


def test_the_baseline_list_is_well_formed():
    entries = baseline()
    assert len(entries) >= 30
    assert all(e.wrong and e.right and e.level in ("error", "warn") for e in entries)
    assert len({e.wrong for e in entries}) == len(entries)
    assert not any(e.wrong in e.right for e in entries)  # the right form never trips its own entry
