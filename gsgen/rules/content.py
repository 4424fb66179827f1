"""What items say: SAFE-HTML, REVIEW, SERVICE-GUIDE (and LINKS of its 相关链接), INTERACT, PLUGINS
(attachments, forms). PRIVACY, SECRECY and WORDS, which read everything published, attachments
included, are in personal.py, secrecy.py and words.py."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from functools import lru_cache
from html.parser import HTMLParser

from gsgen.coltypes import CONSULTATION, FILE_KEYS
from gsgen.dates import add_working_days, display, months_before
from gsgen.diagnostics import Severity
from gsgen.gate.css import Effect, declarations
from gsgen.gate.urls import resource_problem, scheme_problem
from gsgen.model import Item, Site
from gsgen.paths import CONTENT, resolve_ref
from gsgen.rules import Finding, each_item, site_rule
from gsgen.rules.published import UNSCANNED

# ---------------------------------------------------------------- SAFE-HTML, DARK-LINK, FLOAT in bodies

UNSAFE_TAGS = {"script", "object", "embed", "applet", "base", "meta", "link", "frame", "frameset", "style", "form"}
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "srcset", "poster", "data", "background", "xlink:href")
LOADED = ("src", "poster", "srcset", "data", "background")  # attributes a page loads rather than follows
MARKDOWN_UNSAFE_LINK = re.compile(r"\]\(\s*<?\s*(?:javascript|vbscript|data)\s*:", re.IGNORECASE)
# Elements that never show what they hold: the sanitiser would drop a <template> with its content and
# print a <noscript>'s as text, so an editor hears of them at their line (暗链 hide there).
VEILING_TAGS = {"template", "noscript"}
STYLE_RULES = {Effect.HIDES: "DARK-LINK", Effect.POSITIONS: "FLOAT", Effect.LOADS: "SAFE-HTML"}


class _HtmlScan(HTMLParser):
    """Raw HTML in a body, as the gate judges it: (rule, problem) pairs, and the styles it will drop."""

    def __init__(self, own_host: str | None) -> None:
        super().__init__()
        self.own_host = own_host
        self.problems: list[tuple[str, str]] = []
        self.dropped: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in UNSAFE_TAGS:
            self.problems.append(("SAFE-HTML", f"不允许使用 <{tag}> 标签"))
        elif tag in VEILING_TAGS:
            self.problems.append(("DARK-LINK", f"<{tag}> 中的内容不会显示给读者，不允许使用"))
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(("SAFE-HTML", f"不允许使用事件属性 {name}"))
            elif name == "srcdoc":
                self.problems.append(("SAFE-HTML", "不允许使用 srcdoc 直接嵌入页面"))
            elif name in URL_ATTRIBUTES and value is not None:
                self._url(tag, name, value)
            elif name == "style" and value:
                self._style(tag, value)

    def _url(self, tag: str, name: str, value: str) -> None:
        for url in [c.split()[0] for c in value.split(",") if c.split()] if name == "srcset" else [value]:
            problem = scheme_problem(url)
            if problem is None and (name in LOADED or tag == "iframe"):
                problem = resource_problem(url, self.own_host, frames=tag == "iframe")
            if problem:
                self.problems.append(("SAFE-HTML", f"<{tag} {name}> {problem}"))

    def _style(self, tag: str, style: str) -> None:
        for decl in declarations(style):
            if decl.effect in STYLE_RULES:
                effect = {Effect.HIDES: "会隐藏内容", Effect.POSITIONS: "会让内容漂浮或覆盖页面"}.get(
                    decl.effect, "会从网址加载内容"
                )
                self.problems.append((STYLE_RULES[decl.effect], f"<{tag}> 的样式 {decl.name}: {decl.value} {effect}"))
            elif decl.effect is Effect.DROPPED:
                self.dropped.add(decl.name)


@lru_cache(maxsize=4096)  # three rules (SAFE-HTML, DARK-LINK, FLOAT) read each block
def _scanned(html: str, own_host: str | None) -> tuple[tuple[tuple[str, str], ...], frozenset[str]]:
    scan = _HtmlScan(own_host)
    scan.feed(html)
    return tuple(scan.problems), frozenset(scan.dropped)


def _raw_html_problems(site: Site, rule: str) -> Iterator[Finding]:
    domain = site.config.site.domain
    # The raw HTML of a body is the body's own (markdown.py): what its file holds.
    yield from each_item(site, f"{rule} raw HTML {domain}", lambda item: _raw_html_in(item, rule, domain))


def _raw_html_in(item: Item, rule: str, domain: str) -> Iterator[Finding]:
    body = item.parsed
    if body is None:
        return
    dropped: set[str] = set()
    for line, html in body.raw_html:
        problems, dropped_here = _scanned(html, domain)
        dropped |= dropped_here
        for problem in dict.fromkeys(p for r, p in problems if r == rule):
            yield Finding(item.file, line, f"正文中的 HTML {problem}：请删除，改用 Markdown 书写")
    if rule == "SAFE-HTML" and dropped:
        names = "、".join(sorted(dropped))
        yield Finding(
            item.file,
            body.raw_html[0][0],
            f"正文 HTML 中的样式 {names} 不会发布（正文只保留对齐、加粗等排版样式），请删除",
            Severity.WARN,
        )


@site_rule("SAFE-HTML")
def safe_html(site: Site) -> Iterator[Finding]:
    yield from _raw_html_problems(site, "SAFE-HTML")
    yield from each_item(site, "SAFE-HTML links in the body", _unsafe_links)
    own = site.config.site.domain
    for item in site.published:  # whether an image is found depends on the other files: not kept
        for ref in item.parsed.refs if item.parsed else ():
            problem = scheme_problem(ref.written)
            if problem is None and ref.kind == "image" and ref.target is None:
                problem = resource_problem(ref.written, own)
            if problem:
                yield Finding(item.file, ref.line, f"正文中的{'图片' if ref.kind == 'image' else '链接'}：{problem}")


def _unsafe_links(item: Item) -> Iterator[Finding]:
    for n, text in enumerate(item.body.split("\n")):
        if MARKDOWN_UNSAFE_LINK.search(text):
            yield Finding(item.file, item.body_line + n, "链接不能使用 javascript:、vbscript: 或 data: 网址")


TAG_LIKE = re.compile(r"<\s*/?\s*[A-Za-z!][^<>]*>?")


@site_rule("SAFE-HTML")
def markup_in_fields(site: Site) -> Iterator[Finding]:
    """HTML typed into a plain-text field is shown as text, never run: harmless, but an editor who
    wrote it expected something else, and should hear so."""
    yield from each_item(site, "SAFE-HTML markup in fields", _markup_in_fields)


def _markup_in_fields(item: Item) -> Iterator[Finding]:
    for path, value in item.doc.strings():
        tag = TAG_LIKE.search(value)
        if tag and path[:1] and path[0] not in UNSCANNED:
            name = ".".join(str(p) for p in path)
            yield Finding(
                item.file,
                item.doc.line(*path),
                f"字段 {name} 中的「{tag[0][:40]}」会按原样显示为文字，不会作为 HTML 生效：请删除标签",
                Severity.WARN,
            )


@site_rule("DARK-LINK")
def hidden_in_bodies(site: Site) -> Iterator[Finding]:
    yield from _raw_html_problems(site, "DARK-LINK")


@site_rule("FLOAT")
def floating_in_bodies(site: Site) -> Iterator[Finding]:
    yield from _raw_html_problems(site, "FLOAT")


# ---------------------------------------------------------------- REVIEW


@site_rule("REVIEW")
def review(site: Site) -> Iterator[Finding]:
    config = site.config
    if not config.review_required:
        return
    for item in site.published:
        missing = [level for level in config.review_levels if not item.review.get(level)]
        if missing:
            line = item.doc.line("review") if "review" in item.doc.data else 1
            names = "、".join(missing)
            yield Finding(
                item.file,
                line,
                f"缺少审核记录：{names}。本站要求每条信息经过 {'、'.join(config.review_levels)} "
                f"后才能发布，请在 review 中写明各级审核人，如 review: {{{missing[0]}: 姓名}}",
            )


# ---------------------------------------------------------------- SERVICE-GUIDE

SERVICE_ELEMENTS = [
    ("basis", "设定依据"),
    ("conditions", "申请条件"),
    ("materials", "办理材料"),
    ("steps", "办理流程"),
    ("time_limit", "办理时限"),
    ("fee", "收费标准"),
    ("office", "办理机构"),
    ("address", "办理地点"),
    ("hours", "办理时间"),
    ("phone", "联系电话"),
    ("online_level", "网上可办理程度"),
]
MATERIAL_FILES = ("form", "sample", "instructions")  # offered for download beside each material
MATERIAL_ELEMENTS = [("name", "名称"), ("basis", "依据"), ("format", "形式（原件/复印件/电子）"), ("copies", "份数")]


@site_rule("SERVICE-GUIDE")
def service_guide(site: Site) -> Iterator[Finding]:
    for item in site.published:
        if item.layout != "service" or item.file.endswith(".md"):
            continue
        missing = [name for key, name in SERVICE_ELEMENTS if not item.data.get(key)]
        if not item.title:
            missing.insert(0, "事项名称（title）")
        if missing:
            yield Finding(
                item.file, 1, f"办事指南缺少要素：{'、'.join(missing)}（办事指南要素不全是检查指标的单项否决项）"
            )
        for n, material in enumerate(item.data.get("materials") or []):
            gaps = [name for key, name in MATERIAL_ELEMENTS if not material.get(key)]
            if gaps:
                yield Finding(
                    item.file,
                    item.doc.line("materials", n),
                    f"办理材料第{n + 1}项（{material.get('name') or '未命名'}）缺少：{'、'.join(gaps)}",
                )


def not_published(site: Site, path: str) -> str:
    """Why a path opens no published page, for a message about a link to it."""
    item = site.items.get(path)
    if item is not None and item.path in site.held and item.date:
        return f"定时于 {display(item.date)} 发布，现在尚未发布：请等它发布后再链接，或把本条目的 date 也设到那之后"
    return "不存在或未发布"


@site_rule("LINKS")
def links_to_held(site: Site) -> Iterator[Finding]:
    """A body's link to an item held back until its date: its page does not exist yet, and a link
    published now would be broken until then (错链), so it is refused at the line that writes it."""
    held = {site.items[p].file.removeprefix(f"{CONTENT}/"): p for p in site.held}
    if not held:
        return
    for item in site.published:
        for ref in item.parsed.refs if item.parsed else ():
            target = resolve_ref(item.path, ref.written, held) if ref.target is None and ref.written else None
            if target is not None:
                yield Finding(
                    item.file, ref.line, f"正文中的链接 {ref.written} 指向的条目{not_published(site, held[target])}"
                )


@site_rule("LINKS")
def related_links(site: Site) -> Iterator[Finding]:
    """A 相关链接 written as a site path must open a published page: a broken one is 错链 (LINKS),
    found here, before anything is rendered, at the line the editor wrote."""
    for item in site.published:
        for link in item.data.get("related") or []:
            path = link.get("path")
            if path is not None and site.page_at(path) is None:
                yield Finding(
                    item.file,
                    link["line"],
                    f"相关链接 {path or '（空）'} {not_published(site, path)}"
                    + (
                        ""
                        if path in site.held
                        else "：站内链接请写 content/ 下条目或栏目的路径，不带扩展名，如 zcwj/2024-003；站外链接请写以 https:// 开头的完整网址"
                    ),
                )


# ---------------------------------------------------------------- INTERACT

REPLY_WORKING_DAYS = 5
UNANSWERED_MONTHS = 3


@site_rule("INTERACT")
def interact(site: Site) -> Iterator[Finding]:
    config = site.config
    for item in site.published:
        for n, message in enumerate(item.data.get("messages") or []):
            line = item.doc.line("messages", n)
            title = message.get("title") or f"第{n + 1}条留言"
            received, replied = message.get("received"), message.get("replied")
            if received is None:
                yield Finding(item.file, line, f"留言「{title}」缺少受理日期 received", Severity.ERROR)
                continue
            if not site.happened(replied):  # a reply dated after now is no reply yet (items.py)
                # Opinions sent to a 征集调查 are answered by its result (below), not one by one; the
                # inspection's three months are for 咨询投诉 messages.
                consultation = item.column.type == CONSULTATION
                if site.now and not consultation and received < months_before(site.now, UNANSWERED_MONTHS):
                    yield Finding(
                        item.file,
                        line,
                        f"留言「{title}」自 {display(received)} 受理后超过 3 个月未答复"
                        "（检查指标单项否决项）：请尽快答复并写明 replied、dept、answer",
                        Severity.ERROR,
                        health=True,
                    )
                continue
            gaps = [
                name for key, name in (("dept", "答复部门 dept"), ("answer", "答复内容 answer")) if not message.get(key)
            ]
            if gaps:
                yield Finding(item.file, line, f"已答复的留言「{title}」缺少{'、'.join(gaps)}", Severity.ERROR)
            if replied < received:
                yield Finding(item.file, line, f"留言「{title}」的答复日期早于受理日期，请核对", Severity.ERROR)
            elif replied > add_working_days(received, REPLY_WORKING_DAYS, config.holidays, config.workdays):
                days = (replied - received) // timedelta(days=1)
                yield Finding(
                    item.file, line, f"留言「{title}」受理 {days} 天后才答复，超过 {REPLY_WORKING_DAYS} 个工作日"
                )


@site_rule("INTERACT")
def consultation_results(site: Site) -> Iterator[Finding]:
    """A 征集调查 that has closed owes the public its result (结果反馈). Time alone brings this about,
    so it is a health finding: it never stops a build."""
    for item in site.published:
        if item.column.type != CONSULTATION:
            continue
        end = (item.data.get("period") or {}).get("end")
        if end and site.now and end < site.now and not item.data.get("result"):
            yield Finding(
                item.file,
                item.doc.line("period", "end"),
                f"征集「{item.title}」已于 {display(end)} 结束，还没有公布结果：请在 result 中写明结果反馈"
                "（收到哪些意见、如何处理），在 adopted 中写明采纳情况，在 opinions 中写收到意见数",
                health=True,
            )


@site_rule("INTERACT")
def interviews(site: Site) -> Iterator[Finding]:
    """An 在线访谈 page tells who spoke, when, and what was said (文字实录)."""
    for item in site.published:
        if item.layout != "interview":
            continue
        # a record left as `gsgen new item` wrote it ({name: , post: }) names no one
        data, gaps = item.data, []
        if not any(guest.get("name") for guest in data.get("guests") or []):
            gaps.append("访谈嘉宾 guests（如 - {name: 张三, post: 县长}）")
        if not data.get("time") and item.doc.data.get("time") is None:
            gaps.append("访谈时间 time")
        if not any(said.get("text") for said in data.get("transcript") or []) and not item.body.strip():
            gaps.append("文字实录 transcript（或在 Markdown 正文中写出实录）")
        if gaps:
            yield Finding(item.file, 1, f"在线访谈缺少{'、'.join(gaps)}")


# ---------------------------------------------------------------- PLUGINS (attachments)

COMMON_FORMATS = {"pdf", "ofd", "doc", "docx", "xls", "xlsx", "wps", "et", "zip", "jpg", "jpeg", "png", "mp4", "csv"}


@site_rule("PLUGINS")
def attachment_formats(site: Site) -> Iterator[Finding]:
    for item in site.published:
        for n, attachment in enumerate(item.attachments):
            ext = attachment.file.rsplit(".", 1)[-1].lower() if "." in attachment.file else ""
            if ext not in COMMON_FORMATS:
                yield Finding(
                    item.file,
                    item.doc.line("attachments", n),
                    f"附件 {attachment.file} 不是常用格式，群众可能需要安装插件才能打开：请转换为 "
                    "PDF、OFD、Word、Excel、WPS、ZIP、JPG、PNG 或 MP4",
                )
        for n, material in enumerate(item.data.get("materials") or []):
            for key in MATERIAL_FILES:
                file = material.get(key)
                if file and file.rsplit(".", 1)[-1].lower() not in COMMON_FORMATS:
                    yield Finding(
                        item.file,
                        item.doc.line("materials", n, key),
                        f"办理材料的{FILE_KEYS[key]} {file} 不是常用格式，群众可能需要安装插件才能打开："
                        "请转换为 PDF、OFD、Word、Excel 或 WPS",
                    )
