"""What SAFE-FILE costs: every item of a benchmark corpus (bench/corpus.py) given an attachment of its
own, then the rule timed with no verdict kept (a clean build) and with every verdict kept (a warm
build). Run by hand:

    .venv/bin/python bench/attachments.py 1000 [--runs 3]

The attachments are the example site's PDFs, Word files and pictures (each made distinct by a
trailing comment, so no verdict is shared), a workbook of 50 rows with formulas and a ZIP of a PDF and
a picture, in turn. Prints the median of --runs runs of each.
"""

from __future__ import annotations

import argparse
import io
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import openpyxl

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from gsgen.gate.attachments import Verdicts  # noqa: E402
from gsgen.load import load_site  # noqa: E402
from gsgen.markdown import BodyCache  # noqa: E402
from gsgen.rules.attachments import active_files  # noqa: E402

EXAMPLE = sorted(p for p in (REPO / "content").rglob("*") if p.suffix in (".pdf", ".docx", ".png"))


def workbook(n: int) -> bytes:
    book = openpyxl.Workbook()
    for r in range(50):
        book.active.append([f"项目{r}", r * n, f"=SUM(B1:B{r + 1})"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def archive(n: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as packed:
        packed.writestr("a.pdf", EXAMPLE[0].read_bytes())
        packed.writestr("b.png", (REPO / "content/images/wx-qr.png").read_bytes())
        packed.comment = str(n).encode()
    return out.getvalue()


def attachment(n: int) -> tuple[bytes, str]:
    """The n-th item's attachment, distinct from every other's."""
    if n % 5 == 3:
        return workbook(n), "xlsx"
    if n % 5 == 4:
        return archive(n), "zip"
    source = EXAMPLE[n % len(EXAMPLE)]
    data, ext = source.read_bytes(), source.suffix[1:]
    if ext == "docx":
        buffer = io.BytesIO(data)
        with zipfile.ZipFile(buffer, "a") as packed:
            packed.comment = str(n).encode()
        return buffer.getvalue(), ext
    return data + b"\n%" + str(n).encode() + b"\n", ext


def attach_all(root: Path) -> int:
    items = sorted((root / "content").rglob("*.md"))
    for n, source in enumerate(items):
        data, ext = attachment(n)
        folder = source.with_suffix("")
        folder.mkdir(exist_ok=True)
        (folder / f"fujian.{ext}").write_bytes(data)
        head, rest = source.read_text("utf-8")[4:].split("\n---\n", 1)
        source.write_text(f"---\n{head}\nattachments: [{{file: fujian.{ext}, title: 附件}}]\n---\n{rest}", "utf-8")
    return len(items)


def timed(site, verdicts: Verdicts) -> tuple[float, int]:
    site.file_verdicts = verdicts
    started = time.perf_counter()
    found = list(active_files(site))
    return time.perf_counter() - started, len(found)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", type=int)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        corpus = Path(folder)
        subprocess.run([sys.executable, REPO / "bench/corpus.py", str(args.n), corpus, "--tools", "gsgen"], check=True)
        count = attach_all(corpus / "gsgen")
        site, _found = load_site(corpus / "gsgen", BodyCache(), 1)
        clean, warm = [], []
        for _ in range(args.runs):
            verdicts = Verdicts()
            seconds, found = timed(site, verdicts)
            clean.append(seconds)
            warm.append(timed(site, verdicts)[0])
        size = sum(p.stat().st_size for p in (corpus / "gsgen/content").rglob("fujian.*")) / 1024 / 1024
        print(f"{count} attachments ({size:.1f} MB), {found} findings")
        print(f"SAFE-FILE, no verdict kept: {statistics.median(clean):.2f} s")
        print(f"SAFE-FILE, every verdict kept: {statistics.median(warm):.3f} s")


if __name__ == "__main__":
    main()
