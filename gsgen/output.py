"""The last stage: write into a staging folder beside the output, then swap it into place.

The previous output is never touched until the new one is complete: a failed build deletes its
staging folder, and a killed one leaves only a hidden staging folder that the next build removes.
On Linux the swap is one atomic `renameat2(RENAME_EXCHANGE)`, so even a kill during the swap leaves
either the old output or the new one, whole.

gsgen replaces only what it wrote: an output folder carries a marker file, and a folder that is the
site, holds it, lies inside its sources, or holds files without the marker is refused before anything
is touched. One build at a time works on a site and an output folder (a lock on each).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import fcntl
import hashlib
import os
import posixpath
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

STAGING_PREFIX = ".gsgen-staging-"
OLD_PREFIX = ".gsgen-old-"
MARKER = ".gsgen-output"  # in every output folder gsgen writes: the folder is gsgen's to replace
MARKER_TEXT = "此文件夹由 gsgen 生成，每次构建会整体替换；请不要在其中存放其他文件。\n"
SOURCES = ("content", "themes", "config.yaml", ".git")  # what an output folder may never be or be inside


class OutputRefused(Exception):
    """An output folder gsgen will not replace; the message says why and what to do."""


def refuse_output(root: Path, output: Path, allow_inside: Path | None = None) -> None:
    """Raise OutputRefused if replacing `output` could lose files gsgen did not write.

    `allow_inside`: a folder of gsgen's own (serve's preview lives in the build cache)."""
    site, out = root.resolve(), output.resolve()
    if out.exists() and not out.is_dir():
        raise OutputRefused(f"输出位置 {output} 是一个文件，不是文件夹")
    if out == site or site.is_relative_to(out):
        raise OutputRefused(
            f"输出文件夹 {output} 就是站点文件夹或包含它：构建会删除站点的源文件。请用 -o 指定另一个文件夹，如 {root / 'public'}"
        )
    for name in SOURCES:
        if out == site / name or out.is_relative_to(site / name):
            raise OutputRefused(
                f"输出文件夹 {output} 位于站点的 {name} 中：构建会覆盖源文件。请用 -o 指定另一个文件夹，如 {root / 'public'}"
            )
    if allow_inside is not None and out.is_relative_to(allow_inside.resolve()):
        return
    if out.is_dir() and not (out / MARKER).is_file() and any(out.iterdir()):
        raise OutputRefused(
            f"输出文件夹 {output} 中已有不是 gsgen 生成的文件：gsgen 只替换自己生成的文件夹。"
            "请用 -o 指定一个新的或空的文件夹；确认其中文件不再需要时，也可以先手动删除它"
        )


@contextlib.contextmanager
def locked(folders: list[Path], waiting: Callable[[], None] = lambda: None) -> Iterator[None]:
    """Hold an exclusive lock on each folder (the site, the output's parent) while a build runs:
    a second build of the same site waits instead of removing the first one's staging folder."""
    descriptors = []
    try:
        for folder in sorted({f.resolve() for f in folders}):  # one order everywhere: no deadlock
            fd = os.open(folder, os.O_RDONLY)
            descriptors.append(fd)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                waiting()
                fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        for fd in descriptors:
            os.close(fd)  # closing releases the lock


class Staging:
    """A folder the build writes into; `commit()` makes it the output."""

    def __init__(self, output: Path) -> None:
        self.output = output.resolve()
        self.output.parent.mkdir(parents=True, exist_ok=True)
        _remove_leftovers(self.output)
        self.path = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{self.output.name}-", dir=self.output.parent))
        self.written: set[str] = set()  # every file written so far, as posix paths
        self.removing: threading.Thread | None = None  # the previous output's removal, after commit()
        (self.path / MARKER).write_text(MARKER_TEXT, "utf-8")

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, *exc: object) -> None:
        """Whatever happened, a staging folder that was not committed is removed, and the previous
        output that a commit set aside is gone before the build returns."""
        if self.removing is not None:
            self.removing.join()
        elif self.path.exists():
            self.discard()

    def write(self, rel: str, content: str | bytes, key: str | None = None) -> None:
        target = self.path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            content = content.encode("utf-8")
        target.write_bytes(content)
        self.written.add(rel)

    def write_many(self, files: dict[str, bytes], key: str | None = None) -> None:
        """Many files at once (the search index: tens of thousands), each folder made once."""
        for folder in {posixpath.dirname(rel) for rel in files}:
            (self.path / folder).mkdir(parents=True, exist_ok=True)
        for rel, content in files.items():
            with open(self.path / rel, "wb") as file:
                file.write(content)
        self.written.update(files)

    def copy(self, rel: str, source: Path) -> None:
        target = self.path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        self.written.add(rel)

    def read(self, rel: str) -> bytes | None:
        """A file written so far, for checks that look at more than one file."""
        return (self.path / rel).read_bytes() if rel in self.written else None

    def current(self, rel: str, key: str) -> bool:
        """Whether `rel` already holds the content known by `key` (a page's fingerprint): never in a
        new folder, so every file is written."""
        return False

    def commit(self) -> None:
        """Make the staging folder the output. The previous output is removed behind, while the build
        does its last work (saving its cache), and gone when the `with` block ends: deleting tens of
        thousands of files takes seconds."""
        os.chmod(self.path, 0o755)  # mkdtemp makes it private; the published folder is not
        if not self.output.exists():
            os.rename(self.path, self.output)
            return
        if _exchange(self.path, self.output):
            old = self.path  # now holds the previous output
        else:
            old = self.output.parent / f"{OLD_PREFIX}{self.output.name}-{os.getpid()}"
            os.rename(self.output, old)
            os.rename(self.path, self.output)
        self.removing = threading.Thread(target=shutil.rmtree, args=(old,), kwargs={"ignore_errors": True})
        self.removing.start()

    def discard(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


class Preview:
    """`gsgen serve`'s folder, updated in place (a preview needs no atomic swap, and rewriting
    20,000 files on each save of a large site took seconds): a build rewrites only the files whose
    content changed and removes those it no longer writes, all at its end; a failed build changes
    nothing, so the browser keeps the last good site. Each file is replaced by a rename, so a page
    served meanwhile is the old one or the new one, never half of each."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.path.mkdir(parents=True, exist_ok=True)
        (self.path / MARKER).write_text(MARKER_TEXT, "utf-8")
        self.keys: dict[str, str] = {}  # each file in the folder → its fingerprint or SHA-256

    def update(self, within: str = "", keep: str | None = None) -> PreviewUpdate:
        """Changes to the files under `within` (all by default), leaving those under `keep` as they
        are: a build's pages go live while the search index of the last one stays, until the new
        index is ready and replaces it (gsgen serve)."""
        return PreviewUpdate(self, within, keep)


class PreviewUpdate:
    """One build's changes to a preview, with the interface of `Staging`."""

    def __init__(self, preview: Preview, within: str = "", keep: str | None = None) -> None:
        self.preview = preview
        self.within, self.keep = within, keep
        self.written: set[str] = set()  # every file of the new output, as posix paths
        self.keys: dict[str, str] = {}
        self.pending: dict[str, bytes] = {}  # files whose content changed, written by commit()

    def __enter__(self) -> PreviewUpdate:
        return self

    def __exit__(self, *exc: object) -> None:
        self.pending.clear()

    def current(self, rel: str, key: str) -> bool:
        if self.preview.keys.get(rel) != key:
            return False
        self.written.add(rel)
        self.keys[rel] = key
        return True

    def write(self, rel: str, content: str | bytes, key: str | None = None) -> None:
        data = content.encode("utf-8") if isinstance(content, str) else content
        key = key or hashlib.sha256(data).hexdigest()
        self.written.add(rel)
        self.keys[rel] = key
        if self.preview.keys.get(rel) != key:
            self.pending[rel] = data

    def write_many(self, files: dict[str, bytes], key: str | None = None) -> None:
        """`key`: what the files were made from (the search records' digest), known without hashing them."""
        for rel, data in files.items():
            self.write(rel, data, f"{key}/{rel}" if key else None)

    def copy(self, rel: str, source: Path) -> None:
        self.write(rel, source.read_bytes())

    def read(self, rel: str) -> bytes | None:
        if rel in self.pending:
            return self.pending[rel]
        return (self.preview.path / rel).read_bytes() if rel in self.written else None

    def commit(self) -> None:
        root = self.preview.path
        for rel, data in self.pending.items():
            target = root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_name(f".{target.name}.gsgen-tmp")
            temporary.write_bytes(data)
            os.replace(temporary, target)
        others = {rel: key for rel, key in self.preview.keys.items() if not self._updates(rel)}
        for rel in set(self.preview.keys) - self.written - set(others):
            (root / rel).unlink(missing_ok=True)
        self.preview.keys = others | self.keys
        self.pending = {}

    def _updates(self, rel: str) -> bool:
        return rel.startswith(self.within) and not (self.keep and rel.startswith(self.keep))

    def discard(self) -> None:
        self.pending.clear()


def _remove_leftovers(output: Path) -> None:
    """Staging folders of builds that were killed before they could clean up.

    Where the atomic exchange is not available, a build killed between its two renames leaves the
    previous output under its old-name: put it back before anything else.
    """
    if not output.exists():
        for old in sorted(output.parent.glob(f"{OLD_PREFIX}{output.name}-*")):
            os.rename(old, output)
            break
    for prefix in (STAGING_PREFIX, OLD_PREFIX):
        for leftover in output.parent.glob(f"{prefix}{output.name}-*"):
            shutil.rmtree(leftover, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux renameat2 with RENAME_EXCHANGE); False where unsupported."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    return result == 0
