"""Themes: where templates and static files come from, and the colours they are given.

A site's `themes/<name>/` is searched first, then the default theme that ships with gsgen, so a site
can override one template or one static file and keep the rest.

A site's theme is an input like any other (gate/): `theme:` names a folder under themes/; templates
and static files are regular files inside it (a symbolic link may point only within the theme);
static files are of the types a theme needs, stylesheets load nothing from other sites, SVG passes the
SVG check; theme.yaml is read by the same safe YAML reader as content, and its colours are colours.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import jinja2
import zxingcpp
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from gsgen import fields as f
from gsgen.chart import chart_svg
from gsgen.dates import day, display, when
from gsgen.diagnostics import Diagnostic, Severity
from gsgen.fields import FieldReader
from gsgen.gate.css import css_urls
from gsgen.gate.files import SvgRefused, clean_svg, publishable_static, suffix
from gsgen.gate.sheets import unreadable_selectors
from gsgen.gate.urls import leaves_government, resource_problem
from gsgen.model import Config
from gsgen.rules.catalogue import diagnostic
from gsgen.sources import mapping_doc, read_text, read_yaml

PACKAGE = Path(__file__).resolve().parent


def default_theme_dir() -> Path:
    """The shipped default theme: inside the package in a wheel, at the repository root in a checkout."""
    for candidate in (PACKAGE / "_themes" / "default", PACKAGE.parent / "themes" / "default"):
        if (candidate / "templates").is_dir():
            return candidate
    raise FileNotFoundError("gsgen's default theme is missing from this installation")


_ENVIRONMENTS: dict[tuple, jinja2.Environment] = {}


@dataclass(frozen=True)
class Theme:
    dirs: tuple[Path, ...]  # most specific first
    colors: dict[str, Any]
    contrast: tuple[dict[str, str], ...] = ()  # text/background pairs the theme declares (CONTRAST)
    trusted_hosts: tuple[str, ...] = ()  # non-.gov.cn hosts that need no leaving prompt

    def environment(self) -> jinja2.Environment:
        """The theme's Jinja environment, one per process for the same folders and trusted hosts:
        gsgen serve builds again and again, and a new environment compiles every template again
        (a quarter of a second). Jinja itself recompiles a template whose file changed; a template
        added or removed (an override of the default's) makes a new environment."""
        present = tuple(path for folder in self.dirs for _, path in _files(folder, "templates"))
        key = (self.dirs, self.trusted_hosts, present)
        if key not in _ENVIRONMENTS:
            if len(_ENVIRONMENTS) >= 8:
                _ENVIRONMENTS.pop(next(iter(_ENVIRONMENTS)))
            _ENVIRONMENTS[key] = self._new_environment()
        return _ENVIRONMENTS[key]

    def _new_environment(self) -> jinja2.Environment:
        # Sandboxed: a template is an input like content, and a plain environment lets one reach any
        # Python function ({{ cycler.__init__.__globals__.os… }}) and change the site model it reads.
        env = _Sandbox(
            loader=_ThemeLoader([d / "templates" for d in self.dirs]),
            autoescape=jinja2.select_autoescape(["html", "xml"]),
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        env.filters["datetime"] = lambda moment: display(moment) if moment else ""
        env.filters["day"] = day
        env.filters["when"] = when
        env.filters["rfc822"] = _rfc822
        env.filters["digits"] = lambda value: "".join(ch for ch in str(value or "") if ch.isdigit())
        env.filters["qr_svg"] = qr_svg
        env.filters["ext"] = self.external_mark
        env.globals["chart_svg"] = chart_svg
        return env

    def external_mark(self, url: str | None) -> Markup:
        """` data-external` on links that leave the government web, so the theme prompts (EXT-LINK)."""
        return Markup(" data-external") if url and leaves_government(url, self.trusted_hosts) else Markup("")

    def static_files(self) -> dict[str, Path]:
        """Every static file by its path under static/, a site's own shadowing the default's."""
        files: dict[str, Path] = {}
        for folder in reversed(self.dirs):
            for rel, path in _files(folder, "static"):
                files[rel] = path
        return files

    def style_sheets(self, root: Path) -> tuple[tuple[str, str, int], ...]:
        """(file as the editor finds it, text, first line) of every stylesheet the theme publishes:
        what gate/sheets.py applies to the pages (any of them may be linked from any page)."""
        return tuple(
            (theme_file(root, path), path.read_text("utf-8", errors="replace"), 1)
            for rel, path in sorted(self.static_files().items())
            if suffix(rel) == "css"
        )

    def site_templates(self, root: Path) -> tuple[str, ...]:
        """The templates of the site's own theme folders, relative to the site: where something wrong
        on a rendered page may have been written (provenance.py)."""
        found = []
        for folder in self.dirs:
            if folder.resolve().is_relative_to(root.resolve()):
                found += [
                    (folder / "templates" / rel).relative_to(root).as_posix() for rel, _ in _files(folder, "templates")
                ]
        return tuple(found)


class _Sandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, its attribute verdicts remembered. Jinja decides from the object's
    type and the attribute's name alone (a private name, a function's or a frame's internals, a
    method that changes a list, dict or set), and asks on every `page.title`: remembering takes a
    page's render from 1.5 to 0.86 ms (3,000 pages of a 10,000-item site, one process)."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._verdicts: dict[tuple[type, str], bool] = {}

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        key = (type(obj), attr)
        verdict = self._verdicts.get(key)
        if verdict is None:
            verdict = self._verdicts[key] = super().is_safe_attribute(obj, attr, value)
        return verdict


class _ThemeLoader(jinja2.FileSystemLoader):
    """Templates only from files inside the theme folders: a symbolic link out of a theme is never
    followed (load_theme reports it; this keeps it out whatever calls the loader)."""

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Any]:
        source, filename, uptodate = super().get_source(environment, template)
        real = Path(filename).resolve()
        if not any(real.is_relative_to(Path(folder).resolve().parent) for folder in self.searchpath):
            raise jinja2.TemplateNotFound(template)
        return source, filename, uptodate


def qr_svg(url: str) -> Markup:
    """A QR code of `url` as inline SVG, made at build time (no external service, no script): the
    dark modules as one stroked path, a line per run of them, inside a two-module light border."""
    # zxing-cpp encodes in C++: 1.2 ms a code with its path, where segno took 2.6 ms in Python, a
    # quarter of the time of a whole page (a quarter of a minute of a 10,000-page portal's build).
    code = zxingcpp.create_barcode(url, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    image = memoryview(code.to_image(add_quiet_zones=False))  # one byte a module, 0 dark
    size, border, modules = image.shape[0], 2, image.tobytes()
    rows = b"\xff".join(modules[y * size : (y + 1) * size] for y in range(size))  # a light end to each row
    path, row, x = [], -1, 0
    for run in _DARK_RUN.finditer(rows):
        y, start = divmod(run.start(), size + 1)
        if y != row:  # a row's first run moves there; the others move along it: "m2 0h3", as segno writes
            path.append(f"M{start + border} {y + border}.5h{run.end() - run.start()}")
        else:
            path.append(f"m{start - x} 0h{run.end() - run.start()}")
        row, x = y, start + run.end() - run.start()
    side = size + 2 * border
    return Markup(
        f'<svg width="{side * 3}" height="{side * 3}" viewBox="0 0 {side} {side}">'
        f'<path fill="#fff" d="M0 0h{side}v{side}H0z"/><path stroke="#000" d="{"".join(path)}"/></svg>'
    )


_DARK_RUN = re.compile(rb"\x00+")


def _rfc822(moment: datetime) -> str:
    """RSS dates; times in content are Beijing time."""
    return format_datetime(moment.replace(tzinfo=timezone(timedelta(hours=8))))


THEMES = "themes"
THEME_FIELDS = ("colors", "contrast", "scripts")
SHA256 = re.compile(r"[0-9a-f]{64}")


def load_theme(root: Path, config: Config) -> tuple[Theme, list[Diagnostic]]:
    """The theme config.yaml names, and every problem with the site's own theme files."""
    found: list[Diagnostic] = []
    own = [root / THEMES / config.theme, root / THEMES / "default"]
    if config.theme != "default" and not own[0].is_dir():
        message = f"找不到主题文件夹 {THEMES}/{config.theme}/：请检查 theme 的拼写，或删去 theme 使用默认主题"
        found.append(diagnostic("THEME", config.file, config.doc.line("theme"), message))
    dirs: list[Path] = []
    for folder in [*own, default_theme_dir()]:
        if folder.is_dir() and folder.resolve() not in [d.resolve() for d in dirs]:
            dirs.append(folder)
    for folder in dirs:
        if folder.resolve() != default_theme_dir().resolve():  # gsgen's own theme is checked by its tests
            found.extend(_theme_problems(root, folder))
    colors: dict[str, Any] = {}
    contrast: list[dict[str, str]] = []
    for folder in reversed(dirs):
        declared = _declared(root, folder / "theme.yaml", found)
        found.extend(_script_problems(root, folder, declared.get("scripts", {})))
        colors.update({k: v for k, v in declared.get("colors", {}).items() if v})
        contrast = declared.get("contrast") or contrast
    colors.update({k: v for k, v in config.colors.items() if v})
    theme = Theme(tuple(dirs), colors, tuple(contrast), tuple(config.trusted_hosts))
    if not found:
        found.extend(_template_problems(root, theme))
    return theme, found


def _template_problems(root: Path, theme: Theme) -> list[Diagnostic]:
    """The site's own templates that do not compile (a syntax error, an unknown filter), at their
    file and line, before any page is rendered: else each page using them would fail on its own."""
    env, problems = theme.environment(), []
    for folder in theme.dirs:
        if folder.resolve() == default_theme_dir().resolve():
            continue
        for name, path in _files(folder, "templates"):
            problem = _compile_problem(env, path.read_text("utf-8", errors="replace"), name, str(path))
            if problem is not None:
                problems.append(diagnostic("THEME", theme_file(root, path), problem[0], problem[1]))
    return problems


@functools.lru_cache(maxsize=1024)
def _compile_problem(env: jinja2.Environment, source: str, name: str, path: str) -> tuple[int, str] | None:
    """The line and message of a template's compile error, worked out once per source text."""
    try:
        env.compile(source, name, path)
    except jinja2.TemplateSyntaxError as exc:
        return exc.lineno or 0, f"模板有语法错误：{exc.message}"
    return None


def _files(folder: Path, sub: str) -> list[tuple[str, Path]]:
    """(path under `sub`, file) of the regular files of a theme folder that stay inside it."""
    top, inside = folder / sub, folder.resolve()
    found = []
    for current, dirs, names in os.walk(top):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and _inside(Path(current, d), inside))
        for name in sorted(names):
            path = Path(current, name)
            if not name.startswith(".") and _inside(path, inside) and path.resolve().is_file():
                found.append((path.relative_to(top).as_posix(), path))
    return found


def _inside(path: Path, folder: Path) -> bool:
    return not path.is_symlink() or path.resolve().is_relative_to(folder)


def _theme_problems(root: Path, folder: Path) -> list[Diagnostic]:
    """Links out of the theme, files that are not regular, static files a theme may not publish."""
    problems = []
    inside = folder.resolve()
    if not inside.is_relative_to(root.resolve()):
        return [
            diagnostic(
                "THEME",
                theme_file(root, folder),
                0,
                "主题文件夹是指向站点以外的符号链接：主题只能放在站点的 themes/ 中",
            )
        ]
    for sub in ("templates", "static"):
        for current, dirs, names in os.walk(folder / sub):
            for name in [*dirs, *names]:
                path = Path(current, name)
                problem = _file_problem(path, inside, sub == "static" and name in names)
                if problem:
                    problems.append(diagnostic("THEME", theme_file(root, path), 0, problem))
                elif sub == "static" and suffix(name) == "css" and path.is_file():
                    problems += _selector_problems(theme_file(root, path), path)
    return problems


def _selector_problems(rel: str, path: Path) -> list[Diagnostic]:
    """A stylesheet's hiding rules whose selector gsgen cannot read: it could not tell whether they
    hide a link off the government web (DARK-LINK), so they are not published."""
    found = []
    for line, selector in unreadable_selectors(path.read_text("utf-8", errors="replace")):
        message = (
            f"样式规则 {selector} 会隐藏内容，但 gsgen 读不懂这个选择器，无法判断它隐藏了什么（可能是暗链）："
            "请改用常见的选择器写法（类名、标签名、属性选择器）"
        )
        found.append(diagnostic("THEME", rel, line, message))
    return found


def _file_problem(path: Path, theme: Path, static: bool) -> str | None:
    if path.name.startswith("."):
        return None
    if path.is_symlink() and not (path.resolve().is_relative_to(theme) and path.resolve().exists()):
        return f"符号链接指向主题以外（{path.resolve()}）：主题只能使用自己文件夹中的文件，请把文件复制进来"
    if not path.is_dir() and not path.is_file():
        return "不是普通文件（管道、设备或套接字），请删除"
    if not static or path.is_dir():
        return None
    if not publishable_static(path.name):
        return f"主题的 static/ 中不能放 .{suffix(path.name) or '（无扩展名）'} 文件：只能放样式表、脚本、字体和图片"
    try:
        if suffix(path.name) == "svg":
            clean_svg(path.read_bytes())
        elif suffix(path.name) == "css":
            for url in css_urls(path.read_text("utf-8", errors="replace")):
                problem = resource_problem(url, None, own_only=True)
                if problem:
                    return f"样式表 {problem}"
    except SvgRefused as exc:
        return str(exc)
    except OSError as exc:
        return f"无法读取：{exc.strerror}"
    return None


def _script_problems(root: Path, folder: Path, declared: dict[str, tuple[str, int]]) -> list[Diagnostic]:
    """The theme's scripts that its theme.yaml does not declare with their SHA-256. A script can do
    anything on every page (insert a link, send each visitor elsewhere) and gsgen cannot tell what
    it does: so a script is published only as someone reviewed it, byte for byte (the hash)."""
    problems = []
    yaml_file = theme_file(root, folder / "theme.yaml")
    scripts = {rel: path for rel, path in _files(folder, "static") if suffix(rel) == "js"}
    for rel, path in scripts.items():
        try:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            continue  # said by _theme_problems
        written = declared.get(rel)
        if written is None:
            message = (
                f"主题的脚本 static/{rel} 没有登记：脚本能改动每个页面（插入链接、把访问者转到别的网站），"
                f"gsgen 无法判断它做什么。请逐行审查这个脚本，确认无害后在 {yaml_file} 的 scripts 中写入："
                f"「{rel}: {digest}」（它现在的 SHA-256）"
            )
            problems.append(diagnostic("THEME", theme_file(root, path), 0, message))
        elif written[0] != digest:
            message = (
                f"主题的脚本 static/{rel} 与登记的 SHA-256 不符：脚本在审查之后被改过。请审查它现在的内容，"
                f"确认无害后把这里的值改为 {digest}"
            )
            problems.append(diagnostic("THEME", yaml_file, written[1], message))
    for rel, (_, line) in declared.items():
        if rel not in scripts:
            message = f"scripts 中登记的 {rel} 不在主题的 static/ 中：请删去这一行，或检查路径（相对于 static/，如 js/site.js）"
            problems.append(diagnostic("THEME", yaml_file, line, message, Severity.WARN))
    return problems


def _scripts(r: FieldReader) -> dict[str, tuple[str, int]]:
    """theme.yaml `scripts`: each script's path under static/, with its SHA-256 and its line."""
    listed = r.get("scripts", f.mapping) or {}
    found = {}
    for rel, value in listed.items():
        digest = value.strip().lower() if isinstance(value, str) else ""
        if not SHA256.fullmatch(digest):
            r.nested("scripts").report("FIELD", rel, f"scripts 中 {rel} 的值应为脚本的 SHA-256（64 位十六进制）")
            continue
        found[str(rel)] = (digest, r.nested("scripts").line(rel))
    return found


def _declared(root: Path, path: Path, found: list[Diagnostic]) -> dict[str, Any]:
    """What a theme.yaml declares: colours (each a colour), the contrast pairs to check, the scripts
    reviewed (each with its SHA-256)."""
    if not path.is_file():
        return {}
    rel = theme_file(root, path)
    text = read_text(path, rel, found)
    doc = mapping_doc(read_yaml(text, rel, found) if text is not None else None, rel, found, "theme.yaml ")
    if doc is None:
        return {}
    r = FieldReader(doc, rel, found)
    r.warn_unknown(THEME_FIELDS, "theme.yaml ")
    r.get("colors", f.mapping)
    colors = r.nested("colors")
    contrast = []
    for n in range(len(r.get("contrast", f.records) or [])):
        pair = r.nested("contrast").nested(n)
        values = {key: pair.get(key, f.text) for key in ("text", "background", "where")}
        if values["text"] and values["background"]:
            contrast.append({k: v for k, v in values.items() if v})
        else:
            pair.report("FIELD", None, "contrast 的每一项都要有 text（文字颜色）和 background（背景颜色）")
    return {
        "colors": {
            "primary": colors.get("primary", f.colour, "COLOURS"),
            "secondary": colors.get("secondary", f.colours, "COLOURS"),
        },
        "contrast": contrast,
        "scripts": _scripts(r),
    }


def theme_file(root: Path, path: Path) -> str:
    """A theme file as the editor finds it: relative to the site, or inside gsgen for the default theme."""
    for inside, base in ((path, root), (path.resolve(), root.resolve())):
        if inside.is_relative_to(base):
            return inside.relative_to(base).as_posix()
    return f"gsgen:{path.resolve().relative_to(default_theme_dir().resolve().parent.parent).as_posix()}"
