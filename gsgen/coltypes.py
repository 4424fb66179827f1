"""Column types (栏目类型): the 网页设计规范's list, each with the layout its items use and the extra
fields its items may carry. The one place where the column types live."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ColumnType:
    name: str
    layout: str  # the item template under themes/<name>/templates/layouts/
    fields: tuple[str, ...] = ()  # fields an item of this type may carry beyond the common ones
    structured: bool = False  # items are YAML data rather than Markdown prose
    kind: str = "其他"  # 类型, what a citizen filters site search by (新闻, 政策, 办事…)


# The keys of the records in structured items (docs/content.md), by list field.
RECORD_KEYS: dict[str, tuple[str, ...]] = {
    "people": ("name", "post", "photo", "resume", "duties"),
    "units": ("name", "duties", "head", "phone", "address", "hours"),
    # form, sample, instructions: files beside the item (空白表格, 示例样表, 填写说明), like attachments
    "materials": ("name", "basis", "format", "copies", "note", "form", "sample", "instructions"),
    "messages": ("title", "asked", "received", "replied", "dept", "question", "answer"),
    "related": ("title", "url"),  # url: a site item's path (zcwj/2024-003) or a web address
    "guests": ("name", "post"),
    "transcript": ("speaker", "text"),
}

# Keys of records and fields of structured items that name a file under content/, and what the file
# is called in messages: they resolve like attachments, and are published because a page links them.
FILE_KEYS: dict[str, str] = {
    "photo": "照片",
    "form": "空白表格",
    "sample": "示例样表",
    "instructions": "填写说明",
    "video": "视频",
}

# Fields of structured items that hold a web address (published as links, so they pass the URL gate).
URL_FIELDS = ("apply_url",)

# normative: a 规范性文件, which is interpreted like a major policy unless `no_interpretation` says why not
_POLICY = ("doc_number", "issuer", "status", "status_date", "replaced_by", "major", "normative", "no_interpretation")
_SERVICE = (
    "basis",
    "conditions",
    "materials",
    "steps",
    "time_limit",
    "fee",
    "office",
    "address",
    "hours",
    "phone",
    "online_level",
    "apply_url",
    "topics",  # 主题, the 办事服务 column's catalogue groups guides by them
    "audience",  # 服务对象 (个人, 法人)
    "related",  # 相关链接: policies, questions, where to ask or complain
    "frequent",  # 高频事项: shown first among the homepage's 高频办事
)
_INTERVIEW = ("guests", "time", "host", "transcript", "video")
_CONSULTATION = ("messages", "period", "opinions", "result", "adopted")
_DATA = ("data", "rows", "unit", "period", "chart")

_TYPES = [
    ColumnType("概况信息", "article", ("reviewed",), kind="概况"),
    ColumnType("机构职能", "units", ("units", "reviewed"), structured=True, kind="概况"),
    ColumnType("负责人信息", "leaders", ("people", "reviewed"), structured=True, kind="概况"),
    ColumnType("工作动态", "article", kind="新闻"),
    ColumnType("政策文件", "policy", _POLICY, kind="政策"),
    ColumnType("信息公开指南", "article", kind="信息公开"),
    ColumnType("信息公开目录", "article", kind="信息公开"),
    ColumnType("信息公开年报", "article", ("year",), kind="信息公开"),  # year: the year reported on (OPEN-REPORT)
    ColumnType("依法申请公开", "article", kind="信息公开"),
    ColumnType("数据发布", "data", _DATA, structured=True, kind="数据"),
    ColumnType("数据开放", "data", _DATA, structured=True, kind="数据"),
    ColumnType("政策解读", "interpretation", ("interprets",), kind="解读"),
    ColumnType("回应关切", "interpretation", ("interprets",), kind="解读"),
    ColumnType("办事服务", "service", _SERVICE, structured=True, kind="办事"),
    ColumnType("咨询投诉", "messages", ("messages",), structured=True, kind="互动"),
    ColumnType("征集调查", "messages", _CONSULTATION, structured=True, kind="互动"),
    # structured: an interview is mostly data (guests, transcript) in YAML, or a Markdown item whose body
    # is the transcript
    ColumnType("在线访谈", "interview", _INTERVIEW, structured=True, kind="互动"),
    ColumnType("专题", "article", kind="专题"),
    ColumnType("其他", "article"),
]

COLUMN_TYPES: dict[str, ColumnType] = {t.name: t for t in _TYPES}
HOMEPAGE_TYPE = "首页"
TOPIC = "专题"
POLICY = "政策文件"
SERVICES = "办事服务"
NEWS = "工作动态"
CONSULTATION = "征集调查"
INTERPRETATION_TYPES = frozenset({"政策解读", "回应关切"})

# COL-REQUIRED: the kinds every government site has, each satisfied by any of its types.
REQUIRED_KINDS: list[tuple[str, frozenset[str]]] = [
    ("机构职能", frozenset({"机构职能"})),
    ("负责人信息", frozenset({"负责人信息"})),
    ("政策文件", frozenset({"政策文件"})),
    ("解读回应", INTERPRETATION_TYPES),
    ("工作动态", frozenset({NEWS})),
    ("互动交流", frozenset({"咨询投诉", "征集调查", "在线访谈"})),
]
CATALOGUE = "信息公开目录"  # not required as a column: gsgen generates the 目录 from item metadata (xxgk.py)
OPEN_REPORT = "信息公开年报"
OPEN_GUIDE = "信息公开指南"
# The homepage's 政府信息公开 block: the columns a citizen looks for there, by type, in this order.
OPEN_GOVERNMENT = ("机构职能", "负责人信息", POLICY, OPEN_GUIDE, CATALOGUE, OPEN_REPORT, "依法申请公开", "数据发布")
# A portal is where the public finds its government's 政府信息公开 (条例 第二十三、五十条; 指引 四(一)6).
PORTAL_REQUIRED_KINDS = [
    ("办事服务", frozenset({"办事服务"})),
    ("信息公开指南", frozenset({OPEN_GUIDE})),
    ("信息公开年报", frozenset({OPEN_REPORT})),
    ("依法申请公开", frozenset({"依法申请公开"})),
]
# The folder COL-REQUIRED suggests for a missing column, by the kind's label.
SUGGESTED_FOLDERS = {
    "机构职能": "jgzn",
    "负责人信息": "ldxx",
    "政策文件": "zcwj",
    "解读回应": "zcjd",
    "工作动态": "gzdt",
    "互动交流": "hdjl",
    "办事服务": "bsfw",
    "信息公开指南": "xxgkzn",
    "信息公开年报": "xxgknb",
    "依法申请公开": "ysqgk",
}

# Basic information changes seldom, but must stay accurate: reviewed (or updated) at least this often.
BASIC_TYPES = frozenset({"概况信息", "机构职能", "负责人信息"})

POLICY_STATUSES = ("有效", "已修改", "已废止", "已失效")
# The 类型 of site search, in the order its filter lists them (attachments are 附件 whatever their item).
KINDS = ("新闻", "政策", "解读", "办事", "数据", "信息公开", "互动", "概况", "专题", "其他", "附件")
