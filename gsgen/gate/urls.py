"""URLs as browsers read them, and which of them may reach a published page.

Every URL is parsed with ada (the WHATWG URL parser Node.js uses), never with `urllib`: the two
disagree exactly where attacks live. `https://evil.example.com\\.gov.cn/` is a `.gov.cn` host to
`urlsplit` and `evil.example.com` to a browser; `java\\tscript:` is no scheme to a regex and
`javascript:` to a browser; `https://www.gov.cn@evil.example.com/` is evil.example.com.

A URL is resolved against a page of the site itself, so relative URLs, `//host`, `/\\host` and
`https:path` are judged as a visitor's browser would judge them on that page.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from ada_url import URL
from publicsuffixlist import PublicSuffixList

ALLOWED_SCHEMES = ("https:", "http:", "mailto:", "tel:")  # a URL with any other scheme is never published
GOV_SUFFIX = ".gov.cn"
# Hosts of the government's own services that do not end in .gov.cn: the 党政机关网站标识 (conac.cn)
# is issued by the State Commission Office for Public Sector Reform and is linked from every footer.
BUILTIN_TRUSTED = ("conac.cn",)
# Characters no real address holds (browsers drop or replace some of them, which hides what follows).
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")
# The host pages are resolved against when the site's own domain is unknown (`gsgen check`).
UNKNOWN_HOST = "site.invalid"


@dataclass(frozen=True)
class Target:
    """Where a URL leads from a page of the site, as a browser follows it."""

    scheme: str  # "https:", "mailto:", … ("" if no browser could follow it)
    host: str  # lower case, IDNA-encoded; "" for mailto:, tel: and unparsable URLs
    path: str  # the path on that host ("" for mailto:, tel:)
    own: bool  # on the site's own host (a relative URL, or an absolute one naming the site)
    credentials: bool = False  # a user name or password before the host (https://www.gov.cn@evil/)

    @property
    def allowed(self) -> bool:
        return self.scheme in ALLOWED_SCHEMES

    @property
    def web(self) -> bool:
        return self.scheme in ("https:", "http:")


UNPARSABLE = Target("", "", "", False)


@lru_cache(maxsize=131072)  # the same menu links are on every page
def target(url: str, own_host: str | None = None, folder: str = "") -> Target:
    """Resolve `url` as it stands on a page in `folder` (a path under the site root) of `own_host`."""
    base = f"https://{own_host or UNKNOWN_HOST}/{folder + '/' if folder else ''}"
    try:
        parsed = URL(url, base=base)
    except ValueError:
        return UNPARSABLE
    host = parsed.hostname.lower().rstrip(".")
    web = parsed.protocol in ("https:", "http:")
    own = web and host == (own_host or UNKNOWN_HOST).lower()
    credentials = web and bool(parsed.username or parsed.password)
    return Target(parsed.protocol, host if web else "", parsed.pathname if web else "", own, credentials)


def host_of(url: str) -> str:
    """The host a browser would contact for an absolute or protocol-relative URL ("" if none)."""
    found = target(url)
    return "" if found.host == UNKNOWN_HOST else found.host


def is_government(host: str, trusted: Iterable[str] = ()) -> bool:
    host = host.lower().rstrip(".")
    if host == GOV_SUFFIX[1:] or host.endswith(GOV_SUFFIX):
        return True
    return any(host == t.lower() or host.endswith("." + t.lower()) for t in (*BUILTIN_TRUSTED, *trusted))


# A host name as a trusted host is written: labels of letters, digits and hyphens (IDNA-encoded).
_HOST = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9-]{2,63}")


@lru_cache(maxsize=1)
def _public_suffixes() -> PublicSuffixList:
    """The Public Suffix List as the publicsuffixlist package ships it (its bundled file: nothing is
    downloaded), read once and only when there are trusted hosts to judge (30 ms)."""
    return PublicSuffixList()


def trusted_host(entry: str) -> tuple[str, str | None]:
    """A checks.trusted_hosts entry as the host links are compared with (lower case, IDNA-encoded),
    and why it may not be one (else None). A trusted host trusts itself and every host under it
    (is_government), so it must be one organisation's domain: a public suffix (com, cn, com.cn,
    github.io…) would take the leaving prompt off every site registered under it."""
    host = target(f"https://{entry}/").host.rstrip(".") if _PLAIN_HOST.fullmatch(entry) else ""
    if not host or _is_ip(host) or not _HOST.fullmatch(host):
        return (
            host,
            f"「{entry}」不是网站的域名：只写域名，如 example-bank.com.cn，不带 https://、路径、端口、* 或 IP 地址",
        )
    if host == GOV_SUFFIX[1:] or host.endswith(GOV_SUFFIX):
        return host, None  # trusted already; harmless
    if _public_suffixes().privatesuffix(host) is None:
        return host, (
            f"「{entry}」是公共后缀（任何人都可以在它下面注册网站），写在这里会让所有以 .{host} 结尾的网站都不再有离站提示："
            "请写具体网站的域名，如 example-bank.com.cn"
        )
    return host, None


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


_PLAIN_HOST = re.compile(r"[^\s/\\:@*?#%\[\]]+")  # no scheme, path, port, user, wildcard or IPv6 brackets


def leaves_government(url: str, trusted: Iterable[str] = (), own_host: str | None = None) -> bool:
    """A link that takes the visitor to a non-government site (EXT-LINK)."""
    found = target(url.strip(), own_host)
    return found.web and not found.own and not is_government(found.host, trusted)


def scheme_problem(url: str) -> str | None:
    """Why a browser would not be sent to `url` from a published page, or None if it may be."""
    if CONTROL.search(url.strip()):
        return f"网址「{url.strip()!r}」中含有控制字符，这是伪装网址的手法：请重新输入网址"
    found = target(url)
    if not found.scheme:
        return f"网址「{url}」无法识别"
    if not found.allowed:
        return f"网址「{url}」使用了 {found.scheme} 协议：只能使用 https://、http://、mailto: 或 tel:"
    if found.credentials:
        return f"网址「{url}」在主机名前带有 @ 和用户名，这是伪装网址的手法（浏览器访问的是 @ 之后的网站）：请写出真实的网址"
    return None


def web_address_problem(url: str) -> str | None:
    """Why `url` is not a complete http(s) address on the web (a setting such as 找错 or 互动 must be)."""
    problem = scheme_problem(url)
    if problem:
        return problem
    found = target(url)
    if not found.web or found.host == UNKNOWN_HOST or not url.strip().lower().startswith(("https://", "http://")):
        return f"网址「{url}」应为完整网址，以 https:// 开头"
    return None


def resource_problem(
    url: str, own_host: str | None, folder: str = "", frames: bool = False, own_only: bool = False
) -> str | None:
    """Why a page may not load `url`, or None: pictures, video and frames (`frames`) from the site or
    a government host; scripts, stylesheets and everything else a page loads (`own_only`) from the
    site alone. Anything else lets another site change what the page shows, or track who reads it.
    """
    found = target(url.strip(), own_host, folder)
    if not found.scheme:
        return f"网址「{url}」无法识别"
    if not found.web:
        return f"「{url}」不能作为图片、脚本或嵌入页面的地址：只能使用本站或政府网站的 https:// 地址"
    if found.credentials:
        return scheme_problem(url)
    if found.own or (is_government(found.host) and not own_only):
        return None
    if own_only:
        return f"页面只能从本站加载脚本、样式表和图标，不能从 {found.host} 加载"
    what = "嵌入" if frames else "加载"
    return f"页面不能{what}非政府网站的内容（{found.host}）：请把文件放到本站，或改用政府网站的地址"
