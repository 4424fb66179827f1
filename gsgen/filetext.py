"""The text of a published file, piece by piece with its place: what PRIVACY, SECRECY and WORDS read
of attachments and data files (rules/published.py).

Attachments are untrusted input. Each is read by a well-kept reader (openpyxl, python-docx, pypdf;
OFD, the national format for official documents, and ZIP archives with zipfile and lxml) within limits: the file's size, the size it unzips to (a zip bomb is refused before it is opened),
the cells, pages and characters read. A file read only in part, or not at all (encrypted, broken),
says so in `FileText.unread`, for the rules to tell the editor what was not checked; nothing here
raises. Texts are kept by a hash of the file's bytes (`FileTexts`, which the build cache stores as
JSON), so a warm build reads no unchanged attachment again.
"""

from __future__ import annotations

import csv
import hashlib
import io
import logging
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

MAX_FILE = 100 * 1024 * 1024  # bytes of a file read at all
MAX_UNZIPPED = 64 * 1024 * 1024  # bytes an xlsx or docx may unzip to
MAX_ZIP_ENTRIES = 10_000
MAX_CELLS = 200_000  # cells of a workbook or rows of a CSV file
MAX_PAGES = 500  # of a PDF
MAX_CHARS = 5_000_000  # of text from one file
MAX_SECONDS = 30  # reading one file: a pathological PDF can be slow within every other limit
READABLE = ("csv", "txt", "json", "xlsx", "docx", "pdf", "ofd", "zip")
# Formats published as they are whose text gsgen cannot read: each is reported as not checked, so a
# webmaster knows what to look through by hand (no well-kept pure-Python reader exists for them).
OPAQUE = {
    "doc": "旧版 Word 格式（.doc），可另存为 .docx 或 PDF",
    "wps": "WPS 文字格式（.wps），可另存为 .docx 或 PDF",
    "xls": "旧版 Excel 格式（.xls），可另存为 .xlsx",
    "et": "WPS 表格格式（.et），可另存为 .xlsx",
    "ppt": "演示文稿格式，可另存为 PDF",
    "pptx": "演示文稿格式，可另存为 PDF",
    "rar": "RAR 压缩包，可改用 ZIP",
    "7z": "7z 压缩包，可改用 ZIP",
}
MAX_ZIP_DEPTH = 2  # an archive inside an archive is read; one more level down is not
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an encrypted Office file, or the old binary format


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


class FileTexts(dict):
    """Texts already read, by a hash of the file's kind and bytes (the build cache keeps them)."""

    def read(self, path: Path, ext: str) -> FileText:
        try:
            if path.stat().st_size > MAX_FILE:
                return FileText(unread=f"文件超过 {MAX_FILE // 1024 // 1024} MB")
            data = path.read_bytes()
        except OSError as exc:
            return FileText(unread=f"无法打开文件（{exc.strerror}）")
        key = hashlib.sha256(ext.encode() + b"\0" + data).hexdigest()
        found = self.get(key)
        if found is None:
            found = self[key] = extract(data, ext)
        self.used.add(key)
        return found

    @property
    def used(self) -> set[str]:
        return self.__dict__.setdefault("_used", set())


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


def read_docx(data: bytes, out: _Out) -> None:
    """Paragraphs, tables, text boxes, headers and footers (where 密级 marks often stand)."""
    import docx  # python-docx reads .docx
    from docx.oxml.ns import qn

    _opened_zip(data)
    document = docx.Document(io.BytesIO(data))
    for section in document.sections:
        for part, name in ((section.header, "页眉"), (section.first_page_header, "首页页眉")):
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
        for part, name in ((section.footer, "页脚"), (section.first_page_footer, "首页页脚")):
            if not part.is_linked_to_previous:
                for paragraph in part.paragraphs:
                    out.add(name, paragraph.text)


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


# ---------------------------------------------------------------- OFD and ZIP

# An OFD is untrusted XML: no entities, no DTD, no network, no huge trees.
SAFE_XML = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)


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
            ext = name.rsplit(".", 1)[-1].lower() if "." in name.rsplit("/", 1)[-1] else ""
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


READERS: dict[str, Callable[[bytes, _Out], None]] = {
    "csv": read_csv,
    "txt": read_txt,
    "json": read_txt,
    "xlsx": read_xlsx,
    "docx": read_docx,
    "pdf": read_pdf,
    "ofd": read_ofd,
    "zip": read_zip,
}
