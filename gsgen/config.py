"""Reading config.yaml (and the word list it names) into `Config`, every problem reported at once."""

from __future__ import annotations

import re
from pathlib import Path

from gsgen import fields as f
from gsgen.dates import BadDate, parse_datetime
from gsgen.diagnostics import Diagnostic
from gsgen.fields import FieldReader
from gsgen.gate.urls import resource_problem, scheme_problem, target, trusted_host
from gsgen.model import Config, Contact, NewMedia, Notice, SiteInfo, Suppression, WordAllowance, WordEntry
from gsgen.paths import SCHEME, site_path
from gsgen.rules.catalogue import RULES, diagnostic
from gsgen.sources import mapping_doc, read_text, read_yaml
from gsgen.workreport import read_work_reports

CONFIG = "config.yaml"
SITE_FIELDS = (
    "name",
    "kind",
    "domain",
    "id_code",
    "base_url",
    "host_unit",
    "operator_unit",
    "contact",
    "icp",
    "police_record",
    "error_report_url",
    "interaction_url",
    "conac_url",
    "logo",
    "error_report_badge",
    "conac_badge",
)
# Pictures of the site itself (under content/), each published only from the site's own address.
SITE_PICTURES = ("logo", "error_report_badge", "conac_badge")
CONFIG_FIELDS = (
    "site",
    "theme",
    "colors",
    "channels",
    "review",
    "checks",
    "paginate",
    "search",
    "notices",
    "new_media",
    "work_reports",  # 年度工作报表 figures the content cannot give, by year (workreport.py)
)
CHECKS_FIELDS = ("words", "trusted_hosts", "ignore", "holidays", "workdays")
SITE_KINDS = ("portal", "department")
THEME_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
WEB_ADDRESSES = ("error_report_url", "interaction_url", "conac_url")  # links in every page's footer
# The gate's own rules: silencing one would let a script or a 暗链 through, whatever the reason.
UNSILENCEABLE = ("SAFE-HTML", "DARK-LINK")
# Safety rules whose warnings say what gsgen could not check (an attachment in .rar or .ppt): a site that
# has looked at such a file by hand may silence those, never an error (active content found).
WARNINGS_ONLY = ("SAFE-FILE",)


def load_config(root: Path, found: list[Diagnostic]) -> Config:
    path = root / CONFIG
    if not path.is_file():
        found.append(
            diagnostic(
                "LAYOUT",
                CONFIG,
                0,
                f"找不到 {CONFIG}：{root} 不是 gsgen 站点文件夹（站点文件夹的根目录有 {CONFIG} 和 content/）。"
                "请在站点文件夹中运行，或写明它，如 gsgen build 站点文件夹；新建站点用 gsgen new site 文件夹名",
            )
        )
        return Config(SiteInfo(), readable=False)
    text = read_text(path, CONFIG, found)
    doc = mapping_doc(read_yaml(text, CONFIG, found) if text is not None else None, CONFIG, found, CONFIG)
    if doc is None:
        return Config(SiteInfo(), readable=False)
    top = FieldReader(doc, CONFIG, found)
    top.warn_unknown(CONFIG_FIELDS, CONFIG)
    top.get("site", f.mapping)
    site = _site_info(top.nested("site"))
    for section in ("colors", "review", "checks", "search"):
        top.get(section, f.mapping)
    colors = top.nested("colors")
    review = top.nested("review")
    checks = top.nested("checks")
    checks.warn_unknown(CHECKS_FIELDS, "checks ")
    paginate = top.get("paginate", f.whole)
    if paginate is not None and paginate < 1:
        top.report("FIELD", "paginate", "字段 paginate 应为正整数（每页条目数）")
        paginate = None
    words_file = checks.get("words", f.text)
    words, words_allowed = _load_words(root, words_file, found) if words_file else ([], [])
    theme = top.get("theme", f.text) or "default"
    if not THEME_NAME.match(theme):
        top.report(
            "FIELD", "theme", f"theme「{theme}」应为 themes/ 下的一个文件夹名（小写字母、数字、- 或 _），如 default"
        )
        theme = "default"
    return Config(
        site=site,
        theme=theme,
        colors={
            "primary": colors.get("primary", f.colour, "COLOURS"),
            "secondary": colors.get("secondary", f.colours, "COLOURS"),
        },
        channels=top.get("channels", f.texts) if "channels" in top.data else None,
        review_required=bool(review.get("required", f.flag)),
        review_levels=review.get("levels", f.texts) or [],
        words_file=words_file,
        trusted_hosts=_trusted_hosts(checks),
        words=words,
        words_allowed=words_allowed,
        ignore=_suppressions(checks),
        holidays=_days(checks, "holidays"),
        workdays=_days(checks, "workdays"),
        paginate=paginate or 20,
        hot_words=top.nested("search").get("hot", f.texts) or [],
        work_reports=read_work_reports(top),
        notices=_notices(top),
        new_media=_new_media(top, site.domain),
        doc=doc,
    )


def _trusted_hosts(checks: FieldReader) -> list[str]:
    """checks.trusted_hosts as hosts (lower case, IDNA-encoded); an entry that is no one site's
    domain (a public suffix, a URL, an IP address) is a FIELD error at its line, and left out."""
    entries = checks.get("trusted_hosts", f.texts) or []
    listed = isinstance(checks.data.get("trusted_hosts"), list)
    hosts = []
    for n, entry in enumerate(entries):
        host, problem = trusted_host(entry)
        if problem:
            checks.nested("trusted_hosts").report("FIELD", n if listed else None, f"checks.trusted_hosts 中的{problem}")
        else:
            hosts.append(host)
    return hosts


def _load_words(root: Path, name: str, found: list[Diagnostic]) -> tuple[list[WordEntry], list[WordAllowance]]:
    """The site's own entries, and the words of gsgen's list it allows (`- {allow: 词, reason: 原因}`)."""
    rel = name
    path = root / name
    if not path.is_file():
        found.append(diagnostic("WORDS", CONFIG, 1, f"checks.words 指定的词表 {name} 不存在"))
        return [], []
    text = read_text(path, rel, found)
    doc = read_yaml(text, rel, found) if text is not None else None
    if doc is None:
        return [], []
    if not isinstance(doc.data, list):
        found.append(
            diagnostic("FIELD", rel, 1, "错敏词表应为列表，每项如 - {wrong: 错词, right: 正确写法, level: error}")
        )
        return [], []
    entries, allowed = [], []
    for n in range(len(doc.data)):
        r = FieldReader(doc, rel, found, (n,))
        if "allow" in r.data:
            r.warn_unknown(("allow", "reason"), "错敏词表的 allow 项")
            word, reason = r.get("allow", f.text), r.get("reason", f.text)
            if word and reason:
                allowed.append(WordAllowance(word, reason, r.line("allow")))
            else:
                example = f"- {{allow: {word or '词'}, reason: 引用原文}}"
                r.report("FIELD", "allow", f"允许使用内置错敏词必须写明 reason（原因），如 {example}")
            continue
        r.warn_unknown(("wrong", "right", "level"), "错敏词表每项")
        wrong, level = r.get("wrong", f.text), r.get("level", f.text) or "error"
        if level not in ("error", "warn"):
            r.report("FIELD", "level", f"level 应为 error 或 warn，而不是 {level}")
            continue
        if wrong:
            entries.append(WordEntry(wrong, r.get("right", f.text), level, r.line("wrong")))
        else:
            r.report("FIELD", None, "词表项缺少 wrong（要查找的错词或敏感词）")
    return entries, allowed


def _suppressions(checks: FieldReader) -> list[Suppression]:
    found = []
    for n in range(len(checks.get("ignore", f.records) or [])):
        r = checks.nested("ignore").nested(n)
        r.warn_unknown(("rule", "path", "reason"), "checks.ignore 每项")
        rule, reason = r.get("rule", f.text), r.get("reason", f.text)
        if rule in UNSILENCEABLE:
            r.report("FIELD", "rule", f"{rule} 是安全规则，不能忽略：请修改被报告的内容")
        elif rule not in RULES:
            r.report(
                "FIELD",
                "rule",
                f"checks.ignore 中的规则 {rule or '（未填写）'} 不存在，请写规则编号（gsgen explain 列出全部规则），如 COL-STALE",
            )
        elif not reason:
            r.report("FIELD", None, f"忽略规则 {rule} 必须写明 reason（原因），以备检查时说明")
        else:
            found.append(Suppression(rule, r.get("path", f.text), reason, rule in WARNINGS_ONLY))
    return found


def _days(checks: FieldReader, key: str) -> frozenset:
    days = set()
    for n, text in enumerate(checks.get(key, f.texts) or []):
        try:
            days.add(parse_datetime(text).date())
        except BadDate as exc:
            checks.nested(key).report("FIELD", n, f"checks.{key} 第{n + 1}项：{exc}")  # type: ignore[arg-type]
    return frozenset(days)


def _site_info(r: FieldReader) -> SiteInfo:
    r.warn_unknown(SITE_FIELDS, "site ")
    contact = r.nested("contact")
    r.get("contact", f.mapping)
    kind = r.get("kind", f.text) or "portal"
    if kind not in SITE_KINDS:
        r.report("FIELD", "kind", f"site.kind 应为 portal（政府门户网站）或 department（部门网站），而不是 {kind}")
    domain = r.get("domain", f.text)
    base_url = r.address("base_url") if "base_url" in r.data else (f"https://{domain}/" if domain else "")
    if base_url and not base_url_ok(r, base_url, domain):
        base_url = ""
    addresses = {key: r.address(key) for key in WEB_ADDRESSES}
    pictures = {key: _own_picture(r, key, domain) for key in SITE_PICTURES}
    return SiteInfo(
        name=r.get("name", f.text),
        kind=kind,
        domain=domain,
        id_code=r.get("id_code", f.text),
        base_url=base_url.rstrip("/") + "/" if base_url else "",
        host_unit=r.get("host_unit", f.text),
        operator_unit=r.get("operator_unit", f.text),
        contact=Contact(contact.get("phone", f.text), contact.get("email", f.text), contact.get("address", f.text)),
        icp=r.get("icp", f.text),
        police_record=r.get("police_record", f.text),
        error_report_url=addresses["error_report_url"],
        interaction_url=addresses["interaction_url"],
        conac_url=addresses["conac_url"],
        logo=pictures["logo"],  # also the icon
        error_report_badge=pictures["error_report_badge"],
        conac_badge=pictures["conac_badge"],
    )


def _own_picture(r: FieldReader, key: str, domain: str | None) -> str | None:
    """A picture of the site's own (site.logo, the badges), by its address on the site; None, with
    the problem reported, when it would load from elsewhere or is not a plain address."""
    value = r.get(key, f.text)
    problem = value and (scheme_problem(value) or resource_problem(value, domain, own_only=True))
    if problem:
        r.report("SAFE-HTML", key, f"site.{key} {problem}")
        return None
    return value


def base_url_ok(r: FieldReader, base_url: str, domain: str | None) -> bool:
    """The address every page, QR code, feed and sitemap gives for the site: https on its own domain,
    at the root (pages link to /gzdt/…, so the site lives at the top of its domain)."""
    found = target(base_url)
    elsewhere = found.scheme != "https:" or found.host != domain.lower() if domain else False
    if domain and (elsewhere or found.path != "/" or "?" in base_url or "#" in base_url):
        r.report("FIELD", "base_url", f"site.base_url 应为 https://{domain}/（本站的域名），而不是 {base_url}")
        return False
    return True


NOTICE_KINDS = ("紧急", "开通", "迁移", "临时下线", "域名变更", "改版", "公告")
NOTICE_FIELDS = ("title", "kind", "from", "until", "link", "text")
MEDIA_FIELDS = ("platform", "name", "unit", "account", "qr", "url")


def _notices(top: FieldReader) -> list[Notice]:
    found = []
    for n in range(len(top.get("notices", f.records) or [])):
        r = top.nested("notices").nested(n)
        r.warn_unknown(NOTICE_FIELDS, "notices 的每一项")
        title, kind, start = r.get("title", f.text), r.get("kind", f.text) or "公告", r.get("from", f.when)
        if kind not in NOTICE_KINDS:
            r.report("FIELD", "kind", f"公告类型 kind 应为 {'、'.join(NOTICE_KINDS)} 之一，而不是 {kind}")
            continue
        if not title or start is None:
            if not title or "from" not in r.data:  # a from that is there but unreadable is reported already
                r.report("FIELD", None, "首页公告需要 title（标题）和 from（开始显示的时间，如 2026-11-20 09:00）")
            continue
        link = r.get("link", f.text)
        path = site_path(link) if link and not SCHEME.match(link) else None
        url = r.address("link") if link and path is None else None
        end, text = r.get("until", f.when), r.get("text", f.text)
        found.append(Notice(title, kind, start, end, path, url, text, r.line(None)))
    return found


def _new_media(top: FieldReader, domain: str | None) -> list[NewMedia]:
    found = []
    for n in range(len(top.get("new_media", f.records) or [])):
        r = top.nested("new_media").nested(n)
        r.warn_unknown(MEDIA_FIELDS, "new_media 的每一项")
        platform, name = r.get("platform", f.text), r.get("name", f.text)
        if not platform or not name:
            r.report("FIELD", None, "政务新媒体需要 platform（平台，如 微信公众号）和 name（账号名称）")
            continue
        qr = r.get("qr", f.text)
        problem = qr and (scheme_problem(qr) or resource_problem(qr, domain, own_only=True))
        if problem:
            r.report("SAFE-HTML", "qr", f"new_media 的二维码 qr {problem}")
            qr = None
        url = r.address("url") if "url" in r.data else None
        found.append(NewMedia(platform, name, r.get("unit", f.text), r.get("account", f.text), qr, url, r.line(None)))
    return found
