"""Content items: ART-META (title), ART-DATE, ART-SOURCE, POLICY-STATUS, POLICY-INTERP, POLICY-INTERP-LATE,
and FIELD for recorded moments after now."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from gsgen.dates import ACCEPTED_FORMS, add_working_days, display
from gsgen.model import Item, Site
from gsgen.rules import Finding, site_rule
from gsgen.rules.content import not_published


def _at(item: Item, key: str | None, message: str) -> Finding:
    return Finding(item.file, item.doc.line(key) if key else 1, message)


def _missing(item: Item, key: str, what: str) -> Finding:
    """A required field not written, or written empty (at its line)."""
    if key in item.doc.data:
        return _at(item, key, f"字段 {key} 是空的{what}")
    return _at(item, None, f"条目缺少 {key}{what}")


def _unparsed(item: Item, key: str) -> bool:
    """The field is written but could not be read: the loader has already said why. (An empty
    value, `source: ''`, was read: it is missing, and said so here.)"""
    value = item.doc.data.get(key)
    return value is not None and not (isinstance(value, str) and not value.strip())


@site_rule("ART-META")
def art_title(site: Site) -> Iterator[Finding]:
    for item in site.items.values():
        if not item.title and not _unparsed(item, "title"):
            yield _missing(item, "title", "（标题，用于 ArticleTitle）")


@site_rule("ART-DATE")
def art_date(site: Site) -> Iterator[Finding]:
    for item in site.items.values():
        if item.date is None and not _unparsed(item, "date"):
            yield _missing(item, "date", f"（发布时间），请写成 {ACCEPTED_FORMS}")


@site_rule("ART-SOURCE")
def art_source(site: Site) -> Iterator[Finding]:
    for item in site.items.values():
        if not item.source and not _unparsed(item, "source"):
            yield _missing(item, "source", "（信息来源，页面显示为“来源：…”），如 source: 示例县人民政府办公室")


@site_rule("POLICY-STATUS")
def policy_status(site: Site) -> Iterator[Finding]:
    for item in site.items.values():
        if not item.is_policy or item.draft:
            continue
        if item.status != "有效" and item.status_date is None and not _unparsed(item, "status_date"):
            yield _at(item, "status", f"文件状态为「{item.status}」时需要写 status_date（状态生效时间）")
        if item.replaced_by:
            target = site.items.get(item.replaced_by.strip("/").removesuffix(".md"))
            if target is None or not site.published_with(item, target):
                yield _at(
                    item,
                    "replaced_by",
                    f"replaced_by 指向的 {item.replaced_by} {_unpublished(site, target, _FIX_POLICY_PATH)}",
                )


_FIX_POLICY_PATH = "请写 content/ 下的路径，不带扩展名，如 zcwj/2025-001"
_FIX_INTERPRETS = "请写 content/ 下政策文件的路径，不带扩展名，如 zcwj/2024-003"


def _unpublished(site: Site, target: Item | None, fix: str) -> str:
    if target is not None and target.path in site.held:
        return not_published(site, target.path)
    return f"不存在或未发布：{fix}"


INTERPRETS_REQUIRED = "政策解读"  # 回应关切 names a policy only where it answers one


@site_rule("POLICY-INTERP")
def policy_interp(site: Site) -> Iterator[Finding]:
    for item in site.items.values():
        if not item.is_interpretation or item.draft:
            continue
        if not item.interprets:
            # A 回应关切 item may answer a rumour or an emergency, which no policy document stands behind.
            if item.column.type == INTERPRETS_REQUIRED:
                yield _missing(item, "interprets", "：请写所解读的政策文件路径，如 interprets: zcwj/2024-003")
            continue
        policy = site.items.get(item.interprets)
        if policy is None or not site.published_with(item, policy):
            yield _at(
                item, "interprets", f"interprets 指向的 {item.interprets} {_unpublished(site, policy, _FIX_INTERPRETS)}"
            )
        elif not policy.is_policy:
            yield _at(item, "interprets", f"{item.interprets} 不在政策文件栏目中：解读应关联一份政策文件")


INTERPRET_WITHIN = 3  # working days


@site_rule("POLICY-INTERP-LATE")
def policy_interp_late(site: Site) -> Iterator[Finding]:
    config = site.config
    for item in site.published:
        # `no_interpretation` (a reason) excuses a 规范性文件; a 重大政策 is always interpreted
        if not (item.is_policy and (item.major or item.normative) and item.date) or (
            item.no_interpretation and not item.major
        ):
            continue
        deadline = add_working_days(item.date, INTERPRET_WITHIN, config.holidays, config.workdays)
        if site.now and site.now < deadline:
            continue  # there is still time
        timely = [i for i in site.interpretations.get(item.path, []) if i.date and i.date <= deadline]
        if not timely:
            what = "重大政策" if item.major else "规范性文件"
            yield _at(
                item,
                "major" if item.major else "normative",
                f"{what}应在发布后 {INTERPRET_WITHIN} 个工作日内（{display(deadline)} 前）发布解读，"
                "目前没有按时发布的解读"
                + ("" if item.major else "；如确实无需解读，请在 no_interpretation 中写明理由"),
            )


# Fields that record what has happened, and what to write instead of a moment to come. Only `date`
# may be later than now: the item is then held back until it (定时发布, model.py). A recorded moment
# cannot be: the page would state now, as done, what has not happened (已归档, 已废止 from a date to
# come), and a static page cannot change by itself at that moment; a health rule would be cleared
# by it meanwhile (a yearly review, a reply). The build to make it true is the one to write it in.
RECORDED = {
    "archived": "归档时间应是已经归档的时间：到时再归档，请到那时再写 archived",
    "reviewed": "请填写实际核对的时间",
    "written": "请填写文件实际成文的日期",
    "status_date": "在那之前文件仍然有效：请先写 status: 有效，到时再改写状态并写 status_date",
}
MESSAGE_TIMES = {"asked": "留言", "received": "受理", "replied": "答复"}


def _after(moment: datetime, limit: tuple[datetime, str], what: str, fix: str) -> str:
    return f"{what}「{display(moment)}」晚于{limit[1]} {display(limit[0])}：{fix}"


@site_rule("FIELD")
def recorded_after_now(site: Site) -> Iterator[Finding]:
    """A recorded moment after the build's time. An item held back until its date is read as of that
    date: what it records may happen before it is published."""
    if site.now is None:
        return
    now = (site.now, "当前时间")
    for column in site.columns.values():
        if column.archived and column.archived > site.now:
            message = _after(column.archived, now, "字段 archived ", RECORDED["archived"])
            yield Finding(column.file, column.doc.line("archived"), message)
    for item in site.items.values():
        if item.draft:
            continue
        limit = (item.date, "本条目定时发布的时间") if item.path in site.held and item.date else now
        for key, fix in RECORDED.items():
            moment = getattr(item, key)
            if moment and moment > limit[0]:
                yield _at(item, key, _after(moment, limit, f"字段 {key} ", fix))
        for n, message in enumerate(item.data.get("messages") or []):
            for key, what in MESSAGE_TIMES.items():
                moment = message.get(key)
                if isinstance(moment, datetime) and moment > limit[0]:
                    where = item.doc.line("messages", n, key)
                    fix = f"请填写实际{what}的时间"
                    yield Finding(item.file, where, _after(moment, limit, f"留言的{what}时间 messages.{n}.{key} ", fix))
    config = site.config
    for year, figures in config.work_reports.items():
        moment = (figures.get("filing") or {}).get("date")
        if isinstance(moment, datetime) and moment > site.now:
            where = config.doc.line("work_reports", str(year), "filing", "date")
            yield Finding(config.file, where, _after(moment, now, f"{year} 年报表的填报日期 ", "请填写实际填报的日期"))
