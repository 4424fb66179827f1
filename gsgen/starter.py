"""The placeholder values `gsgen new site` (and `gsgen new item`) write for the editor to replace.

Each is written by `scaffold.py` from the constants here, and found left in a site by the rule
PLACEHOLDER (`rules/placeholders.py`), which reads `PLACEHOLDERS`: value → what to write instead.
The values are the scaffold's exact ones, chosen so that no real site holds them: a real item may
well say 某某村, so only a whole value equal to one of these counts.
"""

from __future__ import annotations

import re

NAME = "某某县人民政府"
DOMAIN = "www.xxx.gov.cn"
ID_CODE = "0000000000"
HOST_UNIT = "某某县人民政府办公室"
PHONE = "000-00000000"
EMAIL = "admin@xxx.gov.cn"
ADDRESS = "某某县某某路1号"
ICP = "某ICP备00000000号-1"
POLICE_RECORD = "某公网安备00000000000000号"
ERROR_REPORT_URL = "https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=0000000000"
SERVICE_URL = "https://zwfw.xxx.gov.cn/"
UNIT = "某某局"
UNIT_DUTIES = "某某职责"
LEADER = "某某某"
POLICY_TITLE = "关于印发某某办法的通知"
DOC_NUMBER = "某府发〔{year}〕1号"
INTERPRETATION_TITLE = "《某某办法》政策解读"
NEWS_TITLE = "某某县召开工作会议"
GUIDE_TITLE = "某某县人民政府政府信息公开指南"
REPORT_TITLE = "某某县人民政府{year}年政府信息公开工作年度报告"
BODY = "请在这里写正文。"
INTERPRETATION_BODY = "一、出台背景\n\n（请在这里写解读正文。）"
GUIDE_BODY = "一、主动公开\n\n二、依申请公开\n\n三、监督和救济\n\n（请按以上提纲写出本机构的信息公开指南。）"
REPORT_BODY = "一、总体情况\n\n（请按国务院办公厅规定的格式写出年度报告。）"
APPLY_BODY = "一、申请方式\n\n（请在这里写依申请公开的办理说明。）"

# value → what to write instead (the rule's message says which field holds it)
PLACEHOLDERS: dict[str, str] = {
    NAME: "本机构的全称，如 示例县人民政府",
    DOMAIN: "本站的域名，以 .gov.cn 结尾，如 www.shixian.gov.cn",
    ID_CODE: "本站的政府网站标识码（10位，写在引号里）",
    HOST_UNIT: "主办单位（或信息来源单位）的全称，如 示例县人民政府办公室",
    PHONE: "对外公开的联系电话，如 023-12345678",
    EMAIL: "对外公开的电子邮箱",
    ADDRESS: "机构的通信地址",
    ICP: "本站的ICP备案编号，如 渝ICP备00000000号-1",
    POLICE_RECORD: "本站的公安机关备案号，如 渝公网安备50024202000001号",
    ERROR_REPORT_URL: "「我为政府网站找错」的入口网址，site_code= 后写本站的标识码",
    SERVICE_URL: "本地政务服务平台的网址",
    UNIT: "本机构内设机构或工作部门的名称",
    UNIT_DUTIES: "这个机构的主要职责",
    LEADER: "领导的真实姓名",
    POLICY_TITLE: "这份政策文件的标题",
    DOC_NUMBER: "这份文件的文号，如 示府发〔2026〕1号",
    INTERPRETATION_TITLE: "这篇解读的标题",
    NEWS_TITLE: "这条新闻的标题",
    GUIDE_TITLE: "本机构信息公开指南的标题，如 示例县人民政府政府信息公开指南",
    REPORT_TITLE: "年度报告的标题，如 示例县人民政府2025年政府信息公开工作年度报告",
    BODY: "这条信息的正文",
    INTERPRETATION_BODY: "解读的正文（出台背景、主要内容、政策措施等）",
    GUIDE_BODY: "信息公开指南的正文",
    REPORT_BODY: "年度报告的正文",
    APPLY_BODY: "依申请公开的办理说明",
}

BODIES = frozenset({BODY, INTERPRETATION_BODY, GUIDE_BODY, REPORT_BODY, APPLY_BODY})  # the rest are field values

_YEAR = re.escape("{year}")
_PATTERNS = [
    (re.compile("^" + re.escape(value).replace(_YEAR, r"\d{4}") + "$"), hint)
    for value, hint in PLACEHOLDERS.items()
    if "{year}" in value
]


_FIRST = frozenset(value[0] for value in PLACEHOLDERS)  # every value of a site is asked: most fail here


def placeholder_hint(value: str, body: bool = False) -> str | None:
    """What to write instead of `value` (a field's, or an item's `body`), if it is one of the
    placeholders: the whole value, never a part of it."""
    if value.lstrip()[:1] not in _FIRST:
        return None
    value = "\n".join(line.rstrip() for line in value.strip().splitlines())  # a body saved with \r\n too
    if (value in BODIES) != body:
        return None
    return PLACEHOLDERS.get(value) or next((hint for pattern, hint in _PATTERNS if pattern.match(value)), None)
