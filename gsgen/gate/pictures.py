"""Pictures published without what a camera or an editing program wrote into them besides the picture.

A phone photo carries EXIF (where it was taken, to a few metres; the phone's make, the time, often the
owner's name), XMP and IPTC (author, captions, history) and, in a PNG, text chunks any program may
fill. None of it is shown on a page, all of it is read by anyone who saves the picture. gsgen publishes
a picture without it, losslessly: the file's segments or chunks are taken out, the pixel data is
copied byte for byte (no re-encoding), and the same input gives the same output, so a warm build
publishes what a clean one does. What is kept is what changes how the picture looks: JPEG's JFIF,
ICC colour profile and Adobe colour segments; PNG's colour, transparency and animation chunks; and the
EXIF orientation, written back as an EXIF block of that one tag, as a phone photo stored sideways is
turned upright by it and would show sideways without it.

A picture that carried a GPS position is published without it and said (PRIVACY, a warning): the
file under content/ still has it, in the site's repository and wherever else it was sent.

Formats: JPEG, PNG, WebP, GIF. BMP and ICO carry no metadata; an AVIF's cannot be taken out this way
(filetext.OPAQUE says so to the editor). A file that does not parse as its format is published as it
is and said (its browser may still show it; gsgen cannot say what it carries).
"""

from __future__ import annotations

import re
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass

ORIENTATION, GPS_IFD = 0x0112, 0x8825
GPS_POSITION = {2, 4}  # GPSLatitude, GPSLongitude
# JPEG segments kept: how the picture is decoded and coloured (APP0 JFIF, APP2 ICC, APP14 Adobe).
JPEG_KEPT = ((0xE0, b"JFIF\0"), (0xE2, b"ICC_PROFILE\0"), (0xEE, b"Adobe"))
EXIF_HEADER = b"Exif\0\0"
SCAN_END = re.compile(rb"\xff[^\x00\xd0-\xd7]")  # a marker, or the fill bytes before one
# PNG chunks kept: the critical ones and those that change what is shown (colour, transparency,
# animation). Text (tEXt, zTXt, iTXt), eXIf, tIME and any private chunk are left out.
PNG_KEPT = {b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP", b"sBIT", b"bKGD"}
PNG_KEPT |= {b"hIST", b"pHYs", b"sPLT", b"acTL", b"fcTL", b"fdAT", b"cICP", b"mDCV", b"cLLI"}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
WEBP_DROPPED = {b"EXIF", b"XMP "}
GIF_KEPT_APPLICATIONS = (b"NETSCAPE2.0", b"ANIMEXTS1.0")  # how often an animation loops


class Malformed(ValueError):
    """A picture that does not parse as its format."""


@dataclass(frozen=True)
class Stripped:
    data: bytes
    position: bool = False  # it carried a GPS position, now left out
    malformed: bool = False  # it did not parse: published as it was


def stripped(data: bytes, ext: str) -> Stripped:
    """The picture as published, without its metadata; `data` itself for a format without any. The
    format is read from the file's first bytes: a JPEG saved as .png is still a JPEG with its EXIF."""
    if ext not in STRIPPERS:
        return Stripped(data)
    strip = _stripper(data) or STRIPPERS[ext]
    try:
        out, position = strip(data)
    except (Malformed, struct.error, IndexError, ValueError):
        return Stripped(data, malformed=True)
    return Stripped(out, position)


def _stripper(data: bytes) -> Callable[[bytes], tuple[bytes, bool]] | None:
    if data.startswith(b"\xff\xd8"):
        return _jpeg
    if data.startswith(PNG_SIGNATURE):
        return _png
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return _webp
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return _gif
    return None


# ---------------------------------------------------------------- EXIF (a TIFF structure)


def _exif_facts(tiff: bytes) -> tuple[int | None, bool]:
    """(orientation, whether a GPS position is given) from EXIF's TIFF structure."""
    order = {b"II": "<", b"MM": ">"}.get(tiff[:2])
    if order is None:
        return None, False
    ifd0 = _ifd(tiff, order, struct.unpack_from(f"{order}I", tiff, 4)[0])
    orientation = None
    if ORIENTATION in ifd0:
        kind, value = ifd0[ORIENTATION]
        orientation = struct.unpack_from(f"{order}H", value)[0] if kind == 3 else None
    position = False
    if GPS_IFD in ifd0:
        offset = struct.unpack_from(f"{order}I", ifd0[GPS_IFD][1])[0]
        position = bool(GPS_POSITION & set(_ifd(tiff, order, offset)))
    return orientation, position


def _ifd(tiff: bytes, order: str, offset: int) -> dict[int, tuple[int, bytes]]:
    """An IFD's entries: tag -> (type, the four bytes holding the value or its offset)."""
    if not 8 <= offset <= len(tiff) - 2:
        return {}
    count = struct.unpack_from(f"{order}H", tiff, offset)[0]
    entries = {}
    for n in range(min(count, (len(tiff) - offset - 2) // 12)):
        tag, kind = struct.unpack_from(f"{order}HH", tiff, offset + 2 + 12 * n)
        start = offset + 2 + 12 * n + 8
        entries[tag] = (kind, tiff[start : start + 4])
    return entries


def _orientation_only(orientation: int | None) -> bytes | None:
    """A TIFF structure of one tag, the orientation; None when there is nothing to turn."""
    if orientation is None or not 2 <= orientation <= 8:
        return None
    return b"MM\0*" + struct.pack(">IHHHIHHI", 8, 1, ORIENTATION, 3, 1, orientation, 0, 0)


# ---------------------------------------------------------------- JPEG


def _jpeg(data: bytes) -> tuple[bytes, bool]:
    if data[:2] != b"\xff\xd8":
        raise Malformed("no SOI")
    out, pos, position = [b"\xff\xd8"], 2, False
    while True:
        marker, pos = _next_marker(data, pos)
        if marker == 0xD9:  # EOI: what follows (a phone's second picture, a video) is left out
            out.append(b"\xff\xd9")
            return b"".join(out), position
        length = struct.unpack_from(">H", data, pos)[0]
        if length < 2 or pos + length > len(data):
            raise Malformed("segment beyond the end")
        body = data[pos + 2 : pos + length]
        segment = data[pos - 2 : pos + length]
        pos += length
        if marker == 0xDA:  # start of scan: the entropy-coded data runs to the next marker
            end = _scan_end(data, pos)
            out.append(segment + data[pos:end])
            pos = end
        elif marker == 0xE1 and body.startswith(EXIF_HEADER):
            orientation, found = _exif_facts(body[len(EXIF_HEADER) :])
            position = position or found
            kept = _orientation_only(orientation)
            if kept is not None:
                exif = EXIF_HEADER + kept
                out.append(b"\xff\xe1" + struct.pack(">H", len(exif) + 2) + exif)
        elif marker == 0xE1 and b"GPSLatitude" in body:  # XMP's copy of the position
            position = True
        elif 0xE0 <= marker <= 0xEF or marker == 0xFE:  # APPn and comments
            if any(marker == m and body.startswith(head) for m, head in JPEG_KEPT):
                out.append(segment)
        else:
            out.append(segment)


def _next_marker(data: bytes, pos: int) -> tuple[int, int]:
    """The next marker at `pos` (fill bytes skipped) and the position after it."""
    if data[pos] != 0xFF:
        raise Malformed("no marker")
    while data[pos] == 0xFF:
        pos += 1
    return data[pos], pos + 1


def _scan_end(data: bytes, pos: int) -> int:
    """Where a scan's entropy-coded data ends: at a marker other than a stuffed zero or a restart
    (found by one search, not byte by byte: a file of stuffed zeros would take minutes in Python)."""
    found = SCAN_END.search(data, pos)
    if found is None:
        raise Malformed("scan without an end")
    return found.start()


# ---------------------------------------------------------------- PNG


def _png(data: bytes) -> tuple[bytes, bool]:
    if not data.startswith(PNG_SIGNATURE):
        raise Malformed("no signature")
    out, pos, position = [PNG_SIGNATURE], len(PNG_SIGNATURE), False
    while True:
        length, kind = struct.unpack_from(">I4s", data, pos)
        end = pos + 12 + length
        if end > len(data):
            raise Malformed("chunk beyond the end")
        if kind in PNG_KEPT or (kind[:1].isupper() and kind != b"eXIf"):
            out.append(data[pos:end])
        elif kind == b"eXIf":
            orientation, found = _exif_facts(data[pos + 8 : pos + 8 + length])
            position = position or found
            kept = _orientation_only(orientation)
            if kept is not None:
                out.append(_png_chunk(b"eXIf", kept))
        elif kind == b"iTXt" and b"GPSLatitude" in data[pos + 8 : end]:
            position = True
        pos = end
        if kind == b"IEND":
            return b"".join(out), position


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


# ---------------------------------------------------------------- WebP


def _webp(data: bytes) -> tuple[bytes, bool]:
    if data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        raise Malformed("not RIFF WEBP")
    size = min(struct.unpack_from("<I", data, 4)[0] + 8, len(data))
    chunks, pos, position, exif = [], 12, False, None
    while pos + 8 <= size:
        kind, length = struct.unpack_from("<4sI", data, pos)
        end = pos + 8 + length + (length & 1)
        if end > size + 1:
            raise Malformed("chunk beyond the end")
        if kind == b"EXIF":
            orientation, found = _exif_facts(_without_exif_header(data[pos + 8 : pos + 8 + length]))
            position = position or found
            exif = _orientation_only(orientation)
        elif kind == b"XMP ":
            position = position or b"GPSLatitude" in data[pos + 8 : end]
        else:
            chunks.append(bytearray(data[pos:end]))
        pos = end
    if chunks and chunks[0][:4] == b"VP8X":
        chunks[0][8] &= ~0x0C & 0xFF  # the flags of EXIF and XMP
        if exif is not None:
            chunks[0][8] |= 0x08
            chunks.append(bytearray(b"EXIF" + struct.pack("<I", len(exif)) + exif))
    body = b"WEBP" + b"".join(chunks)
    return b"RIFF" + struct.pack("<I", len(body)) + body, position


def _without_exif_header(exif: bytes) -> bytes:
    return exif[len(EXIF_HEADER) :] if exif.startswith(EXIF_HEADER) else exif


# ---------------------------------------------------------------- GIF


def _gif(data: bytes) -> tuple[bytes, bool]:
    """Comments and application extensions (XMP) left out; looping and the frames kept."""
    if data[:6] not in (b"GIF87a", b"GIF89a"):
        raise Malformed("no GIF header")
    flags = data[10]
    pos = 13 + _colour_table(flags)
    out = [data[:pos]]
    while True:
        block = data[pos]
        if block == 0x3B:  # trailer
            out.append(b"\x3b")
            return b"".join(out), False
        if block == 0x2C:  # an image: its descriptor, colour table and LZW data
            flags = data[pos + 9]
            start, pos = pos, pos + 10 + _colour_table(flags) + 1  # and the LZW code size
            pos = _sub_blocks_end(data, pos)
            out.append(data[start:pos])
        elif block == 0x21:
            label, start = data[pos + 1], pos
            pos = _sub_blocks_end(data, pos + 2)
            application = data[start + 3 : start + 14] if label == 0xFF else b""
            if label not in (0xFE, 0xFF) or application in GIF_KEPT_APPLICATIONS:
                out.append(data[start:pos])
        else:
            raise Malformed("unknown block")


def _colour_table(flags: int) -> int:
    return 3 << ((flags & 7) + 1) if flags & 0x80 else 0


def _sub_blocks_end(data: bytes, pos: int) -> int:
    while data[pos]:
        pos += data[pos] + 1
    return pos + 1


def notice(form: Stripped) -> str | None:
    """What the editor is told of a published picture, or None."""
    if form.position:
        return (
            "照片含有拍摄地点（GPS 定位），发布的图片已去除定位和其他元数据；但 content/ 中的原文件仍含定位，"
            "如不宜留存，请用图片工具（如 Windows 文件属性中的「删除属性和个人信息」）去除后重新放入"
        )
    if form.malformed:
        return "图片文件格式有误，未能去除其中的元数据（拍摄地点、作者等），原样发布：请用图片工具重新保存后再放入"
    return None


STRIPPERS = {"jpg": _jpeg, "jpeg": _jpeg, "png": _png, "webp": _webp, "gif": _gif}
