"""Personal data where documents keep it besides their body, and pictures published without metadata.

Each file is made here: ODF, docx and xlsx parts as XML strings in a zip, an RTF by hand, a PDF with
pypdf, pictures with Pillow. One site carries every document as an attachment and fails with a PRIVACY
error for each, naming the file and the place in it; another publishes the pictures, which come out
without their metadata, still upright, each pixel as it was.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

import docx
import openpyxl
import pypdf
import pytest
from openpyxl.comments import Comment
from PIL import Image
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, TextStringObject

from gsgen import filetext
from gsgen.gate import pictures
from tests.conftest import NOW
from tests.conftest import gsgen_here as gsgen
from tests.sites import item, minimal_site, repacked, write_site
from tests.test_privacy import pdf

NEWS = "content/gzdt/2025-01-06-e.md"
FOLDER = "content/gzdt/2025-01-06-e"
ID = "11010519491231002X"  # a valid check digit: shown masked as 110***********002X
MASKED = "110***********002X"
ODF_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/"'
)


def zipped(parts: dict[str, str | bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return out.getvalue()


def odf(kind: str, body: str, meta: str = "", styles: str = "") -> bytes:
    """An OpenDocument file of `kind` (text, spreadsheet, presentation) whose office:body holds `body`."""
    return zipped(
        {
            "mimetype": f"application/vnd.oasis.opendocument.{kind}",
            "META-INF/manifest.xml": '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>',
            "content.xml": f"<office:document-content {ODF_NS}><office:body><office:{kind}>{body}</office:{kind}></office:body></office:document-content>",
            "meta.xml": f"<office:document-meta {ODF_NS}><office:meta>{meta}</office:meta></office:document-meta>",
            "styles.xml": f"<office:document-styles {ODF_NS}><office:master-styles>{styles}</office:master-styles></office:document-styles>",
        }
    )


W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def word_file() -> bytes:
    document = docx.Document()
    document.add_paragraph("正文没有个人信息。")
    document.sections[0].even_page_footer.paragraphs[0].text = "偶数页 13512345678"
    document.core_properties.author = f"张三 {ID}"
    document.core_properties.last_modified_by = "李四 13812345678"
    out = io.BytesIO()
    document.save(out)
    separators = '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    return repacked(
        out.getvalue(),
        {
            "word/footnotes.xml": f"<w:footnotes {W_NS}>{separators}"
            '<w:footnote w:id="1"><w:p><w:r><w:t>第一条脚注</w:t></w:r></w:p></w:footnote>'
            f'<w:footnote w:id="2"><w:p><w:r><w:t>联系人身份证 {ID}</w:t></w:r></w:p></w:footnote></w:footnotes>',
            "word/endnotes.xml": f'<w:endnotes {W_NS}><w:endnote w:id="1"><w:p><w:r><w:t>尾注 13912345678</w:t></w:r></w:p></w:endnote></w:endnotes>',
            "word/comments.xml": f'<w:comments {W_NS}><w:comment w:id="0" w:author="王五">'
            "<w:p><w:r><w:t>请核对 13712345678</w:t></w:r></w:p></w:comment></w:comments>",
            "docProps/custom.xml": '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"'
            ' xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
            '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="联系人">'
            "<vt:lpwstr>13312345678</vt:lpwstr></property></Properties>",
            "docProps/app.xml": '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
            "<Company>个人 13212345678</Company><Pages>1</Pages></Properties>",
        },
    )


def workbook_file() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "名单"
    sheet.append(["姓名", "备注"])
    sheet.append(["张三", "见批注"])
    sheet["B2"].comment = Comment(f"身份证 {ID}", "经办人")
    book.properties.creator = "赵六 13612345678"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def pdf_file() -> bytes:
    writer = pypdf.PdfWriter()
    page = writer.add_blank_page(595, 842)
    writer.add_metadata({"/Author": f"张三 {ID}", "/Title": "通知"})
    note = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Text"),
            NameObject("/Rect"): ArrayObject([NumberObject(0), NumberObject(0), NumberObject(20), NumberObject(20)]),
            NameObject("/Contents"): TextStringObject("请联系 13812345678"),
            NameObject("/T"): TextStringObject("审核人"),
        }
    )
    field = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Widget"),
            NameObject("/FT"): NameObject("/Tx"),
            NameObject("/Rect"): ArrayObject([NumberObject(50), NumberObject(50), NumberObject(200), NumberObject(70)]),
            NameObject("/T"): TextStringObject("idcard"),
            NameObject("/V"): TextStringObject("13512345678"),
        }
    )
    note_ref, field_ref = writer._add_object(note), writer._add_object(field)
    page[NameObject("/Annots")] = ArrayObject([note_ref, field_ref])
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject({NameObject("/Fields"): ArrayObject([field_ref])})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


RTF = (
    rb"{\rtf1\ansi\ansicpg936\deff0{\fonttbl{\f0\fnil\fcharset134 SimSun;}}"
    rb"{\info{\title \'cd\'a8\'d6\'aa}{\author \'d5\'c5\'c8\'fd 11010519491231002X}}"
    rb"\pard \'d5\'fd\'ce\'c4\'a1\'a3{\super\chftn}{\footnote \pard{\super\chftn} \'c1\'aa\'cf\'b5 13812345678}\par"
    rb"{\*\atnid ZS}{\*\atnauthor Zhang}\chatn{\*\annotation{\*\atnref 0} 13912345678}\par}"
)

ODT = odf(
    "text",
    '<text:p>正文。<text:note text:note-class="footnote"><text:note-body><text:p>脚注 13812345678</text:p>'
    "</text:note-body></text:note></text:p>"
    '<table:table table:name="表1"><table:table-row><table:table-cell><text:p>电话 13612345678</text:p>'
    "</table:table-cell></table:table-row></table:table>"
    "<text:p>第二段<office:annotation><dc:creator>审核</dc:creator><text:p>批注 13912345678</text:p></office:annotation></text:p>",
    meta=f"<dc:creator>张三 {ID}</dc:creator>",
    styles='<style:master-page style:name="Standard"><style:footer><text:p>页脚 13712345678</text:p></style:footer></style:master-page>',
)
ODS = odf(
    "spreadsheet",
    '<table:table table:name="名单"><table:table-row table:number-rows-repeated="2"><table:table-cell/></table:table-row>'
    '<table:table-row><table:table-cell table:number-columns-repeated="2"/><table:table-cell><text:p>'
    f"{ID}</text:p></table:table-cell></table:table-row></table:table>",
)
ODP = odf(
    "presentation",
    '<draw:page draw:name="p1"><draw:frame><draw:text-box><text:p>联系 13812345678</text:p></draw:text-box></draw:frame></draw:page>',
)
ZIP = zipped({f"名单/张三{ID}.jpg": b"", "说明.txt": "见文件名".encode()})

# (file name, bytes, the place a PRIVACY error names)
WORD, WORKBOOK, PDF = word_file(), workbook_file(), pdf_file()
DOCUMENTS = [
    ("a.rtf", RTF, "文档属性 作者"),
    ("a.rtf", RTF, "脚注 1"),
    ("a.rtf", RTF, "批注 1"),
    ("b.odt", ODT, "脚注 1"),
    ("b.odt", ODT, "批注 1"),
    ("b.odt", ODT, "页脚"),
    ("b.odt", ODT, "表格「表1」第 1 行 A 列"),
    ("b.odt", ODT, "文档属性 作者"),
    ("c.ods", ODS, "工作表「名单」第 3 行 C 列"),
    ("d.odp", ODP, "幻灯片 1"),
    ("e.docx", WORD, "文档属性 作者"),
    ("e.docx", WORD, "文档属性 最后修改者"),
    ("e.docx", WORD, "脚注 2"),
    ("e.docx", WORD, "尾注 1"),
    ("e.docx", WORD, "批注 1"),
    ("e.docx", WORD, "偶数页页脚"),
    ("e.docx", WORD, "文档属性 联系人"),
    ("e.docx", WORD, "文档属性 单位"),
    ("f.xlsx", WORKBOOK, "工作表「名单」B2 单元格批注"),
    ("f.xlsx", WORKBOOK, "文档属性 作者"),
    ("g.pdf", PDF, "PDF 文档信息 Author"),
    ("g.pdf", PDF, "第 1 页批注"),
    ("g.pdf", PDF, "表单域「idcard」"),
    ("h.zip", ZIP, "压缩包内文件名"),
]


@pytest.fixture(scope="module")
def refused(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The PRIVACY lines of one build of a site with every document attached to one item."""
    files = {name: data for name, data, _place in DOCUMENTS} | {"i.dps": b"\x00WPS presentation"}
    files["j.zip"] = zipped({"照片/a.jpg": photo_jpeg(), "照片/e.png": photo_png(gps=False)})
    listed = ", ".join(f"{{file: {name}, title: 附件{n}}}" for n, name in enumerate(files))
    site = minimal_site() | {
        NEWS: item("新年第一次工作会议召开", "2025-01-06 10:00", attachments=f"[{listed}]"),
        **{f"{FOLDER}/{name}": data for name, data in files.items()},
    }
    root = tmp_path_factory.mktemp("formats")
    run = gsgen("build", write_site(root / "site", site), "--now", NOW, "-o", root / "out")
    assert "Traceback" not in run.text, run.text
    return [line for line in run.out.splitlines() if "[PRIVACY]" in line]


@pytest.mark.parametrize(("name", "place"), [(name, place) for name, _data, place in DOCUMENTS])
def test_personal_data_where_documents_keep_it_is_an_error_at_its_place(
    refused: list[str], name: str, place: str
) -> None:
    found = [line for line in refused if line.startswith(f"{FOLDER}/{name}:") and f" {place}：疑似公民" in line]
    assert len(found) == 1 and "error[PRIVACY]" in found[0], "\n".join(refused)


def test_a_number_is_never_repeated_whole(refused: list[str]) -> None:
    assert not any(ID in line or "13812345678" in line for line in refused)
    assert any(MASKED in line for line in refused)


def test_a_wps_presentation_is_said_to_be_unchecked(refused: list[str]) -> None:
    assert any(
        line.startswith(f"{FOLDER}/i.dps:") and "warn[PRIVACY]" in line and "未经检查" in line for line in refused
    )


def test_a_photo_with_its_position_inside_an_archive_is_said(refused: list[str]) -> None:
    """A ZIP is published as it is: the pictures in it keep their metadata, and a position is said."""
    (line,) = [line for line in refused if line.startswith(f"{FOLDER}/j.zip:")]
    assert "warn[PRIVACY]" in line and "照片/a.jpg（照片含有拍摄地点" in line and "e.png" not in line


def test_texts_read_by_an_older_gsgen_are_read_again() -> None:
    texts = filetext.FileTexts()
    path = Path(__file__)
    texts.read(path, "txt")
    (key,) = texts
    assert key != __import__("hashlib").sha256(b"txt\0" + path.read_bytes()).hexdigest()


def test_hostile_rtf_is_read_within_bounds() -> None:
    """Unbalanced groups, a \\bin beyond the end, a lone backslash, surrogates: read, never raised."""
    for data in (rb"{\rtf1 {{{{ 13812345678", rb"{\rtf1 \bin999999999 x}", b"{\\rtf1 a\\", rb"{\rtf1 \u-10179?}"):
        found = filetext.extract(data, "rtf")
        assert found.unread is None
    assert filetext.extract(b"not rtf", "rtf").unread
    deep = filetext.extract(b"{\\rtf1 13812345678\\par" + b"{" * 100_000, "rtf")
    assert deep.unread and "嵌套" in deep.unread and deep.pieces[0].text == "13812345678"


def pdf_with_information(xmp: bytes) -> bytes:
    """A PDF whose first page begins with a classification mark, with /Info and an XMP stream."""
    writer = pypdf.PdfWriter(clone_from=io.BytesIO(pdf("SECRET", "page two")))
    writer.add_metadata({"/Author": "Zhang", "/Title": "Notice", "/Subject": "Plan", "/Keywords": "a b"})
    stream = pypdf.generic.DecodedStreamObject()
    stream.set_data(xmp)
    writer._root_object[NameObject("/Metadata")] = writer._add_object(stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_what_a_pdf_keeps_besides_its_pages_comes_after_them() -> None:
    """The first lines read are a document's head, where SECRECY looks for a mark: the pages' own."""
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><creator>Li</creator><DocumentID>uuid:1</DocumentID></x:xmpmeta>'
    found = filetext.extract(pdf_with_information(xmp), "pdf")
    assert [p.place for p in found.pieces[:2]] == ["第 1 页", "第 2 页"] and found.unread is None
    assert ("PDF 文档信息 Author", "Zhang") in [(p.place, p.text) for p in found.pieces]
    assert [p.text for p in found.pieces if p.place.startswith("PDF XMP")] == ["Li"]


def test_a_broken_part_besides_the_body_is_said_and_the_rest_is_read() -> None:
    found = filetext.extract(pdf_with_information(b"<not xml"), "pdf")
    assert [p.text for p in found.pieces[:2]] == ["SECRET", "page two"]
    assert found.unread and "PDF 文档信息已损坏" in found.unread
    broken = repacked(WORD, {"word/comments.xml": "<w:comments"})
    found = filetext.extract(broken, "docx")
    assert "脚注、尾注或批注已损坏" in found.unread and any(p.place == "文档属性 作者" for p in found.pieces)


def test_an_odf_nested_deeper_than_the_parser_allows_is_said_unread() -> None:
    deep = "<text:span>" * 5000 + "x" + "</text:span>" * 5000
    found = filetext.extract(odf("text", f"<text:p>{deep}</text:p>"), "odt")
    assert found.unread and found.unread.startswith("文件已损坏") and not found.pieces
    assert [p.text for p in filetext.extract(odf("text", "<text:p>正文</text:p>"), "odt").pieces] == ["正文"]


# ---------------------------------------------------------------- pictures


def exif(orientation: int, gps: bool) -> bytes:
    image = Image.new("RGB", (1, 1))
    tags = image.getexif()
    tags[0x0112] = orientation
    tags[0x013B] = f"张三 {ID}"  # Artist
    if gps:
        tags.get_ifd(0x8825).update({1: "N", 2: (29.0, 33.0, 10.5), 3: "E", 4: (106.0, 33.0, 2.25)})
    return tags.tobytes()


def photo_jpeg() -> bytes:
    image = Image.new("RGB", (16, 8), (200, 30, 30))
    image.putpixel((0, 0), (0, 0, 255))
    out = io.BytesIO()
    xmp = f'<x:xmpmeta xmlns:x="adobe:ns:meta/"><dc:creator>{ID}</dc:creator></x:xmpmeta>'.encode()
    image.save(out, "JPEG", exif=exif(6, True), xmp=xmp, comment=f"备注 {ID}".encode(), quality=90)
    return out.getvalue()


def chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def photo_png(gps: bool = True) -> bytes:
    image = Image.new("RGB", (8, 4), (10, 120, 10))
    out = io.BytesIO()
    image.save(out, "PNG")
    data = out.getvalue()
    at = data.index(b"IDAT") - 4  # text and EXIF chunks before the image data
    extra = chunk(b"tEXt", b"Author\0" + ID.encode()) + chunk(b"eXIf", exif(6, gps)[6:])
    extra += chunk(b"tIME", b"\x07\xe9\x01\x06\x0a\x00\x00")
    return data[:at] + extra + data[at:]


def photo_gif() -> bytes:
    out = io.BytesIO()
    Image.new("P", (4, 4), 1).save(out, "GIF", comment=f"备注 {ID}".encode())
    return out.getvalue()


def photo_webp() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), (1, 2, 3)).save(out, "WEBP", lossless=True, exif=exif(6, True))
    return out.getvalue()


PICTURES = {"a.jpg": photo_jpeg(), "b.png": photo_png(), "c.gif": photo_gif(), "d.webp": photo_webp()}
PICTURES["e.png"] = photo_png(gps=False)
PICTURES["f.png"] = photo_jpeg()  # a JPEG saved under the name of a PNG


@pytest.fixture(scope="module")
def photos(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The published folder of a site whose item shows every picture, and the build's output."""
    body = "\n\n".join(f"![现场照片{n}]({name})" for n, name in enumerate(PICTURES))
    site = minimal_site() | {
        NEWS: item("新年第一次工作会议召开", "2025-01-06 10:00", body=body),
        **{f"{FOLDER}/{name}": data for name, data in PICTURES.items()},
    }
    root = tmp_path_factory.mktemp("photos")
    run = gsgen("build", write_site(root / "site", site), "--now", NOW, "-o", root / "out")
    assert run.code == 0, run.text
    return root / "out" / "gzdt" / "2025-01-06-e", run.out


@pytest.mark.parametrize("name", sorted(PICTURES))
def test_a_published_picture_keeps_no_metadata(photos: tuple[Path, str], name: str) -> None:
    data = (photos[0] / name).read_bytes()
    assert ID.encode() not in data and b"GPS" not in data
    assert b"tEXt" not in data and b"tIME" not in data and b"XMP" not in data
    with Image.open(io.BytesIO(data)) as published, Image.open(io.BytesIO(PICTURES[name])) as original:
        assert published.tobytes() == original.tobytes()  # not re-encoded: every pixel as it was
        tags = published.getexif()
        assert 0x8825 not in tags and 0x013B not in tags
        if name != "c.gif":
            assert tags.get(0x0112) == 6  # still turned upright


def test_a_jpeg_is_published_without_its_comment_and_xmp_but_with_its_colour_segments(photos: tuple[Path, str]) -> None:
    data = (photos[0] / "a.jpg").read_bytes()
    assert data.startswith(b"\xff\xd8\xff\xe0\x00\x10JFIF\0") and data.endswith(b"\xff\xd9")
    assert "备注".encode() not in data and b"xmpmeta" not in data


def test_a_warm_build_publishes_the_same_pictures(photos: tuple[Path, str], tmp_path: Path) -> None:
    site = photos[0].parents[2] / "site"
    assert gsgen("build", site, "--now", NOW, "-o", tmp_path / "again").code == 0
    for name in PICTURES:
        again = (tmp_path / "again" / "gzdt" / "2025-01-06-e" / name).read_bytes()
        assert again == (photos[0] / name).read_bytes() != PICTURES[name]


def test_a_gps_position_is_said_at_the_picture(photos: tuple[Path, str]) -> None:
    said = [line for line in photos[1].splitlines() if "warn[PRIVACY]" in line and "GPS" in line]
    assert {line.split(":", 1)[0] for line in said} == {f"{FOLDER}/{n}" for n in ("a.jpg", "b.png", "d.webp", "f.png")}


def test_stripping_is_deterministic_and_keeps_what_has_no_metadata() -> None:
    for name, data in PICTURES.items():
        ext = name.rsplit(".", 1)[1]
        once = pictures.stripped(data, ext).data
        assert pictures.stripped(once, ext).data == once  # a second pass changes nothing
    broken = pictures.stripped(b"\xff\xd8\xff\xe1\xff\xff", "jpg")
    assert broken.malformed and pictures.notice(broken)
