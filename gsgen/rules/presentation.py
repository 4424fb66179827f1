"""How pages present: FLOAT, PRINT, WEIGHT, RESPONSIVE, A11Y (what can be seen in the HTML; the
browser tests do the rest), ART-SHARE, PLUGINS (plugins), SEARCH, and the theme's COLOURS and CONTRAST."""

from __future__ import annotations

import functools
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass

import tinycss2
from coloraide import Color

from gsgen.gate.css import parse_colour
from gsgen.gate.urls import host_of
from gsgen.htmlpage import HtmlPage, Resource
from gsgen.rules import CheckContext, Finding, output_rule, page_rule
from gsgen.search.writer import FOLDER as SEARCH_FOLDER

WEIGHT_BUDGET = 150 * 1024
SEARCH_STAGE_RAN = "search-stage-ran"  # set in CheckContext.memo by the build once it indexed
COPY_BLOCKING = {"oncopy", "oncut", "oncontextmenu", "onselectstart", "ondragstart"}


def _local(page: HtmlPage, resource: Resource) -> str | None:
    url = resource.url.split("#", 1)[0].split("?", 1)[0]
    if not url or host_of(url) or url.startswith(("data:", "//")):
        return None
    return posixpath.normpath(
        url.lstrip("/") if url.startswith("/") else posixpath.join(posixpath.dirname(page.file), url)
    )


def _stylesheets(page: HtmlPage) -> list[Resource]:
    return [r for r in page.resources if r.tag == "link" and "stylesheet" in r.attrs.get("rel", "").split()]


def _css(ctx: CheckContext, path: str) -> str:
    cache = ctx.memo.setdefault("css", {})
    if path not in cache:
        data = ctx.read(path)
        cache[path] = data.decode("utf-8", errors="replace") if data else ""
    return cache[path]


@page_rule("FLOAT")
def no_floating_or_blinking(page: HtmlPage, ctx: CheckContext) -> Iterator[Finding]:
    for tag in ("marquee", "blink"):
        if tag in page.tags:
            yield Finding(page.file, page.tags[tag], f"页面不得使用滚动或闪烁元素 <{tag}>", evidence=f"<{tag}")
    for _tag, style, line in page.styles:  # positioned styles: rules/safety.py
        if re.search(r"text-decoration\s*:[^;]*blink|animation[^;]*blink", style, re.I):
            yield Finding(page.file, line, "页面不得使用闪烁效果", evidence=style)


@page_rule("PRINT")
def printable(page: HtmlPage, ctx: CheckContext) -> Iterator[Finding]:
    for tag, handler, line, _value in page.handlers:
        if handler in COPY_BLOCKING:
            yield Finding(page.file, line, f"<{tag} {handler}> 会阻止复制或右键：页面应允许复制、保存和打印")
    for tag, style, line in page.styles:
        if tag in ("html", "body") and re.search(r"user-select\s*:\s*none", style, re.I):
            yield Finding(page.file, line, "页面禁止了文字选择：应允许复制")
    sheets = _stylesheets(page)
    has_print = any("print" in s.attrs.get("media", "") for s in sheets) or any(
        "@media print" in _css(ctx, path) for s in sheets if (path := _local(page, s))
    )
    if not has_print:
        yield Finding(page.file, 1, "页面没有打印样式（@media print）：打印时应去掉导航等无关内容")


@page_rule("WEIGHT")
def weight(page: HtmlPage, ctx: CheckContext) -> Iterator[Finding]:
    sizes = ctx.memo.setdefault("sizes", {})
    total = page.size
    for resource in page.resources:
        if resource.tag in ("script", "link") and (path := _local(page, resource)) and path.endswith((".css", ".js")):
            if path not in sizes:
                sizes[path] = len(ctx.read(path) or b"")
            total += sizes[path]
        elif resource.in_head and host_of(resource.url) and host_of(resource.url) != (ctx.domain or ""):
            blocking = resource.tag == "link" and "stylesheet" in resource.attrs.get("rel", "")
            blocking |= resource.tag == "script" and not {"async", "defer"} & set(resource.attrs)
            if blocking:
                yield Finding(page.file, resource.line, f"页面加载依赖外部网站的资源 {resource.url}，会拖慢打开速度")
    if total > WEIGHT_BUDGET:
        yield Finding(
            page.file,
            1,
            f"页面的 HTML、CSS 和 JS 共 {total // 1024} KB，超过 {WEIGHT_BUDGET // 1024} KB 的预算"
            "（页面加载时长不宜超过 3 秒）",
        )


@page_rule("RESPONSIVE")
def responsive(page: HtmlPage, ctx: CheckContext) -> Iterator[Finding]:
    if "width=device-width" not in page.meta.get("viewport", "").replace(" ", ""):
        yield Finding(
            page.file,
            1,
            '页面缺少 <meta name="viewport" content="width=device-width, initial-scale=1">，在手机上无法自适应',
        )


@page_rule("A11Y")
def accessible_markup(page: HtmlPage, ctx: CheckContext) -> Iterator[Finding]:
    if not page.lang:
        yield Finding(page.file, 1, '页面缺少语言声明，请写 <html lang="zh-CN">（读屏软件据此朗读）')
    if "长辈模式" not in page.text and "无障碍" not in page.text:
        yield Finding(page.file, 1, "页面缺少「长辈模式」或「无障碍」切换（放大字体、提高对比度）")
    for resource in page.resources:
        if resource.tag == "img" and "alt" not in resource.attrs:
            yield Finding(
                page.file,
                resource.line,
                f"图片 {resource.url} 缺少 alt 文字说明（视障用户无法获知图片内容）",
                evidence=resource.url,
            )


@page_rule("ART-SHARE")
def sharing(page: HtmlPage, ctx: CheckContext) -> Iterator[Finding]:
    if not page.is_content:
        return
    if "复制链接" not in page.text:
        yield Finding(page.file, 1, "文章页应提供转载分享：缺少「复制链接」")
    if not any("二维码" in label for label in page.labels):
        yield Finding(page.file, 1, "文章页应提供转载分享：缺少供手机扫描的二维码（以 alt 或 aria-label 注明“二维码”）")


@page_rule("PLUGINS")
def no_plugins(page: HtmlPage, ctx: CheckContext) -> Iterator[Finding]:
    for tag in ("object", "embed", "applet"):
        if tag in page.tags:
            yield Finding(
                page.file,
                page.tags[tag],
                f"<{tag}> 需要浏览器插件才能显示，请改用 HTML5 音视频或图片",
                evidence=f"<{tag}",
            )
    for link in page.links:
        if link.href.lower().split("?", 1)[0].endswith((".swf", ".flv")):
            yield Finding(
                page.file, link.line, f"{link.href} 需要 Flash 插件才能打开，请转换为 MP4", evidence=link.href
            )


# ---------------------------------------------------------------- the theme's colours

NEUTRAL_CHROMA = 0.04  # OKLCh chroma under which a colour reads as grey
FAMILY_SPREAD = 30.0  # degrees of hue within one family
MAX_FAMILIES = 3
MIN_CONTRAST = 4.5


@dataclass(frozen=True)
class CssColour:
    text: str
    color: Color
    file: str
    line: int


def _theme(pages: list[HtmlPage], ctx: CheckContext) -> tuple[dict[str, str], dict[str, str]]:
    """The theme's stylesheets and its custom properties, worked out once for COLOURS and CONTRAST."""
    if "theme-css" not in ctx.memo:
        sheets = _theme_css(pages, ctx)
        ctx.memo["theme-css"] = (sheets, _variables(sheets, ctx))
    return ctx.memo["theme-css"]


def _theme_css(pages: list[HtmlPage], ctx: CheckContext) -> dict[str, str]:
    sheets = {}
    for page in pages:
        for sheet in _stylesheets(page):
            path = _local(page, sheet)
            if path and path not in sheets:
                sheets[path] = _css(ctx, path)
    return sheets


def _variables(sheets: dict[str, str], ctx: CheckContext) -> dict[str, str]:
    """Custom properties of :root, with the colours config.yaml gives the theme on top."""
    found = dict(_root_properties(tuple(sheets.values())))
    colors = ctx.theme.get("colors", {})
    if colors.get("primary"):
        found["--primary"] = colors["primary"]
    secondary = colors.get("secondary") or [colors.get("primary")]
    if secondary and secondary[0]:
        found["--secondary"] = secondary[0]
    return found


@functools.lru_cache(maxsize=1)  # once per process for the same stylesheets: gsgen serve checks on every save
def _root_properties(sheets: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """The custom properties the stylesheets declare on :root, in order."""
    found: dict[str, str] = {}
    for css in sheets:
        for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
            if rule.type == "qualified-rule" and tinycss2.serialize(rule.prelude).strip() == ":root":
                for decl in tinycss2.parse_blocks_contents(rule.content, skip_comments=True, skip_whitespace=True):
                    if decl.type == "declaration" and decl.name.startswith("--"):
                        found[decl.name] = tinycss2.serialize(decl.value).strip()
    return tuple(found.items())


def resolve(value: str, variables: dict[str, str], depth: int = 0) -> str:
    def substitute(match: re.Match[str]) -> str:
        name, fallback = match[1], (match[2] or "").strip()
        return variables.get(name, fallback)

    resolved = re.sub(r"var\(\s*(--[\w-]+)\s*(?:,([^()]*))?\)", substitute, value)
    return resolve(resolved, variables, depth + 1) if "var(" in resolved and depth < 5 else resolved


def _colours_in(value: str) -> Iterator[str]:
    for token in tinycss2.parse_component_value_list(value, skip_comments=True):
        if token.type == "hash":
            yield "#" + token.value
        elif token.type == "function" and token.lower_name in ("rgb", "rgba", "hsl", "hsla", "oklch", "lab", "lch"):
            yield tinycss2.serialize([token])
        elif token.type == "ident":
            yield token.value


def _declared_colours(sheets: dict[str, str], variables: dict[str, str]) -> list[tuple[int, str, str, CssColour]]:
    """(rule number, selector, property, colour) of every colour a stylesheet declares, var() resolved;
    worked out once per process for the same stylesheets (gsgen serve checks on every save)."""
    return _parsed_colours(tuple(sheets.items()), tuple(variables.items()))


@functools.lru_cache(maxsize=1)  # the last stylesheets only: a serve keeps one theme
def _parsed_colours(
    sheets: tuple[tuple[str, str], ...], variables: tuple[tuple[str, str], ...]
) -> list[tuple[int, str, str, CssColour]]:
    return list(_parse_colours(sheets, dict(variables)))


def _parse_colours(
    sheets: tuple[tuple[str, str], ...], variables: dict[str, str]
) -> Iterator[tuple[int, str, str, CssColour]]:
    number = 0
    for path, css in sheets:
        stack = list(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True))
        while stack:
            rule = stack.pop(0)
            number += 1
            if rule.type == "at-rule" and rule.content is not None:
                stack[:0] = tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True)
                continue
            if rule.type != "qualified-rule":
                continue
            selector = tinycss2.serialize(rule.prelude).strip()
            for decl in tinycss2.parse_blocks_contents(rule.content, skip_comments=True, skip_whitespace=True):
                if decl.type != "declaration" or decl.name.startswith("--"):
                    continue
                value = resolve(tinycss2.serialize(decl.value), variables)
                for text in _colours_in(value):
                    colour = parse_colour(text)
                    if colour is not None:
                        yield number, selector, decl.name, CssColour(text, colour, path, decl.source_line)


def _hue(colour: Color) -> float | None:
    lch = colour.convert("oklch")
    chroma, hue = lch["chroma"], lch["hue"]
    if colour.alpha() < 0.5 or chroma < NEUTRAL_CHROMA or hue != hue:  # NaN hue: achromatic
        return None
    return float(hue)


def hue_families(hues: list[float]) -> list[list[float]]:
    """Group hues (degrees) into families: neighbours within FAMILY_SPREAD, around the circle."""
    if not hues:
        return []
    ordered = sorted(hues)
    gaps = [(ordered[(i + 1) % len(ordered)] - h) % 360 for i, h in enumerate(ordered)]
    start = (gaps.index(max(gaps)) + 1) % len(ordered)  # begin after the widest gap
    ordered = ordered[start:] + ordered[:start]
    families = [[ordered[0]]]
    for hue in ordered[1:]:
        if (hue - families[-1][-1]) % 360 <= FAMILY_SPREAD:
            families[-1].append(hue)
        else:
            families.append([hue])
    return families


@output_rule("COLOURS")
def colour_families(pages: list[HtmlPage], ctx: CheckContext) -> Iterator[Finding]:
    sheets, variables = _theme(pages, ctx)
    by_hue: dict[float, CssColour] = {}
    for _number, _selector, _prop, colour in _declared_colours(sheets, variables):
        hue = _hue(colour.color)
        if hue is not None:
            by_hue.setdefault(round(hue, 1), colour)
    families = hue_families(list(by_hue))
    if len(families) > MAX_FAMILIES:
        listed = "；".join("、".join(sorted({by_hue[h].text for h in family})) for family in families)
        first = by_hue[families[-1][0]]
        yield Finding(
            first.file,
            first.line,
            f"主题使用了 {len(families)} 个色系（{listed}），超过 1 个主色加 2 个辅色的上限："
            "请统一配色，灰色、黑色、白色不计",
        )


@output_rule("CONTRAST")
def contrast(pages: list[HtmlPage], ctx: CheckContext) -> Iterator[Finding]:
    sheets, variables = _theme(pages, ctx)
    for pair in ctx.theme.get("contrast", []):
        text, background = (
            parse_colour(resolve(pair["text"], variables)),
            parse_colour(resolve(pair["background"], variables)),
        )
        if text is None or background is None:
            continue
        ratio = text.contrast(background)
        if ratio < MIN_CONTRAST:
            yield Finding(
                "config.yaml",
                1,
                f"{pair.get('where', '文字')}：文字颜色 {text.to_string(hex=True)} 与背景 "
                f"{background.to_string(hex=True)} 的对比度只有 {ratio:.1f}:1，低于 {MIN_CONTRAST}:1，"
                "请在 config.yaml 的 colors 中选用更深（或更浅）的颜色",
            )
    # Any rule that sets both a text colour and a background colour is a pair too.
    rules: dict[tuple[int, str], dict[str, CssColour]] = {}
    for number, selector, prop, colour in _declared_colours(sheets, variables):
        if prop in ("color", "background", "background-color"):
            rules.setdefault((number, selector), {})["color" if prop == "color" else "background"] = colour
    for (_number, selector), found in rules.items():
        if "color" in found and "background" in found and found["background"].color.alpha() >= 1:
            ratio = found["color"].color.contrast(found["background"].color)
            if ratio < MIN_CONTRAST:
                c = found["color"]
                yield Finding(
                    c.file,
                    c.line,
                    f"{selector} 的文字颜色 {c.text} 与背景 {found['background'].text} 对比度只有 "
                    f"{ratio:.1f}:1，低于 {MIN_CONTRAST}:1",
                )


@page_rule("SEARCH")
def search_box(page: HtmlPage, ctx: CheckContext) -> Iterator[Finding]:
    if "search" not in page.roles:
        yield Finding(page.file, 1, '页面缺少站内搜索框（带 role="search" 的表单）')


@output_rule("SEARCH")
def search_index(pages: list[HtmlPage], ctx: CheckContext) -> Iterator[Finding]:
    if ctx.site is None or not ctx.memo.get(SEARCH_STAGE_RAN):  # after a failed stage, no follow-on error
        return
    if f"{SEARCH_FOLDER}/index.json" not in ctx.files:
        yield Finding(SEARCH_FOLDER, 0, "没有生成站内搜索索引")
    if "search.html" not in ctx.files:
        yield Finding("search.html", 0, "没有生成站内搜索页面")
