"""Every parser the bot owns, fed hostile text: it returns a value or None (or, for the portal
client's id checks, BadRequest) — never another exception — and what it returns is sane."""

from __future__ import annotations

import calendar
import re
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal_client import ids
from portal_client.errors import BadRequest
from sathi import dates, identifiers, language
from sathi import text as sathi_text
from sathi.clock import FinancialYear
from tests.fuzz.strategies import hostile_text, long_text

TODAY = date(2026, 11, 28)
PARSERS = [
    identifiers.parse_job_card,
    identifiers.find_job_card,
    identifiers.parse_mobile,
    identifiers.parse_employee_id,
    identifiers.find_employee_id,
    identifiers.parse_trade_noc_number,
    identifiers.parse_building_plan_number,
    identifiers.parse_booking_number,
]


@pytest.mark.parametrize("parser", PARSERS, ids=lambda p: p.__name__)
@given(value=st.one_of(hostile_text, long_text, st.none()))
def test_identifier_parsers_never_raise(parser, value):
    result = parser(value)
    assert result is None or isinstance(result, (str, identifiers.JobCardNumber))


@given(value=hostile_text)
def test_mobile_is_always_a_wa_number(value):
    mobile = identifiers.parse_mobile(value)
    if mobile is not None:
        assert (
            mobile.isascii() and mobile.isdigit() and len(mobile) == 12 and mobile.startswith("91")
        )


@given(value=hostile_text)
def test_job_card_round_trips(value):
    card = identifiers.parse_job_card(value)
    if card is not None:
        assert identifiers.parse_job_card(card.nrega) == card


@given(value=st.one_of(hostile_text, long_text, st.none(), st.integers()))
def test_date_parsers_never_raise(value):
    # The public parsers catch every exception (user text must never crash a form), so they
    # could hide a bug; the parsing underneath is called directly here and must not raise.
    clean = dates._clean(value)
    month = dates._parse_month(clean, TODAY)
    assert month is None or re.fullmatch(r"(199\d|20\d\d)-(0[1-9]|1[0-2])", month), month
    assert dates.parse_month(value, TODAY) == month
    fy = dates._parse_financial_year(clean, TODAY)
    assert fy is None or (isinstance(fy, FinancialYear) and 1989 <= fy.start_year <= 2099), fy
    assert dates.parse_financial_year(value, TODAY) == fy
    start = dates._parse_start_date(clean, TODAY)
    # without a year in the text the start is never in the past
    assert start is None or start >= TODAY or re.search(r"\d[/.-]\d{1,4}", clean), (clean, start)
    assert dates.parse_start_date(value, TODAY) == start
    days = dates._parse_days(clean)
    assert days is None or 0 <= days <= 7 * 999, days
    assert dates.parse_days(value) == days


_YEARS = st.integers(2000, 2099)
_MONTHS = st.integers(1, 12)


@given(year=_YEARS, month=_MONTHS, style=st.sampled_from(["{y}-{m:02d}", "{m}/{y}", "{y}{m:02d}"]))
def test_well_formed_months_parse_to_themselves(year, month, style):
    assert dates.parse_month(style.format(y=year, m=month), TODAY) == f"{year:04d}-{month:02d}"


@given(year=_YEARS, month=_MONTHS, bengali=st.booleans())
def test_month_names_with_a_year_parse_to_that_month(year, month, bengali):
    name = calendar.month_name[month]
    text = f"{name} {year}"
    if bengali:
        text = sathi_text.ascii_digits_to_bengali(text)
    assert dates.parse_month(text, TODAY) == f"{year:04d}-{month:02d}"


@given(start=st.integers(1990, 2098), short=st.booleans())
def test_financial_years_parse_to_themselves(start, short):
    end = f"{(start + 1) % 100:02d}" if short else str(start + 1)
    assert dates.parse_financial_year(f"{start}-{end}", TODAY) == FinancialYear(start)


@given(day=st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)))
def test_dates_with_a_year_parse_to_that_day(day):
    assert dates.parse_start_date(f"{day.day}/{day.month}/{day.year}", TODAY) == day
    assert dates.parse_start_date(day.isoformat(), TODAY) == day


@given(count=st.integers(1, 999), word=st.sampled_from(["din", "days", "দিন"]))
def test_day_counts_parse_to_themselves(count, word):
    assert dates.parse_days(f"{count} {word}") == count


@given(value=st.one_of(hostile_text, long_text))
def test_text_helpers_never_raise(value):
    normal = sathi_text.normalize(value)
    assert isinstance(normal, str)
    assert sathi_text.bengali_digits_to_ascii(
        sathi_text.ascii_digits_to_bengali(value)
    ) == sathi_text.bengali_digits_to_ascii(value)
    sathi_text.has_bengali_script(value)
    language.detect_register(value)
    language.reply_language(value)


ID_CHECKS = [
    ids.job_card,
    ids.trade_noc_number,
    ids.building_plan_number,
    ids.booking_number,
    ids.employee_id,
    ids.gp_code,
    ids.ps_code,
    ids.month,
    ids.financial_year,
]


@pytest.mark.parametrize("check", ID_CHECKS, ids=lambda c: c.__name__)
@given(value=st.one_of(hostile_text, st.none(), st.integers(), st.floats(allow_nan=True)))
def test_portal_client_ids_raise_only_bad_request(check, value):
    try:
        canonical = check(value)
    except BadRequest:
        return
    # what passes a check is the canonical form: checking it again gives it back unchanged
    assert check(canonical) == canonical
