"""The text of a published file, piece by piece with its place: what PRIVACY, SECRECY and WORDS read
of attachments and data files (rules/published.py).

Attachments are untrusted input. Each is read by a well-kept reader (openpyxl, python-docx, pypdf;
OFD, the national format for official documents, OpenDocument and ZIP archives with zipfile and lxml;
RTF with a small tokenizer of its own, below) within limits: the file's size, the size it unzips to
(a zip bomb is refused before it is opened), the cells, pages and characters read. What a document
keeps besides its body is read too, as personal data hides there: properties (author, title, last
modified by), footnotes, endnotes, comments, cell comments, a PDF's document information, XMP,
annotations and form fields, the names of a ZIP's members. A file read only in part, or not at all
(encrypted, broken), says so in `FileText.unread`, for the rules to tell the editor what was not
checked; nothing here raises. Texts are kept by a hash of the file's bytes and the readers' version
(`FileTexts`, which the build cache stores as JSON), so a warm build reads no unchanged attachment again.

Pictures are not read here: their metadata is taken out when they are published (gate/pictures.py).
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import logging
import posixpath
import re
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from lxml import etree

from gsgen.gate.pictures import STRIPPERS, stripped

if TYPE_CHECKING:
    import pypdf

T = TypeVar("T")

MAX_FILE = 100 * 1024 * 1024  # bytes of a file read at all
MAX_UNZIPPED = 64 * 1024 * 1024  # bytes an xlsx or docx may unzip to
MAX_ZIP_ENTRIES = 10_000
MAX_CELLS = 200_000  # cells of a workbook or rows of a CSV file
MAX_PAGES = 500  # of a PDF
MAX_CHARS = 5_000_000  # of text from one file
MAX_SECONDS = 30  # reading one file: a pathological PDF can be slow within every other limit
READABLE = ("csv", "txt", "json", "xlsx", "docx", "pdf", "ofd", "zip", "odt", "ods", "odp", "rtf")
# Part of the key texts are cached by: raised whenever a reader reads more, or differently, so that a
# build cache made by an older gsgen is read again rather than trusted (cache.py keeps texts.json).
READER_VERSION = 2
# Formats published as they are whose text gsgen cannot read: each is reported as not checked, so a
# webmaster knows what to look through by hand (no well-kept pure-Python reader exists for them).
OPAQUE = {
    "doc": "旧版 Word 格式（.doc），可另存为 .docx 或 PDF",
    "wps": "WPS 文字格式（.wps），可另存为 .docx 或 PDF",
    "xls": "旧版 Excel 格式（.xls），可另存为 .xlsx",
    "et": "WPS 表格格式（.et），可另存为 .xlsx",
    "ppt": "演示文稿格式，可另存为 PDF",
    "pptx": "演示文稿格式，可另存为 PDF",
    "dps": "WPS 演示格式（.dps），可另存为 PDF",
    "avif": "AVIF 图片，其中的元数据（拍摄位置、作者等）发布时无法去除，可另存为 JPEG 或 PNG",
    "rar": "RAR 压缩包，可改用 ZIP",
    "7z": "7z 压缩包，可改用 ZIP",
}
MAX_ZIP_DEPTH = 2  # an archive inside an archive is read; one more level down is not
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an encrypted Office file, or the old binary format
# The parts of an Office file, an OFD or an ODF are untrusted XML: no entities, no DTD, no network, no
# huge trees (libxml2 then refuses a tree deeper than 256 elements, which bounds the readers' recursion).
SAFE_XML = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)


@dataclass(frozen=True)
class Piece:
    line: int  # the line of the file, for text files; 0 where the place says where it is
    place: str  # "第 4 行「身份证号」列", "工作表「Sheet1」第 7 行 C 列", "第 3 页", "第 12 段"…
    text: str


@dataclass
class FileText:
    pieces: list[Piece] = field(default_factory=list)
    unread: str | None = None  # why all of the file, or the rest of it, was not read


class Unreadable(Exception):
    """A file that cannot be read as what its name says; the message says why, in Chinese."""


def readable(rel: str) -> bool:
    return "." in rel and rel.rsplit(".", 1)[-1].lower() in READABLE


def has_text(rel: str) -> bool:
    """A file whose text PRIVACY, SECRECY and WORDS must see: read, or reported as not readable."""
    ext = rel.rsplit(".", 1)[-1].lower() if "." in rel else ""
    return ext in READABLE or ext in OPAQUE


class ByContent(dict[str, T]):
    """What was made of files, by a hash of how it is made (`version`), the file's kind and its bytes:
    the build cache keeps it, so a warm build reads no unchanged file again. `used`: the keys this
    build asked for, the only ones the cache keeps."""

    version = 0

    def made(self, data: bytes, ext: str, make: Callable[[bytes, str], T]) -> T:
        key = hashlib.sha256(f"{self.version}\0{ext}\0".encode() + data).hexdigest()
        found = self.get(key)
        if found is None:
            found = self[key] = make(data, ext)
        self.used.add(key)
        return found

    @property
    def used(self) -> set[str]:
        return self.__dict__.setdefault("_used", set())


class FileTexts(ByContent[FileText]):
    """Texts already read (extract)."""

    version = READER_VERSION

    def read(self, path: Path, ext: str) -> FileText:
        try:
            if path.stat().st_size > MAX_FILE:
                return FileText(unread=f"文件超过 {MAX_FILE // 1024 // 1024} MB")
            data = path.read_bytes()
        except OSError as exc:
            return FileText(unread=f"无法打开文件（{exc.strerror}）")
        return self.made(data, ext, extract)


def extract(data: bytes, ext: str) -> FileText:
    """The text of a file of type `ext`, as far as the limits allow; never raises."""
    if ext in OPAQUE:
        return FileText(unread=f"{OPAQUE[ext]}")
    out = _Out()
    try:
        READERS[ext](data, out)
    except _Full:
        pass
    except Unreadable as exc:
        return FileText(out.pieces, str(exc))
    except Exception as exc:  # a broken file may fail anywhere inside a reader: say so, never a traceback
        return FileText(out.pieces, f"文件已损坏或格式不符：{type(exc).__name__}")
    return FileText(out.pieces, out.unread)


class _Full(Exception):
    """A limit was reached: what was read so far is kept."""


class _Out:
    def __init__(self) -> None:
        self.pieces: list[Piece] = []
        self.chars = 0
        self.unread: str | None = None
        self.deadline = time.monotonic() + MAX_SECONDS

    def add(self, place: str, text: str, line: int = 0) -> None:
        text = text.strip()
        if not text:
            return
        self.chars += len(text)
        if self.chars > MAX_CHARS:
            self.stop(f"文字超过 {MAX_CHARS} 字")
        self.pieces.append(Piece(line, place, text))

    def in_time(self) -> None:
        if time.monotonic() > self.deadline:
            self.stop(f"读取超过 {MAX_SECONDS} 秒")

    def stop(self, why: str) -> None:
        self.unread = f"{why}，其余部分未检查"
        raise _Full

    def aside(self, what: str, read: Callable[..., None], *args: object) -> None:
        """Read a part besides the body (properties, notes, comments, annotations): one that is broken
        is said, and the rest of the file is read all the same."""
        try:
            read(*args)
        except (_Full, Unreadable):
            raise
        except Exception as exc:  # a broken part of an untrusted file, anywhere in a reader
            self.unread = self.unread or f"{what}已损坏，未能检查（{type(exc).__name__}）"


# ---------------------------------------------------------------- text files


def _decoded(data: bytes) -> str:
    """UTF-8 (with or without BOM), else GB 18030, as Excel and WPS save CSV files in China."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise Unreadable("文件不是 UTF-8 或 GBK 编码的文字")


def read_csv(data: bytes, out: _Out) -> None:
    """Cells with their line; the place names the data row and its column (the header's name)."""
    reader = csv.reader(io.StringIO(_decoded(data), newline=""))
    header: list[str] = []
    line = 1
    for n, row in enumerate(reader):
        if n >= MAX_CELLS:
            out.stop(f"只检查了前 {MAX_CELLS} 行")
        for c, cell in enumerate(row):
            if n == 0:
                out.add(f"表头第 {c + 1} 列", cell, line)
            else:
                name = header[c].strip() if c < len(header) else ""
                out.add(f"第 {n} 行「{name}」列" if name else f"第 {n} 行第 {c + 1} 列", cell, line)
        if n == 0:
            header = row
        line = reader.line_num + 1


def read_txt(data: bytes, out: _Out) -> None:
    for n, line in enumerate(_decoded(data).split("\n"), start=1):
        out.add("", line, n)


# ---------------------------------------------------------------- Office files (zip)


def _opened_zip(data: bytes, what: str = "Office 文件") -> None:
    """Refuse an xlsx/docx/ofd/zip that is not a zip, is encrypted, or would unzip to more than the
    limits: zipfile never unzips an entry beyond the size it declares, so the declared sizes bound the work."""
    if data.startswith(OLE_MAGIC):
        raise Unreadable("文件已加密，或是旧版 Office 格式，请另存为 .xlsx 或 .docx")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except zipfile.BadZipFile:
        raise Unreadable(f"不是有效的{what}，可能已损坏或扩展名不符") from None
    if len(entries) > MAX_ZIP_ENTRIES or sum(e.file_size for e in entries) > MAX_UNZIPPED:
        raise Unreadable(f"文件解压后超过 {MAX_UNZIPPED // 1024 // 1024} MB，可能是压缩炸弹")
    if any(e.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) for e in entries):
        raise Unreadable(f"文件使用了{what}不常用的压缩方式")
    if any(e.flag_bits & 0x1 for e in entries):
        raise Unreadable("文件已加密")


def _column_letter(n: int) -> str:
    letters = ""
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a phone number typed as a number reads 13812345678, not 13812345678.0
    return "" if value is None else str(value)


def read_xlsx(data: bytes, out: _Out) -> None:
    """Every sheet, hidden ones included (they are published with the file), cell by cell."""
    import openpyxl  # openpyxl reads .xlsx; imported here, as only sites with workbooks need it

    _opened_zip(data)
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    cells = 0
    try:
        for sheet in workbook.worksheets:
            for r, row in enumerate(sheet.iter_rows(values_only=True), start=1):
                for c, value in enumerate(row, start=1):
                    text = _cell_text(value)
                    if text:
                        cells += 1
                        if cells > MAX_CELLS:
                            out.stop(f"只检查了前 {MAX_CELLS} 个单元格")
                        if cells % 1000 == 0:
                            out.in_time()
                        out.add(f"工作表「{sheet.title}」第 {r} 行 {_column_letter(c)} 列", text)
    finally:
        workbook.close()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        out.aside("单元格批注", _xlsx_comments, archive, out)
        out.aside("文档属性", _office_properties, archive, out)


SHEET = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
DOC_RELS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def _xlsx_comments(archive: zipfile.ZipFile, out: _Out) -> None:
    """Cell comments (notes), which openpyxl's read-only mode skips, with their authors, sheet by sheet.
    Excel keeps a threaded comment's text in a note as well, so the notes hold every comment."""
    for part, title in _xlsx_sheets(archive).items():
        for target in _related(archive, part, "/comments"):
            root = _part(archive, target)
            if root is None:
                continue
            for author in root.iter(f"{SHEET}author"):
                out.add(f"工作表「{title}」批注作者", author.text or "")
            for comment in root.iter(f"{SHEET}comment"):
                text = "".join(t.text or "" for t in comment.iter(f"{SHEET}t"))
                out.add(f"工作表「{title}」{comment.get('ref', '')} 单元格批注", text)


def _xlsx_sheets(archive: zipfile.ZipFile) -> dict[str, str]:
    """Each sheet's part name and its title."""
    book = _part(archive, "xl/workbook.xml")
    targets = dict(_relations(archive, "xl/workbook.xml"))
    sheets = {}
    for sheet in [] if book is None else book.iter(f"{SHEET}sheet"):
        part = targets.get(sheet.get(f"{DOC_RELS}id") or "")
        if part:
            sheets[part] = sheet.get("name") or ""
    return sheets


def _relations(archive: zipfile.ZipFile, part: str) -> Iterator[tuple[str, str]]:
    """(id, part name) of each relationship of `part` to another part of the file (not to outside)."""
    folder, name = posixpath.split(part)
    rels = _part(archive, f"{folder}/_rels/{name}.rels")
    for rel in [] if rels is None else rels.iter(f"{RELS}Relationship"):
        target = rel.get("Target") or ""
        if rel.get("TargetMode") != "External" and target:
            resolved = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
            yield rel.get("Id") or "", posixpath.normpath(resolved)


def _related(archive: zipfile.ZipFile, part: str, kind: str) -> list[str]:
    folder, name = posixpath.split(part)
    rels = _part(archive, f"{folder}/_rels/{name}.rels")
    types = {r.get("Id"): r.get("Type") or "" for r in ([] if rels is None else rels.iter(f"{RELS}Relationship"))}
    return [target for rel, target in _relations(archive, part) if types.get(rel, "").endswith(kind)]


def read_docx(data: bytes, out: _Out) -> None:
    """Paragraphs, tables, text boxes, headers and footers (where 密级 marks often stand)."""
    import docx  # python-docx reads .docx
    from docx.oxml.ns import qn

    _opened_zip(data)
    document = docx.Document(io.BytesIO(data))
    for section in document.sections:
        headers = (
            (section.header, "页眉"),
            (section.first_page_header, "首页页眉"),
            (section.even_page_header, "偶数页页眉"),
        )
        for part, name in headers:
            if not part.is_linked_to_previous:  # one that is linked has no text of its own
                for paragraph in part.paragraphs:
                    out.add(name, paragraph.text)
    n = 0
    for paragraph in document.paragraphs:
        if paragraph.text.strip():
            n += 1
            out.add(f"第 {n} 段", paragraph.text)
    for t, table in enumerate(document.tables, start=1):
        for r, row in enumerate(table.rows, start=1):
            seen: set[int] = set()
            for cell in row.cells:
                if id(cell._tc) not in seen:  # a merged cell is listed once for each column it spans
                    seen.add(id(cell._tc))
                    out.add(f"表格 {t} 第 {r} 行", cell.text)
    for box in document.element.body.iter(qn("w:txbxContent")):
        out.add("文本框", "".join(node.text or "" for node in box.iter(qn("w:t"))))
    for section in document.sections:
        footers = (
            (section.footer, "页脚"),
            (section.first_page_footer, "首页页脚"),
            (section.even_page_footer, "偶数页页脚"),
        )
        for part, name in footers:
            if not part.is_linked_to_previous:
                for paragraph in part.paragraphs:
                    out.add(name, paragraph.text)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        out.aside("脚注、尾注或批注", _docx_notes, archive, out)
        out.aside("文档属性", _office_properties, archive, out)


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _paragraph_texts(node: etree._Element, ns: str) -> Iterator[str]:
    """The text of each paragraph (`p`) under `node`, its runs' text (`t`) joined."""
    for paragraph in node.iter(f"{ns}p"):
        yield "".join(t.text or "" for t in paragraph.iter(f"{ns}t"))


def _docx_notes(archive: zipfile.ZipFile, out: _Out) -> None:
    """Footnotes, endnotes and comments (with their authors): python-docx reads none of them."""
    for part, name in (("word/footnotes.xml", "脚注"), ("word/endnotes.xml", "尾注")):
        root = _part(archive, part)
        notes = [] if root is None else root.iter(f"{W}footnote", f"{W}endnote")
        # Word's separator lines are notes of their own, without a number in the text.
        for n, note in enumerate((n for n in notes if n.get(f"{W}type") in (None, "normal")), start=1):
            for text in _paragraph_texts(note, W):
                out.add(f"{name} {n}", text)
    root = _part(archive, "word/comments.xml")
    for n, comment in enumerate([] if root is None else root.iter(f"{W}comment"), start=1):
        out.add(f"批注 {n} 作者", comment.get(f"{W}author") or "")
        for text in _paragraph_texts(comment, W):
            out.add(f"批注 {n}", text)


def _part(archive: zipfile.ZipFile, name: str) -> etree._Element | None:
    """A part of an Office or ODF file as XML, or None when there is none."""
    try:
        data = archive.read(name)
    except KeyError:
        return None
    return etree.fromstring(data, SAFE_XML)


# The properties a document keeps of who wrote it and what it is, named as Word and WPS show them.
PROPERTY_NAMES = {
    "title": "标题",
    "subject": "主题",
    "creator": "作者",
    "initial-creator": "作者",
    "keywords": "关键词",
    "keyword": "关键词",
    "description": "备注",
    "lastModifiedBy": "最后修改者",
    "printed-by": "打印者",
    "category": "类别",
    "contentStatus": "状态",
    "identifier": "标识",
    "Company": "单位",
    "Manager": "经理",
    "HyperlinkBase": "超链接基础",
}


def _office_properties(archive: zipfile.ZipFile, out: _Out) -> None:
    """docProps: core (author, title, last modified by…), app (company, manager) and custom properties."""
    for part in ("docProps/core.xml", "docProps/app.xml"):
        root = _part(archive, part)
        for node in [] if root is None else root:
            name = _local(node.tag)
            if name in PROPERTY_NAMES and len(node) == 0:
                out.add(f"文档属性 {PROPERTY_NAMES[name]}", node.text or "")
    root = _part(archive, "docProps/custom.xml")
    for node in [] if root is None else root:
        out.add(f"文档属性 {node.get('name') or '自定义'}", "".join(node.itertext()))


def read_pdf(data: bytes, out: _Out) -> None:
    """Text page by page, line by line; an encrypted PDF is read if it opens without a password."""
    import pypdf  # pypdf reads PDF text; its own limits bound what a stream may inflate to

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its notes on odd files would fill the build log
    reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted:
        try:
            opened = reader.decrypt("")
        except Exception:  # pypdf needs the cryptography package for AES: unreadable here all the same
            opened = 0
        if not opened:
            raise Unreadable("PDF 文件已加密，需要密码才能打开")
    for p, page in enumerate(reader.pages, start=1):
        if p > MAX_PAGES:
            out.stop(f"只检查了前 {MAX_PAGES} 页")
        out.in_time()
        for line in (page.extract_text() or "").split("\n"):
            out.add(f"第 {p} 页", line)
        out.aside("PDF 批注", _pdf_annotations, page, p, out)
    # After the pages: the first lines read are a document's head, where SECRECY looks for a mark.
    out.aside("PDF 表单域", _pdf_fields, reader, out)
    out.aside("PDF 文档信息", _pdf_information, reader, out)


# The document information a PDF keeps besides dates and its maker's name and version.
PDF_DATES = {"/CreationDate", "/ModDate", "/Trapped"}
XMP_NOT_TEXT = ("ID", "Date")  # DocumentID, InstanceID (UUIDs), CreateDate, ModifyDate…
# What an annotation says (a comment, a note, a stamp) and who wrote it. A form field's widget is an
# annotation too: its value is read with the form's fields, by their names.
PDF_ANNOTATION = {"/Contents": "批注", "/T": "批注作者", "/Subj": "批注主题"}


def _pdf_text(value: object) -> str:
    return "" if value is None else str(value)


def _pdf_fields(reader: pypdf.PdfReader, out: _Out) -> None:
    for name, value in (reader.get_fields() or {}).items():
        out.add(f"表单域「{name}」", _pdf_text(value.get("/V")))


def _pdf_information(reader: pypdf.PdfReader, out: _Out) -> None:
    """The /Info dictionary (Author, Title, Subject, Keywords…) and the XMP metadata stream."""
    for key, value in (reader.metadata or {}).items():
        if key not in PDF_DATES:
            out.add(f"PDF 文档信息 {key.lstrip('/')}", _pdf_text(value))
    stream = reader.root_object.get("/Metadata")
    if stream is not None:
        root = etree.fromstring(stream.get_object().get_data(), SAFE_XML)
        for node in root.iter():
            name = _local(node.tag)
            if name and len(node) == 0 and not name.endswith(XMP_NOT_TEXT):
                out.add(f"PDF XMP 元数据 {name}", node.text or "")


def _pdf_annotations(page: pypdf.PageObject, p: int, out: _Out) -> None:
    annotations = page.get("/Annots")
    for annotation in annotations.get_object() if annotations is not None else ():
        annotation = annotation.get_object()
        if hasattr(annotation, "get") and annotation.get("/Subtype") != "/Widget":
            for key, name in PDF_ANNOTATION.items():
                out.add(f"第 {p} 页{name}", _pdf_text(annotation.get(key)))


# ---------------------------------------------------------------- OFD and ZIP


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _page_number(name: str) -> int:
    digits = "".join(ch for ch in name.rsplit("Page_", 1)[-1].split("/", 1)[0] if ch.isdigit())
    return int(digits) if digits else 0


def read_ofd(data: bytes, out: _Out) -> None:
    """OFD (GB/T 33190, 版式文档): each page's Content.xml holds text objects with their position;
    the objects of one baseline are joined left to right into a line, so a number split across
    objects reads whole."""
    _opened_zip(data, "OFD 文件")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        pages = [n for n in archive.namelist() if "/Pages/Page_" in n and n.endswith("/Content.xml")]
        for p, name in enumerate(sorted(pages, key=lambda n: (n.split("/Pages/")[0], _page_number(n))), start=1):
            if p > MAX_PAGES:
                out.stop(f"只检查了前 {MAX_PAGES} 页")
            out.in_time()
            lines: dict[float, list[tuple[float, str]]] = {}
            for node in etree.fromstring(archive.read(name), SAFE_XML).iter():
                if _local(node.tag) != "TextObject":
                    continue
                box = (node.get("Boundary") or "0 0").split()
                text = "".join(code.text or "" for code in node.iter() if _local(code.tag) == "TextCode")
                y, x = round(float(box[1]), 1), float(box[0])
                lines.setdefault(y, []).append((x, text))
            for y in sorted(lines):
                out.add(f"第 {p} 页", "".join(text for _x, text in sorted(lines[y])))


def _entry_name(entry: zipfile.ZipInfo) -> str:
    """A member's name as its maker wrote it: archives made on Chinese Windows name files in GBK
    without saying so, which zipfile reads as code page 437."""
    if entry.flag_bits & 0x800:
        return entry.filename
    try:
        return entry.filename.encode("cp437").decode("gb18030")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return entry.filename


def read_zip(data: bytes, out: _Out, depth: int = 1) -> None:
    """Every member whose text can be read, as if attached on its own; what cannot be read is said."""
    _opened_zip(data, "ZIP 压缩包")
    unread = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for entry in archive.infolist():
            name = _entry_name(entry)
            out.add("压缩包内文件名", name)
            ext = name.rsplit(".", 1)[-1].lower() if "." in name.rsplit("/", 1)[-1] else ""
            if ext in STRIPPERS and stripped(archive.read(entry), ext).position:  # published as it is, unlike a picture
                unread.append(f"{name}（照片含有拍摄地点（GPS 定位），压缩包内的图片原样发布，请去除后重新打包）")
                continue
            if entry.is_dir() or not (ext in READERS or ext in OPAQUE):
                continue
            if ext in OPAQUE or (ext == "zip" and depth >= MAX_ZIP_DEPTH):
                unread.append(f"{name}（{OPAQUE.get(ext, '压缩包套得太深')}）")
                continue
            inner = _Out()
            inner.deadline, inner.chars = out.deadline, out.chars
            try:
                if ext == "zip":
                    read_zip(archive.read(entry), inner, depth + 1)
                else:
                    READERS[ext](archive.read(entry), inner)
            except _Full:
                pass
            except Unreadable as exc:
                unread.append(f"{name}（{exc}）")
            except Exception as exc:  # a broken member, as a broken attachment: said, never a traceback
                unread.append(f"{name}（已损坏：{type(exc).__name__}）")
            for piece in inner.pieces:
                out.add(
                    f"压缩包内 {name}：{piece.place}" if piece.place else f"压缩包内 {name} 第 {piece.line} 行",
                    piece.text,
                )
            if inner.unread:
                unread.append(f"{name}（{inner.unread}）")
    if unread:
        out.unread = "压缩包内未能检查：" + "；".join(unread)


# ---------------------------------------------------------------- OpenDocument (ODF)

ODF_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
ODF_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
ODF_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
ODF_STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
ODF_DRAW = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}"
ODF_META = "{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}"
DC = "{http://purl.org/dc/elements/1.1/}"
ODF_PARAGRAPHS = (f"{ODF_TEXT}p", f"{ODF_TEXT}h")
ODF_HEADERS = {f"{ODF_STYLE}{n}": "页眉" for n in ("header", "header-left", "header-first")}
ODF_HEADERS |= {f"{ODF_STYLE}{n}": "页脚" for n in ("footer", "footer-left", "footer-first")}
ODF_REPEAT_LIMIT = 1_048_576  # rows or columns one element may stand for (a sheet's size in LibreOffice)


def read_odf(data: bytes, out: _Out) -> None:
    """OpenDocument text, spreadsheets and presentations (LibreOffice, and WPS when asked): paragraphs,
    tables and sheets cell by cell, footnotes, comments, slides, headers and footers, and properties."""
    _opened_zip(data, "OpenDocument 文件")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        manifest = archive.read("META-INF/manifest.xml") if "META-INF/manifest.xml" in archive.namelist() else b""
        if b"encryption-data" in manifest:
            raise Unreadable("文件已加密")
        content = _part(archive, "content.xml")
        if content is None:
            raise Unreadable("不是有效的 OpenDocument 文件，可能已损坏或扩展名不符")
        walker = _OdfWalker(out, sheets=content.find(f"{ODF_OFFICE}body/{ODF_OFFICE}spreadsheet") is not None)
        walker.walk(content, None)
        out.aside("页眉页脚", _odf_headers, archive, walker)
        out.aside("文档属性", _odf_properties, archive, out)


def _odf_headers(archive: zipfile.ZipFile, walker: _OdfWalker) -> None:
    styles = _part(archive, "styles.xml")
    for node in [] if styles is None else styles.iter(*ODF_HEADERS):
        walker.walk(node, ODF_HEADERS[node.tag])


def _odf_properties(archive: zipfile.ZipFile, out: _Out) -> None:
    meta = _part(archive, "meta.xml")
    for node in [] if meta is None else meta.iter(f"{DC}*", f"{ODF_META}*"):
        name = _local(node.tag)
        if name == "user-defined":
            out.add(f"文档属性 {node.get(f'{ODF_META}name') or '自定义'}", node.text or "")
        elif name in PROPERTY_NAMES:
            out.add(f"文档属性 {PROPERTY_NAMES[name]}", node.text or "")


class _OdfWalker:
    """Text of an ODF tree with its place: a footnote, a comment, a slide or a cell is said as such."""

    def __init__(self, out: _Out, sheets: bool) -> None:
        self.out = out
        self.sheets = sheets  # a spreadsheet's tables are its sheets
        self.counts: dict[str, int] = {}

    def count(self, kind: str) -> int:
        self.counts[kind] = self.counts.get(kind, 0) + 1
        return self.counts[kind]

    def walk(self, node: etree._Element, place: str | None) -> None:
        for child in node:
            tag = child.tag
            if tag == f"{ODF_TABLE}table":
                self.table(child)
            elif tag == f"{ODF_TEXT}note":
                kind = "尾注" if child.get(f"{ODF_TEXT}note-class") == "endnote" else "脚注"
                self.walk(child, f"{kind} {self.count(kind)}")
            elif tag == f"{ODF_OFFICE}annotation":
                self.annotation(child, f"批注 {self.count('批注')}")
            elif tag == f"{ODF_DRAW}page":
                self.walk(child, f"幻灯片 {self.count('幻灯片')}")
            elif tag in ODF_PARAGRAPHS:
                text = _odf_text(child)
                if text.strip():
                    self.out.add(place or f"第 {self.count('段')} 段", text)
                self.walk(child, place)  # for the notes and comments inside it
            elif isinstance(tag, str):
                self.walk(child, place)

    def annotation(self, node: etree._Element, place: str) -> None:
        for author in node.iter(f"{DC}creator"):
            self.out.add(f"{place} 作者", author.text or "")
        self.walk(node, place)

    def table(self, table: etree._Element) -> None:
        name = table.get(f"{ODF_TABLE}name") or str(self.count("表格"))
        row = 0
        for tr in table.iter(f"{ODF_TABLE}table-row"):
            row += 1
            self.out.in_time()
            column = 0
            for cell in tr:
                column += 1
                where = f"{'工作表' if self.sheets else '表格'}「{name}」第 {row} 行 {_column_letter(column)} 列"
                for note in cell.iter(f"{ODF_OFFICE}annotation"):
                    self.annotation(note, f"{where}单元格批注")
                for paragraph in cell.iter(*ODF_PARAGRAPHS):
                    if not any(a.tag == f"{ODF_OFFICE}annotation" for a in paragraph.iterancestors()):
                        self.out.add(where, _odf_text(paragraph))
                column += _repeat(cell, "number-columns-repeated") - 1
            row += _repeat(tr, "number-rows-repeated") - 1


def _repeat(node: etree._Element, attribute: str) -> int:
    try:
        return min(max(int(node.get(f"{ODF_TABLE}{attribute}") or 1), 1), ODF_REPEAT_LIMIT)
    except ValueError:
        return 1


def _odf_text(node: etree._Element) -> str:
    """A paragraph's text as shown: spaces and tabs as spaces, without the notes and comments in it."""
    parts = [node.text or ""]
    for child in node:
        if child.tag in (f"{ODF_TEXT}s", f"{ODF_TEXT}tab", f"{ODF_TEXT}line-break"):
            parts.append(" ")
        elif child.tag not in (f"{ODF_TEXT}note", f"{ODF_OFFICE}annotation") and isinstance(child.tag, str):
            parts.append(_odf_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


# ---------------------------------------------------------------- RTF

# An RTF file is a stream of control words, groups and text; one token at a time, by one regular
# expression without backtracking. striprtf (PyPI) was not taken: it drops footnotes, comments, headers,
# footers and the document information by design, the places this reader is for, and its hyperlink
# expression backtracks over a file written on one line.
RTF_TOKEN = re.compile(
    rb"\\([a-zA-Z]{1,32})(-?\d{1,10})? ?|\\'([0-9a-fA-F]{2})|\\(.)|([{}])|[\r\n]+|([^\\{}\r\n]+)", re.S
)
# Groups whose text is not shown (fonts, colours, styles, pictures, objects, field codes…): skipped.
RTF_SKIPPED = frozenset(
    [
        "fonttbl",
        "colortbl",
        "stylesheet",
        "listtable",
        "listoverridetable",
        "rsidtbl",
        "revtbl",
        "filetbl",
        "pgptbl",
        "protusertbl",
        "latentstyles",
        "themedata",
        "colorschememapping",
        "datastore",
        "xmlnstbl",
        "generator",
        "pict",
        "shppict",
        "nonshppict",
        "object",
        "objdata",
        "objclass",
        "objname",
        "fldinst",
        "shpinst",
        "sp",
        "picprop",
        "blipuid",
        "bkmkstart",
        "bkmkend",
        "listpicture",
        "mmathPict",
        "wgrffmtfilter",
        "creatim",
        "revtim",
        "printim",
        "buptim",
        "atndate",
        "atnref",
        "atntime",
        "atnicn",
        "atrfstart",
        "atrfend",
        "xmlopen",
        "xmlattrname",
        "pn",
        "pntext",
        "pntxta",
        "pntxtb",
        "falt",
        "panose",
        "fontemb",
        "fontfile",
        "leveltext",
        "levelnumbers",
    ]
)
# Groups that are places of their own.
RTF_PLACES = {
    "footnote": "脚注",
    "annotation": "批注",
    "atnauthor": "批注作者",
    "atnid": "批注作者",
    "header": "页眉",
    "headerl": "页眉",
    "headerr": "页眉",
    "headerf": "首页页眉",
    "footer": "页脚",
    "footerl": "页脚",
    "footerr": "页脚",
    "footerf": "首页页脚",
    "title": "文档属性 标题",
    "subject": "文档属性 主题",
    "author": "文档属性 作者",
    "operator": "文档属性 最后修改者",
    "manager": "文档属性 经理",
    "company": "文档属性 单位",
    "keywords": "文档属性 关键词",
    "comment": "文档属性 备注",
    "doccomm": "文档属性 备注",
    "category": "文档属性 类别",
    "docvar": "文档属性 文档变量",
    "userprops": "文档属性 自定义",
}
RTF_DEPTH = 1000  # groups inside groups: Word writes a few dozen; each costs memory here
RTF_BREAKS = frozenset({"par", "line", "cell", "row", "sect", "page", "tab"})


def read_rtf(data: bytes, out: _Out) -> None:
    if not data.lstrip().startswith(b"{\\rtf"):
        raise Unreadable("不是有效的 RTF 文件，可能已损坏或扩展名不符")
    _RtfReader(data, out).read()


class _RtfReader:
    """Text by paragraph, with the place of the group it is in: a footnote, a comment, a property."""

    def __init__(self, data: bytes, out: _Out) -> None:
        self.data, self.out = data, out
        self.encoding = "cp1252"
        # The state of the group being read, saved at each `{` and given back at its `}`.
        self.place: str | None = None  # None: the body
        self.skip = False  # in a group whose text is not shown
        self.ucskip = 1  # fallback characters that follow each \uN
        self.text: list[str] = []  # the paragraph being read, in this group's place
        self.stack: list[tuple[str | None, bool, int, list[str]]] = []
        self.raw = bytearray()  # bytes not yet decoded: two \'hh make one GBK character
        self.pending_skip = 0  # fallback characters after a \uN still to skip
        self.starred = False  # the group began with \*: a destination to skip unless known
        self.counts: dict[str, int] = {}
        self.properties: list[tuple[str, str]] = []  # the document information, read before the body

    def read(self) -> None:
        try:
            self.tokens()
        finally:  # the document information, after the body, whose first lines are its head (SECRECY)
            self.out.pieces += [Piece(0, place, text.strip()) for place, text in self.properties]

    def tokens(self) -> None:
        pos, tokens = 0, 0
        while pos < len(self.data):
            match = RTF_TOKEN.match(self.data, pos)
            if match is None:  # a lone backslash at the end
                break
            pos = match.end()
            tokens += 1
            if tokens % 4096 == 0:
                self.out.in_time()
            word, arg, hexed, symbol, brace, text = match.groups()
            if word is not None:
                pos = self.control(word.decode(), arg, pos)
            elif hexed is not None:
                self.byte(int(hexed, 16))
            elif symbol is not None:
                self.symbol(symbol)
            elif brace is not None:
                self.group(brace == b"{")
            elif text is not None:
                self.plain(text)
        while self.stack:  # an unclosed group: what it held is read all the same
            self.group(False)
        self.flush()

    def byte(self, value: int) -> None:
        if self.pending_skip:
            self.pending_skip -= 1
        elif not self.skip:
            self.raw.append(value)

    def plain(self, text: bytes) -> None:
        if self.pending_skip:
            skipped = min(self.pending_skip, len(text))
            text, self.pending_skip = text[skipped:], self.pending_skip - skipped
        if not self.skip:
            self.raw += text

    def decode(self) -> None:
        if self.raw:
            self.text.append(self.raw.decode(self.encoding, errors="replace"))
            self.raw.clear()

    def flush(self) -> None:
        self.decode()
        text = "".join(self.text)
        self.text.clear()
        if not text.strip():
            return
        if self.place and self.place.startswith("文档属性"):
            self.properties.append((self.place, text))
            self.out.chars += len(text)  # counted now, added after the body
            if self.out.chars > MAX_CHARS:
                self.out.stop(f"文字超过 {MAX_CHARS} 字")
        else:
            self.out.add(self.place or f"第 {self.count('段')} 段", text)

    def count(self, kind: str) -> int:
        self.counts[kind] = self.counts.get(kind, 0) + 1
        return self.counts[kind]

    def group(self, opens: bool) -> None:
        self.pending_skip = 0
        self.decode()
        if opens:
            if len(self.stack) >= RTF_DEPTH:
                self.out.stop(f"分组嵌套超过 {RTF_DEPTH} 层")
            self.stack.append((self.place, self.skip, self.ucskip, self.text))
            self.starred = False
        elif self.stack:
            if self.stack[-1][3] is not self.text:
                self.flush()  # a footnote, comment or property ends with its group
            self.place, self.skip, self.ucskip, self.text = self.stack.pop()

    def symbol(self, symbol: bytes) -> None:
        if symbol == b"*":
            self.starred = True
        elif self.skip:
            return
        elif symbol in (b"\\", b"{", b"}"):
            self.raw += symbol
        elif symbol == b"~":  # a no-break space
            self.raw += b" "
        elif symbol in (b"\n", b"\r"):  # a backslash before a line break is a paragraph mark
            self.flush()

    def control(self, word: str, arg: bytes | None, pos: int) -> int:
        if word == "bin":  # raw bytes follow: skipped whole
            return pos + max(int(arg or 0), 0)
        if word == "ansicpg" and arg:
            self.encoding = _codec(f"cp{int(arg)}", self.encoding)
        elif word in RTF_SKIPPED:
            self.skip = True
        elif word in RTF_PLACES:
            self.decode()
            name = RTF_PLACES[word]
            self.place = f"{name} {self.count(name)}" if word in ("footnote", "annotation") else name
            self.text = []  # the paragraph around a footnote's mark goes on after the footnote
        elif self.starred:  # an optional destination this reader does not know: its text is not shown
            self.skip = True
        elif word == "uc" and arg:
            self.ucskip = max(int(arg), 0)
        elif word == "u" and arg:
            if not self.skip:
                self.decode()
                code = int(arg) % 0x10000
                self.text.append("\ufffd" if 0xD800 <= code < 0xE000 else chr(code))
            self.pending_skip = self.ucskip
        elif word in RTF_BREAKS and not self.skip:
            if word == "tab":
                self.raw += b" "
            else:
                self.flush()
        self.starred = False
        return pos


def _codec(name: str, default: str) -> str:
    try:
        codecs.lookup(name)
    except LookupError:
        return default
    return name


READERS: dict[str, Callable[[bytes, _Out], None]] = {
    "csv": read_csv,
    "txt": read_txt,
    "json": read_txt,
    "xlsx": read_xlsx,
    "docx": read_docx,
    "pdf": read_pdf,
    "ofd": read_ofd,
    "zip": read_zip,
    "odt": read_odf,
    "ods": read_odf,
    "odp": read_odf,
    "rtf": read_rtf,
}
