"""sathi.dates: loose month / financial year / start date / day-count parsing."""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sathi import dates
from sathi.clock import FinancialYear
from sathi.dates import parse_days, parse_financial_year, parse_month, parse_start_date

TODAY = date(2026, 11, 28)  # a Saturday, in FY 2026-27


@pytest.mark.parametrize(
    "text,expected",
    [
        ("অক্টোবর", "2026-10"),
        ("October", "2026-10"),
        ("oktobor", "2026-10"),
        ("nobhembor", "2026-11"),
        ("november", "2026-11"),
        ("december", "2025-12"),
        ("ডিসেম্বর", "2025-12"),
        ("disembor", "2025-12"),
        ("সেপ্টেম্বরের", "2026-09"),
        ("julai", "2026-07"),
        ("Oct", "2026-10"),
        ("sept er ta", "2026-09"),
        ("last month", "2026-10"),
        ("গত মাস", "2026-10"),
        ("গত মাসের", "2026-10"),
        ("gato mas", "2026-10"),
        ("goto maser slip", "2026-10"),
        ("previous month", "2026-10"),
        ("this month", "2026-11"),
        ("এই মাস", "2026-11"),
        ("ei maser", "2026-11"),
        ("10/2024", "2024-10"),
        ("১০/২০২৪", "2024-10"),
        ("2024-10", "2024-10"),
        ("202410", "2024-10"),
        ("Oct 24", "2024-10"),
        ("oct'24", "2024-10"),
        ("October 2024", "2024-10"),
        ("অক্টোবর ২০২৪", "2024-10"),
        ("jan 2025", "2025-01"),
        ("payslip for march", "2026-03"),
        ("may 2025", "2025-05"),
        ("may", "2026-05"),
        ("আগস্ট ২০২৪ এর বেতনের স্লিপ", "2024-08"),
    ],
)
def test_parse_month(text, expected):
    assert parse_month(text, TODAY) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "hello",
        "may I get my payslip please",
        "13/2024",
        "kaj chai",
        "2024-25",
        "১২৩",
    ],
)
def test_parse_month_none(text):
    assert parse_month(text, TODAY) is None


@pytest.mark.parametrize(
    "text,start",
    [
        ("2023-24", 2023),
        ("২০২৩-২৪", 2023),
        ("2023-2024", 2023),
        ("2023/24", 2023),
        ("FY 2024-25", 2024),
        ("fy24", 2023),
        ("FY 24", 2023),
        ("FY 2025", 2024),
        ("last year", 2025),
        ("গত বছর", 2025),
        ("gato bochorer", 2025),
        ("this year", 2026),
        ("এই বছর", 2026),
        ("ei bochor", 2026),
        ("এবছর", 2026),
        ("23-24", 2023),
        ("salary statement 2022-23 chai", 2022),
    ],
)
def test_parse_financial_year(text, start):
    assert parse_financial_year(text, TODAY) == FinancialYear(start)


@pytest.mark.parametrize("text", ["", "2024", "2023-25", "2024-10", "hello", "10/2024"])
def test_parse_financial_year_none(text):
    assert parse_financial_year(text, TODAY) is None


@pytest.mark.parametrize(
    "text,expected",
    [
        ("kal theke", date(2026, 11, 29)),
        ("কাল থেকে", date(2026, 11, 29)),
        ("tomorrow", date(2026, 11, 29)),
        ("from tomorrow", date(2026, 11, 29)),
        ("porshu", date(2026, 11, 30)),
        ("পরশু থেকে", date(2026, 11, 30)),
        ("day after tomorrow", date(2026, 11, 30)),
        ("from 1st December", date(2026, 12, 1)),
        ("December 1", date(2026, 12, 1)),
        ("১ তারিখ থেকে", date(2026, 12, 1)),
        ("1 tarikh theke", date(2026, 12, 1)),
        ("15 tarikh", date(2026, 12, 15)),
        ("from the 30th", date(2026, 11, 30)),
        ("next monday", date(2026, 11, 30)),
        ("সোমবার থেকে", date(2026, 11, 30)),
        ("somobar theke", date(2026, 11, 30)),
        ("friday", date(2026, 12, 4)),
        ("saturday", date(2026, 12, 5)),
        ("next week", date(2026, 11, 30)),
        ("আগামী সপ্তাহ থেকে", date(2026, 11, 30)),
        ("5/12", date(2026, 12, 5)),
        ("05-12-2026", date(2026, 12, 5)),
        ("৫/১২", date(2026, 12, 5)),
        ("2026-12-05", date(2026, 12, 5)),
        ("10/1", date(2027, 1, 10)),
        ("ডিসেম্বরের ১ তারিখ থেকে", date(2026, 12, 1)),
        ("kal theke 5 din kaj chai", date(2026, 11, 29)),
        ("today", date(2026, 11, 28)),
        ("আজ থেকে", date(2026, 11, 28)),
    ],
)
def test_parse_start_date(text, expected):
    assert parse_start_date(text, TODAY) == expected


@pytest.mark.parametrize("text", ["", "kaj chai", "7 din", "10 days", "31/02", "hello"])
def test_parse_start_date_none(text):
    assert parse_start_date(text, TODAY) is None


@pytest.mark.parametrize(
    "text,expected",
    [
        ("৫ দিন", 5),
        ("5 din", 5),
        ("5din", 5),
        ("10 days", 10),
        ("১০", 10),
        ("14", 14),
        ("ek soptaho", 7),
        ("এক সপ্তাহ", 7),
        ("one week", 7),
        ("a week", 7),
        ("1 week", 7),
        ("dui soptaho", 14),
        ("two weeks", 14),
        ("দুই সপ্তাহ", 14),
        ("seven days", 7),
        ("sat din", 7),
        ("সাত দিন", 7),
        ("দশ দিনের", 10),
        ("dosh din", 10),
        ("das diner kaj", 10),
        ("choddo din", 14),
        ("চোদ্দ দিন", 14),
        ("panch din kaj chai", 5),
        ("পাঁচ দিন", 5),
        ("twelve days", 12),
        ("baro din", 12),
        ("দশ", 10),
        ("kal theke 7 din", 7),
    ],
)
def test_parse_days(text, expected):
    assert parse_days(text) == expected


@pytest.mark.parametrize("text", ["", "kaj chai", "1 tarikh theke", "kal theke", "hello"])
def test_parse_days_none(text):
    assert parse_days(text) is None


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=80), st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)))
def test_never_raises(text, today):
    month = parse_month(text, today)
    assert month is None or (len(month) == 7 and 1 <= int(month[5:]) <= 12)
    year = parse_financial_year(text, today)
    assert year is None or isinstance(year, FinancialYear)
    start = parse_start_date(text, today)
    assert start is None or isinstance(start, date)
    days = parse_days(text)
    assert days is None or isinstance(days, int)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            "kal theke ১ তারিখ from 1st December oktobor গত মাস 2023-24 ek soptaho ৫ দিন / - : "
            "৩২ 99 13 00 0 fy FY20 may sat next monday পরশু".split()
        ),
        max_size=8,
    )
)
def test_never_raises_on_near_miss_input(words):
    # the public parsers swallow every exception, so the parsing underneath is called directly
    text, today = dates._clean(" ".join(words)), date(2026, 11, 28)
    month = dates._parse_month(text, today)
    assert month is None or (len(month) == 7 and month[4] == "-"), month
    year = dates._parse_financial_year(text, today)
    assert year is None or isinstance(year, FinancialYear), year
    start = dates._parse_start_date(text, today)
    assert start is None or isinstance(start, date), start
    days = dates._parse_days(text)
    assert days is None or isinstance(days, int), days


def test_non_string_input():
    for bad in (None, 5, b"oct", ["oct"]):
        assert parse_month(bad, TODAY) is None
        assert parse_financial_year(bad, TODAY) is None
        assert parse_start_date(bad, TODAY) is None
        assert parse_days(bad) is None
