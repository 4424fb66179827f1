"""The build cache (`.gsgen-cache/` beside config.yaml): rendered pages, their check results and the
search index shards of the last build, by fingerprint, so that the next build renders and indexes
only what changed. CI can keep the folder between runs; deleting it only costs one full build.

    .gsgen-cache/
      pages/ab/abcd…      a rendered page, named by its fingerprint (fingerprint.py)
      checks.pickle       fingerprint → (the page's diagnostics, what the output rules read of it)
      bodies.pickle       Markdown bodies parsed and rendered to HTML (markdown.BodyCache)
      search/<key>-<fp>/  a Pagefind bundle of one shard of the index (search.py)

A cached page is linked, not copied, into the output (files in the cache are never written twice:
a new fingerprint is a new file), and the output's files are replaced, not edited, by each build.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from gsgen.diagnostics import Diagnostic
from gsgen.htmlpage import HtmlPage
from gsgen.markdown import BodyCache

CACHE_DIR = ".gsgen-cache"
CACHE_FORMAT = 2  # bump when the meaning of a fingerprint or of the cached checks changes
_PACKAGE = Path(__file__).resolve().parent
_CHECKS = "checks.pickle"
_BODIES = "bodies.pickle"


@dataclass
class Cached:
    """A page as the last build that gave it this fingerprint rendered and checked it."""

    path: Path  # the rendered bytes
    diagnostics: list[Diagnostic]
    html: HtmlPage | None  # None for files that are not HTML


@dataclass
class BuildCache:
    folder: Path | None  # None: no cache (`--no-cache`): everything is rendered
    checks: dict[str, tuple[list[Diagnostic], HtmlPage | None]] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)  # fingerprints this build used or added
    bundles: set[str] = field(default_factory=set)  # search bundles this build used or added
    bodies: BodyCache = field(default_factory=BodyCache)
    _read_keys: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset())  # (checks, bodies) as read

    @classmethod
    def open(cls, folder: Path | None) -> BuildCache:
        opened = cls(folder)
        if folder is not None:
            opened.checks = _read(folder / _CHECKS) or {}
            opened.bodies = BodyCache(_read(folder / _BODIES) or {})
            opened._read_keys = (frozenset(opened.checks), frozenset(opened.bodies))
        return opened

    def page(self, fingerprint: str) -> Cached | None:
        if self.folder is None or fingerprint not in self.checks:
            return None
        path = self._blob(fingerprint)
        if not path.is_file():
            return None
        self.used.add(fingerprint)
        return Cached(path, *self.checks[fingerprint])

    def store(
        self, fingerprint: str, content: bytes, diagnostics: list[Diagnostic], html: HtmlPage | None
    ) -> Path | None:
        """Keep a page just rendered; the file that now holds it, or None without a cache."""
        if self.folder is None:
            return None
        path = self._blob(fingerprint)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_suffix(".tmp")
            temporary.write_bytes(content)
            os.replace(temporary, path)  # a killed build never leaves half a page under its fingerprint
        self.checks[fingerprint] = (diagnostics, html)
        self.used.add(fingerprint)
        return path

    def search_bundle(self, name: str) -> Path | None:
        """Where the search bundle `name` (shard and fingerprint) is kept; it may not exist yet."""
        if self.folder is None:
            return None
        self.bundles.add(name)
        return self.folder / "search" / name

    def save(self, prune: bool) -> None:
        """Write the check results; after a good build, forget what it did not use, so that the cache
        holds one build (after a failed one, keep both: the next build may go either way)."""
        if self.folder is None:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        if prune:
            self.checks = {fp: value for fp, value in self.checks.items() if fp in self.used}
            self.bodies = BodyCache({k: v for k, v in self.bodies.items() if k in self.bodies.used})
            self._remove_unused_files()
        checks, bodies = self._read_keys  # a build that changed nothing rewrites nothing
        if frozenset(self.checks) != checks:
            _write(self.folder / _CHECKS, self.checks)
        if frozenset(self.bodies) != bodies:
            _write(self.folder / _BODIES, dict(self.bodies))
        self._read_keys = (frozenset(self.checks), frozenset(self.bodies))
        self.used, self.bundles = set(), set()  # ready for the next build (gsgen serve keeps the cache)
        self.bodies.used.clear()

    def _remove_unused_files(self) -> None:
        assert self.folder is not None
        for shard in (self.folder / "pages").glob("*"):
            for blob in shard.iterdir():
                if blob.name not in self.used:
                    blob.unlink()
        for bundle in (self.folder / "search").glob("*"):
            if bundle.name not in self.bundles:
                shutil.rmtree(bundle, ignore_errors=True)

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


def _read(path: Path) -> dict | None:
    """What the last build kept in `path`; None if it is missing, unreadable or of another format."""
    try:
        with path.open("rb") as data:
            version, code, value = pickle.load(data)
    except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError, ImportError):
        return None
    # Cached bodies hold HTML that gsgen's code made: another version of the code starts afresh.
    return value if (version, code) == (CACHE_FORMAT, code_digest()) and isinstance(value, dict) else None


def _write(path: Path, value: dict) -> None:
    temporary = path.with_name(path.name + ".tmp")
    with temporary.open("wb") as out:
        pickle.dump((CACHE_FORMAT, code_digest(), value), out, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(temporary, path)  # a killed build leaves the previous file whole
