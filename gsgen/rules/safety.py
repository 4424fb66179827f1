"""The gate on every rendered page (see gsgen/gate/): what a page may link to, load, run and hide,
whatever template, setting or content produced it.

SAFE-HTML: every URL a browser would follow or load, read as the browser reads it; scripts only from
the site itself; no event handlers, plugins, `<base>`, refresh redirects or unsandboxed frames; the
page declares the Content-Security-Policy. DARK-LINK and FLOAT: inline styles that hide or position
content. Each finding names its evidence, so it is reported at the file and line that wrote it.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from gsgen.gate.css import Effect, css_urls, declarations
from gsgen.gate.policy import weak_policy_problem
from gsgen.gate.urls import resource_problem, scheme_problem, target
from gsgen.htmlpage import HtmlPage, UrlAttribute
from gsgen.rules import CheckContext, Finding, page_rule

NEVER = {"object", "embed", "applet", "base", "frame", "frameset", "portal"}
DATA_SCRIPTS = {"application/json", "application/ld+json"}  # data, never run
NAVIGATION = {("a", "href"), ("area", "href"), ("a", "xlink:href"), ("blockquote", "cite"), ("q", "cite")}
NAVIGATION |= {("del", "cite"), ("ins", "cite")}
FORMS = {"action", "formaction"}
FOLLOWED_LINKS = {"alternate", "canonical", "next", "prev", "author", "license", "help", "search"}
# What a page may load from a government host besides its own (the policy's img-, media- and frame-src).
GOVERNMENT_MEDIA = {"img", "video", "audio", "source", "track", "iframe", "frame", "image", "input"}


@page_rule("SAFE-HTML")
def unsafe_urls(page: HtmlPage, ctx: CheckContext) -> Iterator[Finding]:
    folder = posixpath.dirname(page.file)
    for url in page.urls:
        for value in _values(url):
            problem = _url_problem(url, value, ctx.domain, folder)
            if problem:
                yield Finding(page.file, url.line, f"<{url.tag} {url.attr}> {problem}", evidence=value)
    for css, line in page.style_sheets:
        for value in css_urls(css):
            problem = resource_problem(value, ctx.domain, folder, own_only=True)
            if problem:
                yield Finding(page.file, line, f"<style> 中的 {problem}", evidence=value)


@page_rule("SAFE-HTML")
def unread_markup(page: HtmlPage, ctx: CheckContext) -> Iterator[Finding]:
    """A page the checker could read only in part: what lies beyond would be published unchecked."""
    if page.unread:
        yield Finding(
            page.file,
            1,
            f"页面无法完整检查（HTML 解析器在读完之前停止：{page.unread.strip()}），其余部分可能藏有脚本或暗链："
            "请减少模板或正文中元素的嵌套层数（浏览器能显示，检查却读不到）",
        )


@page_rule("SAFE-HTML")
def active_markup(page: HtmlPage, ctx: CheckContext) -> Iterator[Finding]:
    for tag in sorted(NEVER & page.tags.keys()):
        yield Finding(page.file, page.tags[tag], f"页面不能使用 <{tag}> 标签", evidence=f"<{tag}")
    for kind, line, code in page.inline_scripts:
        if kind not in DATA_SCRIPTS:
            yield Finding(
                page.file,
                line,
                "页面不能含有内嵌脚本：脚本只能放在主题的 static/ 中，以 <script src> 引用",
                evidence=next((part for part in code.splitlines() if part.strip()), "<script"),
            )
    for tag, handler, line, value in page.handlers:
        yield Finding(
            page.file,
            line,
            f"<{tag}> 不能使用事件属性 {handler}：脚本只能放在主题的 static/ 中",
            evidence=f"{handler}={value}",
        )
    for tag in page.repeated_roots:  # a browser merges a second <body>'s attributes into the first
        yield Finding(
            page.file, 1, f"页面中有多个 <{tag}> 标签：多余的标签及其属性会被浏览器合并执行", evidence=f"<{tag}"
        )
    if "refresh" in page.http_equiv:
        yield Finding(page.file, 1, '页面不能用 <meta http-equiv="refresh"> 自动跳转', evidence="refresh")
    for tag, style, line in page.styles:
        loads = [d for d in declarations(style) if d.effect is Effect.LOADS]
        if loads:
            yield Finding(page.file, line, f"<{tag}> 的样式 {loads[0].name} 会从网址加载内容", evidence=style)
    if ctx.site is not None:  # gsgen's own pages declare their policy; other systems' pages may use headers
        problem = weak_policy_problem(page.http_equiv.get("content-security-policy"))
        if problem:
            yield Finding(page.file, 1, problem)


@page_rule("DARK-LINK")
def hiding_styles(page: HtmlPage, ctx: CheckContext) -> Iterator[Finding]:
    """Content hidden by inline style, with or without links in it: on a built site, never.

    (Links inside hidden elements are reported by the DARK-LINK rule in links.py, on any page.)
    """
    if ctx.site is None:
        return
    for tag, style, line in page.styles:
        hidden = [d for d in declarations(style) if d.effect is Effect.HIDES]
        if hidden:
            what = "；".join(f"{d.name}: {d.value}" for d in hidden)
            yield Finding(
                page.file, line, f"<{tag}> 的样式（{what}）会隐藏内容：页面不得含有隐藏的内容或链接", evidence=style
            )


@page_rule("FLOAT")
def positioning_styles(page: HtmlPage, ctx: CheckContext) -> Iterator[Finding]:
    for tag, style, line in page.styles:
        placed = [d for d in declarations(style) if d.effect is Effect.POSITIONS]
        if placed:
            what = "；".join(f"{d.name}: {d.value}" for d in placed)
            yield Finding(
                page.file,
                line,
                f"<{tag}> 的样式（{what}）会让内容漂浮或覆盖页面：漂浮窗口须能关闭，请改用主题中可关闭的组件",
                evidence=style,
            )


def _values(url: UrlAttribute) -> list[str]:
    """The URLs an attribute holds: one, or for srcset each candidate's URL."""
    if url.attr in ("srcset", "imagesrcset"):
        return [c.split()[0] for c in url.value.split(",") if c.split()]
    return [url.value]


def _url_problem(url: UrlAttribute, value: str, own_host: str | None, folder: str) -> str | None:
    if url.attr == "srcdoc":
        return "不能直接写入页面内容（srcdoc）：嵌入的页面只能来自政府网站"
    problem = scheme_problem(value)
    if problem or (url.tag, url.attr) in NAVIGATION:
        return problem
    if url.attr in FORMS:
        return None if target(value, own_host, folder).own else f"表单只能提交到本站，而不是 {value}"
    if url.attr == "manifest":
        return "不能使用已废弃的 manifest 属性（应用缓存）"
    if url.tag == "link" and not (set(url.attrs.get("rel", "").lower().split()) - FOLLOWED_LINKS):
        return None
    frames = url.tag in ("iframe", "frame")
    if frames and "sandbox" not in url.attrs:
        return "嵌入的页面须带 sandbox 属性（限制其脚本和跳转）"
    own_only = url.tag not in GOVERNMENT_MEDIA and url.attr not in ("srcset", "poster", "background")
    return resource_problem(value, own_host, folder, frames=frames, own_only=own_only)
