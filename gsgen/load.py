"""Stage 1, load: read content/ (and, through config.py, config.yaml) into the site model, reporting
every problem found.

Nothing here stops at the first problem: a value that cannot be read becomes None, a diagnostic says
where and why, and the build decides afterwards whether to go on.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import posixpath
import stat
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from gsgen import fields as f
from gsgen import xxgk
from gsgen.coltypes import COLUMN_TYPES, FILE_KEYS, POLICY_STATUSES, RECORD_KEYS, URL_FIELDS
from gsgen.config import CONFIG, load_config
from gsgen.dates import BadDate, parse_period
from gsgen.diagnostics import Diagnostic
from gsgen.fields import FieldReader
from gsgen.gate.files import SvgRefused, clean_svg, content_type_problem, picture_size, suffix
from gsgen.limits import MAX_CSV_CELL_CHARS, MAX_DATA_COLUMNS, MAX_DATA_ROWS
from gsgen.markdown import BodyCache, BodySource
from gsgen.model import Attachment, Column, Config, Item, Site, held_back
from gsgen.paths import CONTENT, ITEM_SUFFIXES, SCHEME, escapes_content, resolve_ref, site_path
from gsgen.rules.catalogue import diagnostic
from gsgen.sources import SourceCache, item_source, mapping_doc, read_text, read_yaml
from gsgen.yamlfile import Doc

COLUMN_FILE = "_column.yaml"
_ITEM = "item"  # where an item file's parse keeps the item made from it (Doc.derived)

COLUMN_FIELDS = ("name", "type", "description", "keywords", "order", "update_period", "archived", "url", "source")
ITEM_FIELDS = (
    "title",
    "date",
    "source",
    "author",
    "keywords",
    "description",
    "image",
    "draft",
    "archived",
    "review",
    "allow_personal_info",
    "attachments",
    # 信息公开目录 (xxgk.py), optional on any item:
    "index_no",  # 索引号; default <site.id_code>/<item path>, stable when other items come and go
    "topic",  # 主题分类; default the column's name
    "written",  # 成文日期, a date; no default (发布机构 is a policy's issuer, else source; 文号 doc_number)
)


def load_site(
    root: Path,
    bodies: BodyCache | None = None,
    jobs: int = 0,
    sources: SourceCache | None = None,
    now: datetime | None = None,
) -> tuple[Site, list[Diagnostic]]:
    """The site under `root` as published at `now` and what was wrong with its files; `bodies`:
    Markdown parsed by an earlier build (the build cache), to parse only bodies that changed; `jobs`:
    processes parsing Markdown (0: one per core); `sources`: item files read by an earlier build of
    this process; `now`: the time of the build, which holds back items dated later (定时发布) before
    bodies are linked and columns filled (without it, nothing is held and no date rule runs)."""
    found: list[Diagnostic] = []
    config = load_config(root, found)
    site = _Content(root, found, SourceCache() if sources is None else sources).load(config)
    site.now, site.held = now, held_back(site.items, now)
    _link(site, BodyCache() if bodies is None else bodies, jobs, found)
    return site, found


# ---------------------------------------------------------------- content/


class _Content:
    """Walks content/ once: columns from `_column.yaml`, items from `.md`/`.yaml`, the rest assets."""

    def __init__(self, root: Path, found: list[Diagnostic], sources: SourceCache) -> None:
        self.sources = sources
        self.root = root
        self.content = root / CONTENT
        self.content_dir = str(self.content)
        self.found = found
        self.columns: dict[str, Column] = {}
        self.items: dict[str, Item] = {}
        self.files_key = ""

    def load(self, config: Config) -> Site:
        files = self._files()
        site = Site(self.root, config, self.columns, self.items, assets=[])
        if files is None:
            return site
        for misnamed in [p for p in files if posixpath.basename(p) in ("_column.yml", "_column.YAML", "column.yaml")]:
            self.found.append(diagnostic("LAYOUT", self._rel(misnamed), 1, f"栏目设置文件必须命名为 {COLUMN_FILE}"))
            files.remove(misnamed)
        # Which files exist decides what items' pictures and attachments resolve to (_item)
        self.files_key = hashlib.sha256("\0".join(files).encode()).hexdigest()
        item_files = [p for p in files if p.endswith(ITEM_SUFFIXES) and posixpath.basename(p) != COLUMN_FILE]
        item_paths = {posixpath.splitext(p)[0] for p in item_files}
        for rel in sorted(p for p in files if posixpath.basename(p) == COLUMN_FILE):
            self._load_column(posixpath.dirname(rel))
        others = set(files) - set(item_files) - {p for p in files if posixpath.basename(p) == COLUMN_FILE}
        for rel in sorted(others):
            self._check_file(rel)
        for rel in item_files:
            folder = posixpath.dirname(rel)
            if folder in self.columns:
                self._load_item(rel, self.columns[folder], others)
            elif _inside_item_folder(folder, item_paths):
                others.add(rel)  # a file an item uses, sitting in the item's own folder
            else:
                self._missing_column(rel)
        site.assets = sorted(others)
        return site

    def _files(self) -> list[str] | None:
        if not self.content.is_dir():
            if (self.root / CONFIG).is_file():  # else config.yaml's error already says this is no site folder
                self.found.append(diagnostic("LAYOUT", CONTENT, 0, "找不到 content/ 文件夹：栏目和条目都放在其中"))
            return None
        files: list[str] = []
        self._walk(self.content, "", self.content.resolve(), files)
        return files

    def _walk(self, folder: Path, prefix: str, inside: Path, files: list[str]) -> None:
        """The files of `folder` in name order, then its sub-folders' in name order (as os.walk gives
        them). Entries tell files from folders without asking the system again for each."""
        try:
            with os.scandir(folder) as listing:
                entries = sorted((e for e in listing if not e.name.startswith(".")), key=lambda e: e.name)
        except OSError as exc:
            self._unreadable(exc)
            return
        folders = []
        for entry in entries:
            rel, path = prefix + entry.name, Path(entry.path)
            if entry.is_symlink():
                if not self._followable(path, rel, inside):
                    continue
                if self._regular(path, rel):
                    files.append(rel)
            elif entry.is_dir(follow_symlinks=False):
                folders.append(entry)
            elif entry.is_file(follow_symlinks=False):
                files.append(rel)
            else:
                self._regular(path, rel)  # says what it is
        for entry in folders:
            self._walk(Path(entry.path), f"{prefix}{entry.name}/", inside, files)

    def _followable(self, path: Path, rel: str, inside: Path) -> bool:
        """Symbolic links are followed only where they stay inside content/: never publish /etc/passwd."""
        if not path.is_symlink():
            return True
        target = path.resolve()
        if not target.is_relative_to(inside) or not target.exists():
            where = "content/ 以外" if target.exists() else "不存在的文件"
            message = f"符号链接指向{where}（{target}）：内容只能来自 content/ 文件夹，请把文件复制进来"
            self.found.append(diagnostic("LAYOUT", self._rel(rel), 0, message))
            return False
        if path.is_dir():
            self.found.append(diagnostic("LAYOUT", self._rel(rel), 0, "文件夹链接不会被读取：请直接把文件夹放在这里"))
            return False
        return True

    def _unreadable(self, error: OSError) -> None:
        """A folder that cannot be listed would silently drop its items from the site: say so."""
        rel = Path(error.filename).relative_to(self.content).as_posix() if error.filename else ""
        message = f"无法读取文件夹（{error.strerror}）：其中的栏目和条目不会发布，请检查文件夹权限"
        self.found.append(diagnostic("LAYOUT", self._rel(rel), 0, message))

    def _regular(self, path: Path, rel: str) -> bool:
        """Pipes, devices and sockets are not content: reading one would hang or fill the disk."""
        try:
            mode = path.stat().st_mode
        except OSError as exc:
            self.found.append(diagnostic("LAYOUT", self._rel(rel), 0, f"无法读取文件（{exc.strerror}）"))
            return False
        if stat.S_ISREG(mode):
            return True
        self.found.append(
            diagnostic("LAYOUT", self._rel(rel), 0, "不是普通文件（管道、设备或套接字），请从 content/ 中删除")
        )
        return False

    def _check_file(self, rel: str) -> None:
        """A file that is not an item: refused if it could run in a browser (gate/files.py)."""
        problem = content_type_problem(rel)
        if problem is None and suffix(rel) == "svg":
            try:
                clean_svg((self.content / rel).read_bytes())
            except SvgRefused as exc:
                problem = str(exc)
            except OSError as exc:
                problem = f"无法读取文件（{exc.strerror}）"
        if problem:
            self.found.append(diagnostic("SAFE-HTML", self._rel(rel), 0, problem))

    def _rel(self, path: str) -> str:
        return f"{CONTENT}/{path}"

    def _missing_column(self, rel: str) -> None:
        folder = posixpath.dirname(rel)
        if folder:
            message = (
                f"文件夹 content/{folder} 没有 {COLUMN_FILE}：每个栏目文件夹都需要它"
                f"（至少写 name 和 type），或把这个条目移到已有栏目中"
            )
        else:
            message = "条目不能直接放在 content/ 下，请放进某个栏目文件夹"
        self.found.append(diagnostic("LAYOUT", self._rel(rel), 1, message))

    def _load_column(self, path: str) -> None:
        rel = self._rel(f"{path}/{COLUMN_FILE}" if path else COLUMN_FILE)
        if not path:
            message = "content/ 本身不是栏目，请删除此文件；首页由 config.yaml 配置"
            self.found.append(diagnostic("LAYOUT", rel, 1, message))
            return
        text = read_text(self.content / path / COLUMN_FILE, rel, self.found)
        doc = mapping_doc(read_yaml(text, rel, self.found) if text is not None else None, rel, self.found, COLUMN_FILE)
        if doc is None:
            doc = Doc({})
        r = FieldReader(doc, rel, self.found)
        r.warn_unknown(COLUMN_FIELDS, "_column.yaml ")
        name = r.get("name", f.text, "COL-META")
        if "name" not in r.data:
            r.report("COL-META", None, "栏目缺少 name（栏目名称，用于 ColumnName）")
        type_ = r.get("type", f.text, "COL-META")
        if type_ not in COLUMN_TYPES:
            known = "、".join(COLUMN_TYPES)
            r.report(
                "FIELD",
                "type" if type_ else None,
                f"栏目类型 {type_ or '（未填写）'} 不在《网页设计规范》的类型中，请从以下类型中选择：{known}",
            )
        period_text = r.get("update_period", f.text)
        period = None
        if period_text:
            try:
                period = parse_period(period_text)
            except BadDate as exc:
                r.report("FIELD", "update_period", str(exc))
        url = r.address("url")
        parent_path = posixpath.dirname(path)
        parent = self.columns.get(parent_path)
        if parent_path and parent is None:
            self.found.append(
                diagnostic(
                    "LAYOUT", rel, 1, f"上级文件夹 content/{parent_path} 没有 {COLUMN_FILE}：子栏目的上级也必须是栏目"
                )
            )
        column = Column(
            path=path,
            name=name or path,
            type=type_ or "其他",
            description=r.get("description", f.text) or "",
            keywords=r.get("keywords", f.texts) or [],
            order=r.get("order", f.whole) or 0,
            update_period=period,
            archived=r.get("archived", f.when, "ARCHIVED"),
            url=url,
            source=r.get("source", f.text),
            parent=parent,
            file=rel,
            doc=doc,
        )
        if parent:
            parent.children.append(column)
        self.columns[path] = column

    def _load_item(self, rel_in_content: str, column: Column, assets: set[str]) -> None:
        rel = self._rel(rel_in_content)
        path, suffix = posixpath.splitext(rel_in_content)
        if path in self.items:
            self.found.append(
                diagnostic(
                    "URL", rel, 1, f"{self.items[path].file} 与本文件发布到同一网址 /{path}.html，请给其中一个改名"
                )
            )
            return
        # a string: joined and stat'ed in 2.6 µs, against 6 µs through pathlib, 10,000 times a save
        path_on_disk = os.path.join(self.content_dir, rel_in_content)
        source = self.sources.read(path_on_disk, lambda: item_source(Path(path_on_disk), rel, suffix == ".md"))
        self.found.extend(source.found)
        if not source.readable:
            return
        doc, body, body_line = source.doc, source.body, source.body_line
        if suffix != ".md":
            kind = column.kind
            if kind and not kind.structured:
                self.found.append(
                    diagnostic(
                        "LAYOUT",
                        rel,
                        1,
                        f"{column.type}栏目的条目请用 Markdown（.md）"
                        "书写；YAML 条目只用于负责人、机构、办事指南、留言、访谈和数据",
                    )
                )
        doc = mapping_doc(doc, rel, self.found, "front matter ")
        if doc is None:
            return
        self.items[path] = self._item_from(doc, rel, path, column, assets, body, body_line)

    def _item_from(
        self, doc: Doc, rel: str, path: str, column: Column, assets: set[str], body: str, body_line: int
    ) -> Item:
        """The item a file gives, with what was wrong in its fields. In gsgen serve, an unchanged file
        keeps its parse (`Doc`), and the item made from it is made again only if what else it reads
        changed: its column's type, or the files under content/ (pictures and attachments it names are
        looked up among them; a data item reads its table, so it is always made again). A copy is
        given, with this build's column: the last build's item may still be read by its search index."""
        reusable = not (column.kind and column.kind.layout == "data")
        key = (column.type, self.files_key)
        kept = doc.derived.get(_ITEM) if reusable else None
        if kept is None or kept[0] != key:
            found: list[Diagnostic] = []
            item = _item(FieldReader(doc, rel, found), path, column, assets, self.content)
            item.body, item.body_line = body, body_line
            if reusable:  # kept without its column, which would hold that build's whole column tree
                doc.derived[_ITEM] = (key, _with_column(item, None), found)
            self.found.extend(found)
            return item
        self.found.extend(kept[2])
        return _with_column(kept[1], column)


def _with_column(item: Item, column: Column | None) -> Item:
    """A copy of `item` in `column`, parsed body not yet given (`_link` gives it); its values shared.
    (Made by hand: `copy.copy` takes two to three times as long, 10,000 times a save.)"""
    copied = object.__new__(Item)
    copied.__dict__.update(item.__dict__, column=column, parsed=None)
    return copied


def _inside_item_folder(folder: str, item_paths: set[str]) -> bool:
    while folder:
        if folder in item_paths:
            return True
        folder = posixpath.dirname(folder)
    return False


def _item(r: FieldReader, path: str, column: Column, assets: set[str], content: Path) -> Item:
    kind = column.kind
    type_fields = kind.fields if kind else ()
    r.warn_unknown((*ITEM_FIELDS, *type_fields), f"{column.type}栏目的条目")
    item = Item(
        path=path,
        file=r.file,
        column=column,
        doc=r.doc,
        title=r.get("title", f.text, "ART-META"),
        date=r.get("date", f.when, "ART-DATE"),
        source=r.get("source", f.text, "ART-SOURCE"),
        author=r.get("author", f.text),
        keywords=r.get("keywords", f.texts) or [],
        description=r.get("description", f.text),
        draft=bool(r.get("draft", f.flag)),
        archived=r.get("archived", f.when, "ARCHIVED"),
        review={k: str(v) for k, v in (r.get("review", f.mapping) or {}).items() if v},
        allow_personal_info=r.get("allow_personal_info", f.records) or [],
    )
    if "reviewed" in type_fields:
        item.reviewed = r.get("reviewed", f.when)
    image = r.get("image", f.text)
    if image:
        item.image = _asset(r, "image", path, image, assets, "图片")
        if item.image:  # the page reserves the picture's box: nothing moves when it arrives
            item.image_size = picture_size(content / item.image)
    for n in range(len(r.get("attachments", f.records) or [])):
        sub = r.nested("attachments").nested(n)
        file = sub.get("file", f.text)
        found = _asset(sub, "file", path, file, assets, "附件") if file else None
        if not file:
            sub.report("FIELD", None, "附件缺少 file（文件名）")
        if found:
            title = sub.get("title", f.text) or posixpath.basename(found)
            item.attachments.append(Attachment(found, title, sub.line("file")))
    xxgk.read_fields(r, item)
    if item.is_policy:
        _policy_fields(r, item)
    elif item.is_interpretation:
        item.interprets = r.get("interprets", f.text)
    if kind and kind.layout == "data":
        _data_fields(r, item, assets, content)
    elif kind and kind.structured:
        for name in type_fields:
            item.data[name] = _type_field(r, name, path, assets)
        for name in set(type_fields) & set(URL_FIELDS):
            item.data[name] = r.address(name)
    return item


# Type fields read with a parser of their own; the others are kept as written (text or a list of texts).
_PARSED: dict[str, Callable[[Any], Any]] = {
    "topics": f.texts,
    "audience": f.texts,
    "frequent": f.flag,
    "time": f.when,
    "host": f.text,
    "opinions": f.whole,
    "result": f.text,
    "adopted": f.text,
}
VIDEO_SUFFIX = "mp4"  # what every browser plays without a plug-in (PLUGINS)


def _type_field(r: FieldReader, name: str, item_path: str, assets: set[str]) -> Any:
    """One of a structured item's type fields, as `item.data` holds it for the rules and the theme."""
    if name == "related":
        return _related(r)
    if name in RECORD_KEYS:
        return _records(r, name, item_path, assets)
    if name in FILE_KEYS:
        ref = r.get(name, f.text)
        found = _asset(r, name, item_path, ref, assets, FILE_KEYS[name]) if ref else None
        if found and name == "video" and suffix(found) != VIDEO_SUFFIX:
            r.report("FIELD", name, f"视频 {ref} 应为 MP4 格式：浏览器无需插件即可播放，请转换为 MP4 后再发布")
            return None
        return found
    if name == "period":
        return _period(r)
    if name in _PARSED:
        return r.get(name, _PARSED[name])
    return r.data.get(name)


def _period(r: FieldReader) -> dict[str, Any] | None:
    """征集时间 {start, end}; the end tells INTERACT when the result is due."""
    value = r.data.get("period")
    if value is not None and not isinstance(value, dict):
        r.report(
            "FIELD",
            "period",
            "征集时间 period 应写成 {start: 开始时间, end: 结束时间}，如 {start: 2026-10-08, end: 2026-11-07}",
        )
        return None
    if not value:
        return None
    sub = r.nested("period")
    sub.warn_unknown(("start", "end"), "period ")
    start, end = sub.get("start", f.when), sub.get("end", f.when)
    if start and end and end < start:
        sub.report("FIELD", "end", "征集结束时间 period.end 早于开始时间 period.start，请核对")
    return {"start": start, "end": end}


def _related(r: FieldReader) -> list[dict[str, Any]]:
    """相关链接: a title and either a web address, read like any other (so it passes the URL gate), or
    the path of a site item or column, checked once every item is read (LINKS)."""
    links = []
    for n in range(len(r.get("related", f.records) or [])):
        sub = r.nested("related").nested(n)
        sub.warn_unknown(RECORD_KEYS["related"], "related 的每一项")
        title, url = sub.get("title", f.text), sub.get("url", f.text)
        if not url:
            sub.report(
                "FIELD", None, "相关链接缺少 url：请写站内条目的路径（如 zcwj/2024-003）或以 https:// 开头的网址"
            )
        elif SCHEME.match(url):
            address = sub.address("url")
            if address and not title:
                sub.report("FIELD", "url", f"站外链接 {address} 缺少 title：请写链接文字，如 title: 投诉举报")
            if address:
                links.append({"title": title or address, "url": address, "path": None, "line": sub.line("url")})
        else:
            links.append({"title": title, "url": None, "path": site_path(url), "line": sub.line("url")})
    return links


def _asset(r: FieldReader, key: str, item_path: str, ref: str, assets: set[str], what: str) -> str | None:
    found = resolve_ref(item_path, ref, assets)
    if found is None and (ref.startswith(("../", "/")) or "/../" in ref) and escapes_content(item_path, ref):
        r.report("LINKS", key, f"{what} {ref} 指向 content/ 文件夹以外：只能使用站点内容中的文件")
    elif found is None:
        r.report(
            "LINKS",
            key,
            f"{what} {ref} 找不到：请把文件放在条目旁边，或放在与条目同名的文件夹（content/{item_path}/）中",
        )
    return found


def _policy_fields(r: FieldReader, item: Item) -> None:
    item.doc_number = r.get("doc_number", f.text)
    item.issuer = r.get("issuer", f.text)
    item.status = r.get("status", f.text, "POLICY-STATUS") or "有效"
    if item.status not in POLICY_STATUSES:
        r.report("POLICY-STATUS", "status", f"文件状态 {item.status} 无效，应为 {'、'.join(POLICY_STATUSES)} 之一")
    item.status_date = r.get("status_date", f.when, "POLICY-STATUS")
    item.replaced_by = r.get("replaced_by", f.text)
    item.major = bool(r.get("major", f.flag))
    item.normative = bool(r.get("normative", f.flag))
    item.no_interpretation = r.get("no_interpretation", f.text)


def _records(r: FieldReader, name: str, item_path: str, assets: set[str]) -> list[dict[str, Any]]:
    """A list of records with every key of its kind present (None when not given); dates parsed,
    files (photos, forms) resolved like attachments."""
    keys = RECORD_KEYS[name]
    records = []
    for n in range(len(r.get(name, f.records) or [])):
        sub = r.nested(name).nested(n)
        sub.warn_unknown(keys, f"{name} 的每一项")
        values = {key: sub.get(key, f.text) for key in keys if key not in ("asked", "received", "replied")}
        for key in ("asked", "received", "replied"):
            if key in keys:
                values[key] = sub.get(key, f.when)
        for key in [k for k in keys if k in FILE_KEYS]:
            if values.get(key):
                values[key] = _asset(sub, key, item_path, values[key], assets, FILE_KEYS[key])
        records.append(values)
    return records


def _data_fields(r: FieldReader, item: Item, assets: set[str], content: Path) -> None:
    for key in ("unit", "period", "chart"):
        item.data[key] = r.get(key, f.text)
    source = r.get("data", f.text)
    header: list[str] = []
    rows: list[list[str]] = []
    if source:
        found = _asset(r, "data", item.path, source, assets, "数据文件")
        if found:
            item.data["file"] = found
            text = read_text(content / found, f"{CONTENT}/{found}", r.found)
            if text is not None:
                header, rows = _csv_rows(r, text, source, f"{CONTENT}/{found}")
    elif "rows" in r.data:
        header, rows = _inline_rows(r)
    else:
        r.report("FIELD", None, "数据条目需要 data（CSV 文件名）或 rows（直接写出的数据行）")
    if len(header) > MAX_DATA_COLUMNS:
        r.report(
            "FIELD",
            "data" if source else "rows",
            f"数据表有 {len(header):,} 列，超过上限 {MAX_DATA_COLUMNS} 列：请把数据分成几张表，每张一个数据条目",
        )
        header, rows = [], []
    item.data["header"], item.data["rows"] = header, rows


def _csv_rows(r: FieldReader, text: str, source: str, rel: str) -> tuple[list[str], list[list[str]]]:
    """The header and rows of a data file (`rel`), read up to MAX_DATA_ROWS rows (the rest is not read)."""
    table: list[list[str]] = []
    reader = csv.reader(io.StringIO(text))
    try:
        for row in reader:
            if len(table) > MAX_DATA_ROWS:
                r.report(
                    "FIELD",
                    "data",
                    f"数据文件 {source} 超过 {MAX_DATA_ROWS:,} 行：请按年份或地区分成几个文件，每个文件一个数据条目",
                )
                return [], []
            table.append(row)
    except csv.Error as exc:
        if "field larger" in str(exc):
            message = (
                f"这一行有单元格超过上限 {MAX_CSV_CELL_CHARS:,} 个字符（常因引号没有成对）："
                "请检查这一行的引号，长篇文字请作为附件发布"
            )
        else:
            message = f"数据文件无法读取（{exc}）：请用表格软件另存为 CSV（UTF-8）"
        r.found.append(diagnostic("FIELD", rel, reader.line_num, message))
        return [], []
    return (table[0], table[1:]) if table else ([], [])


def _inline_rows(r: FieldReader) -> tuple[list[str], list[list[str]]]:
    value: Any = r.data.get("rows")
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        header = list(dict.fromkeys(k for row in value for k in row))
        return header, [[str(row.get(k) or "") for k in header] for row in value]
    if isinstance(value, list) and value and all(isinstance(v, list) for v in value):
        return [str(c) for c in value[0]], [[str(c or "") for c in row] for row in value[1:]]
    r.report("FIELD", "rows", "rows 应为数据行的列表：每行一个“列名: 值”的设置，或第一行为表头的列表")
    return [], []


# ---------------------------------------------------------------- links between items


def linkable(site: Site) -> frozenset[str]:
    """Paths under content/ a body may link to: assets, and the sources of published items."""
    sources = {i.file.removeprefix(f"{CONTENT}/") for i in site.published}
    return frozenset(site.assets) | frozenset(sources)


def items_files(site: Site) -> set[str]:
    """Files under content/ that items use without a page linking to them: data tables, read when
    the site is built, and the files of drafts and of items held back until their date, the pictures of
    a held item's body among them (published with their item, once it is)."""
    used = set()
    for item in site.items.values():
        if item.data.get("file"):
            used.add(item.data["file"])
        if not site.is_published(item):
            used |= {a for a in site.assets if a.startswith(item.path + "/")}
            used |= {a.file for a in item.attachments} | ({item.image} if item.image else set())
            used |= item.type_files()
            used |= {ref.target for ref in item.parsed.refs if ref.target} if item.parsed else set()
    return used


def _link(site: Site, bodies: BodyCache, jobs: int, found: list[Diagnostic]) -> None:
    files = linkable(site)
    # Held items' bodies too: the pictures and files they show are kept for them (items_files).
    written = [item for item in site.items.values() if not item.draft and item.body.strip()]
    sources = [BodySource(item.body, item.path, item.body_line) for item in written]
    for item, body in zip(written, bodies.bodies(sources, files, site.config.trusted_hosts, jobs), strict=True):
        item.parsed = body
        found.extend(diagnostic("LAYOUT", item.file, line, message) for line, message in body.over_limits)
    for item in site.published:
        item.column.items.append(item)
        if item.is_interpretation and item.interprets:
            site.interpretations.setdefault(item.interprets, []).append(item)
    for interpretations in site.interpretations.values():
        interpretations.sort(key=lambda i: (i.date is None, i.date))
