"""Links on rendered pages: DARK-LINK, EXT-LINK, LINKS, and ADS (links to commercial advertising)."""

from __future__ import annotations

import ipaddress
import posixpath
import re
from collections.abc import Iterator
from functools import lru_cache
from urllib.parse import unquote

from gsgen.diagnostics import Severity
from gsgen.gate.urls import UNPARSABLE, Target, host_of, leaves_government, target
from gsgen.htmlpage import LEAVING_PROMPT, VEILING, HtmlPage, Link
from gsgen.rules import CheckContext, Finding, output_rule, page_rule

# Advertising networks and affiliate redirectors seen on hacked or careless government pages.
AD_HOSTS = (
    "doubleclick.net",
    "googlesyndication.com",
    "googleadservices.com",
    "pos.baidu.com",
    "cpro.baidu.com",
    "union.baidu.com",
    "s.click.taobao.com",
    "tanx.com",
    "union.jd.com",
    "e.qq.com",
    "ad.toutiao.com",
    "mmstat.com",
)
AD_WORDS = re.compile(r"广告|推广链接|赞助商|博彩|彩票投注|代开发票")


@page_rule("DARK-LINK")
def dark_link(page: HtmlPage, ctx: CheckContext) -> Iterator[Finding]:
    for link in page.links:
        unseen = link.unseen if link.href and not link.href.startswith("#") else ""
        if not unseen or not _dark(link, ctx):
            continue
        yield Finding(
            page.file,
            link.line,
            f"隐藏的链接（暗链）：{link.href}。{unseen}。页面不得包含读者看不见的链接：请删除，"
            "或给它写上看得见的文字；如果没人写过，请检查网站是否被篡改",
            evidence=link.href,
        )


def _dark(link: Link, ctx: CheckContext) -> bool:
    """Whether an unseen link is a 暗链 here. On another system's pages (gsgen check), a hidden link
    within the government web is a tab panel or a closed menu: a 暗链 is one that leads off it. gsgen's
    own pages hide no link at all, but for the fallback a theme shows without scripts (<noscript>)."""
    if ctx.site is not None and link.veil != VEILING["noscript"]:
        return True
    return leaves_government(link.href, ctx.trusted_hosts, ctx.domain)


@page_rule("EXT-LINK")
def ext_link(page: HtmlPage, ctx: CheckContext) -> Iterator[Finding]:
    audit = ctx.site is None  # gsgen check, on another system's pages
    prompted: bool | None = None  # worked out once a link needs it
    for link in page.links:
        if audit and (address := ip_host(link.href)):
            yield Finding(
                page.file,
                link.line,
                f"链接 {link.href} 指向 IP 地址 {address}，不是域名：政府网站不应链接没有域名、无法核实主办者的网站，请核实后改用其域名或删除",
                evidence=link.href,
            )
            continue
        if "data-external" in link.attrs or not leaves_government(link.href, ctx.trusted_hosts, ctx.domain):
            continue
        if not audit:
            yield Finding(
                page.file,
                link.line,
                f"链接 {link.href} 指向非政府网站，但没有离站提示：gsgen 主题为带 "
                "data-external 属性的链接弹出提示；自定义模板中的外部链接请加上该属性，"
                "或把可信网站加入 config.yaml 的 checks.trusted_hosts",
                evidence=link.href,
            )
            continue
        if prompted is None:
            prompted = prompts_before_leaving(page, ctx)
        if not prompted:
            yield Finding(
                page.file,
                link.line,
                f"链接 {link.href} 指向非政府网站，页面没有离站提示：访问者点击时应被告知即将离开政府网站"
                "（页面或其脚本中没有「即将离开」「离开本站」之类的提示语，链接也没有 data-external 属性）",
                evidence=link.href,
            )


def ip_host(url: str) -> str | None:
    """The IP address a web link names instead of a host name, or None."""
    found = target(url.strip())
    if not found.web or not found.host:
        return None
    try:
        return str(ipaddress.ip_address(found.host.strip("[]")))
    except ValueError:
        return None


def prompts_before_leaving(page: HtmlPage, ctx: CheckContext) -> bool:
    """Whether the page tells visitors they are leaving before an outside link takes them (gsgen
    check): an inline script, or one of the site's own script files, says so (htmlpage.LEAVING_PROMPT)."""
    if page.leaving_prompt:
        return True
    said = ctx.memo.setdefault("leaving-prompt", {})  # by script file: the same common.js on every page
    folder = posixpath.dirname(page.file)
    for resource in page.resources:
        path = local_target(folder, resource.url, ctx.domain) if resource.tag == "script" else None
        if path is None:
            continue
        if path not in said:
            data = ctx.read(path) or b""
            text = data.decode("utf-8", "ignore") + data.decode("gb18030", "ignore")  # whichever it is in
            said[path] = bool(LEAVING_PROMPT.search(text))
        if said[path]:
            return True
    return False


@page_rule("ADS")
def ads(page: HtmlPage, ctx: CheckContext) -> Iterator[Finding]:
    for link in page.links:
        host = host_of(link.href)
        # By its words only a link that leaves the government web: the site's own 「户外广告牌安全检查」
        # news is no advertisement.
        worded = AD_WORDS.search(link.text) and leaves_government(link.href, ctx.trusted_hosts, ctx.domain)
        if any(host == h or host.endswith("." + h) for h in AD_HOSTS) or worded:
            yield Finding(
                page.file,
                link.line,
                f"疑似商业广告链接：{link.text.strip() or link.href}，政府网站不得链接商业广告",
                evidence=link.href,
            )


def local_target(folder: str, url: str, own_host: str | None) -> str | None:
    """The output path a link on a page in `folder` points at, or None for links that leave the site."""
    return _resolved(folder, url, own_host)[0]


@lru_cache(maxsize=131072)  # the same menu links are on every page of a folder
def _resolved(folder: str, url: str, own_host: str | None) -> tuple[str | None, bool]:
    """(local_target, whether no browser could follow the URL at all)."""
    if not url.strip() or url.strip().startswith("#"):
        return None, False
    found = target(url, own_host, folder)
    return _local_path(found), found is UNPARSABLE


def _local_path(found: Target) -> str | None:
    if not found.own or not found.path:
        return None
    path = unquote(found.path)
    target_path = posixpath.normpath(path.lstrip("/")) if path.strip("/") else "."
    if path.endswith("/") or target_path == ".":
        target_path = posixpath.join("" if target_path == "." else target_path, "index.html")
    return target_path


def page_references(page: HtmlPage) -> Iterator[tuple[str, int]]:
    """(URL, line) of every link and loaded resource of a page that should resolve."""
    yield from ((link.href, link.line) for link in page.links)
    for r in page.resources:
        if r.tag in ("img", "script", "link", "source", "iframe", "video", "audio") and r.attrs.get("rel") not in (
            "alternate",
            "canonical",
        ):
            yield r.url, r.line


def page_targets(page: HtmlPage, domain: str | None) -> tuple[str, ...]:
    """The output paths a page's references lead to on the site, each once. Kept on the page for its
    domain: gsgen serve keeps the same pages from build to build, and the output rules read every
    page's 50-odd menu and body links on every save (600,000 at 10,000 items)."""
    return _references(page, domain)[0]


def unfollowable(page: HtmlPage, domain: str | None) -> tuple[tuple[str, int], ...]:
    """(URL, line) of the page's references that no browser can follow: not a URL at all, as a WHATWG
    parser reads it (`http://[ICP_URL]/`, a stray bracket after the host)."""
    return _references(page, domain)[1]


def _references(page: HtmlPage, domain: str | None) -> tuple[tuple[str, ...], tuple[tuple[str, int], ...]]:
    memo = page.__dict__.get("_targets")
    if memo is None or memo[0] != domain:
        folder = posixpath.dirname(page.file)
        targets: dict[str, None] = {}
        broken = []
        for url, line in page_references(page):
            path, unparsable = _resolved(folder, url, domain)
            if unparsable:
                broken.append((url, line))
            elif path is not None:
                targets[path] = None
        memo = page.__dict__["_targets"] = (domain, tuple(targets), tuple(broken))
    return memo[1], memo[2]


@output_rule("LINKS")
def links_resolve(pages: list[HtmlPage], ctx: CheckContext) -> Iterator[Finding]:
    for page in pages:
        # In a build the gate (SAFE-HTML) already refuses a URL no browser can follow: said once, there.
        # `gsgen check` has no gate, so it is said here.
        for url, line in unfollowable(page, ctx.domain) if ctx.site is None else ():
            yield Finding(
                page.file, line, f"链接 {url} 不是有效的网址，浏览器无法打开（错链）：请改正地址", evidence=url
            )
        if not set(page_targets(page, ctx.domain)).difference(ctx.files):
            continue
        folder = posixpath.dirname(page.file)
        missing = [
            (url, line)
            for url, line in page_references(page)
            if (found := local_target(folder, url, ctx.domain)) is not None
            and found not in ctx.files
            and (ctx.site is not None or not _not_a_link_yet(url, found))
        ]
        if ctx.whole_site:
            for url, line in missing:
                yield Finding(
                    page.file,
                    line,
                    f"链接 {url} 指向的页面或文件不存在（错链/断链）：请改正地址，或补上该文件",
                    evidence=url,
                )
        elif missing:
            yield _unresolved_in_part(page, missing)


# What a saved page or a template holds in place of a link (gsgen check only): a placeholder a
# template engine fills in (${url}, <%= url %>, {{ url }}, {url}), or the folder of files a browser
# saves beside a page (页面_files/), which the saved copy may lack.
_PLACEHOLDER = re.compile(r"\$\{|<%|\{\{|\{[A-Za-z_][\w.]*\}|%7B|%24%7B", re.IGNORECASE)


def _not_a_link_yet(url: str, path: str) -> bool:
    return bool(_PLACEHOLDER.search(url)) or any(part.endswith("_files") for part in path.split("/")[:-1])


def _unresolved_in_part(page: HtmlPage, missing: list[tuple[str, int]]) -> Finding:
    """One finding for a page checked apart from its site: its site links cannot be judged here."""
    urls = list(dict.fromkeys(url for url, _line in missing))
    shown = "、".join(urls[:3]) + ("等" if len(urls) > 3 else "")
    return Finding(
        page.file,
        missing[0][1],
        f"本页有 {len(urls)} 个站内链接在所检查的文件夹中找不到（{shown}）：若这些页面在网站上存在，"
        "这是因为只检查了网站的一部分；若所给文件夹就是整个网站，请加 --site-root 重新检查，逐条列出错链",
        severity=Severity.WARN,
        evidence=urls[0],
    )
