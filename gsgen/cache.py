"""The build cache (`.gsgen-cache/` beside config.yaml): rendered pages, their check results and the
search index of the last build, by fingerprint, so that the next build renders and indexes
only what changed. CI can keep the folder between runs; deleting it only costs one full build.

    .gsgen-cache/
      pages/ab/abcd…      a rendered page, named by its fingerprint (fingerprint.py)
      checks.json         fingerprint → the page's SHA-256, its diagnostics, what the output rules read
      bodies.json         Markdown bodies parsed and rendered to HTML (markdown.BodyCache)
      texts.json          the text of attachments and data files, by a hash of their bytes (filetext.FileTexts)
      verdicts.json       what active content each published file holds, by a hash of its bytes (gate.attachments)
      search.json         the search index kept: its digest → the SHA-256 of its blob and its files' names and sizes
      search/<digest>     the files of the search index of the last build, end to end (gsgen/search/)

The cache is an input like content, and is treated as one: it is data (JSON), read field by field
into typed values, never code; a file that is damaged, of another format or of another version of
gsgen is discarded whole and the pages rebuilt. A cached page or index is used only if its bytes
still have the SHA-256 recorded when it was made, and it is copied into the output, never linked, so
that nothing done to a published file reaches the cache. Where CI shares one cache between branches,
set GSGEN_CACHE_KEY (a secret): every index file is then signed (HMAC-SHA256), and a cache signed
with another key, or not signed, is ignored.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from gsgen.diagnostics import Diagnostic, Severity
from gsgen.filetext import FileText, FileTexts, Piece
from gsgen.gate.attachments import FIXES, Verdict, Verdicts
from gsgen.htmlpage import HtmlPage, SeenLink, SeenResource
from gsgen.markdown import Body, BodyCache, Ref
from gsgen.sources import SourceCache

CACHE_DIR = ".gsgen-cache"
CACHE_FORMAT = 4  # bump when the meaning of a fingerprint or of the cached checks changes
KEY_VARIABLE = "GSGEN_CACHE_KEY"
_PACKAGE = Path(__file__).resolve().parent
_CHECKS, _BODIES, _SEARCH, _TEXTS = "checks.json", "bodies.json", "search.json", "texts.json"
_VERDICTS = "verdicts.json"


@dataclass
class Cached:
    """A page as the last build that gave it this fingerprint rendered and checked it."""

    content: bytes  # the rendered bytes, verified against their recorded SHA-256
    diagnostics: list[Diagnostic]
    html: HtmlPage | None  # None for files that are not HTML


@dataclass
class CheckEntry:
    sha256: str
    diagnostics: list[Diagnostic]
    html: HtmlPage | None


@dataclass
class SearchBlob:
    sha256: str  # of the blob: every file of the index, end to end
    files: list[tuple[str, int]]  # each file's path and size, in blob order


@dataclass
class BuildCache:
    folder: Path | None  # None: no cache (`--no-cache`): everything is rendered
    checks: dict[str, CheckEntry] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)  # fingerprints this build used or added
    indexes: dict[str, SearchBlob] = field(default_factory=dict)  # digest of the records → its index
    indexes_used: set[str] = field(default_factory=set)  # search indexes this build used or added
    bodies: BodyCache = field(default_factory=BodyCache)
    texts: FileTexts = field(default_factory=FileTexts)
    verdicts: Verdicts = field(default_factory=Verdicts)
    sources: SourceCache = field(default_factory=SourceCache)  # in memory only: gsgen serve's item files
    _read_keys: tuple[frozenset[str], ...] = (frozenset(),) * 5  # as read from disk

    @classmethod
    def open(cls, folder: Path | None) -> BuildCache:
        opened = cls(folder)
        if folder is not None:
            opened.checks = _read(folder / _CHECKS, _check_entry)
            opened.bodies = BodyCache(_read(folder / _BODIES, _body))
            opened.indexes = _read(folder / _SEARCH, _search_blob)
            opened.texts = FileTexts(_read(folder / _TEXTS, _file_text))
            opened.verdicts = Verdicts(_read(folder / _VERDICTS, _verdict))
            opened._read_keys = tuple(
                frozenset(m) for m in (opened.checks, opened.bodies, opened.indexes, opened.texts, opened.verdicts)
            )
        return opened

    def entry(self, fingerprint: str) -> CheckEntry | None:
        """What is known of the page with this fingerprint besides its bytes: for a preview that
        holds the page already (gsgen serve), the bytes are not read again."""
        entry = self.checks.get(fingerprint) if self.folder is not None else None
        if entry is not None:
            self.used.add(fingerprint)
        return entry

    def page(self, fingerprint: str) -> Cached | None:
        """The page last rendered with this fingerprint, if its bytes are still the ones recorded."""
        entry = self.entry(fingerprint)
        if entry is None:
            return None
        try:
            content = self._blob(fingerprint).read_bytes()
        except OSError:
            return None
        if hashlib.sha256(content).hexdigest() != entry.sha256:  # changed since it was made: not ours
            del self.checks[fingerprint]
            self.used.discard(fingerprint)
            return None
        return Cached(content, entry.diagnostics, entry.html)

    def store(self, fingerprint: str, content: bytes, diagnostics: list[Diagnostic], html: HtmlPage | None) -> None:
        """Keep a page just rendered."""
        if self.folder is None:
            return
        path = self._blob(fingerprint)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        temporary.write_bytes(content)
        os.replace(temporary, path)  # a killed build never leaves half a page under its fingerprint
        self.checks[fingerprint] = CheckEntry(hashlib.sha256(content).hexdigest(), diagnostics, html)
        self.used.add(fingerprint)

    def search_index(self, digest: str) -> dict[str, bytes] | None:
        """The files of the search index last built from records with this digest, if its bytes are
        still the ones recorded."""
        entry = self.indexes.get(digest) if self.folder is not None else None
        if entry is None:
            return None
        self.indexes_used.add(digest)
        try:
            blob = (self.folder / "search" / digest).read_bytes()
        except OSError:
            return None
        if hashlib.sha256(blob).hexdigest() != entry.sha256 or sum(size for _, size in entry.files) != len(blob):
            return None
        files, at = {}, 0
        for rel, size in entry.files:
            files[rel] = blob[at : at + size]
            at += size
        return files

    def keep_search_index(self, digest: str, files: dict[str, bytes]) -> None:
        if self.folder is None:
            return
        path = self.folder / "search" / digest
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        h = hashlib.sha256()
        with open(temporary, "wb") as blob:  # file by file: a joined copy of a large index is hundreds of MB
            for data in files.values():
                blob.write(data)
                h.update(data)
        os.replace(temporary, path)
        self.indexes[digest] = SearchBlob(h.hexdigest(), [(k, len(v)) for k, v in files.items()])
        self.indexes_used.add(digest)

    def save(self, prune: bool) -> None:
        """Write the check results; after a good build, forget what it did not use, so that the cache
        holds one build (after a failed one, keep both: the next build may go either way)."""
        if self.folder is None:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        if prune:
            self.checks = {fp: value for fp, value in self.checks.items() if fp in self.used}
            self.bodies = BodyCache({k: v for k, v in self.bodies.items() if k in self.bodies.used})
            self.indexes = {k: v for k, v in self.indexes.items() if k in self.indexes_used}
            self.texts = FileTexts({k: v for k, v in self.texts.items() if k in self.texts.used})
            self.verdicts = Verdicts({k: v for k, v in self.verdicts.items() if k in self.verdicts.used})
            self._remove_unused_files()
        written = (self.checks, self.bodies, self.indexes, self.texts, self.verdicts)
        for (name, encode), mapping, before in zip(_FILES, written, self._read_keys, strict=True):
            if frozenset(mapping) != before:  # a build that changed nothing rewrites nothing
                _write(self.folder / name, {key: encode(value) for key, value in mapping.items()})
        self._read_keys = tuple(frozenset(m) for m in written)
        self.used, self.indexes_used = set(), set()  # ready for the next build (gsgen serve keeps the cache)
        self.bodies.used.clear()
        self.texts.used.clear()
        self.verdicts.used.clear()

    def _remove_unused_files(self) -> None:
        assert self.folder is not None
        for shard in (self.folder / "pages").glob("*"):
            for blob in shard.iterdir():
                if blob.name not in self.used:
                    blob.unlink()
        for blob in (self.folder / "search").glob("*"):
            if blob.name not in self.indexes_used:
                if blob.is_dir():  # a Pagefind bundle of an older gsgen
                    shutil.rmtree(blob, ignore_errors=True)
                else:
                    blob.unlink()

    def _blob(self, fingerprint: str) -> Path:
        assert self.folder is not None
        return self.folder / "pages" / fingerprint[:2] / fingerprint


@cache
def code_digest() -> str:
    """gsgen's own source: a change to a filter or the renderer changes every page."""
    return _folder_digest(_PACKAGE, (".py", ".js"))


def _folder_digest(folder: Path, suffixes: tuple[str, ...]) -> str:
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix in suffixes and "__pycache__" not in path.parts:
            h.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


# ---------------------------------------------------------------- reading and writing the index files
# Each value is written as plain JSON and read back field by field, checking every type: a file
# anyone could have written is never trusted to be what it claims.


class _Damaged(Exception):
    pass


def _read(path: Path, decode: Callable[[Any], Any]) -> dict:
    """What the last build kept in `path`; empty if it is missing, unsigned where it must be signed,
    damaged, or from another format or version of gsgen."""
    try:
        data = path.read_bytes()
        if not _signature_ok(path, data):
            return {}
        document = json.loads(data)
        if not isinstance(document, dict) or document.get("format") != CACHE_FORMAT:
            return {}
        if document.get("code") != code_digest():  # cached HTML was made by another gsgen
            return {}
        entries = document["entries"]
        if not isinstance(entries, dict):
            return {}
        return {_text(key): decode(value) for key, value in entries.items()}
    except (OSError, ValueError, KeyError, TypeError, IndexError, _Damaged, RecursionError):
        return {}


def _write(path: Path, entries: dict) -> None:
    data = json.dumps(
        {"format": CACHE_FORMAT, "code": code_digest(), "entries": entries}, ensure_ascii=False, separators=(",", ":")
    ).encode("utf-8")
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)  # a killed build leaves the previous file whole
    signature = path.with_name(path.name + ".sig")
    if os.environ.get(KEY_VARIABLE):
        signature.write_text(_signature(data), "ascii")
    else:
        signature.unlink(missing_ok=True)


def _signature(data: bytes) -> str:
    return hmac.new(os.environ[KEY_VARIABLE].encode("utf-8"), data, hashlib.sha256).hexdigest()


def _signature_ok(path: Path, data: bytes) -> bool:
    if not os.environ.get(KEY_VARIABLE):
        return True
    try:
        recorded = path.with_name(path.name + ".sig").read_text("ascii").strip()
    except (OSError, UnicodeDecodeError):
        return False
    return hmac.compare_digest(recorded, _signature(data))


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise _Damaged
    return value


def _int(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise _Damaged
    return value


def _optional_text(value: Any) -> str | None:
    return None if value is None else _text(value)


def _texts(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        raise _Damaged
    return {_text(k): _text(v) for k, v in value.items()}


def _list(value: Any) -> list:
    if not isinstance(value, list):
        raise _Damaged
    return value


def _digest(value: Any) -> str:
    text = _text(value)
    if len(text) != 64 or any(c not in "0123456789abcdef" for c in text):
        raise _Damaged
    return text


def _diagnostic(value: Any) -> Diagnostic:
    file, line, rule, severity, message, source = _list(value)
    return Diagnostic(_text(file), _int(line), _text(rule), Severity(_text(severity)), _text(message), _text(source))


def _encode_diagnostic(d: Diagnostic) -> list:
    return [d.file, d.line, d.rule, str(d.severity), d.message, d.source]


def _page(value: Any) -> HtmlPage | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise _Damaged
    meta_lines = value["meta_lines"]
    if not isinstance(meta_lines, dict):
        raise _Damaged
    return HtmlPage(
        _text(value["file"]),
        _int(value["size"]),
        meta=_texts(value["meta"]),
        meta_lines={_text(k): _int(v) for k, v in meta_lines.items()},
        links=[_link(link) for link in _list(value["links"])],
        resources=[_resource(r) for r in _list(value["resources"])],
        archive_time=_optional_text(value["archive_time"]),
        base_url=_text(value["base_url"]),
        search_text=_text(value["search_text"]),
    )


def _link(value: Any) -> SeenLink:
    href, line, hidden, prominent, context = _list(value)
    if not isinstance(hidden, bool) or not isinstance(prominent, bool):
        raise _Damaged
    return SeenLink(_text(href), _int(line), hidden, prominent, _text(context))


def _resource(value: Any) -> SeenResource:
    tag, url, line, attrs, in_head = _list(value)
    if not isinstance(in_head, bool):
        raise _Damaged
    return SeenResource(_text(tag), _text(url), _int(line), _texts(attrs), in_head)


def _encode_page(page: HtmlPage | None) -> dict | None:
    if page is None:
        return None
    return {
        "file": page.file,
        "size": page.size,
        "meta": page.meta,
        "meta_lines": page.meta_lines,
        "links": [list(link) for link in page.links],
        "resources": [list(r) for r in page.resources],
        "archive_time": page.archive_time,
        "base_url": page.base_url,
        "search_text": page.search_text,
    }


def _check_entry(value: Any) -> CheckEntry:
    if not isinstance(value, dict):
        raise _Damaged
    return CheckEntry(
        _digest(value["sha256"]), [_diagnostic(d) for d in _list(value["diagnostics"])], _page(value["html"])
    )


def _encode_check(entry: CheckEntry) -> dict:
    return {
        "sha256": entry.sha256,
        "diagnostics": [_encode_diagnostic(d) for d in entry.diagnostics],
        "html": _encode_page(entry.html),
    }


def _body(value: Any) -> Body:
    if not isinstance(value, dict):
        raise _Damaged
    refs = []
    for ref in _list(value["refs"]):
        line, kind, written, target = _list(ref)
        refs.append(Ref(_int(line), _text(kind), _text(written), _optional_text(target)))
    raw = [(_int(line), _text(html)) for line, html in (_list(r) for r in _list(value["raw_html"]))]
    return Body(refs, raw, _text(value["text"]), _text(value["html"]))


def _encode_body(body: Body) -> dict:
    return {
        "refs": [list(ref) for ref in body.refs],
        "raw_html": [list(r) for r in body.raw_html],
        "text": body.text,
        "html": body.html,
    }


def _search_blob(value: Any) -> SearchBlob:
    if not isinstance(value, dict):
        raise _Damaged
    files = []
    for rel, size in (_list(f) for f in _list(value["files"])):
        rel = _text(rel)
        if rel.startswith("/") or ".." in rel.split("/"):
            raise _Damaged
        size = _int(size)
        if size < 0:
            raise _Damaged
        files.append((rel, size))
    return SearchBlob(_digest(value["sha256"]), files)


def _encode_search_blob(entry: SearchBlob) -> dict:
    return {"sha256": entry.sha256, "files": [list(f) for f in entry.files]}


def _file_text(value: Any) -> FileText:
    if not isinstance(value, dict):
        raise _Damaged
    pieces = [Piece(_int(line), _text(place), _text(text)) for line, place, text in map(_list, _list(value["pieces"]))]
    return FileText(pieces, _optional_text(value["unread"]))


def _encode_file_text(found: FileText) -> dict:
    return {"pieces": [[p.line, p.place, p.text] for p in found.pieces], "unread": found.unread}


def _verdict(value: Any) -> Verdict:
    if not isinstance(value, dict):
        raise _Damaged
    fix = _text(value["fix"])
    if fix and fix not in FIXES:
        raise _Damaged
    return Verdict(tuple(_text(v) for v in _list(value["found"])), _optional_text(value["unchecked"]), fix)


def _encode_verdict(verdict: Verdict) -> dict:
    return {"found": list(verdict.found), "unchecked": verdict.unchecked, "fix": verdict.fix}


_FILES: list[tuple[str, Callable[[Any], Any]]] = [
    (_CHECKS, _encode_check),
    (_BODIES, _encode_body),
    (_SEARCH, _encode_search_blob),
    (_TEXTS, _encode_file_text),
    (_VERDICTS, _encode_verdict),
]
