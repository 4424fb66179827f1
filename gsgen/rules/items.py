"""Content items: ART-META (title), ART-DATE, ART-SOURCE, POLICY-STATUS, POLICY-INTERP, POLICY-INTERP-LATE."""

from __future__ import annotations

from collections.abc import Iterator

from gsgen.dates import ACCEPTED_FORMS, add_working_days, display
from gsgen.model import Item, Site
from gsgen.rules import Finding, site_rule


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
            if target is None or target.draft:
                yield _at(
                    item,
                    "replaced_by",
                    f"replaced_by 指向的 {item.replaced_by} 不存在或未发布："
                    "请写 content/ 下的路径，不带扩展名，如 zcwj/2025-001",
                )


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
        if policy is None or policy.draft:
            yield _at(
                item,
                "interprets",
                f"interprets 指向的 {item.interprets} 不存在或未发布："
                "请写 content/ 下政策文件的路径，不带扩展名，如 zcwj/2024-003",
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
