"""The 年度工作报表 as pages: /ndbb/index.html, and for each complete year /ndbb/<year>.html with the
same figures as /ndbb/<year>.csv, in the structure of the national form (政府网站工作年度报表).

Each figure of the form has one source, always the same:
- 站点: the site's identity in config.yaml `site:` (name, address, 标识码, filings);
- 内容统计: what the content proves, taken from `annual_report()` as `gsgen report --year Y` gives it
  (never counted again here, so the page, the CSV and the command cannot disagree);
- 填报: what the content cannot give (visits, service transactions, security, 新媒体…), from
  config.yaml `work_reports: {<year>: {…}}` (WORK_REPORT_FIELDS below). A figure not given there is
  shown as 未填报, never as 0: a zero would be a false statement on a public report.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

from gsgen import fields as f
from gsgen.coltypes import COLUMN_TYPES
from gsgen.dates import YEARS, day
from gsgen.fields import FieldError, FieldReader
from gsgen.model import Site
from gsgen.report import annual_report, as_dict
from gsgen.spreadsheet import csv_text, formula_like

FOLDER = "ndbb"  # 年度报表: /ndbb/index.html, /ndbb/2025.html, /ndbb/2025.csv
TITLE = "政府网站工作年度报表"
NOT_FILED = "未填报"
SITE, CONTENT, FILED = "网站信息", "内容统计", "单位填报"
INNOVATIONS = ("搜索即服务", "多语言版本", "无障碍浏览", "千人千网")


def count(value: Any) -> int | None:
    number = f.whole(value)
    if number is not None and number < 0:
        raise FieldError("应为不小于 0 的整数")
    return number


def innovations(value: Any) -> list[str]:
    chosen = f.texts(value)
    unknown = [c for c in chosen if c not in INNOVATIONS]
    if unknown:
        raise FieldError(
            f"中的「{'、'.join(unknown)}」不是报表的选项，请从 {'、'.join(INNOVATIONS)} 中选择（其他写在 innovation_other）"
        )
    return chosen


def cell_text(value: Any) -> str | None:
    """Text that the form's CSV gives as a cell: a value a spreadsheet would evaluate is refused here,
    where it was written, rather than published with the `'` that makes it text (spreadsheet.py)."""
    given = f.text(value)
    if given is not None and formula_like(given):
        raise FieldError(
            f"「{given}」以 {given[0]} 开头：打开年度报表的 CSV 时，电子表格会把它当作公式计算。请删去开头的 {given[0]}"
        )
    return given


Parser = Callable[[Any], Any]
_ACCOUNT: dict[str, Any] = {"name": cell_text, "posts": count, "followers": count}  # a 新媒体 account
# config.yaml `work_reports.<year>`: every key the form takes, with how its value is read.
WORK_REPORT_FIELDS: dict[str, Any] = {
    "visitors": count,  # 独立用户访问总量（个）
    "visits": count,  # 网站总访问量（次）
    "interpretation": {"materials": count, "products": count, "media_comments": count},  # 解读材料/产品/媒体评论
    "service": {
        "catalogue": f.flag,  # 是否发布服务事项目录
        "registered_users": count,  # 注册用户数
        "items": count,  # 政务服务事项数量
        "online": count,  # 可全程在线办理政务服务事项数量
        "transactions": count,  # 办件量：总数
        "personal": count,  # 办件量：自然人
        "legal": count,  # 办件量：法人
    },
    "interaction": {
        "unified_platform": f.flag,  # 是否使用统一平台
        "survey_opinions": count,  # 征集调查：收到意见数量
        "survey_results": count,  # 征集调查：公布调查结果期数
        "interview_questions": count,  # 在线访谈：网民留言数量
        "interview_answers": count,  # 在线访谈：答复网民提问数量
        "smart_qa": f.flag,  # 是否提供智能问答
    },
    "security": {
        "checks": count,  # 安全检测评估次数
        "issues": count,  # 发现问题数量
        "fixed": count,  # 问题整改数量
        "monitoring": f.flag,  # 是否建立安全监测预警机制
        "drills": f.flag,  # 是否开展应急演练
        "officer": f.flag,  # 是否明确网站安全责任人
    },
    "media": {"weibo": _ACCOUNT, "wechat": _ACCOUNT, "others": [_ACCOUNT]},  # 移动新媒体
    "innovation": innovations,  # 创新发展：所选的 INNOVATIONS
    "innovation_other": cell_text,  # 创新发展：其他
    "filing": {
        "unit": cell_text,
        "head": cell_text,
        "reviewer": cell_text,
        "filler": cell_text,
        "phone": cell_text,
        "date": f.when,
    },
}


# ---------------------------------------------------------------- reading config.yaml


def read_work_reports(top: FieldReader) -> dict[int, dict[str, Any]]:
    """`work_reports:` of config.yaml, each year's figures parsed; every problem a FIELD error at its line."""
    top.get("work_reports", f.mapping)
    reader = top.nested("work_reports")
    reports = {}
    for key in reader.data:
        year = int(key) if key.isdigit() and len(key) == 4 else None
        if year is None or year not in YEARS:
            reader.report("FIELD", key, f"work_reports 下应按年份填写（如 2025:），而不是 {key}")
            continue
        reader.get(key, f.mapping)
        reports[year] = _read(reader.nested(key), WORK_REPORT_FIELDS)
    return reports


def _read(r: FieldReader, schema: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for key in r.data:
        if key not in schema:
            close = difflib.get_close_matches(key, list(schema), n=1)
            hint = f"是否想写 {close[0]}？" if close else f"可填写的有：{'、'.join(schema)}"
            r.report("FIELD", key, f"年度报表中没有 {r.name(key)} 这一项，{hint}")
    for key, kind in schema.items():
        if key not in r.data:
            continue
        if isinstance(kind, dict):
            if r.get(key, f.mapping) is not None:
                values[key] = _read(r.nested(key), kind)
        elif isinstance(kind, list):
            values[key] = [_read(r.nested(key).nested(n), kind[0]) for n in range(len(r.get(key, f.records) or []))]
        else:
            values[key] = r.get(key, kind)
    return values


# ---------------------------------------------------------------- the form


def report_years(site: Site) -> list[int]:
    """Complete years with a report: from the year of the first published item to the year before now."""
    dates = [i.date for i in site.published if i.date]
    if not dates or site.now is None:
        return []
    return list(range(min(dates).year, site.now.year))


def _shown(value: Any) -> str:
    if value is None:
        return NOT_FILED
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        return day(value)
    return str(value)


Row = dict[str, Any]


def _row(label: str, value: Any, source: str, depth: int = 0) -> Row:
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    return {"label": label, "value": _shown(value), "source": source, "depth": depth, "number": number}


def form(site: Site, year: int) -> list[dict[str, Any]]:
    """The form's sections, each {"title", "rows"}, every row {"label", "value", "source", "depth", "number"}."""
    figures = as_dict(annual_report(site, year))
    filed = site.config.work_reports.get(year, {})

    def given(*path: str) -> Any:
        value: Any = filed
        for key in path:
            value = value.get(key) if isinstance(value, dict) else None
        return value

    def by_type(*types: str) -> int:
        return sum(c["count"] for c in figures["columns"] if c["type"] in types)

    info = site.config.site
    overview = [t for t, kind in COLUMN_TYPES.items() if kind.kind == "概况"]
    published = [
        _row("总数（条）", figures["items_total"], CONTENT),
        _row("概况类信息更新量（条）", by_type(*overview), CONTENT),
        _row("政务动态信息更新量（条）", by_type("工作动态"), CONTENT),
        # the 目录 is generated from every published item (xxgk.py), so it grew by all of them
        _row("信息公开目录信息更新量（条）", figures["items_total"], CONTENT),
    ]
    published += [_row(f"栏目：{c['name']}（条）", c["total"], CONTENT, c["depth"] + 1) for c in figures["columns"]]
    media: list[Row] = []
    for key, label in (("weibo", "微博"), ("wechat", "微信")):
        # The account's name is the site's own fact (config new_media, shown on the homepage); a name
        # filed for the year wins, as an account may have been renamed since.
        named = "、".join(a.name for a in site.config.new_media if label in a.platform) or None
        filed_name = given("media", key, "name")
        media += [
            _row(f"{label}：名称", filed_name or named, FILED if filed_name or not named else SITE),
            _row(f"{label}：信息发布量（条）", given("media", key, "posts"), FILED),
            _row(
                f"{label}：{'订阅数' if key == 'wechat' else '关注量'}（个）", given("media", key, "followers"), FILED
            ),
        ]
    for n, other in enumerate(given("media", "others") or [], start=1):
        media += [
            _row(f"其他{n}：名称", other.get("name"), FILED),
            _row(f"其他{n}：信息发布量（条）", other.get("posts"), FILED),
            _row(f"其他{n}：关注量（个）", other.get("followers"), FILED),
        ]
    if not given("media", "others"):
        media.append(_row("其他", None, FILED))
    chosen = given("innovation")
    return [
        {
            "title": "网站基本信息",
            "rows": [
                _row("网站名称", info.name, SITE),
                _row("首页网址", info.base_url or None, SITE),
                _row("主办单位", info.host_unit, SITE),
                _row("网站类型", "政府门户网站" if info.kind == "portal" else "部门网站", SITE),
                _row("政府网站标识码", info.id_code, SITE),
                _row("ICP备案号", info.icp, SITE),
                _row("公安机关备案号", info.police_record, SITE),
            ],
        },
        {
            "title": "访问情况",
            "rows": [
                _row("独立用户访问总量（个）", given("visitors"), FILED),
                _row("网站总访问量（次）", given("visits"), FILED),
            ],
        },
        {"title": "信息发布", "rows": published},
        {
            "title": "专栏专题",
            "rows": [
                _row("维护数量（个）", len(figures["topics_maintained"]), CONTENT),
                _row("新开设数量（个）", len(figures["topics_opened"]), CONTENT),
            ],
        },
        {
            "title": "解读回应",
            "rows": [
                _row("解读信息发布总数（条）", by_type("政策解读"), CONTENT),
                _row("其中：解读材料数量（条）", given("interpretation", "materials"), FILED, 1),
                _row("其中：解读产品数量（个）", given("interpretation", "products"), FILED, 1),
                _row("其中：媒体评论数量（篇）", given("interpretation", "media_comments"), FILED, 1),
                _row("回应公众关注热点或重大舆情数量（次）", by_type("回应关切"), CONTENT),
            ],
        },
        {
            "title": "办事服务",
            "rows": [
                _row("是否发布服务事项目录", given("service", "catalogue"), FILED),
                _row("注册用户数（个）", given("service", "registered_users"), FILED),
                _row("政务服务事项数量（项）", given("service", "items"), FILED),
                _row("可全程在线办理政务服务事项数量（项）", given("service", "online"), FILED),
                _row("办件量：总数（件）", given("service", "transactions"), FILED),
                _row("办件量：自然人办件量（件）", given("service", "personal"), FILED, 1),
                _row("办件量：法人办件量（件）", given("service", "legal"), FILED, 1),
            ],
        },
        {
            "title": "互动交流",
            "rows": [
                _row("是否使用统一平台", given("interaction", "unified_platform"), FILED),
                _row("留言办理：收到留言数量（条）", figures["messages_received"], CONTENT),
                _row("留言办理：办结留言数量（条）", figures["messages_replied"], CONTENT),
                _row("留言办理：平均办理时间（天）", figures["messages_average_days"], CONTENT),
                # every reply the content records is published with its message
                _row("留言办理：公开答复数量（条）", figures["messages_replied"], CONTENT),
                _row("征集调查：征集调查期数（期）", by_type("征集调查"), CONTENT),
                _row("征集调查：收到意见数量（条）", given("interaction", "survey_opinions"), FILED),
                _row("征集调查：公布调查结果期数（期）", given("interaction", "survey_results"), FILED),
                _row("在线访谈：访谈期数（期）", by_type("在线访谈"), CONTENT),
                _row("在线访谈：网民留言数量（条）", given("interaction", "interview_questions"), FILED),
                _row("在线访谈：答复网民提问数量（条）", given("interaction", "interview_answers"), FILED),
                _row("是否提供智能问答", given("interaction", "smart_qa"), FILED),
            ],
        },
        {
            "title": "安全防护",
            "rows": [
                _row("安全检测评估次数（次）", given("security", "checks"), FILED),
                _row("发现问题数量（个）", given("security", "issues"), FILED),
                _row("问题整改数量（个）", given("security", "fixed"), FILED),
                _row("是否建立安全监测预警机制", given("security", "monitoring"), FILED),
                _row("是否开展应急演练", given("security", "drills"), FILED),
                _row("是否明确网站安全责任人", given("security", "officer"), FILED),
            ],
        },
        {"title": "移动新媒体", "rows": media},
        {
            "title": "创新发展",
            "rows": [_row(name, None if chosen is None else name in chosen, FILED) for name in INNOVATIONS]
            + [_row("其他", given("innovation_other"), FILED)],
        },
        {
            "title": "填报信息",
            "rows": [
                _row("单位名称", given("filing", "unit"), FILED),
                _row("负责人", given("filing", "head"), FILED),
                _row("审核人", given("filing", "reviewer"), FILED),
                _row("填报人", given("filing", "filler"), FILED),
                _row("联系电话", given("filing", "phone"), FILED),
                _row("填报日期", given("filing", "date"), FILED),
            ],
        },
    ]


def form_csv(sections: list[dict[str, Any]]) -> str:
    """The form as CSV (板块,指标,数值,数据来源), with the BOM Excel needs to read UTF-8."""
    rows = [(s["title"], r["label"], r["value"], r["source"]) for s in sections for r in s["rows"]]
    return "\ufeff" + csv_text([("板块", "指标", "数值", "数据来源"), *rows])


def report_meta(site: Site, year: int | None = None) -> dict[str, str]:
    """The column tags of the report pages: a page of its own kind, typed 其他 (网页设计规范 三)."""
    name = site.config.site.name or ""
    return {
        "ColumnName": "年度工作报表",
        "ColumnDescription": f"{name}{f'{year}年度' if year else '各年度'}{TITLE}",
        "ColumnKeywords": f"{TITLE},年度报表,{name}",
        "ColumnType": "其他",
    }


def pages_data(site: Site) -> Iterator[tuple[str, dict[str, Any] | str]]:
    """(output path, template context or CSV text) of every report page."""
    years = report_years(site)
    yield f"{FOLDER}/index.html", {"title": TITLE, "years": years[::-1], "meta": report_meta(site)}
    for year in years:
        sections = form(site, year)
        yield (
            f"{FOLDER}/{year}.html",
            {"title": f"{TITLE}（{year}年度）", "year": year, "sections": sections, "meta": report_meta(site, year)},
        )
        yield f"{FOLDER}/{year}.csv", form_csv(sections)
