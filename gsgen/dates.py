"""Dates as editors write them, and the one form the site shows: `YYYY-MM-DD HH:MM`."""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import date, datetime, timedelta

# The form of every date on the site and in PubDate (指引 网页设计规范 (一)5).
DISPLAY_FORMAT = "%Y-%m-%d %H:%M"
DAY_FORMAT = "%Y-%m-%d"  # a day alone: the sitemap's lastmod, a table's date column

_DATE = re.compile(
    r"""^\s*(?P<y>\d{4})\s*(?:-|/|年)\s*(?P<m>\d{1,2})\s*(?:-|/|月)\s*(?P<d>\d{1,2})\s*日?
        (?:\s*[T\s\u3000]?\s*(?P<H>\d{1,2})\s*[:：]\s*(?P<M>\d{2})(?:\s*[:：]\s*(?P<S>\d{2}))?)?\s*$""",
    re.VERBOSE,
)

ACCEPTED_FORMS = "2024-03-05 09:30、2024-03-05T09:30、2024年3月5日 09:30 或只写日期 2024-03-05"
YEARS = range(1900, 2100)  # a government site's records; beyond it a year is a typo (and date sums overflow)
LONGEST_PERIOD = {"d": 3660, "m": 120}  # an update period of more than ten years is no period


class BadDate(ValueError):
    """A value that is not a date, or names a day or time that does not exist."""


def parse_datetime(text: str) -> datetime:
    """Read any accepted form; seconds are accepted and dropped, since the site shows minutes."""
    match = _DATE.match(text)
    if not match:
        raise BadDate(f"「{text}」不是可识别的时间，请写成 {ACCEPTED_FORMS}")
    parts = {k: int(v) for k, v in match.groupdict().items() if v is not None}
    if parts["y"] not in YEARS:
        raise BadDate(f"「{text}」的年份不在 {YEARS.start}–{YEARS.stop - 1} 年之间，请核对")
    try:
        return datetime(parts["y"], parts["m"], parts["d"], parts.get("H", 0), parts.get("M", 0))
    except ValueError:
        raise BadDate(f"「{text}」不是真实存在的日期或时间，请核对年、月、日和时、分") from None


def display(moment: datetime) -> str:
    return moment.strftime(DISPLAY_FORMAT)


def day(moment: date | None) -> str:
    return moment.strftime(DAY_FORMAT) if moment else ""


def when(moment: datetime | None) -> str:
    """A status's or an archive's moment: the day alone when the editor gave no time (00:00), since
    「2026-03-01 00:00」 reads as midnight. Publication times (PubDate) always show the time."""
    if not moment:
        return ""
    return day(moment) if (moment.hour, moment.minute) == (0, 0) else display(moment)


_PERIOD = re.compile(r"^\s*(\d+)\s*([dm])\s*$")


def parse_period(text: str) -> timedelta | int:
    """`14d` → 14 days; `6m` → 6 (months, which have no fixed length and are counted by the caller)."""
    match = _PERIOD.match(text)
    if not match:
        raise BadDate(f"「{text}」不是有效的更新周期，请写成天数（如 14d）或月数（如 6m）")
    digits, unit = match.group(1).lstrip("0") or "0", match.group(2)
    n = int(digits) if len(digits) <= 6 else LONGEST_PERIOD[unit] + 1  # int() of 5,000 digits raises
    if not 0 < n <= LONGEST_PERIOD[unit]:
        raise BadDate(f"更新周期「{text}」应在 1 到 {LONGEST_PERIOD[unit]} {'天' if unit == 'd' else '个月'}之间")
    return timedelta(days=n) if unit == "d" else n


def is_working_day(day: date, holidays: Collection[date] = (), workdays: Collection[date] = ()) -> bool:
    """Monday to Friday, less public holidays, plus the weekend days that are worked in their place (调休)."""
    if day in workdays:
        return True
    return day.weekday() < 5 and day not in holidays


def add_working_days(
    start: datetime, n: int, holidays: Collection[date] = (), workdays: Collection[date] = ()
) -> datetime:
    """The moment `n` working days after `start` (the end of that day's counting, same clock time)."""
    moment = start
    while n > 0:
        moment += timedelta(days=1)
        if is_working_day(moment.date(), holidays, workdays):
            n -= 1
    return moment


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time `months` earlier, the day clamped to the month's length."""
    year, month = divmod(moment.year * 12 + moment.month - 1 - months, 12)
    month += 1
    days_in_month = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
    return moment.replace(year=year, month=month, day=min(moment.day, days_in_month))
