"""PRIVACY: citizens' personal information in anything published — items, data tables, attachments.

Citizen ID numbers (GB 11643 check digit), mobile and bank card numbers (Luhn) are errors; an ID
number with a wrong check digit and a detailed home address are warnings, as they may be something
else. An item's `allow_personal_info` (value and reason) covers its own text, data and attachments.
A number is never repeated whole in a message: build logs are kept, and read by others.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from gsgen.diagnostics import Severity
from gsgen.model import Item, Site
from gsgen.rules import Finding, each_item, site_rule
from gsgen.rules.published import Text, item_texts, published

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
MOBILE = re.compile(r"(?<![\d-])1[3-9]\d(?:[- ]?\d{4}){2}(?![\d-])")
CARD = re.compile(r"(?<![\d-])\d{4}(?:[ -]?\d{4}){3}(?:[ -]?\d{1,3})?(?![\d-])")
# Each of the three is at least 11 digits, spaces or dashes in a row: one quick scan rules most text out.
LONG_NUMBER = re.compile(r"\d[\d -]{9,}\d")
# The provinces of GB/T 2260, the first two digits of an ID number (71 台湾, 81 香港, 82 澳门).
PROVINCES = frozenset(
    {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54}
    | {61, 62, 63, 64, 65, 71, 81, 82}
)
# Word and Excel users type full-width digits as often as ASCII ones.
FULL_WIDTH = str.maketrans("０１２３４５６７８９Ｘｘ－　", "0123456789Xx- ")
# What every number above needs, full-width or not (`\d` is any decimal digit): one quick scan of
# each published line rules most of them out before anything is translated or matched.
NUMBER_RUN = re.compile(r"\d[\d \-－　]{9,}\d")
_N = r"[0-9一二三四五六七八九十]{1,3}"
# A home down to the flat or the house: an estate's building, unit and room, or a village's group and
# number. Offices have addresses too (县政务中心 2 号楼 301 室): a warning, which allow_personal_info settles.
HOME_ADDRESS = re.compile(
    rf"[\u4e00-\u9fff]{{1,8}}(?:小区|花园|家园|新村|公寓|苑)\s*{_N}\s*(?:栋|幢|号楼|座)\s*(?:{_N}\s*单元\s*)?\d{{2,4}}\s*(?:室|号|户)?"
    rf"|{_N}\s*(?:栋|幢|号楼)\s*{_N}\s*单元\s*\d{{2,4}}\s*(?:室|号|户)?"
    rf"|{_N}\s*号楼\s*\d{{3,4}}\s*室"
    rf"|[\u4e00-\u9fff]{{1,6}}村\s*{_N}\s*(?:组|社)\s*\d{{1,4}}\s*号"
)


def valid_id_number(text: str) -> bool:
    """GB 11643: the 18th character is the check digit of the first 17."""
    total = sum(int(d) * w for d, w in zip(text[:17], ID_WEIGHTS, strict=True))
    return ID_CHECK[total % 11] == text[17].upper()


def luhn_valid(digits: str) -> bool:
    total = 0
    for n, d in enumerate(reversed(digits)):
        value = int(d) * (2 if n % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def personal_info(text: str) -> Iterator[tuple[str, str]]:
    """(kind, value) of each citizen ID number, mobile number and bank card number in `text`."""
    if not LONG_NUMBER.search(text):
        return
    ids = set()
    for match in ID_NUMBER.finditer(text):
        if valid_id_number(match[0]):
            ids.add(match[0])
            yield "身份证号码", match[0]
    for match in MOBILE.finditer(text):
        yield "手机号码", match[0]
    for match in CARD.finditer(text):
        digits = re.sub(r"\D", "", match[0])
        if 16 <= len(digits) <= 19 and digits not in ids and luhn_valid(digits):
            yield "银行卡号", match[0]


def mistyped_id_numbers(text: str) -> Iterator[str]:
    """18-character numbers that look like an ID number (a province, a real birth date) but whose
    check digit is wrong: most often a real number typed with one digit wrong."""
    if not LONG_NUMBER.search(text):
        return
    for match in ID_NUMBER.finditer(text):
        number = match[0]
        if int(number[:2]) in PROVINCES and _birth_date(number[6:14]) and not valid_id_number(number):
            yield number


def _birth_date(digits: str) -> bool:
    try:
        born = date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        return False
    return 1900 <= born.year <= 2100


def home_addresses(text: str) -> Iterator[str]:
    if "室" in text or "单元" in text or "号" in text:
        for match in HOME_ADDRESS.finditer(text):
            yield match[0]


def _normal(value: str) -> str:
    return re.sub(r"[\s-]", "", value)


def _masked(value: str) -> str:
    digits = _normal(value)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def _allowed(item: Item) -> set[str]:
    return {_normal(str(e["value"])) for e in item.allow_personal_info if e.get("reason") and e.get("value")}


@site_rule("PRIVACY")
def privacy(site: Site) -> Iterator[Finding]:
    yield from each_item(site, "PRIVACY", _in_item)
    found = published(site)
    for file, why, partly in found.unread:
        name = file.rsplit("/", 1)[-1]
        message = (
            f"{name} {why}：请人工检查其中有无个人信息、密级标志和错敏词"
            if partly
            else f"无法读取 {name}（{why}），其中的个人信息、密级标志和错敏词未经检查：请人工检查，或换成可以打开的文件"
        )
        yield Finding(file, 0, message, Severity.WARN)
    allowances: dict[int, set[str]] = {}
    for text in found.texts:
        if _may_be_personal(text.text):
            allowed = set().union(*(allowances.setdefault(id(i), _allowed(i)) for i in text.items))
            yield from _personal(text, allowed)


def _in_item(item: Item) -> Iterator[Finding]:
    for n, entry in enumerate(item.allow_personal_info):
        if not entry.get("reason"):
            yield Finding(
                item.file,
                item.doc.line("allow_personal_info", n),
                "allow_personal_info 的每一项都要写 reason（公开理由），如 reason: 办公电话",
            )
    allowed = None
    for text in item_texts(item):
        if _may_be_personal(text.text):
            allowed = _allowed(item) if allowed is None else allowed
            yield from _personal(text, allowed)


def _may_be_personal(text: str) -> bool:
    return bool(NUMBER_RUN.search(text)) or "室" in text or "单元" in text or "号" in text


def _personal(text: Text, allowed: set[str]) -> Iterator[Finding]:
    value = text.text.translate(FULL_WIDTH)
    where = f"{text.place}：" if text.place else ""
    fix = _fix(text)
    for kind, number in personal_info(value):
        if _normal(number) not in allowed:
            yield Finding(text.file, text.line, f"{where}疑似公民{kind} {_masked(number)}：{fix}")
    for number in mistyped_id_numbers(value):
        if _normal(number) not in allowed:
            message = f"{where}疑似身份证号码（校验位不符，可能是录入错误）{_masked(number)}：如是身份证号码，{fix}"
            yield Finding(text.file, text.line, message, Severity.WARN)
    for address in home_addresses(value):
        if not any(a in _normal(address) for a in allowed):
            shown = re.sub(r"\d", "*", address)[-16:]
            message = (
                f"{where}疑似个人详细住址「…{shown}」：公开个人住址须经本人同意，请删除或只写到街道、小区；"
                "如是单位地址，在 allow_personal_info 中列出该地址并写明 reason"
            )
            yield Finding(text.file, text.line, message, Severity.WARN)


def _fix(text: Text) -> str:
    if not text.items:  # a column's settings
        return "请删除或隐去部分数字"
    if not text.attached:
        return "请删除或隐去部分数字；如确需公开（如单位电话），在 allow_personal_info 中列出该值并写明 reason"
    owner = f"条目 {text.items[0].file} " if text.items else "条目"
    return (
        f"请在文件中删除或隐去部分数字后重新上传；如确需公开，在{owner}的 allow_personal_info 中列出该值并写明 reason"
    )
