"""Which files may be published as they are, and in what form.

Editors' files (content/) are published only when a page uses them, and only of passive types that
a browser shows or downloads but never runs: pictures, documents, data, archives, audio and video.
A theme adds its stylesheets, scripts and fonts. HTML, scripts and stylesheets in content/ are
refused: they would be pages of the government's domain that no rule has checked.

SVG is a picture that can carry scripts, so an SVG is published only in the form Cloudflare's
svg-hush gives it (scripts, event handlers, foreign objects and outside references removed), and
one from which svg-hush had to remove anything is refused, naming what, so the editor knows. Other
pictures are published without their metadata (EXIF, XMP, text chunks: pictures.py).
"""

from __future__ import annotations

import posixpath
from collections import Counter
from functools import lru_cache
from pathlib import Path

import imagesize
from lxml import etree
from py_svg_hush import filter_svg

from gsgen.gate.pictures import Stripped, stripped

IMAGES = {"jpg", "jpeg", "png", "gif", "webp", "bmp", "avif", "ico", "svg"}
DOCUMENTS = {"pdf", "ofd", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "wps", "et", "dps", "odt", "ods", "odp"}
DOCUMENTS |= {"rtf", "txt", "csv", "json"}
ARCHIVES = {"zip", "rar", "7z"}
MEDIA = {"mp4", "webm", "mp3", "m4a", "wav", "ogg"}
CONTENT_TYPES = IMAGES | DOCUMENTS | ARCHIVES | MEDIA
THEME_TYPES = IMAGES | {"css", "js", "woff", "woff2", "ttf", "otf"}
# Types a browser runs or renders as a page of the site: never taken from content/.
ACTIVE = {"html", "htm", "xhtml", "shtml", "shtm", "xht", "mht", "mhtml", "hta", "svgz", "xml", "xsl", "xslt"}
ACTIVE |= {"js", "mjs", "css", "swf", "php", "asp", "aspx", "jsp", "cgi", "pl", "py", "sh", "exe", "bat", "cmd"}
ACTIVE |= {"vbs", "wsf", "ps1", "jar", "msi", "dll", "scr", "com", "markdown", "mdown", "htaccess"}
# Types a computer runs, or a browser opens as a page, when a visitor opens them from a downloaded
# archive (attachments.py refuses them inside ZIP files): programs, scripts, shortcuts, disk images,
# pages, pictures that can carry scripts, and Office files with macros.
RUNNABLE = ACTIVE - {"css", "markdown", "mdown", "htaccess", "xml"}
RUNNABLE |= {"jse", "vbe", "wsh", "wsc", "hta", "lnk", "url", "pif", "cpl", "msc", "msp", "mst", "reg", "inf", "scf"}
RUNNABLE |= {"psm1", "chm", "application", "appref-ms", "gadget", "iso", "img", "vhd", "vhdx", "sys", "apk", "svg"}
RUNNABLE |= {"docm", "dotm", "xlsm", "xltm", "xlam", "xla", "xll", "pptm", "potm", "ppsm", "ppam", "sldm"}

# What a file of each type starts with: a file whose bytes are not what its name says is refused
# (attachments.py), so that no page, script or program reaches a visitor under a picture's name.
# (offset, bytes): any one of them. Types not listed (svg, txt, csv, json) are text, checked apart.
ZIP_START = ((0, b"PK\x03\x04"), (0, b"PK\x05\x06"))
OLE_START = ((0, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),)
ISO_MEDIA = ((4, b"ftyp"),)  # MP4, M4A and AVIF are ISO media files: a box named ftyp comes first
SIGNATURES: dict[str, tuple[tuple[int, bytes], ...]] = {
    "jpg": ((0, b"\xff\xd8\xff"),),
    "jpeg": ((0, b"\xff\xd8\xff"),),
    "png": ((0, b"\x89PNG\r\n\x1a\n"),),
    "gif": ((0, b"GIF87a"), (0, b"GIF89a")),
    "webp": ((8, b"WEBP"),),
    "bmp": ((0, b"BM"),),
    "avif": ISO_MEDIA,
    "ico": ((0, b"\x00\x00\x01\x00"),),
    "pdf": ((0, b"%PDF-"),),
    "rtf": ((0, b"{\\rtf"),),
    "rar": ((0, b"Rar!\x1a\x07"),),
    "7z": ((0, b"7z\xbc\xaf\x27\x1c"),),
    "mp4": ISO_MEDIA,
    "m4a": ISO_MEDIA,
    "webm": ((0, b"\x1a\x45\xdf\xa3"),),
    "mp3": ((0, b"ID3"), (0, b"\xff\xfb"), (0, b"\xff\xf3"), (0, b"\xff\xf2"), (0, b"\xff\xfa")),
    "wav": ((8, b"WAVE"),),
    "ogg": ((0, b"OggS"),),
} | dict.fromkeys(("zip", "ofd", "docx", "xlsx", "pptx", "odt", "ods", "odp"), ZIP_START)
SIGNATURES |= dict.fromkeys(("doc", "xls", "ppt", "wps", "et", "dps"), OLE_START)
TEXT_TYPES = {"txt", "csv", "json"}
RASTER = IMAGES - {"svg"}  # pictures of pixels: none runs, whichever of them the bytes are
# How programs and pages begin, whatever their name: the first bytes of a file or an archive member.
PROGRAM_STARTS = {
    b"MZ": "Windows 程序",
    b"\x7fELF": "Linux 程序",
    b"\xca\xfe\xba\xbe": "macOS 程序或 Java 类文件",
    b"\xcf\xfa\xed\xfe": "macOS 程序",
    b"\xce\xfa\xed\xfe": "macOS 程序",
    b"#!": "脚本",  # with an interpreter path after it: "#!/bin/sh"
    b"L\x00\x00\x00\x01\x14\x02\x00": "Windows 快捷方式",
}
MARKUP_STARTS = ("<!doctype html", "<html", "<head", "<body", "<script", "<svg", "<iframe", "<hta:", "<?xml-stylesheet")


LARGEST_PICTURE = 20_000  # pixels a side: beyond it a header is more likely corrupt than a photograph


def picture_size(path: str | Path) -> tuple[int, int] | None:
    """(width, height) of a picture in pixels, read from its header alone (imagesize, which reads PNG,
    JPEG, GIF, WebP, TIFF and SVG headers), so that a page can reserve its box before it loads; None
    when the header says nothing usable. The file is untrusted: only plausible sizes are kept."""
    try:
        width, height = imagesize.get(str(path))
    except (OSError, ValueError):
        return None
    if 0 < width <= LARGEST_PICTURE and 0 < height <= LARGEST_PICTURE:
        return int(width), int(height)
    return None


def suffix(path: str) -> str:
    name = posixpath.basename(path)
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def content_type_problem(path: str) -> str | None:
    """Why a file under content/ can never be published, or None (it may be, when a page uses it)."""
    ext = suffix(path)
    if ext in ("markdown", "mdown"):
        return "Markdown 条目的扩展名应为 .md，请改名；否则它不会作为条目发布"
    if ext in ACTIVE:
        return (
            f".{ext} 文件是网页或可执行的代码，不能放在 content/ 中发布：网页内容请写成 Markdown 条目，"
            "文件请转换为 PDF 等常用格式后作为附件"
        )
    return None


def publishable_content(path: str) -> bool:
    return suffix(path) in CONTENT_TYPES


def publishable_static(path: str) -> bool:
    return suffix(path) in THEME_TYPES


class SvgRefused(ValueError):
    """An SVG that carries scripts or references, or that is not SVG at all; the message says which."""


@lru_cache(maxsize=256)  # checked when content/ and a theme are read, cleaned again when published
def clean_svg(data: bytes) -> bytes:
    """The SVG as it may be published, or SvgRefused naming what it carried."""
    try:
        cleaned = filter_svg(data)
    except Exception as exc:  # svg-hush raises its own error type for what it cannot parse
        raise SvgRefused(f"不是有效的 SVG 图片（{exc}）") from None
    removed = _removed(data, cleaned)
    if removed:
        raise SvgRefused(f"SVG 图片含有脚本、事件或外部引用（{'、'.join(removed[:5])}），请删除后再发布，或改用 PNG")
    return cleaned


def _removed(original: bytes, cleaned: bytes) -> list[str]:
    """What svg-hush took out: elements, attributes and attribute values that are gone."""
    before, after = _parts(original), _parts(cleaned)
    if before is None:
        return ["DOCTYPE 或实体声明"]
    return sorted((before - after).keys()) if after is not None else ["全部内容"]


# What a browser acts on in an SVG file. Other namespaces (Inkscape's, Illustrator's, RDF metadata)
# are ignored by browsers, and svg-hush removes them; that removal is no reason to refuse a picture.
_ACTIVE_NAMESPACES = {None, "http://www.w3.org/2000/svg", "http://www.w3.org/1999/xhtml"}
_ATTRIBUTE_NAMESPACES = {None, "http://www.w3.org/1999/xlink"}


def _parts(data: bytes) -> Counter[str] | None:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        return Counter()
    if root.getroottree().docinfo.internalDTD is not None:
        return None
    found: Counter[str] = Counter()
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        name = etree.QName(element)
        if name.namespace not in _ACTIVE_NAMESPACES or name.localname == "metadata":
            continue
        found[f"<{name.localname}>"] += 1
        if name.localname == "style":  # svg-hush rewrites what a stylesheet loads
            found[f"<style>{element.text or ''}"] += 1
        for key, value in element.attrib.items():
            attr = etree.QName(key)
            if attr.namespace not in _ATTRIBUTE_NAMESPACES:
                continue
            kept = (
                value if attr.localname in ("href", "src", "style") else ""
            )  # a rewritten reference counts as removed
            found[f"{name.localname} {attr.localname}{'=' + kept if kept else ''}"] += 1
    return found


def read_publishable(path: Path, rel: str) -> bytes:
    """The bytes to publish for the file at `path` (an SVG cleaned, a picture without its metadata);
    SvgRefused for a refused SVG."""
    return published_form(path.read_bytes(), rel).data


def published_form(data: bytes, rel: str) -> Stripped:
    """The bytes to publish for a file `rel` of bytes `data`, and what the editor is to hear of them
    (pictures.notice)."""
    ext = suffix(rel)
    return Stripped(clean_svg(data)) if ext == "svg" else stripped(data, ext)
