"""Charts for 数据发布 pages, drawn at build time as inline SVG: no chart script, nothing to load.

Bars (or a line) for up to two numeric columns of the table, against its first column. Colours come
from the theme's stylesheet (classes, not fills), so a chart never adds a colour to the site.
"""

from __future__ import annotations

import math
import re
from html import escape

from markupsafe import Markup

WIDTH, HEIGHT = 640, 320
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 40
MAX_SERIES = 2


def number(cell: str) -> float | None:
    text = re.sub(r"[,，\s%％]", "", cell or "")
    try:
        return float(text)
    except ValueError:
        return None


def numeric_columns(header: list[str], rows: list[list[str]]) -> list[int]:
    """Columns after the first whose every cell is a number."""
    return [
        c for c in range(1, len(header)) if rows and all(number(r[c] if c < len(r) else "") is not None for r in rows)
    ]


def nice_scale(value: float) -> tuple[float, int]:
    """(top of the axis, number of intervals): the lowest top at or above `value` that 4 to 6 equal
    steps of 1, 2 or 5 × a power of ten reach, so that every tick reads as a round number (0, 50,
    100 … rather than 62.5, 187.5)."""
    if value <= 0:
        return 1.0, 4
    best = None
    for intervals in (4, 5, 6):
        magnitude = 10 ** math.floor(math.log10(value / intervals))
        step = next(s * magnitude for s in (1, 2, 5, 10) if s * magnitude * intervals >= value)
        if best is None or step * intervals < best[0]:
            best = (step * intervals, intervals)
    return best


def chart_svg(header: list[str], rows: list[list[str]], kind: str = "bar", title: str = "", unit: str = "") -> Markup:
    series = numeric_columns(header, rows)[:MAX_SERIES]
    if kind == "none" or not series or not rows:
        return Markup("")
    values = [[number(r[c]) or 0.0 for r in rows] for c in series]
    top, intervals = nice_scale(max(max(v) for v in values))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / len(rows)

    def y(value: float) -> float:
        return TOP + plot_h - plot_h * max(value, 0) / top

    parts = [
        f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="chart-title chart-desc">',
        f'<title id="chart-title">{escape(title)}</title>',
        f'<desc id="chart-desc">{escape(_description(header, rows, series, unit))}</desc>',
    ]
    for step in range(intervals + 1):
        value = round(top * step / intervals, 10)
        parts.append(f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(value):.1f}" y2="{y(value):.1f}"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y(value) + 4:.1f}" text-anchor="end">{value:g}</text>')
    for n, row in enumerate(rows):
        parts.append(
            f'<text x="{LEFT + slot * (n + 0.5):.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle">'
            f"{escape(row[0])}</text>"
        )
    if kind == "line":
        for s, series_values in enumerate(values):
            points = " ".join(f"{LEFT + slot * (n + 0.5):.1f},{y(v):.1f}" for n, v in enumerate(series_values))
            parts.append(f'<polyline class="line line-{s + 1}" fill="none" stroke-width="3" points="{points}"/>')
    else:
        width = slot * 0.7 / len(values)
        for s, series_values in enumerate(values):
            for n, v in enumerate(series_values):
                x = LEFT + slot * n + slot * 0.15 + width * s
                parts.append(
                    f'<rect class="bar bar-{s + 1}" x="{x:.1f}" y="{y(v):.1f}" width="{width:.1f}" '
                    f'height="{TOP + plot_h - y(v):.1f}"/>'
                )
    parts.append(f'<line class="axis" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{TOP + plot_h}" y2="{TOP + plot_h}"/>')
    parts.append("</svg>")
    legend = "".join(f'<li><span class="bar bar-{s + 1}"></span>{escape(header[c])}</li>' for s, c in enumerate(series))
    return Markup("".join(parts) + (f'<ul class="legend">{legend}</ul>' if len(series) > 1 else ""))


def _description(header: list[str], rows: list[list[str]], series: list[int], unit: str) -> str:
    """What the chart shows, in words, for screen readers."""
    lines = []
    for c in series:
        pairs = "，".join(f"{r[0]} {r[c]}" for r in rows)
        lines.append(f"{header[c]}（{unit}）：{pairs}" if unit else f"{header[c]}：{pairs}")
    return "；".join(lines)
