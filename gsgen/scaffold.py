"""`gsgen new item COLUMN "标题"` and `gsgen new site DIR`: start files an editor then fills in."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml
from pypinyin import lazy_pinyin

from gsgen.dates import display
from gsgen.load import load_site
from gsgen.paths import proposed_name

SLUG_LENGTH = 40
STRUCTURED_SKELETONS = {
    "leaders": "people:\n  - {name: , post: , photo: , resume: , duties: }\n",
    "units": "units:\n  - {name: , duties: , head: , phone: , address: , hours: }\n",
    "service": (
        "topics: []\naudience: []\nbasis: \nconditions: \n"
        "materials:\n  - {name: , basis: , format: , copies: , note: , form: , sample: , instructions: }\n"
        "steps: []\ntime_limit: \nfee: \noffice: \naddress: \nhours: \nphone: \nonline_level: \napply_url: \n"
        "related: []\n"
    ),
    "messages": "messages:\n  - {title: , asked: , received: , replied: , dept: , question: , answer: }\n",
    "interview": "time: \nhost: \nguests:\n  - {name: , post: }\ntranscript:\n  - {speaker: , text: }\n",
    # a 征集调查 shares the messages layout, and says when it ran and what came of it
    "征集调查": "period: {start: , end: }\nopinions: \nresult: \nadopted: \nmessages: []\n",
    "data": "data: \nunit: \nperiod: \nchart: bar\n",
}


class ScaffoldError(Exception):
    pass


def now() -> datetime:
    return datetime.now(ZoneInfo("Asia/Shanghai")).replace(tzinfo=None, second=0, microsecond=0)


def _scalar(value: str) -> str:
    """A YAML value that stays a string whatever it holds (colons, leading digits…)."""
    return yaml.safe_dump(value, allow_unicode=True, default_flow_style=True).removesuffix("\n...\n").strip()


def item_slug(title: str) -> str:
    """The title in pinyin; a long title by its initials (关于做好森林防火工作的通知 → gyzhslfhgzdtz)."""
    full = proposed_name(title)
    return full if len(full) <= SLUG_LENGTH else proposed_name("".join(p[0] for p in lazy_pinyin(title)))[:SLUG_LENGTH]


def new_item(root: Path, column_path: str, title: str, moment: datetime | None = None) -> Path:
    site, _ = load_site(root)
    column = site.columns.get(column_path.strip("/"))
    if column is None:
        known = "、".join(site.columns) or "（还没有栏目）"
        raise ScaffoldError(
            f"栏目 {column_path} 不存在：请写 content/ 下栏目文件夹的路径，如 {next(iter(site.columns), 'gzdt')}。"
            f"现有栏目：{known}"
        )
    moment = moment or now()
    slug = f"{moment:%Y-%m-%d}-{item_slug(title)}"
    kind = column.kind
    structured = bool(kind and kind.structured)
    path = root / "content" / column.path / (slug + (".yaml" if structured else ".md"))
    if path.exists():
        raise ScaffoldError(f"文件 {path} 已经存在，请换一个标题或直接编辑它")
    lines = [f"title: {_scalar(title)}", f"date: {display(moment)}", f"source: {_scalar(column.source or '')}"]
    if column.is_policy_column:
        lines += ["doc_number: ", "issuer: ", "status: 有效"]
    if kind and kind.layout == "interpretation":
        lines += ["interprets:   # 所解读的政策文件路径，如 zcwj/2024-003"]
    if site.config.review_required:
        lines += ["review: {" + ", ".join(f"{level}: " for level in site.config.review_levels) + "}"]
    if structured:
        text = (
            "\n".join(lines) + "\n" + STRUCTURED_SKELETONS.get(column.type, STRUCTURED_SKELETONS.get(kind.layout, ""))
        )
    else:
        text = "---\n" + "\n".join(lines) + "\n---\n\n正文。\n"
    path.write_text(text, "utf-8")
    return path


def new_site(folder: Path, moment: datetime | None = None) -> list[Path]:
    """A minimal site that builds, even with --strict: every required column, one item each."""
    if folder.exists() and any(folder.iterdir()):
        raise ScaffoldError(f"文件夹 {folder} 不是空的：请换一个新文件夹名")
    when = display(moment or now())
    config = """\
site:
  name: 某某县人民政府              # 机构全称
  kind: portal                    # portal（政府门户网站）或 department（部门网站）
  domain: www.example.gov.cn      # 网站域名，以 .gov.cn 结尾
  id_code: "0000000000"           # 政府网站标识码（10位），写在引号里
  host_unit: 某某县人民政府办公室
  contact: {phone: 000-00000000, email: admin@example.gov.cn, address: 某某县某某路1号}
  icp: 某ICP备00000000号-1
  police_record: 某公网安备00000000000000号
  error_report_url: https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=0000000000
channels: [jgzn, ldxx, zcwj, zcjd, gzdt, hdjl, bsfw]
"""
    columns = [
        (
            "jgzn",
            "机构职能",
            "机构职能",
            "units.yaml",
            f"title: 机构设置\ndate: {when}\nsource: 某某县人民政府办公室\nunits:\n  - {{name: 县人民政府办公室, duties: 协助县政府领导处理日常工作}}\n",
        ),
        (
            "ldxx",
            "负责人信息",
            "负责人信息",
            "leaders.yaml",
            f"title: 县政府领导\ndate: {when}\nsource: 某某县人民政府办公室\npeople:\n  - {{name: 某某某, post: 县长, duties: 主持县政府全面工作}}\n",
        ),
        (
            "zcwj",
            "政策文件",
            "政策文件",
            "first-policy.md",
            f"---\ntitle: 关于印发某某办法的通知\ndate: {when}\nsource: 某某县人民政府办公室\ndoc_number: 某府发〔{when[:4]}〕1号\n"
            "issuer: 某某县人民政府\nstatus: 有效\n---\n\n正文。\n",
        ),
        (
            "zcjd",
            "政策解读",
            "政策解读",
            "first-interpretation.md",
            f"---\ntitle: 《某某办法》政策解读\ndate: {when}\nsource: 某某县人民政府办公室\ninterprets: zcwj/first-policy\n---\n\n一、出台背景\n",
        ),
        (
            "gzdt",
            "工作动态",
            "工作动态",
            "first-news.md",
            f"---\ntitle: 某某县召开工作会议\ndate: {when}\nsource: 某某县人民政府办公室\n---\n\n正文。\n",
        ),
        (
            "hdjl",
            "咨询投诉",
            "咨询投诉",
            "messages.yaml",
            f"title: 留言选登\ndate: {when}\nsource: 某某县人民政府办公室\nmessages: []\n",
        ),
        ("bsfw", "办事服务", "办事服务", None, None),
        # a portal's 政府信息公开 (COL-REQUIRED); the 信息公开目录 is generated from the items
        (
            "xxgkzn",
            "信息公开指南",
            "信息公开指南",
            "zhinan.md",
            f"---\ntitle: 某某县人民政府政府信息公开指南\ndate: {when}\nsource: 某某县人民政府办公室\n---\n\n"
            "一、主动公开\n\n二、依申请公开\n\n三、监督和救济\n",
        ),
        (
            "xxgknb",
            "信息公开年报",
            "信息公开年报",
            f"{int(when[:4]) - 1}-ndbg.md",
            f"---\ntitle: 某某县人民政府{int(when[:4]) - 1}年政府信息公开工作年度报告\ndate: {when}\n"
            f"source: 某某县人民政府办公室\nyear: {int(when[:4]) - 1}\n---\n\n一、总体情况\n",
        ),
        (
            "ysqgk",
            "依申请公开",
            "依法申请公开",
            "shenqing.md",
            f"---\ntitle: 依申请公开办理说明\ndate: {when}\nsource: 某某县人民政府办公室\n---\n\n一、申请方式\n",
        ),
    ]
    written = [folder / "config.yaml"]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.yaml").write_text(config, "utf-8")
    for path, name, type_, item, text in columns:
        column = folder / "content" / path
        column.mkdir(parents=True)
        extra = "url: https://zwfw.example.gov.cn/\n" if item is None else ""
        (column / "_column.yaml").write_text(
            f"name: {name}\ntype: {type_}\ndescription: {name}\nkeywords: [{name}]\n{extra}", "utf-8"
        )
        written.append(column / "_column.yaml")
        if item:
            (column / item).write_text(text, "utf-8")
            written.append(column / item)
    return written
