"""Every parser the bot owns, fed hostile text: it returns a value or None (or, for the portal
client's id checks, BadRequest) — never another exception — and what it returns is sane."""
from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, strategies as st

from portal_client import ids
from portal_client.errors import BadRequest
from sathi import dates, identifiers, language, text as sathi_text
from sathi.clock import FinancialYear
from tests.fuzz.strategies import hostile_text, long_text

TODAY = date(2026, 11, 28)
PARSERS = [identifiers.parse_job_card, identifiers.find_job_card, identifiers.parse_mobile,
           identifiers.parse_employee_id, identifiers.find_employee_id,
           identifiers.parse_trade_noc_number, identifiers.parse_building_plan_number,
           identifiers.parse_booking_number]


@pytest.mark.parametrize("parser", PARSERS, ids=lambda p: p.__name__)
@given(value=st.one_of(hostile_text, long_text, st.none()))
def test_identifier_parsers_never_raise(parser, value):
    result = parser(value)
    assert result is None or isinstance(result, (str, identifiers.JobCardNumber))


@given(value=hostile_text)
def test_mobile_is_always_a_wa_number(value):
    mobile = identifiers.parse_mobile(value)
    if mobile is not None:
        assert mobile.isascii() and mobile.isdigit() and len(mobile) == 12 and mobile.startswith("91")


@given(value=hostile_text)
def test_job_card_round_trips(value):
    card = identifiers.parse_job_card(value)
    if card is not None:
        assert identifiers.parse_job_card(card.nrega) == card


@given(value=st.one_of(hostile_text, long_text, st.none(), st.integers()))
def test_date_parsers_never_raise(value):
    month = dates.parse_month(value, TODAY)
    assert month is None or (len(month) == 7 and month[4] == "-")
    fy = dates.parse_financial_year(value, TODAY)
    assert fy is None or isinstance(fy, FinancialYear)
    start = dates.parse_start_date(value, TODAY)
    assert start is None or isinstance(start, date)
    days = dates.parse_days(value)
    assert days is None or isinstance(days, int)


@given(value=st.one_of(hostile_text, long_text))
def test_text_helpers_never_raise(value):
    normal = sathi_text.normalize(value)
    assert isinstance(normal, str)
    assert sathi_text.bengali_digits_to_ascii(sathi_text.ascii_digits_to_bengali(value)) \
        == sathi_text.bengali_digits_to_ascii(value)
    sathi_text.has_bengali_script(value)
    language.detect_register(value)
    language.reply_language(value)


ID_CHECKS = [ids.job_card, ids.trade_noc_number, ids.building_plan_number, ids.booking_number,
             ids.employee_id, ids.gp_code, ids.ps_code, ids.month, ids.financial_year]


@pytest.mark.parametrize("check", ID_CHECKS, ids=lambda c: c.__name__)
@given(value=st.one_of(hostile_text, st.none(), st.integers(), st.floats(allow_nan=True)))
def test_portal_client_ids_raise_only_bad_request(check, value):
    try:
        check(value)
    except BadRequest:
        pass
