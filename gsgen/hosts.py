"""Which hosts are government hosts: the one place EXT-LINK, SAFE-HTML and the renderer ask."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

GOV_SUFFIX = ".gov.cn"
# Hosts of the government's own services that do not end in .gov.cn: the 党政机关网站标识 (conac.cn)
# is issued by the State Commission Office for Public Sector Reform and is linked from every footer.
BUILTIN_TRUSTED = ("conac.cn",)


def host_of(url: str) -> str:
    try:
        return (urlsplit(url.strip()).hostname or "").lower()
    except ValueError:
        return ""


def is_government(host: str, trusted: Iterable[str] = ()) -> bool:
    host = host.lower().rstrip(".")
    if host == GOV_SUFFIX[1:] or host.endswith(GOV_SUFFIX):
        return True
    return any(host == t.lower() or host.endswith("." + t.lower()) for t in (*BUILTIN_TRUSTED, *trusted))


def is_external_url(url: str) -> bool:
    """An absolute http(s) URL (or protocol-relative), as opposed to a path on this site."""
    lowered = url.strip().lower()
    return lowered.startswith(("http://", "https://", "//"))


def leaves_government(url: str, trusted: Iterable[str] = (), own_host: str | None = None) -> bool:
    """A link that takes the visitor to a non-government site (EXT-LINK)."""
    if not is_external_url(url):
        return False
    host = host_of(url if not url.startswith("//") else "https:" + url)
    return bool(host) and host != (own_host or "") and not is_government(host, trusted)
