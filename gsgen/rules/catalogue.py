"""The rule catalogue: every rule gsgen knows, with its severity and the clause it comes from.

This is the one place where a rule's severity and source live; what each checks, why and how to fix
it is in `guide.yaml` beside it, and docs/rules.md is generated from both (`guide.py`). Rules marked
`out=True` run on the rendered HTML. IDs in `GSGEN_RULES` are gsgen's own: they guard the file
contract (docs/content.md) rather than a clause of the national rules.

Rules marked `health=True` change with the passage of time alone (a column goes stale, a deadline
passes). They never stop a build, `--strict` or not: a build cannot make a column fresh, and refusing
to publish would only block the fix. `gsgen health`, which a scheduled job runs, reports them with
their real severity and a non-zero exit. A rule may also mark single findings as health
(`Finding.health`): INTERACT's unanswered messages, for one.
"""

from __future__ import annotations

from dataclasses import dataclass

from gsgen.diagnostics import Diagnostic, Severity

E, W = Severity.ERROR, Severity.WARN


@dataclass(frozen=True)
class RuleInfo:
    id: str
    severity: Severity
    source: str
    out: bool = False
    health: bool = False
    some_health: bool = False  # some of its findings are health findings (`Finding.health`)


_SPEC = [
    # Site identity
    RuleInfo("SITE-NAME", E, "指引 三(一)3 名称规范; 聊城 第十二条", out=True),
    RuleInfo("SITE-DOMAIN", E, "指引 域名规范; 南通 第五条", out=True),
    RuleInfo("SITE-IDCODE", E, "指引 开设流程(3); 聊城 第八条(三)", out=True),
    RuleInfo("SITE-FOOTER", E, "南通 第十八条; 指引 迁移 (证书信息)", out=True),
    RuleInfo("SITE-META", E, "指引 网页设计规范 三、网页标签 (一)", out=True),
    # Columns and channels
    RuleInfo("COL-REQUIRED", E, "指引 网页设计规范 (三)栏目 2; 指引 四、网站功能"),
    RuleInfo("COL-META", E, "指引 三、网页标签 (二)", out=True),
    RuleInfo("COL-NAME", W, "指引 (三)栏目 3"),
    RuleInfo("COL-ORDER", E, "指引 (三)栏目 4", out=True),
    RuleInfo("COL-EMPTY", W, "检查指标 单项否决 4(3)"),
    RuleInfo("COL-STALE", W, "南通 第六条; 检查指标 单项否决 3, 4", health=True),
    RuleInfo("VETO", E, "检查指标 单项否决 3, 4, 5", health=True),
    RuleInfo("CHANNELS", W, "指引 (四)频道"),
    RuleInfo("TOPIC-ARCHIVE", E, "指引 (五)专题 3"),
    RuleInfo("NOTICE", E, "指引 网站迁移、临时下线 (有关公告信息原则上至少保留30天); 聊城 第十条"),
    # Content pages
    RuleInfo("ART-META", E, "指引 三、网页标签 (三)", out=True),
    RuleInfo("ART-DATE", E, "指引 网页设计规范 (一)5", out=True),
    RuleInfo("ART-SOURCE", E, "指引 网页设计规范 (一)5; 指引 四(一)5", out=True),
    RuleInfo("ART-SHARE", E, "指引 (一)5"),
    RuleInfo("ARCHIVED", E, "指引 网页归档; 聊城 第十条(五); 深圳 第十六條", out=True),
    RuleInfo("POLICY-STATUS", E, "指引 网页设计规范 (三)栏目 5 (修改、废止、失效…在已发布的原文件上作出明确标注)"),
    RuleInfo("POLICY-INTERP", E, "南通 第八条; 指引 四(二)"),
    RuleInfo("POLICY-INTERP-LATE", W, "南通 第八条", health=True),
    RuleInfo("REVIEW", E, "聊城 第十八条; 南通 第十四–十五条; 酉阳 第二十二条"),
    RuleInfo("DRAFT", E, "聊城 第十八条"),
    RuleInfo("SERVICE-GUIDE", E, "深圳 第二十四條; 聊城 第十五条; 指引 四(三); 检查指标 单项否决 6"),
    RuleInfo("INTERACT", W, "深圳 第二十七–二十八條; 检查指标 单项否决 5", some_health=True),
    # Safety of what is published
    RuleInfo("PRIVACY", E, "聊城 第十八条; 酉阳 第二十二条(二)"),
    RuleInfo("SECRECY", E, "指引 保密审查机制 (严禁涉密信息上网); 聊城 第十八条; 酉阳 第二十二条(二)、第二十四条"),
    RuleInfo("WORDS", E, "酉阳 第十八条; 南通 第十七条"),
    RuleInfo("SAFE-HTML", E, "酉阳 第二十九条; 指引 七"),
    RuleInfo("SAFE-FILE", E, "酉阳 第二十九条 (不得发布含有病毒、木马及恶意代码的文件), 第二十五条 (挂马); 指引 七 2"),
    RuleInfo("DARK-LINK", E, "指引 二、地址链接 (外部链接)", out=True),
    RuleInfo("EXT-LINK", E, "指引 二、地址链接", out=True),
    RuleInfo("LINKS", E, "指引 二(一)", out=True),
    RuleInfo("URL", E, "指引 二(一)"),
    RuleInfo("ADS", W, "聊城 第十八条"),
    # Presentation
    RuleInfo("COLOURS", E, "指引 网页设计规范 (一)2"),
    RuleInfo("CONTRAST", E, "指引 (创新发展) 信息无障碍"),
    RuleInfo("WEIGHT", W, "指引 (一)3"),
    RuleInfo("FLOAT", E, "指引 四、其他"),
    RuleInfo("PLUGINS", W, "指引 四、其他"),
    RuleInfo("PRINT", E, "指引 四、其他"),
    RuleInfo("RESPONSIVE", E, "指引 (四)多渠道拓展"),
    RuleInfo("A11Y", E, "指引 信息无障碍"),
    RuleInfo("SEARCH", E, "指引 四(一)4; 指引 智能搜索"),
    # Records and reports
    RuleInfo("OPEN-REPORT", E, "政府信息公开条例 第四十九条; 指引 四(一)6; 聊城 第十三条; 酉阳 第十五条", health=True),
    RuleInfo("REPORT", E, "指引 年报制度; 深圳 第四十一條; 南通 第二十九条", health=True),
]

_CONTRACT = "gsgen 内容约定 (docs/content.md)"
GSGEN_RULES = [
    # A file gsgen cannot read: not UTF-8, broken YAML, front matter not closed.
    RuleInfo("YAML", E, _CONTRACT),
    # A field of the wrong type, an unknown value, an unknown field (warn, with a suggestion).
    RuleInfo("FIELD", E, _CONTRACT),
    # Files in the wrong place: a column folder without _column.yaml, an item outside any column.
    RuleInfo("LAYOUT", E, _CONTRACT),
    # A template of the theme that cannot be rendered.
    RuleInfo("THEME", E, _CONTRACT),
    # A placeholder `gsgen new site` / `gsgen new item` wrote (某某县人民政府, 标识码 0000000000, the
    # body 请在这里写正文。) still in the site: a warning, so a new site builds and previews as it is
    # while `--strict` (CI) lists what is left to fill in (values in gsgen/starter.py).
    RuleInfo("PLACEHOLDER", W, _CONTRACT),
    # `gsgen check` on another system's output: a page it cannot read (binary, undecodable bytes), a
    # folder without pages, a page on which a rule failed. The run goes on; the finding names the file.
    RuleInfo("CHECK-INPUT", E, "gsgen check 的输入"),
    # An XML file of the output (a column's rss.xml, sitemap.xml) that does not parse as XML.
    RuleInfo("XML", E, _CONTRACT),
]

RULES: dict[str, RuleInfo] = {r.id: r for r in [*_SPEC, *GSGEN_RULES]}


def diagnostic(
    rule_id: str, file: str, line: int, message: str, severity: Severity | None = None, health: bool | None = None
) -> Diagnostic:
    """A diagnostic of a catalogued rule, with the rule's own severity and health unless given."""
    info = RULES[rule_id]
    health = info.health if health is None else health
    return Diagnostic(file, line, rule_id, severity or info.severity, message, info.source, health)
