"""Fingerprints of what a page is made from, so that a rebuild renders only pages whose inputs changed.

A page is rendered from three things (render.py): the site-wide data every template may read (config,
the column tree, the theme, gsgen's own code), the page's own context (its item, the items it lists,
its pager), and nothing else — templates reach items only through the context (pages.py). So a page's
fingerprint is the hash of the site-wide digest and of its context, where an item counts by the value
of every field it holds (its body and data included) and a column by its path (its fields are in the
site-wide digest). Two builds that give a page the same fingerprint give it the same bytes.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import operator
from datetime import date, datetime
from typing import Any

import jinja2
from jinja2 import nodes

from gsgen.cache import CACHE_FORMAT, code_digest
from gsgen.model import Column, Config, Item, Site
from gsgen.pages import Page
from gsgen.theme import Theme
from gsgen.xxgk import Entry

SHARED_FROM = 16  # values: a container this long counts by its digest, worked out once per build
_ASSET_CODE = (".css", ".js")  # content assets that page checks read (WEIGHT), unlike images


def site_digest(site: Site, theme: Theme) -> str:
    """What every page may depend on: gsgen's code, the theme's settings and static files (as the
    build sees them, a site's own shadowing the default's), config.yaml and the column tree.
    (Templates count per page: `TemplateDigests`.)"""
    h = hashlib.sha256()
    h.update(f"{CACHE_FORMAT}|{code_digest()}|".encode())
    h.update(repr((theme.colors, theme.contrast, theme.trusted_hosts)).encode())
    for rel, path in sorted(theme.static_files().items()):
        h.update(rel.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    h.update(repr(_config_values(site.config)).encode())
    for column in site.columns.values():
        h.update(repr(_column_values(column)).encode())
    for rel in sorted(a for a in site.assets if a.endswith(_ASSET_CODE)):
        h.update(rel.encode() + hashlib.sha256((site.root / "content" / rel).read_bytes()).digest())
    return h.hexdigest()


def page_fingerprint(page: Page, site_wide: str, items: ItemDigests, templates: TemplateDigests) -> str:
    h = hashlib.sha256(f"{site_wide}|{page.output}|{page.template}|".encode())
    if page.template is None:
        h.update(page.body.encode())
    else:
        h.update(templates[page.template].encode())
        h.update(repr(_canonical(page.context, items)).encode())
    return h.hexdigest()


class TemplateDigests(dict):
    """Each template's digest together with every template it extends, includes or imports, so that
    a changed template re-renders only the pages that use it.

    A reference built at render time counts every template it could name: `"layouts/" ~ item.layout`
    counts all of layouts/, and a reference with no fixed beginning counts all the theme's templates.
    """

    def __init__(self, env: jinja2.Environment) -> None:
        super().__init__()
        self.env = env

    def __missing__(self, name: str) -> str:
        used, todo = set(), [name]
        while todo:
            current = todo.pop()
            if current not in used:
                used.add(current)
                todo.extend(self._references(current))
        h = hashlib.sha256()
        for each in sorted(used):
            h.update(f"{each}\0{self._source(each)}\0".encode())
        self[name] = h.hexdigest()
        return self[name]

    def _source(self, name: str) -> str:
        assert self.env.loader is not None
        return self.env.loader.get_source(self.env, name)[0]

    def _references(self, name: str) -> list[str]:
        return [each for expr in _referring(self.env, self._source(name)) for each in self._named_by(expr)]

    def _named_by(self, expr: nodes.Expr) -> list[str]:
        if isinstance(expr, nodes.Const) and isinstance(expr.value, str):
            return [expr.value]
        if isinstance(expr, (nodes.List, nodes.Tuple)):  # {% include ["a.html", "b.html"] %}
            return [name for item in expr.items for name in self._named_by(item)]
        prefix = _fixed_start(expr)
        return [t for t in self.env.list_templates() if t.startswith(prefix)]


@functools.lru_cache(maxsize=1024)
def _referring(env: jinja2.Environment, source: str) -> list[nodes.Expr]:
    """The template expressions of a template's extends, include and import tags, parsed once per
    source text (gsgen serve fingerprints pages again on every save)."""
    kinds = (nodes.Extends, nodes.Include, nodes.Import, nodes.FromImport)
    return [node.template for node in env.parse(source).find_all(kinds)]


class ItemDigests(dict):
    """Each item's digest, worked out once per build (an item appears in several pages' contexts).

    Kept with the item's parsed file too (`Doc.derived`), beside the values it was made from: gsgen
    serve reuses the parse of an unchanged file, and values equal to those kept give the same digest
    without printing and hashing them again (comparing them is quick: most are the very same objects)."""

    def __init__(self) -> None:
        super().__init__()
        self.shared: dict[int, tuple[Any, Any]] = {}  # id → (a long list, tuple or dict, its canonical form)

    def container(self, value: dict | list | tuple) -> Any:
        """A container's canonical form; a long one's (SHARED_FROM) is its digest, worked out once per
        build: the pager's addresses of a 500-page list and the 目录's filter columns are the same
        objects in every page of their view, and would otherwise be walked and printed on each."""
        if len(value) < SHARED_FROM:
            return self._expanded(value)
        kept = self.shared.get(id(value))
        if kept is not None and kept[0] is value:
            return kept[1]
        canonical = ("digest", hashlib.sha256(repr(self._expanded(value)).encode()).hexdigest())
        self.shared[id(value)] = (value, canonical)  # the value kept too, so that its id is not reused
        return canonical

    def _expanded(self, value: dict | list | tuple) -> tuple:
        if type(value) is dict:
            return tuple((k, _canonical(v, self)) for k, v in value.items())
        return tuple(v if type(v) in _PLAIN else _canonical(v, self) for v in value)

    def __missing__(self, item: Item) -> str:
        values = (_item_values(item), item.body)
        kept = item.doc.derived.get(ItemDigests)
        if kept is not None and kept[0] == values:
            digest = kept[1]
        else:
            h = hashlib.sha256(repr(values[0]).encode())
            h.update(item.body.encode())  # the longest text, hashed as it is: repr would copy it
            digest = h.hexdigest()
            item.doc.derived[ItemDigests] = (values, digest)
        self[item] = digest
        return digest


def _fixed_start(expr: nodes.Expr) -> str:
    """The constant beginning of a template name built at render time ("layouts/" ~ …), or ""."""
    if isinstance(expr, nodes.Concat) and expr.nodes:
        return _fixed_start(expr.nodes[0])
    if isinstance(expr, nodes.Add):
        return _fixed_start(expr.left)
    if isinstance(expr, nodes.Const) and isinstance(expr.value, str):
        return expr.value
    return ""


def _canonical(value: Any, items: ItemDigests) -> Any:
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is Item:
        return ("item", value.path, items[value])
    if kind is Column:
        return ("column", value.path)
    if kind is dict or kind is list or kind is tuple:
        return items.container(value)
    names = _field_names(kind)
    if names is not None:
        return (kind.__name__, *(_canonical(getattr(value, name), items) for name in names))
    if isinstance(value, (str, int, float, date)):  # subclasses: a datetime, a str enum…
        return value
    raise TypeError(f"no fingerprint for {kind.__name__} in a page context")


# Counted as they print: a 目录 row (xxgk.Entry) is a frozen record of such values, printed whole.
_PLAIN = {str, int, float, bool, type(None), date, datetime, Entry}


@functools.cache
def _field_names(kind: type) -> tuple[str, ...] | None:
    """A dataclass's field names, once per type (dataclasses.fields is slow to ask 600,000 times)."""
    return tuple(f.name for f in dataclasses.fields(kind)) if dataclasses.is_dataclass(kind) else None


# An item's own values, read in one call (C): every item's are read on every build of gsgen serve.
# Its column counts by path, its body is hashed on its own (ItemDigests), its parse by its links.
_item_fields = operator.attrgetter(
    *(f.name for f in dataclasses.fields(Item) if f.name not in ("column", "doc", "parsed", "body"))
)


def _item_values(item: Item) -> tuple:
    # links resolved against the files that exist (markdown.py)
    refs = tuple((ref.written, ref.target) for ref in item.parsed.refs) if item.parsed is not None else None
    # the file's lines: where findings on the page are reported (in the order of the file)
    return (item.column.path, _item_fields(item), refs, item.doc.lines)


def _config_values(config: Config) -> tuple:
    values = ((f.name, getattr(config, f.name)) for f in dataclasses.fields(config) if f.name != "doc")
    # sets print in hash order, which changes from one run to the next
    return tuple((name, tuple(sorted(v)) if isinstance(v, (set, frozenset)) else v) for name, v in values)


def _column_values(column: Column) -> tuple:
    skip = ("parent", "children", "items", "doc")
    values = [(f.name, getattr(column, f.name)) for f in dataclasses.fields(column) if f.name not in skip]
    parent = column.parent.path if column.parent else None
    return (*values, parent, tuple(c.path for c in column.children))
