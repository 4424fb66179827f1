"""Reading the files editors write: text as UTF-8 (with or without BOM, any newline), YAML through
`yamlfile`, Markdown items split into front matter and body. Each problem becomes a diagnostic with the
file and line; nothing here raises on bad input."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gsgen.diagnostics import Diagnostic
from gsgen.limits import MAX_FILE_BYTES
from gsgen.rules.catalogue import diagnostic
from gsgen.unprintable import FORBIDDEN, codepoint, first_forbidden
from gsgen.yamlfile import Doc, YamlProblem
from gsgen.yamlfile import Path as YamlPath  # a value's place in a document, as Doc.lines keys it
from gsgen.yamlfile import load as load_yaml


def read_text(path: Path, rel: str, found: list[Diagnostic]) -> str | None:
    """A file's text with newlines made plain, or None after saying why it cannot be read."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:  # not read: a file's size bounds the memory it takes
            message = (
                f"文件有 {size / 1e6:,.1f} MB，超过上限 {MAX_FILE_BYTES / 1e6:,.0f} MB："
                "请把条目拆成几个文件，大段内容或数据可作为附件（PDF、CSV）发布"
            )
            found.append(diagnostic("LAYOUT", rel, 1, message))
            return None
        data = path.read_bytes()
    except OSError as exc:
        found.append(diagnostic("YAML", rel, 0, f"无法读取文件（{exc.strerror}），请检查文件权限"))
        return None
    if b"\x00" in data:
        found.append(diagnostic("YAML", rel, 1, "这不是文本文件，请检查文件是否放错或已损坏"))
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        found.append(
            diagnostic(
                "YAML",
                rel,
                line,
                "文件不是 UTF-8 编码（可能是 GBK），请在编辑器中选择"
                "“另存为 UTF-8”，或运行 iconv -f GBK -t UTF-8 转换后再提交",
            )
        )
        return None
    return _without_controls(text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text, rel, found)


MAX_CONTROL_LINES = 10  # lines with control characters reported per file: enough to find the rest


def _without_controls(text: str, rel: str, found: list[Diagnostic]) -> str:
    """The text, its control characters (unprintable.py) each said at its line and replaced by U+FFFD:
    what is read of it stays text while the build stops (an error)."""
    if first_forbidden(text) is None:
        return text
    bad = [(n, ch) for n, line in enumerate(text.split("\n"), start=1) if (ch := first_forbidden(line))]
    for n, ch in bad[:MAX_CONTROL_LINES]:
        message = (
            f"这一行有看不见的控制字符 {codepoint(ch)}（多半是从别处复制粘贴时带进来的）："
            "网页上看不到它，RSS 等 XML 文件有了它就无法读取。请删除它（可在编辑器中显示不可见字符后删除）"
        )
        found.append(diagnostic("YAML", rel, n, message))
    if len(bad) > MAX_CONTROL_LINES:
        more = f"此后还有 {len(bad) - MAX_CONTROL_LINES} 行有控制字符：请一并删除"
        found.append(diagnostic("YAML", rel, bad[MAX_CONTROL_LINES][0], more))
    return FORBIDDEN.sub("\ufffd", text)


def read_yaml(text: str, rel: str, found: list[Diagnostic], first_line: int = 1) -> Doc | None:
    try:
        doc = load_yaml(text, first_line)
    except YamlProblem as exc:
        found.append(diagnostic(exc.rule, rel, exc.line, exc.message))
        return None
    if "\\" in text:  # only an escape in a "quoted" value (\e, \x01, \u0001) writes a control character
        doc.data = _escaped_controls(doc, doc.data, (), rel, found)
    found.extend(diagnostic("FIELD", rel, line, message) for line, message in doc.over_limits)
    return doc


def _escaped_controls(doc: Doc, value: Any, path: YamlPath, rel: str, found: list[Diagnostic]) -> Any:
    """`value` with the control characters its strings were given by escapes replaced by U+FFFD, each
    string holding one a FIELD error at its line, naming the field and the character."""
    if isinstance(value, dict):
        for key in list(value):
            if first_forbidden(key):
                _field_control(doc, (*path, key), key, rel, found)
            value[key] = _escaped_controls(doc, value[key], (*path, key), rel, found)
    elif isinstance(value, list):
        value[:] = [_escaped_controls(doc, v, (*path, n), rel, found) for n, v in enumerate(value)]
    elif isinstance(value, str) and first_forbidden(value):
        _field_control(doc, path, value, rel, found)
        return FORBIDDEN.sub("\ufffd", value)
    return value


def _field_control(doc: Doc, path: YamlPath, text: str, rel: str, found: list[Diagnostic]) -> None:
    """`text`, the field at `path` or its name (the last part of `path`), holds a control character."""
    name = FORBIDDEN.sub("\ufffd", ".".join(str(p) for p in path))
    message = (
        f"字段 {name} 有看不见的控制字符 {codepoint(first_forbidden(text) or '')}（多半是写了 \\e、\\x01、"
        "\\u0001 这样的转义，或复制粘贴时带进来的）：网页上看不到它，RSS 等 XML 文件有了它就无法读取。请删除它"
    )
    found.append(diagnostic("FIELD", rel, doc.line(*path), message))


_FRONT_MATTER_END = re.compile(r"^(?:---|\.\.\.)[^\S\n]*$", re.MULTILINE)


def split_front_matter(text: str) -> tuple[str, str, int]:
    """(front matter, body, the line the body starts on); the front matter starts on line 2. Found
    in the text, not in a list of its lines: a file of 400,000 lines would take 30 MB more as one."""
    first = text.partition("\n")[0]
    if first.strip() != "---":
        raise YamlProblem(
            1, "文件开头缺少 front matter：第一行应为 ---，其后写 title、date、source 等字段，再以一行 --- 结束"
        )
    start = len(first) + 1
    end = _FRONT_MATTER_END.search(text, start) if start <= len(text) else None
    if end is None:
        raise YamlProblem(1, "front matter 没有结束：请在字段之后加一行 ---，再写正文")
    front = text[start : end.start() - 1] if end.start() > start else ""
    closing = text.count("\n", 0, end.start()) + 1
    return front, text[end.end() + 1 :], closing + 1


def mapping_doc(doc: Doc | None, rel: str, found: list[Diagnostic], what: str) -> Doc | None:
    if doc is None:
        return None
    if doc.data is None:
        doc.data = {}
    if not isinstance(doc.data, dict):
        found.append(diagnostic("FIELD", rel, 1, f"{what}应为“字段: 值”形式的设置，而不是列表或单个值"))
        return None
    return doc


@dataclass
class ItemSource:
    """An item file as read: its YAML (front matter) and Markdown body, and what was wrong."""

    readable: bool  # False: nothing more to make of it (`found` says why)
    doc: Doc | None = None
    body: str = ""
    body_line: int = 1
    found: list[Diagnostic] = field(default_factory=list)


def item_source(path: Path, rel: str, markdown: bool) -> ItemSource:
    found: list[Diagnostic] = []
    text = read_text(path, rel, found)
    if text is None:
        return ItemSource(False, found=found)
    if not markdown:
        return ItemSource(True, read_yaml(text, rel, found), found=found)
    try:
        front, body, body_line = split_front_matter(text)
    except YamlProblem as exc:
        return ItemSource(False, found=[*found, diagnostic("YAML", rel, exc.line, exc.message)])
    return ItemSource(True, read_yaml(front, rel, found, first_line=2), body, body_line, found)


class SourceCache(dict):
    """Item files read by an earlier build of this process (gsgen serve builds on every save), by
    path, reused while the file is the same one with the same size and times: reading and parsing the
    YAML of 10,000 items is most of a rebuild's loading."""

    def read(self, path: str, read: Callable[[], ItemSource]) -> ItemSource:
        try:
            st = os.stat(path)
        except OSError:
            return read()
        key = (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
        hit = self.get(path)
        if hit is not None and hit[0] == key:
            return hit[1]
        source = read()
        self[path] = (key, source)
        return source
