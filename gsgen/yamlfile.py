"""Reading YAML the way editors expect it, and remembering where every value came from.

Only strings, mappings, lists, `true`/`false` and empty values exist here: numbers and dates stay
text (so `id_code: 0100000001` keeps its leading zero and `date: 2024-03-05` is not turned into a
Python date), and each field's own parser decides what the text means. Python tags are refused, and
aliases too: they are never needed in content and they are the way to a "billion laughs" file (the
composer shares an alias's node, so refusing its second visit keeps a bomb's cost that of its text).
A document longer than limits.MAX_YAML_CHARS is not parsed; values nested deeper than MAX_YAML_DEPTH
and list entries past their LIST_LIMITS are not built, and each is a problem of its field (FIELD).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

try:  # libyaml's parser is ten times faster than the pure-Python one
    from yaml._yaml import CParser as _Parser
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml.loader import BaseLoader as _Parser  # type: ignore[assignment]

from yaml.resolver import BaseResolver

from gsgen.limits import MAX_YAML_CHARS, MAX_YAML_DEPTH, list_limit

STR, BOOL, NULL = "tag:yaml.org,2002:str", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null"
SEQ, MAP = "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"

Path = tuple[str | int, ...]


class _Resolver(BaseResolver):
    pass


_Resolver.add_implicit_resolver(BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
_Resolver.add_implicit_resolver(NULL, re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""])


class _Loader(_Parser, _Resolver):  # type: ignore[misc, valid-type]
    def __init__(self, stream: str) -> None:
        _Parser.__init__(self, stream)
        _Resolver.__init__(self)


class YamlProblem(Exception):
    """A file that cannot be read as content; `line` is 1-based within the file."""

    def __init__(self, line: int, message: str, rule: str = "YAML") -> None:
        super().__init__(message)
        self.line = line
        self.message = message
        self.rule = rule


@dataclass
class Doc:
    """A parsed YAML document: its data, and the 1-based line of every value in it."""

    data: Any
    lines: dict[Path, int] = field(default_factory=dict)
    # Values over a bound of limits.py, left out of `data`: (line, message), reported as FIELD errors.
    over_limits: list[tuple[int, str]] = field(default_factory=list)
    # What was made from this file and is kept with it: the item (load._Content._item_from), its digest
    # (fingerprint.ItemDigests), rules' findings in it (rules.each_item). gsgen serve reuses a file's
    # Doc while the file is unchanged, so a save works these out again only for the files saved.
    derived: dict = field(default_factory=dict, compare=False, repr=False)

    def line(self, *path: str | int) -> int:
        """The line of the value at `path`, or of its nearest ancestor that has one."""
        for end in range(len(path), -1, -1):
            found = self.lines.get(path[:end])
            if found:
                return found
        return 1

    def strings(self) -> Iterator[tuple[Path, str]]:
        """Every text value in the document, with its path (the key of `lines`)."""
        todo: list[tuple[Path, Any]] = [((), self.data)]
        while todo:
            path, value = todo.pop()
            if isinstance(value, str):
                yield path, value
            elif isinstance(value, dict):
                todo.extend(((*path, k), v) for k, v in reversed(value.items()))
            elif isinstance(value, list):
                todo.extend(((*path, n), v) for n, v in reversed(list(enumerate(value))))


def load(text: str, first_line: int = 1) -> Doc:
    """Parse one YAML document; `first_line` is the file line the text starts on."""
    if len(text) > MAX_YAML_CHARS:
        raise YamlProblem(first_line + text.count("\n", 0, MAX_YAML_CHARS), _too_long(text), "FIELD")
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        row = mark.line if mark else 0
        lines = text.splitlines()
        source_line = lines[row] if row < len(lines) else ""
        raise YamlProblem(first_line + row, f"YAML 格式错误：{_explain(exc, source_line)}") from None
    except yaml.YAMLError as exc:
        raise YamlProblem(first_line, f"YAML 格式错误：{exc}") from None
    finally:
        loader.dispose()
    doc = Doc(None)
    if node is not None:
        try:
            doc.data = _Builder(doc, first_line).build(node, ())
        except RecursionError:
            raise YamlProblem(first_line, "YAML 嵌套层级过深，请检查缩进或括号是否成对") from None
    return doc


def _too_long(text: str) -> str:
    return (
        f"YAML 内容有 {len(text):,} 个字符，超过上限 {MAX_YAML_CHARS:,} 个：请把条目拆成几个文件，"
        "大量数据请放进 CSV 文件，用 data: 引用"
    )


def _field_name(path: Path) -> str:
    return ".".join(str(p) for p in path) or "（整个文件）"


def _explain(exc: yaml.MarkedYAMLError, source_line: str) -> str:
    problem = str(exc.problem or exc.context or exc)
    if "\t" in source_line:
        return "不能用 Tab 缩进，请改用空格"
    if "another document" in problem:
        return "一个文件只能有一个 YAML 文档（多了一行 ---？）"
    for english, chinese in _PROBLEMS:
        if english in problem:
            return chinese
    return f"{problem}（请检查这一行的缩进、冒号和引号）"


# libyaml's messages, as an editor would understand them.
_PROBLEMS = [
    ("mapping values are not allowed", "冒号后的内容需要加引号，或检查缩进是否对齐"),
    ("nesting depth", "嵌套层级过深，请检查括号是否成对"),
    ("could not find expected ':'", "缺少冒号“:”，或上一行的引号、括号没有闭合"),
    ("found unexpected end of stream", "引号或括号没有闭合"),
    ("did not find expected node content", "列表或括号中缺少内容，请检查逗号和括号"),
    ("did not find expected ',' or ']'", "方括号 [ ] 没有闭合，或列表项之间缺少逗号"),
    ("did not find expected ',' or '}'", "花括号 { } 没有闭合，或项之间缺少逗号"),
    ("found undefined alias", "不支持 YAML 别名（*名称），请把内容直接写出来"),
    ("found character that cannot start any token", "这一行有 YAML 不允许的字符（如 @、` 或 Tab），请给内容加引号"),
    # "\ud800" (a lone surrogate, not a character) or "\U00110000" in a double-quoted value
    (
        "found invalid Unicode character escape code",
        "引号中的 \\u 转义不是一个字符（如单独的 \\ud800）：请删除它，直接写出文字",
    ),
    ("found unknown escape character", "引号中的 \\ 后面不是 YAML 认识的转义：要写 \\ 本身时写成 \\\\，或改用单引号"),
]


class _Builder:
    def __init__(self, doc: Doc, first_line: int) -> None:
        self.lines = doc.lines
        self.over_limits = doc.over_limits
        self.offset = first_line
        self.seen: set[int] = set()

    def build(self, node: Node, path: Path, key_line: int | None = None) -> Any:
        """`key_line`: the line of the field whose value `node` is, where its problems are reported."""
        line = self.offset + node.start_mark.line
        if id(node) in self.seen:
            raise YamlProblem(line, "不支持 YAML 别名（*名称），请把内容直接写出来")
        self.seen.add(id(node))
        self.lines[path] = line
        if isinstance(node, ScalarNode):
            return self._scalar(node, line)
        if len(path) >= MAX_YAML_DEPTH:
            message = f"字段 {_field_name(path)} 嵌套超过 {MAX_YAML_DEPTH} 层：请检查缩进和括号，或把内容写得平直些"
            self.over_limits.append((key_line or line, message))
            return None
        if isinstance(node, SequenceNode) and node.tag == SEQ:
            return self._sequence(node, path, key_line or line)
        if isinstance(node, MappingNode) and node.tag == MAP:
            return self._mapping(node, path)
        raise YamlProblem(line, f"不支持的 YAML 标签 {node.tag}，请删除标签，只写普通的值")

    def _scalar(self, node: ScalarNode, line: int) -> str | bool | None:
        if node.tag == STR:
            return node.value
        if node.tag == BOOL:
            return node.value.lower() == "true"
        if node.tag == NULL:
            return None
        raise YamlProblem(line, f"不支持的 YAML 标签 {node.tag}，请删除标签，只写普通的值")

    def _mapping(self, node: MappingNode, path: Path) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            line = self.offset + key_node.start_mark.line
            if not isinstance(key_node, ScalarNode) or key_node.tag not in (STR, BOOL, NULL):
                raise YamlProblem(line, "字段名必须是普通文字")
            key = key_node.value
            if key == "<<":
                raise YamlProblem(line, "不支持 YAML 合并（<<），请把字段直接写出来")
            if key in out:
                raise YamlProblem(line, f"字段 {key} 重复出现，请只保留一个")
            out[key] = self.build(value_node, (*path, key), line)
            self.lines[(*path, key)] = line
        return out

    def _sequence(self, node: SequenceNode, path: Path, line: int) -> list[Any]:
        """The list's entries up to its bound (limits.LIST_LIMITS): the rest are not built."""
        most, advice = list_limit(path[-1] if path else "")
        if len(node.value) > most:
            name = _field_name(path)
            self.over_limits.append((line, f"字段 {name} 有 {len(node.value):,} 项，超过上限 {most:,} 项：{advice}"))
        return [self.build(child, (*path, i)) for i, child in enumerate(node.value[:most])]
