from datetime import datetime

import pytest

from gsgen.dates import BadDate, display, parse_datetime


@pytest.mark.parametrize(
    "text",
    [
        "2024-03-05 09:30",
        "2024-03-05T09:30",
        "2024年3月5日 09:30",
        "2024-03-05 09：30",
        "2024年03月05日09:30",
        "2024/3/5 9:30",
        "2024-03-05 09:30:45",
    ],
)
def test_accepted_forms_show_as_one_form(text):
    assert display(parse_datetime(text)) == "2024-03-05 09:30"


def test_a_date_alone_is_midnight():
    assert parse_datetime("2024-03-05") == datetime(2024, 3, 5, 0, 0)


@pytest.mark.parametrize(
    "text",
    ["2024-02-30", "2023-02-29 10:00", "2024-13-01", "2024-03-05 24:00", "2024-03-05 09:60", "明天", "2024-3", ""],
)
def test_impossible_or_unreadable_dates_are_refused(text):
    with pytest.raises(BadDate):
        parse_datetime(text)


def test_leap_day_exists():
    assert parse_datetime("2024-02-29 10:00") == datetime(2024, 2, 29, 10, 0)
