"""Themes: where templates and static files come from, and the colours they are given.

A site's `themes/<name>/` is searched first, then the default theme that ships with gsgen, so a site
can override one template or one static file and keep the rest.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import jinja2
import segno
import yaml
from markupsafe import Markup

from gsgen.chart import chart_svg
from gsgen.dates import display
from gsgen.hosts import leaves_government
from gsgen.model import Config
from gsgen.search import title_tokens

PACKAGE = Path(__file__).resolve().parent


def default_theme_dir() -> Path:
    """The shipped default theme: inside the package in a wheel, at the repository root in a checkout."""
    for candidate in (PACKAGE / "_themes" / "default", PACKAGE.parent / "themes" / "default"):
        if (candidate / "templates").is_dir():
            return candidate
    raise FileNotFoundError("gsgen's default theme is missing from this installation")


@dataclass(frozen=True)
class Theme:
    dirs: tuple[Path, ...]  # most specific first
    colors: dict[str, Any]
    contrast: tuple[dict[str, str], ...] = ()  # text/background pairs the theme declares (CONTRAST)
    trusted_hosts: tuple[str, ...] = ()  # non-.gov.cn hosts that need no leaving prompt

    def environment(self) -> jinja2.Environment:
        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader([d / "templates" for d in self.dirs]),
            autoescape=jinja2.select_autoescape(["html", "xml"]),
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        env.filters["datetime"] = lambda moment: display(moment) if moment else ""
        env.filters["day"] = lambda moment: moment.strftime("%Y-%m-%d") if moment else ""
        env.filters["rfc822"] = _rfc822
        env.filters["digits"] = lambda value: "".join(ch for ch in str(value or "") if ch.isdigit())
        env.filters["qr_svg"] = qr_svg
        env.filters["title_tokens"] = title_tokens
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
            static = folder / "static"
            for path in sorted(static.rglob("*")) if static.is_dir() else ():
                if path.is_file() and not path.name.startswith("."):
                    files[path.relative_to(static).as_posix()] = path
        return files


def qr_svg(url: str) -> Markup:
    """A QR code of `url` as inline SVG, made at build time (no external service, no script)."""
    # A fixed mask pattern: any of the eight is valid for every reader, and choosing the "best" one
    # costs segno 6 ms a page (a minute for a 10,000-page portal) for no visible gain on a screen.
    code = segno.make(url, error="m", micro=False, mask=4)
    return Markup(code.svg_inline(scale=3, border=2, dark="#000", light="#fff", omitsize=False))


def _rfc822(moment: datetime) -> str:
    """RSS dates; times in content are Beijing time."""
    return format_datetime(moment.replace(tzinfo=timezone(timedelta(hours=8))))


def load_theme(root: Path, config: Config) -> Theme:
    default = default_theme_dir()
    dirs = [root / "themes" / config.theme, root / "themes" / "default", default]
    unique: list[Path] = []
    for d in dirs:
        if d.is_dir() and d.resolve() not in [u.resolve() for u in unique]:
            unique.append(d)
    colors: dict[str, Any] = {}
    contrast: list[dict[str, str]] = []
    for d in reversed(unique):
        theme_file = d / "theme.yaml"
        if theme_file.is_file():
            declared = yaml.safe_load(theme_file.read_text("utf-8")) or {}
            colors.update(declared.get("colors") or {})
            contrast = declared.get("contrast") or contrast
    colors.update({k: v for k, v in config.colors.items() if v})
    return Theme(tuple(unique), colors, tuple(contrast), tuple(config.trusted_hosts))
