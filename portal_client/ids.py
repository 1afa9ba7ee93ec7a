"""Canonical identifiers for URLs, or `BadRequest` before anything is sent.

The parsing itself is `sathi.identifiers` (shared with the NLU and the backend); this module
only insists on a result, and adds the month / financial-year / GP and PS code checks.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from portal_client.errors import BadRequest
from sathi import identifiers
from sathi.clock import FinancialYear, month_key
from sathi.text import normalize

_MONTH = re.compile(r"(20\d\d)-(0[1-9]|1[0-2])")
_GP_CODE = re.compile(r"32\d{8}")
_PS_CODE = re.compile(r"32\d{5}")


def _required(parser: Callable[[str | None], str | None], value: object, what: str) -> str:
    canonical = parser(None if value is None else str(value))
    if canonical is None:
        raise BadRequest(f"not a {what}")
    return canonical


def job_card(value: object) -> identifiers.JobCardNumber:
    if isinstance(value, identifiers.JobCardNumber):
        return value
    card = identifiers.parse_job_card(None if value is None else str(value))
    if card is None:
        raise BadRequest("not a job card number")
    return card


def trade_noc_number(value: object) -> str:
    return _required(
        identifiers.parse_trade_noc_number, value, "Trade NOC application or certificate number"
    )


def building_plan_number(value: object) -> str:
    return _required(
        identifiers.parse_building_plan_number, value, "building plan application number"
    )


def booking_number(value: object) -> str:
    return _required(identifiers.parse_booking_number, value, "tourism booking number")


def employee_id(value: object) -> str:
    return _required(identifiers.parse_employee_id, value, "employee id")


def month(value: str | date) -> str:
    """`2026-10` (or a date in that month) -> `2026-10`."""
    if isinstance(value, date):
        return month_key(value)
    text = normalize(str(value or "")).strip()
    if not _MONTH.fullmatch(text):
        raise BadRequest("not a month (YYYY-MM)")
    return text


def financial_year(value: str | FinancialYear | None) -> str | None:
    """`2024-25` / FinancialYear -> `2024-25`; None stays None (the portal's current year)."""
    if value is None:
        return None
    if isinstance(value, FinancialYear):
        return value.label
    try:
        return FinancialYear.parse(normalize(str(value)).strip()).label
    except ValueError:
        raise BadRequest("not a financial year (YYYY-YY)") from None


def _code(value: object, pattern: re.Pattern[str], what: str) -> str:
    text = re.sub(r"\s", "", normalize(str(value or "")))
    if not pattern.fullmatch(text):
        raise BadRequest(f"not a {what}")
    return text


def gp_code(value: object) -> str:
    """NREGA gram panchayat code `32DDBBBPPP`."""
    return _code(value, _GP_CODE, "gram panchayat code (32DDBBBPPP)")


def ps_code(value: object) -> str:
    """NREGA block (panchayat samiti) code `32DDBBB`."""
    return _code(value, _PS_CODE, "panchayat samiti code (32DDBBB)")
