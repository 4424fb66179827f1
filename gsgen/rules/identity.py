"""Site identity: SITE-NAME, SITE-DOMAIN, SITE-IDCODE, and the footer facts of SITE-FOOTER."""

from __future__ import annotations

import re
from collections.abc import Iterator

from gsgen.model import Site
from gsgen.rules import Finding, site_rule

_LABEL = r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?"
GOV_DOMAIN = re.compile(rf"^(?:{_LABEL}\.)+gov\.cn$")
ID_CODE = re.compile(r"^(?:\d{10}|bm\d{8})$")


def _at(site: Site, key: str) -> Finding:
    """A finding placed at `site.<key>` in config.yaml (or at `site:` when the key is missing)."""
    return Finding(site.config.file, site.config.doc.line("site", key), "")


def _missing(site: Site, key: str, what: str) -> Finding:
    place = _at(site, key)
    return Finding(place.file, place.line, f"config.yaml 缺少 site.{key}（{what}）")


@site_rule("SITE-NAME")
def site_name(site: Site) -> Iterator[Finding]:
    name = site.config.site.name
    if not name:
        yield _missing(site, "name", "网站名称，应为主办单位全称，如 示例县人民政府")
    elif len(name) < 4 or not re.search(r"(政府|委员会|办公室|局|厅|部|院|署|委|会|中心|所|站|馆|处|网)$", name):
        place = _at(site, "name")
        yield Finding(place.file, place.line, f"网站名称「{name}」应使用机构全称（如 示例县人民政府），不用简称或口号")


@site_rule("SITE-DOMAIN")
def site_domain(site: Site) -> Iterator[Finding]:
    info = site.config.site
    domain = info.domain
    place = _at(site, "domain")
    if not domain:
        yield _missing(site, "domain", "网站域名，以 .gov.cn 结尾")
    elif not GOV_DOMAIN.match(domain):
        yield Finding(
            place.file,
            place.line,
            f"域名 {domain} 不合规：政府网站应使用以 .gov.cn 结尾的英文域名，"
            "只含小写字母、数字和连字符，不写 https:// 和路径",
        )
    elif info.kind == "portal" and not domain.startswith("www."):
        yield Finding(place.file, place.line, f"门户网站域名应为 www.地区.gov.cn 形式，{domain} 缺少 www.")
    elif info.kind == "department" and domain.startswith("www."):
        yield Finding(place.file, place.line, f"部门网站域名应为 部门.地区.gov.cn 形式，而不是 {domain}")


@site_rule("SITE-IDCODE")
def site_idcode(site: Site) -> Iterator[Finding]:
    code = site.config.site.id_code
    if not code:
        yield _missing(site, "id_code", "政府网站标识码，10位，如 5001000001 或 bm01000001；写在引号里")
    elif not ID_CODE.match(code):
        place = _at(site, "id_code")
        yield Finding(
            place.file,
            place.line,
            f"网站标识码 {code} 格式不对：应为10位数字（如 5001000001），"
            "或 bm 加8位数字（如 bm01000001）；请写在引号里以免丢失开头的 0",
        )


@site_rule("SITE-FOOTER")
def site_footer_facts(site: Site) -> Iterator[Finding]:
    info = site.config.site
    required = [
        ("host_unit", info.host_unit, "主办单位"),
        ("icp", info.icp, "ICP备案编号，如 渝ICP备00000000号-1"),
        ("police_record", info.police_record, "公安机关备案号，如 渝公网安备50024202000001号"),
        ("error_report_url", info.error_report_url, "「我为政府网站找错」入口网址"),
    ]
    written = site.config.doc.data.get("site") if isinstance(site.config.doc.data, dict) else None
    for key, value, what in required:
        if not value and not (isinstance(written, dict) and written.get(key)):  # a bad value: reported as read
            yield _missing(site, key, what)
    contact = info.contact
    if not (contact.phone or contact.email or contact.address):
        yield _missing(site, "contact", "联系方式：phone、email、address 至少写一项")
