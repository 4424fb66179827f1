"""Checking rendered HTML: page rules as each page is rendered, output rules once all are, and
`gsgen check` on any folder of HTML (the rules marked `out` in the catalogue only, as there is no site model).

`gsgen check` reads other systems' pages, so it never stops on one: a page it cannot read (binary,
undecodable) or that breaks a rule's code is a CHECK-INPUT finding naming the file, and the run goes
on. Pages are read in the encoding they declare, as browsers do (a byte-order mark, then a
`<meta charset>` near the top), else as UTF-8, else as GB18030 (a superset of GB2312 and GBK, which
older portals use), with a warning whenever bytes had to be replaced.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from pathlib import Path

from gsgen.diagnostics import Diagnostic, Severity
from gsgen.htmlpage import HtmlPage, parse_page
from gsgen.rules import CheckContext, check_output, check_page
from gsgen.rules.catalogue import RULES

# Files `gsgen check` reads as pages, in any case: static pages and server-side includes.
PAGE_SUFFIXES = (".html", ".htm", ".shtml", ".shtm", ".xhtml")
CHECK_INPUT = "CHECK-INPUT"
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
PRESCAN_BYTES = 1024  # where browsers look for <meta charset> (HTML's encoding prescan)
# Labels the WHATWG Encoding Standard reads as GBK, which decodes as GB18030 does.
_GB_LABELS = {"gb2312", "gbk", "x-gbk", "gb_2312-80", "csgb2312", "chinese", "iso-ir-58", "csiso58gb231280"}


class PageChecker:
    """Collects page findings as pages are rendered, keeping what the output rules need."""

    def __init__(self, ctx: CheckContext, out_only: bool = False) -> None:
        self.ctx, self.out_only = ctx, out_only
        self.pages: list[HtmlPage] = []
        self._shared: dict = {}  # links, resources and meta values as first seen on a page

    def page(self, path: str, html: str) -> list[Diagnostic]:
        found, page = checked_page(path, html, self.ctx, self.out_only)
        self.keep(page)
        return found

    def keep(self, page: HtmlPage) -> None:
        """Keep a page (as `for_output_rules` made it) for the output rules, its parts shared with the
        pages kept before: the menu's links, the stylesheets and the site's meta values are the same
        on thousands of pages, and kept once the kept pages take half the memory (2,000 items: 29.5
        MB → 15.3 MB), which matters when a build holds 100,000 of them. A page kept by an earlier
        build (gsgen serve keeps unchanged pages in memory) shares its parts already."""
        self.pages.append(page)
        if page.__dict__.get("_shared"):
            return
        page.__dict__["_shared"] = True
        shared = self._shared
        page.links = [shared.setdefault(link, link) for link in page.links]
        page.resources = [
            shared.setdefault((r.tag, r.url, r.line, tuple(r.attrs.items()), r.in_head), r) for r in page.resources
        ]
        page.meta = {shared.setdefault(k, k): shared.setdefault(v, v) for k, v in page.meta.items()}
        page.meta_lines = {shared.setdefault(k, k): v for k, v in page.meta_lines.items()}

    def output(self) -> list[Diagnostic]:
        return check_output(self.pages, self.ctx, self.out_only)


def checked_page(path: str, html: str, ctx: CheckContext, out_only: bool = False) -> tuple[list[Diagnostic], HtmlPage]:
    """A page's findings, and what the output rules will read of it."""
    page = parse_page(path, html)
    found = check_page(page, ctx, out_only)
    if out_only and page.unread:  # gsgen check runs no SAFE-HTML: the page is still not judged whole
        message = f"页面只检查了前一部分：HTML 解析器在读完之前停止（{page.unread.strip()}），其余部分未检查"
        found.append(_input_finding(path, Severity.ERROR, message))
    return found, page.for_output_rules()


def is_page(path: str) -> bool:
    return path.lower().endswith(PAGE_SUFFIXES)


@dataclass
class FolderCheck:
    findings: list[Diagnostic] = field(default_factory=list)
    pages: int = 0  # pages read and checked


def check_folder(
    folder: Path,
    trusted_hosts: tuple[str, ...] = (),
    page: str | None = None,
    whole_site: bool = True,
    domain: str | None = None,
) -> FolderCheck:
    """`gsgen check`: the *(out)* rules on every page under `folder` (PAGE_SUFFIXES), or on one `page`
    in it (its links resolved against the folder's files). No page at all is itself a finding.
    `whole_site`: the folder is the whole site, so a link to a file it lacks is a broken link; else
    each page's unresolved site links are one warning. `domain`: the site's, whose absolute links are
    the site's own."""
    files = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}

    def read(path: str) -> bytes | None:
        target = folder / path
        return target.read_bytes() if path in files else None

    ctx = CheckContext(None, domain, trusted_hosts, files, read, whole_site=whole_site)
    checker = PageChecker(ctx, out_only=True)
    result = FolderCheck()
    for path in [page] if page else sorted(p for p in files if is_page(p)):
        try:
            data = (folder / path).read_bytes()
        except OSError as exc:  # unreadable (permissions, a broken link): said, and the run goes on
            result.findings.append(_input_finding(path, Severity.ERROR, f"无法读取此文件（{exc.strerror}），未检查"))
            continue
        text, problem = page_text(data)
        if problem:
            result.findings.append(_input_finding(path, *problem))
        if text is None:
            continue
        try:
            result.findings.extend(checker.page(path, text))
        except Exception as exc:  # another system's page must not stop the audit of the rest
            result.findings.append(
                _input_finding(
                    path,
                    Severity.ERROR,
                    f"检查此页时出错（{type(exc).__name__}: {exc}），其余页面照常检查；请把这个文件反馈给 gsgen 的维护者",
                )
            )
            continue
        result.pages += 1
    if result.pages == 0 and not page:
        kinds = "、".join(PAGE_SUFFIXES)
        result.findings.append(
            _input_finding(
                ".", Severity.ERROR, f"文件夹中没有可检查的网页（{kinds}，不区分大小写）：请确认路径是网站的输出文件夹"
            )
        )
        return result
    try:
        result.findings.extend(checker.output())
    except Exception as exc:  # likewise: the findings so far are still reported
        result.findings.append(
            _input_finding(
                ".",
                Severity.ERROR,
                f"全站检查时出错（{type(exc).__name__}: {exc}）；请把这个文件夹反馈给 gsgen 的维护者",
            )
        )
    return result


def page_text(data: bytes) -> tuple[str | None, tuple[Severity, str] | None]:
    """The text of a page file, and a problem with reading it, if any: (None, error) when it is not a
    web page at all; (text, warning) when some bytes could not be decoded and were replaced."""
    encoding, declared = _encoding(data)
    if encoding is None and b"\0" in data[:PRESCAN_BYTES]:
        return None, (
            Severity.ERROR,
            "不是网页：文件中有二进制内容（可能是图片、压缩包或损坏的文件改了扩展名），未检查",
        )
    if encoding is None:
        try:
            return data.decode("utf-8"), None
        except UnicodeDecodeError:
            encoding = "gb18030"  # older portals' pages without a declared charset
    try:
        return data.decode(encoding), None
    except UnicodeDecodeError:
        text = data.decode(encoding, errors="replace")
        bad = text.count("\ufffd")
        named = f"声明的编码 {declared}" if declared else f"编码 {encoding.upper()}"
        return text, (
            Severity.WARN,
            f"有 {bad} 处字节不符合{named}，已替换为 �：页面在浏览器中会显示乱码，请以正确的编码保存并在 <meta charset> 中声明",
        )


def _encoding(data: bytes) -> tuple[str | None, str | None]:
    """(codec, the label as the page wrote it): from a byte-order mark or a <meta charset> in the first
    PRESCAN_BYTES; (None, None) when the page declares none or one Python does not know."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return codec + ("-sig" if codec == "utf-8" else ""), None
    match = _META_CHARSET.search(data[:PRESCAN_BYTES])
    if not match:
        return None, None
    label = match.group(1).decode("ascii", "replace").strip().lower()
    if label in _GB_LABELS or label == "gb18030":
        return "gb18030", label
    try:
        return codecs.lookup(label).name, label
    except LookupError:
        return None, None


def _input_finding(path: str, severity: Severity, message: str) -> Diagnostic:
    return Diagnostic(path, 0, CHECK_INPUT, severity, message, RULES[CHECK_INPUT].source)
