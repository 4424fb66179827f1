"""Active content inside the files content/ publishes: attachments, data files, pictures.

A file a portal offers for download is opened on visitors' computers, where a script, a macro or a
program in it runs with their rights (挂马). Each file is read by format, as its own software would
read it, and what would run, reach out or unpack itself when it is opened is named:

- every file: its first bytes against its name (a ".jpg" that is a page, a program or an SVG);
- PDF (pypdf's object model): JavaScript, Launch, embedded files, actions run on opening that go to a
  non-government host, XFA forms, rich media, form submission and remote go-to actions;
- OOXML (.docx .xlsx .pptx): macros, ActiveX, embedded OLE objects, relationships to outside targets
  (remote templates, frames, linked objects), DDE and remote INCLUDE fields, Excel 4.0 macro sheets,
  formulas that call outside (WEBSERVICE, DDE `cmd|'…'!A0`, RTD, CALL, HYPERLINK to a foreign host),
  links to other workbooks and data connections;
- OLE (.doc .xls .ppt .wps .et .dps, olefile): macro storages and embedded objects;
- RTF: embedded objects and DDE fields; ODF: Basic macros and scripts bound to events;
- ZIP (and OFD, a ZIP of XML): members that are programs or scripts, by name and by their first
  bytes; names with control or bidirectional characters, or that climb out of the folder they are
  unpacked into; archives and documents inside, checked the same, to a bounded depth.

The file is untrusted: it is read within filetext's limits (its size, what it unzips to, the time one
file may take); what cannot be read — encrypted, broken, beyond a limit — is said to be unchecked, and
nothing here raises. Verdicts are kept by a hash of the file's bytes (`Verdicts`, which the build
cache stores as JSON), so a warm build reads no unchanged file again.
"""

from __future__ import annotations

import io
import logging
import posixpath
import re
import time
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from gsgen.filetext import (
    MAX_FILE,
    MAX_SECONDS,
    MAX_UNZIPPED,
    MAX_ZIP_DEPTH,
    MAX_ZIP_ENTRIES,
    SAFE_XML,
    ByContent,
    _entry_name,
)
from gsgen.gate.files import MARKUP_STARTS, PROGRAM_STARTS, RASTER, RUNNABLE, SIGNATURES, TEXT_TYPES, suffix
from gsgen.gate.urls import is_government, target

VERSION = 2  # of the checks: part of each verdict's key, so a change to them checks every file again
MAX_OBJECTS = 200_000  # PDF objects visited in one file
HEAD = 1024  # bytes read of a file only its start is checked of (pictures, audio, video, text)
OOXML = {"docx", "xlsx", "pptx"}
OLE = {"doc", "xls", "ppt", "wps", "et", "dps"}
ODF = {"odt", "ods", "odp"}
ARCHIVES = {"zip", "ofd"}
OPAQUE_ARCHIVES = {"rar": "RAR 压缩包，可改用 ZIP", "7z": "7z 压缩包，可改用 ZIP"}
DEEP = OOXML | OLE | ODF | ARCHIVES | {"pdf", "rtf"}  # read whole; the others only by their first bytes

FIXES = {
    "pdf": "请用「打印为 PDF」或「另存为 PDF」重新生成文件（这样生成的 PDF 不带脚本、动作和内嵌文件）后再上传",
    "office": (
        "请在 Office 或 WPS 中删除宏、外部链接、域代码和嵌入对象后另存为 .docx/.xlsx/.pptx，或转换为 PDF 后再上传"
    ),
    "zip": "请从压缩包中删去程序、脚本和网页文件，改正文件名后重新打包；程序不能作为政府网站的附件发布",
    "type": "文件内容与扩展名不符：请用原来的软件另存为扩展名所说的格式（网页、程序不能发布）",
}


@dataclass(frozen=True)
class Verdict:
    found: tuple[str, ...] = ()  # what would run or reach out when the file is opened, in Chinese
    unchecked: str | None = None  # why all of the file, or the rest of it, was not checked
    fix: str = ""  # a key of FIXES: how to make the file publishable


def inspect(data: bytes, ext: str) -> Verdict:
    """What in a file of type `ext` would run or reach out when it is opened; never raises."""
    out = _Out()
    mismatch = type_problem(data, ext)
    if mismatch:
        return Verdict((mismatch,), None, "type")
    if ext in OPAQUE_ARCHIVES:
        return Verdict((), OPAQUE_ARCHIVES[ext], "zip")
    checker = CHECKERS.get(ext)
    try:
        if checker:
            checker(data, out, 1)
    except _Stop:
        pass
    except Exception as exc:  # a broken file may fail anywhere in a reader: said, never a traceback
        out.unchecked = out.unchecked or f"文件已损坏或格式不符（{type(exc).__name__}）"
    return Verdict(tuple(dict.fromkeys(out.found)), out.unchecked, _fix(ext))


def _fix(ext: str) -> str:
    if ext == "pdf":
        return "pdf"
    return "zip" if ext in ARCHIVES else "office"


def type_problem(data: bytes, ext: str) -> str | None:
    """Why the file's first bytes are not a file of type `ext`, or None."""
    head = data[:HEAD]
    program = _program(head)
    if program:
        return f"文件实际上是{program}"
    if ext in SIGNATURES:
        if _starts(head, SIGNATURES[ext]):
            return None
        if ext in OOXML and head.startswith(SIGNATURES["doc"][0][1]):
            return None  # an encrypted Office file: said to be unchecked by its checker
        if ext in RASTER and any(_starts(head, SIGNATURES[other]) for other in RASTER):
            return None  # a JPEG named .png: browsers show a picture by its bytes, and nothing in it runs
        markup = _markup(head)
        return f"文件实际上是{markup}，不是 .{ext} 文件" if markup else f"文件的内容不是 .{ext} 格式"
    if ext in TEXT_TYPES:
        markup = _markup(head)
        return f"文件实际上是{markup}，不是 .{ext} 文件" if markup else None
    return None


def _starts(head: bytes, signatures: tuple[tuple[int, bytes], ...]) -> bool:
    return any(head[at : at + len(magic)] == magic for at, magic in signatures)


def _program(head: bytes) -> str | None:
    what = next((what for magic, what in PROGRAM_STARTS.items() if head.startswith(magic)), None)
    if what and head.startswith(b"MZ") and b"\0" not in head[2:64]:
        return None  # text that begins with "MZ": a program's header holds zero bytes, text none
    if what and head.startswith(b"#!") and not head.startswith((b"#!/", b"#! /")):
        return None  # text that begins with "#!": a script names its interpreter's path
    return what


def _markup(head: bytes) -> str | None:
    """ "网页" or "SVG 图片" for bytes that begin as a browser would render them, else None."""
    text = head.lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n").replace(b"\x00", b"")[:64].lower()
    start = text.decode("latin-1")
    if any(start.startswith(m) for m in MARKUP_STARTS):
        return "SVG 图片" if start.startswith("<svg") else "网页"
    return None


class _Stop(Exception):
    """A limit was reached: what was found so far is kept."""


class _Out:
    def __init__(self) -> None:
        self.found: list[str] = []
        self.unchecked: str | None = None
        self.deadline = time.monotonic() + MAX_SECONDS

    def add(self, what: str) -> None:
        self.found.append(what)

    def skip(self, why: str) -> None:
        """Part of the file not checked; the rest goes on."""
        self.unchecked = f"{self.unchecked}；{why}" if self.unchecked else why

    def in_time(self) -> None:
        if time.monotonic() > self.deadline:
            self.stop(f"检查超过 {MAX_SECONDS} 秒，其余部分未检查")

    def stop(self, why: str) -> None:
        self.skip(why)
        raise _Stop


def shown(name: str) -> str:
    """A name as it may be printed: control and bidirectional characters written as \\u escapes, so
    that `通知\\u202efdp.exe` reads as what it is, in the build log as on screen."""
    return "".join(f"\\u{ord(c):04x}" if unicodedata.category(c) in ("Cc", "Cf") else c for c in name)


# ---------------------------------------------------------------- PDF

# Actions that leave the document: to a program, another file, a server.
PDF_ACTIONS = {
    "/Launch": "启动程序的动作（/Launch）",
    "/SubmitForm": "向外部提交表单的动作（/SubmitForm）",
    "/ImportData": "导入外部数据的动作（/ImportData）",
    "/GoToR": "打开其他文件的动作（/GoToR）",
    "/GoToE": "打开内嵌文件的动作（/GoToE）",
    "/RichMediaExecute": "运行富媒体的动作（/RichMediaExecute）",
}
AUTOMATIC = ("/OpenAction", "/AA")  # run when the document, a page or a field is opened, without a click


def check_pdf(data: bytes, out: _Out, _depth: int) -> None:
    """Every object reachable from the document's catalogue, each once, dictionaries read key by key."""
    import pypdf  # pypdf reads PDF objects; its own limits bound what a stream may inflate to
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its notes on odd files would fill the build log
    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not _decrypted(reader):
            out.stop("PDF 文件已加密，需要密码才能打开")
        root = reader.trailer["/Root"]
    except _Stop:
        raise
    except Exception as exc:
        out.stop(f"PDF 文件无法打开（{type(exc).__name__}）")
    todo: list[tuple[object, bool]] = [(root, False)]
    seen: set[tuple[int, bool]] = set()
    visited = 0
    while todo:
        value, auto = todo.pop()  # auto: an action run without a click, or what it holds
        if isinstance(value, IndirectObject):
            if (value.idnum, auto) in seen:
                continue
            seen.add((value.idnum, auto))
            visited += 1
            if visited > MAX_OBJECTS:
                out.stop(f"PDF 对象超过 {MAX_OBJECTS} 个，其余部分未检查")
            if visited % 1000 == 0:
                out.in_time()
            value = value.get_object()
        if isinstance(value, DictionaryObject):
            _pdf_dictionary(value, auto, out)
            # Within an automatic action, what it holds runs too: the actions of an /AA dictionary
            # (its values), an action's /Next; not the pages a destination names.
            triggers = auto and "/S" not in value
            for key, child in value.items():
                if key in AUTOMATIC:
                    todo.append((child, True))
                elif key == "/Next" and auto and isinstance(child.get_object(), ArrayObject):
                    todo.extend((action, True) for action in child.get_object())
                elif key != "/Parent":  # the page tree's way back up: reached from the root already
                    direct = not isinstance(child, IndirectObject)
                    todo.append((child, auto and (triggers or key == "/Next" or direct)))
        elif isinstance(value, ArrayObject):
            todo.extend((child, auto and not isinstance(child, IndirectObject)) for child in value)


def _decrypted(reader: object) -> bool:
    try:
        return bool(reader.decrypt(""))  # type: ignore[attr-defined]
    except Exception:  # pypdf needs the cryptography package for AES: unchecked all the same
        return False


def _pdf_dictionary(d: dict, auto: bool, out: _Out) -> None:
    action = d.get("/S")
    if "/JS" in d or action == "/JavaScript" or "/JavaScript" in d:
        out.add("打开时运行的 JavaScript 脚本" if auto else "JavaScript 脚本")
    if action in PDF_ACTIONS:
        out.add(PDF_ACTIONS[action])
    if d.get("/Type") == "/EmbeddedFile" or "/EF" in d or "/EmbeddedFiles" in d:
        out.add(f"内嵌文件{_pdf_file_name(d)}（/EmbeddedFile）")
    if "/XFA" in d:
        out.add("XFA 动态表单（可含脚本）")
    if d.get("/Subtype") == "/RichMedia" or "/RichMediaContent" in d:
        out.add("富媒体（/RichMedia，可含 Flash 等程序）")
    if action == "/URI":
        uri = _pdf_text(d.get("/URI"))
        found = target(uri)
        if found.scheme not in ("https:", "http:", "mailto:", "tel:"):
            out.add(f"使用 {found.scheme or '无法识别的'} 协议的网址「{shown(uri[:80])}」")
        elif auto and found.web and not is_government(found.host):
            out.add(f"打开时自动访问外部网址（{found.host}）")


def _pdf_text(value: object) -> str:
    value = value.get_object() if hasattr(value, "get_object") else value
    if isinstance(value, bytes):
        return value.decode("latin-1")
    return value if isinstance(value, str) else ""


def _pdf_file_name(d: dict) -> str:
    for key in ("/UF", "/F"):
        name = _pdf_text(d.get(key))
        if name:
            return f" {shown(name[:80])}"
    return ""


# ---------------------------------------------------------------- ZIP packages: OOXML, ODF, OFD, ZIP


def _archive(data: bytes, out: _Out, what: str) -> zipfile.ZipFile:
    """The archive opened, after its declared sizes are found within the limits (zipfile never
    unzips an entry beyond the size it declares, so those bound the work)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        out.stop(f"不是有效的{what}，可能已损坏")
    entries = archive.infolist()
    if len(entries) > MAX_ZIP_ENTRIES or sum(e.file_size for e in entries) > MAX_UNZIPPED:
        out.stop(f"{what}解压后超过 {MAX_UNZIPPED // 1024 // 1024} MB 或 {MAX_ZIP_ENTRIES} 个文件，可能是压缩炸弹")
    return archive


def _member(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, out: _Out, limit: int = -1) -> bytes | None:
    """A member's bytes (the first `limit` of them), or None for one that cannot be unpacked: said."""
    name = shown(_entry_name(entry))
    if entry.flag_bits & 0x1:
        out.skip(f"{name} 已加密")
        return None
    if entry.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA):
        out.skip(f"{name} 的压缩方式不常用")
        return None
    out.in_time()
    try:
        with archive.open(entry) as member:
            return member.read(limit)
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, EOFError, ValueError):
        out.skip(f"{name} 已损坏")
        return None


def _name_problem(name: str) -> str | None:
    """Why a member's name is a trap: characters that hide its real extension, or a path out of the
    folder the archive is unpacked into."""
    if any(unicodedata.category(c) in ("Cc", "Cf") for c in name):
        return f"文件名「{shown(name)}」含有控制字符或文字方向字符（可伪装扩展名）"
    parts = name.replace("\\", "/").split("/")
    if "\\" in name or name.startswith("/") or re.match(r"[A-Za-z]:", name) or ".." in parts:
        return f"文件名「{shown(name)}」含有绝对路径、盘符、反斜杠或 ..，解压时可能写到文件夹以外"
    return None


def _members(data: bytes, out: _Out, depth: int, what: str, nested: bool) -> Iterator[tuple[str, bytes]]:
    """Each member's name and bytes, after its name and first bytes are checked. In a ZIP archive
    (`nested`), archives and documents inside are checked as attachments are, to MAX_ZIP_DEPTH, and
    only their first bytes are read of the others; a document's parts (not `nested`) are all read,
    and SVG is one of its picture formats (Office shows it, with its scripts, as a picture)."""
    archive = _archive(data, out, what)
    runnable = RUNNABLE if nested else RUNNABLE - {"svg"}
    with archive:
        for entry in archive.infolist():
            if entry.is_dir():
                continue
            name = _entry_name(entry)
            problem = _name_problem(name)
            if problem:
                out.add(problem)
            ext = suffix(name)
            if ext in runnable:
                out.add(f"可执行的程序、脚本或网页 {shown(name)}")
            whole = not nested or ext in CHECKERS
            body = _member(archive, entry, out, -1 if whole else HEAD)
            if body is None:
                continue
            program = _program(body[:HEAD]) or (_markup(body[:HEAD]) if ext not in ("svg", "xml") else None)
            if program and ext not in runnable:
                out.add(f"{shown(name)} 实际上是{program}")
            if nested and (ext in CHECKERS or ext in OPAQUE_ARCHIVES):
                _nested(name, ext, body, out, depth)
            yield name, body


def _nested(name: str, ext: str, body: bytes, out: _Out, depth: int) -> None:
    if ext in OPAQUE_ARCHIVES:
        out.skip(f"{shown(name)}（{OPAQUE_ARCHIVES[ext]}）")
        return
    if depth >= MAX_ZIP_DEPTH and ext in ARCHIVES | OOXML | ODF:
        out.skip(f"{shown(name)} 套得太深")
        return
    if type_problem(body, ext):  # not what its name says, but no program or page (_members): inert
        return
    inner = _Out()
    inner.deadline = out.deadline
    try:
        CHECKERS[ext](body, inner, depth + 1)
    except _Stop:
        pass
    except Exception as exc:  # a broken member, as a broken attachment
        inner.skip(f"已损坏（{type(exc).__name__}）")
    out.found.extend(f"{shown(name)} 中{what}" for what in inner.found)
    if inner.unchecked:
        out.skip(f"{shown(name)}：{inner.unchecked}")


def check_zip(data: bytes, out: _Out, depth: int) -> None:
    for _name, _body in _members(data, out, depth, "ZIP 压缩包", nested=True):
        pass


def check_ofd(data: bytes, out: _Out, depth: int) -> None:
    """OFD (GB/T 33190) is a ZIP of XML and resources; its attachments are members like any other."""
    for _name, _body in _members(data, out, depth, "OFD 文件", nested=True):
        pass


R_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
S_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
# Fields that run a program (DDE) or fetch what they show when the document is opened or updated.
DDE_FIELD = re.compile(r"^\s*(DDEAUTO|DDE)\b", re.IGNORECASE)
INCLUDE_FIELD = re.compile(r"^\s*(INCLUDEPICTURE|INCLUDETEXT|INCLUDE|IMPORT|LINK)\b(.*)", re.IGNORECASE | re.DOTALL)
REMOTE = re.compile(r"(?:[a-z][a-z0-9+.-]*:/|\\\\|//)", re.IGNORECASE)
# Worksheet functions that call out of the workbook: to a web service, a program, a DLL, a server.
CALLING = re.compile(r"\b(?:_xlfn\.)?(WEBSERVICE|RTD|CALL|REGISTER(?:\.ID)?|EXEC)\s*\(", re.IGNORECASE)
HYPERLINK = re.compile(r"\bHYPERLINK\s*\(\s*\"([^\"]*)\"", re.IGNORECASE)
QUOTED = re.compile(r'"(?:[^"]|"")*"|\'(?:[^\']|\'\')*\'')  # strings, and quoted sheet names
AUTO_NAMES = re.compile(r"^(?:_xlnm\.)?auto_(?:open|close|activate|deactivate)", re.IGNORECASE)


def check_ooxml(data: bytes, out: _Out, depth: int) -> None:
    """Word, Excel and PowerPoint files: their parts, relationships, fields and formulas."""
    if data.startswith(SIGNATURES["doc"][0][1]):
        out.stop("文件已加密，或是改了扩展名的旧版 Office 文件")
    for name, body in _members(data, out, depth, "Office 文件", nested=False):
        lower = name.lower()
        ext = suffix(lower)
        if lower.endswith(("vbaproject.bin", "vbadata.xml")) or ("/vba" in lower and lower.endswith(".bin")):
            out.add(f"宏（VBA 工程 {shown(name)}）")
        elif "/macrosheets/" in lower:
            out.add("Excel 4.0 宏表")
        elif "/activex/" in lower:
            out.add("ActiveX 控件")
        elif "/embeddings/" in lower:
            if ext in OOXML | OLE:  # a chart's workbook: checked as a workbook
                _nested(name, ext, body, out, depth)
            else:
                out.add(f"嵌入的 OLE 对象 {shown(posixpath.basename(name))}")
        elif "/externallinks/" in lower and ext == "xml":
            out.add("指向其他工作簿的外部链接")
        elif lower.endswith("connections.xml"):
            out.add("外部数据连接")
        if ext == "rels":
            _relationships(body, out)
        elif ext == "xml" and (lower.startswith(("word/", "xl/", "ppt/"))):
            _part(lower, body, out)


def _xml(body: bytes, out: _Out) -> etree._Element | None:
    try:
        return etree.fromstring(body, SAFE_XML)
    except etree.XMLSyntaxError:
        out.skip("文件中有无法解析的部分")
        return None


def _relationships(body: bytes, out: _Out) -> None:
    root = _xml(body, out)
    for rel in root.iter(f"{{{R_NS}}}Relationship") if root is not None else ():
        kind = (rel.get("Type") or "").rsplit("/", 1)[-1]
        where = rel.get("Target") or ""
        if (rel.get("TargetMode") or "").lower() != "external":
            if where.lower().startswith(("mhtml:", "file:", "\\\\")):
                out.add(f"外部引用（{kind} → {shown(where[:80])}）")
            continue
        if kind == "hyperlink":
            scheme = target(where).scheme
            if scheme not in ("https:", "http:", "mailto:"):
                out.add(f"使用 {scheme or '无法识别的'} 协议的链接「{shown(where[:80])}」")
        else:
            out.add(f"外部引用（{kind} → {shown(where[:80])}），打开文件时会从外部加载内容")


def _part(name: str, body: bytes, out: _Out) -> None:
    if name.startswith("word/"):
        if b"instrText" in body or b"fldSimple" in body:
            root = _xml(body, out)
            if root is not None:
                for instruction in _field_codes(root):
                    _field(instruction, out)
    elif name.startswith("xl/") and (b"<f" in body or b"definedName" in body or b":f" in body):
        root = _xml(body, out)
        if root is not None:
            _formulas(root, out)
    if b"ppaction://" in body:
        root = _xml(body, out)
        for node in root.iter() if root is not None else ():
            action = (node.get("action") or "").lower()
            if action.startswith(("ppaction://program", "ppaction://macro", "ppaction://ole")):
                out.add(f"点击或经过时运行程序或宏的动作（{shown(action[:40])}）")


def _field_codes(root: etree._Element) -> Iterator[str]:
    """Each field's instruction, in document order: a complex field's runs between its begin and
    separate (or end) marks, joined, and each simple field's `w:instr`."""
    stack: list[list[str]] = []
    for node in root.iter(f"{{{W_NS}}}fldChar", f"{{{W_NS}}}instrText", f"{{{W_NS}}}fldSimple"):
        local = etree.QName(node).localname
        if local == "fldSimple":
            yield node.get(f"{{{W_NS}}}instr") or ""
        elif local == "instrText":
            if stack:
                stack[-1].append(node.text or "")
            else:
                yield node.text or ""
        else:
            kind = node.get(f"{{{W_NS}}}fldCharType")
            if kind == "begin":
                stack.append([])
            elif kind in ("separate", "end") and stack:
                yield "".join(stack[-1])
                stack[-1].clear()
                if kind == "end":
                    stack.pop()
    for rest in stack:
        yield "".join(rest)


def _field(instruction: str, out: _Out) -> None:
    if not instruction.strip():
        return
    dde = DDE_FIELD.match(instruction)
    if dde:
        out.add(f"{dde[1].upper()} 域（打开文件时可运行程序）")
        return
    include = INCLUDE_FIELD.match(instruction)
    if include and REMOTE.search(include[2]):
        where = include[2].strip().split()[0].strip('"') if include[2].strip() else ""
        out.add(f"{include[1].upper()} 域引用外部文件「{shown(where[:80])}」")


def _formulas(root: etree._Element, out: _Out) -> None:
    for node in root.iter(f"{{{S_NS}}}f", f"{{{S_NS}}}definedName"):
        formula = node.text or ""
        if etree.QName(node).localname == "definedName" and AUTO_NAMES.match(node.get("name") or ""):
            out.add(f"打开时自动运行的宏名称 {shown(node.get('name') or '')}")
        problem = formula_problem(formula)
        if problem:
            out.add(problem)


def formula_problem(formula: str) -> str | None:
    """Why a spreadsheet formula reaches outside the workbook when it is calculated, or None."""
    if not formula:
        return None
    calling = CALLING.search(formula)
    if calling:
        return f"调用外部的公式（{calling[1].upper()}）"
    if "|" in QUOTED.sub("", formula):  # outside strings and names, `|` is a DDE call: cmd|' /C calc'!A0
        return f"DDE 公式「{shown(formula[:60])}」（可运行程序）"
    for url in HYPERLINK.findall(formula):
        found = target(url)
        if found.scheme and not (found.web and is_government(found.host)) and found.scheme != "mailto:":
            return f"指向外部网站的 HYPERLINK 公式（{found.host or found.scheme}）"
    return None


def check_odf(data: bytes, out: _Out, depth: int) -> None:
    """OpenDocument files: Basic macros, scripts, and scripts bound to events."""
    for name, body in _members(data, out, depth, "OpenDocument 文件", nested=False):
        lower = name.lower()
        if lower.startswith(("basic/", "scripts/")) and not lower.endswith("/"):
            out.add(f"宏或脚本 {shown(name)}")
        elif lower.endswith(".xml") and b"script:event-listener" in body:
            out.add("与事件绑定的宏或脚本")
        if lower.startswith("object") and lower.endswith(".bin"):
            out.add(f"嵌入的 OLE 对象 {shown(name)}")


# ---------------------------------------------------------------- OLE compound files and RTF

OLE_MACROS = {"macros", "_vba_project_cur", "vba", "_vba_project"}


def check_ole(data: bytes, out: _Out, _depth: int) -> None:
    """The old binary Office formats, and WPS's: their storages, read with olefile."""
    import olefile  # olefile reads OLE compound files (the old Office and WPS formats)

    try:
        ole = olefile.OleFileIO(io.BytesIO(data))
    except Exception as exc:
        out.stop(f"文件无法打开（{type(exc).__name__}）")
    with ole:
        paths = [[part.lower() for part in entry] for entry in ole.listdir(streams=True, storages=True)]
    names = {part for path in paths for part in path}
    if {"encryptioninfo", "encryptedpackage"} & names:
        out.stop("文件已加密")
    if OLE_MACROS & names:
        out.add("宏（VBA）")
    # Word keeps embedded objects in ObjectPool, Excel in MBD… storages; a package object (a file
    # wrapped as an object: often a program) is an Ole10Native stream.
    if "\x01ole10native" in names or any(len(path) > 1 and _object_storage(path[0]) for path in paths):
        out.add("嵌入的 OLE 对象")
    if any(path[0] == "powerpoint document" for path in paths):
        out.skip("演示文稿（.ppt、.dps）的宏保存在幻灯片数据中，读不到：可另存为 .pptx 或 PDF")


def _object_storage(name: str) -> bool:
    return name == "objectpool" or (name.startswith("mbd") and len(name) == 11)


RTF_OBJECT = re.compile(rb"\\obj(?:emb|link|autlink|data|ocx|sub|pub|icemb|htm|class)\b")
RTF_DDE = re.compile(rb"\\fldinst[^}]{0,200}?\b(DDEAUTO|DDE|INCLUDEPICTURE|INCLUDETEXT)\b", re.IGNORECASE)


def check_rtf(data: bytes, out: _Out, _depth: int) -> None:
    if RTF_OBJECT.search(data):
        out.add("嵌入的 OLE 对象（\\object）")
    for match in RTF_DDE.finditer(data):
        out.add(f"{match[1].decode().upper()} 域")


CHECKERS: dict[str, Callable[[bytes, _Out, int], None]] = {
    "pdf": check_pdf,
    "zip": check_zip,
    "ofd": check_ofd,
    "rtf": check_rtf,
} | dict.fromkeys(OOXML, check_ooxml)
CHECKERS |= dict.fromkeys(OLE, check_ole) | dict.fromkeys(ODF, check_odf)


# ---------------------------------------------------------------- verdicts kept by the file's bytes


class Verdicts(ByContent[Verdict]):
    """Verdicts already given (inspect). Files only checked by their first bytes are not kept: reading
    those costs less than hashing the file."""

    version = VERSION

    def read(self, path: Path, ext: str) -> Verdict:
        try:
            if ext not in DEEP:
                with open(path, "rb") as file:
                    return inspect(file.read(HEAD), ext)
            if path.stat().st_size > MAX_FILE:
                with open(path, "rb") as file:
                    head = inspect(file.read(HEAD), "")
                return Verdict(head.found, f"文件超过 {MAX_FILE // 1024 // 1024} MB", _fix(ext))
            data = path.read_bytes()
        except OSError as exc:
            return Verdict(unchecked=f"无法打开文件（{exc.strerror}）")
        return self.made(data, ext, inspect)


def message(name: str, verdict: Verdict) -> str | None:
    """The editor's error for a file with active content, or None."""
    if not verdict.found:
        return None
    listed = "；".join(verdict.found[:5]) + (f" 等 {len(verdict.found)} 处" if len(verdict.found) > 5 else "")
    if verdict.fix == "type":
        return f"{name} {listed}。{FIXES['type']}"
    return (
        f"{name} 含有不安全的内容（打开或解压时会运行、访问外部或写到别处）：{listed}。{FIXES[verdict.fix or 'office']}"
    )


def unchecked_message(name: str, verdict: Verdict) -> str | None:
    if not verdict.unchecked:
        return None
    return (
        f"{name} 中有无脚本、宏和程序等活动内容未经检查（{verdict.unchecked}）：请用杀毒软件查杀后人工确认，"
        "或换成能检查的格式（如 PDF、.docx、ZIP）"
    )
