"""The last stage: write into a staging folder beside the output, then swap it into place.

The previous output is never touched until the new one is complete: a failed build deletes its
staging folder, and a killed one leaves only a hidden staging folder that the next build removes.
On Linux the swap is one atomic `renameat2(RENAME_EXCHANGE)`, so even a kill during the swap leaves
either the old output or the new one, whole.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import tempfile
from pathlib import Path

STAGING_PREFIX = ".gsgen-staging-"
OLD_PREFIX = ".gsgen-old-"


class Staging:
    """A folder the build writes into; `commit()` makes it the output."""

    def __init__(self, output: Path) -> None:
        self.output = output.resolve()
        self.output.parent.mkdir(parents=True, exist_ok=True)
        _remove_leftovers(self.output)
        self.path = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{self.output.name}-", dir=self.output.parent))
        self.written: set[str] = set()  # every file written so far, as posix paths

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, *exc: object) -> None:
        """Whatever happened, a staging folder that was not committed is removed."""
        if self.path.exists():
            self.discard()

    def write(self, rel: str, content: str | bytes) -> None:
        target = self.path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            content = content.encode("utf-8")
        target.write_bytes(content)
        self.written.add(rel)

    def copy(self, rel: str, source: Path) -> None:
        target = self.path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        self.written.add(rel)

    def link(self, rel: str, source: Path) -> None:
        """Put `source` in the output as `rel` without copying it (a hard link), where the disk allows."""
        target = self.path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source, target)
        except OSError:  # another file system, or one without hard links
            shutil.copyfile(source, target)
        self.written.add(rel)

    def link_tree(self, rel: str, source: Path) -> None:
        """Every file under `source` into the output under `rel`, linked (see `link`)."""
        for path in sorted(source.rglob("*")):
            if path.is_file():
                self.link(f"{rel}/{path.relative_to(source).as_posix()}", path)

    def adopt(self, folder: str) -> None:
        """Count as written the files another program put under `folder` of the staging folder."""
        for path in (self.path / folder).rglob("*"):
            if path.is_file():
                self.written.add(path.relative_to(self.path).as_posix())

    def read(self, rel: str) -> bytes | None:
        """A file written so far, for checks that look at more than one file."""
        return (self.path / rel).read_bytes() if rel in self.written else None

    def commit(self) -> None:
        os.chmod(self.path, 0o755)  # mkdtemp makes it private; the published folder is not
        if not self.output.exists():
            os.rename(self.path, self.output)
        elif _exchange(self.path, self.output):
            shutil.rmtree(self.path)  # now holds the previous output
        else:
            old = self.output.parent / f"{OLD_PREFIX}{self.output.name}-{os.getpid()}"
            os.rename(self.output, old)
            os.rename(self.path, self.output)
            shutil.rmtree(old)

    def discard(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


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
