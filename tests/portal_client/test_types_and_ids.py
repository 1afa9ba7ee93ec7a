"""Answers become frozen dataclasses with real dates; identifiers become canonical."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import get_type_hints

import pytest

from portal_client import (
    BadRequest,
    CashAnalysisStatus,
    Employee,
    KarmashreeStatus,
    MyRecords,
    SalaryStatementStatus,
    TradeNoc,
    ids,
)
from portal_client.types.fields import parse_date
from sathi.clock import FinancialYear

STATUS = {
    "job_card": "WB-08-012-002-002/270",
    "fy": "2026-27",
    "entitlement_days": 50,
    "days_provided": 18,
    "days_remaining": 32,
    "allocations": [
        {
            "work_name": "Pond re-excavation",
            "scheme": "MGNREGS",
            "from": "2026-06-01",
            "to": "2026-06-07",
            "days": 7,
            "worker_id": "1",
        }
    ],
    "employment": [
        {
            "worker_id": "1",
            "work_name": "Pond re-excavation",
            "days": 7,
            "wage_amount": 1757,
            "paid_on": "2026-06-20",
        },
        {"worker_id": "2", "work_name": "Road", "days": 4, "wage_amount": 1004.5, "paid_on": None},
    ],
    "wages_paid_total": 1757,
    "wages_pending_total": 1004.5,
    "last_payment_date": "2026-06-20",
    "open_demands": [
        {
            "receipt_no": "KD-1",
            "worker_id": "1",
            "days": 5,
            "from_date": "2026-12-01",
            "demanded_on": "2026-11-27T09:15:00+05:30",
            "status": "open",
        }
    ],
}


def test_karmashree_status_is_typed_and_frozen():
    status = KarmashreeStatus.from_json(STATUS)
    assert status.last_payment_date == date(2026, 6, 20)
    assert status.allocations[0].from_date == date(2026, 6, 1)
    assert status.employment[1].paid_on is None and not status.employment[1].is_paid
    assert status.open_demands[0].demanded_on == date(2026, 11, 27)
    assert status.wages_pending_total == 1004.5
    with pytest.raises(dataclasses.FrozenInstanceError):
        status.days_provided = 50  # type: ignore[misc]


def test_nullable_dates_and_readiness():
    noc = TradeNoc.from_json(
        {
            "application_no": "TN-2026-000001",
            "status": "submitted",
            "certificate_no": None,
            "issued_on": None,
            "applied_on": "2026-10-02",
        }
    )
    assert noc.issued_on is None and noc.applied_on == date(2026, 10, 2)
    assert not noc.is_ready


def test_employee_bengali_name_and_designation_are_optional():
    raw = {"employee_id": "WBP-1002300", "name": "Samir Ghosh", "designation": "Secretary"}
    older = Employee.from_json({**raw, "office": None, "level": "GP"})
    assert older.name_bn is None and older.designation_bn is None
    both = Employee.from_json({**raw, "name_bn": "সমীর ঘোষ", "designation_bn": "সচিব"})
    assert (both.name, both.name_bn, both.designation_bn) == ("Samir Ghosh", "সমীর ঘোষ", "সচিব")


def test_salary_statement_months_paid_as_count_or_list():
    as_count = SalaryStatementStatus.from_json(
        {"employee_id": "WBP-1002345", "fy": "2025-26", "status": "complete", "months_paid": 12}
    )
    as_list = SalaryStatementStatus.from_json(
        {
            "employee_id": "WBP-1002345",
            "fy": "2026-27",
            "status": "partial",
            "months_paid": ["2026-04", "2026-05"],
        }
    )
    assert as_count.months_paid == 12 and as_list.months_paid == 2
    assert as_list.paid_months == ("2026-04", "2026-05") and as_list.is_ready


def test_cash_analysis_funds():
    status = CashAnalysisStatus.from_json(
        {
            "ps_code": "3208012",
            "month": "2026-10",
            "status": "closed",
            "cash_book_balance": 1250000,
            "funds": [{"fund": "15th FC", "scheme": "XV-FC", "head": "Tied", "balance": 500000}],
        }
    )
    assert status.is_ready and status.funds[0].balance == 500000


def test_my_records_empty_and_official():
    assert MyRecords.from_json({}).is_empty
    records = MyRecords.from_json({"official_of": {"gram_panchayats": ["3208012002"]}})
    assert records.official_of.is_official and not records.is_empty


@pytest.mark.parametrize("raw", ["2026/10/02", "yesterday", "2026-13-01"])
def test_bad_dates_are_value_errors(raw):
    with pytest.raises(ValueError):
        parse_date(raw)


def test_identifier_canonicalization():
    assert ids.job_card("WB-3208012002-2-270").nrega == "WB-08-012-002-002/270"
    assert ids.trade_noc_number("tnc/2026/77") == "TNC-2026-000077"
    assert ids.building_plan_number("bp 2026 5") == "BP-2026-000005"
    assert ids.booking_number("PTB2026000042") == "PTB-2026-000042"
    assert ids.employee_id("wbp ১০০২৩৪৫") == "WBP-1002345"
    assert ids.month(date(2026, 10, 31)) == "2026-10"
    assert ids.month("২০২৬-১০") == "2026-10"
    assert ids.financial_year(FinancialYear(2025)) == "2025-26"
    assert ids.financial_year("2024-25") == "2024-25"
    assert ids.financial_year(None) is None
    assert ids.gp_code(" 3208012002 ") == "3208012002"
    assert ids.ps_code("3208012") == "3208012"


@pytest.mark.parametrize(
    "call, value",
    [
        (ids.job_card, "WB-08"),
        (ids.trade_noc_number, "BP-2026-000001"),
        (ids.employee_id, "WBP-12"),
        (ids.month, "2026-13"),
        (ids.month, "Oct 2026"),
        (ids.financial_year, "2024-26"),
        (ids.gp_code, "3208012"),
        (ids.ps_code, "3208012002"),
        (ids.booking_number, None),
    ],
)
def test_malformed_identifiers_are_bad_requests(call, value):
    with pytest.raises(BadRequest):
        call(value)


# --- from_json by field name ------------------------------------------------------------------
def _return_types():
    import portal_client.types as types

    return [
        getattr(types, name) for name in types.__all__ if hasattr(getattr(types, name), "from_json")
    ]


@pytest.mark.parametrize("cls", _return_types(), ids=lambda c: c.__name__)
def test_every_field_is_read_from_its_own_key(cls):
    """Each text, number and list-of-text field gets the value of the JSON key of its name: a
    constructor call by position with a field out of order would put one field's value in
    another."""
    hints = get_type_hints(cls)
    samples = {
        str: lambda i, name: (f"value of {name}", f"value of {name}"),
        int: lambda i, name: (100 + i, 100 + i),
        str | None: lambda i, name: (f"value of {name}", f"value of {name}"),
        int | None: lambda i, name: (100 + i, 100 + i),
        int | float | None: lambda i, name: (100 + i, 100 + i),
        tuple[str, ...]: lambda i, name: ([f"value of {name}"], (f"value of {name}",)),
    }
    data, expected = {}, {}
    for i, f in enumerate(dataclasses.fields(cls)):
        if hints[f.name] is bool:
            data[f.name] = True
        own_key = f.metadata.get("json_keys", (f.name,))[:1] == (f.name,)
        if hints[f.name] in samples and own_key and not f.metadata.get("json_parse"):
            data[f.name], expected[f.name] = samples[hints[f.name]](i, f.name)
    if cls.__name__ == "SalaryStatementStatus":  # months_paid: a count or the months
        expected.pop("paid_months", None)
    built = cls.from_json(data)
    assert expected, cls
    assert {name: getattr(built, name) for name in expected} == expected


def test_reordering_the_fields_of_a_type_swaps_no_values():
    from portal_client.types.fields import FromJson

    @dataclasses.dataclass(frozen=True)
    class Before(FromJson):
        number: str
        office: str | None
        remarks: str | None = None

    @dataclasses.dataclass(frozen=True)
    class After(FromJson):
        remarks: str | None
        number: str
        office: str | None = None

    data = {"number": "TN-1", "office": "Dogachi", "remarks": "late"}
    before, after = Before.from_json(data), After.from_json(data)
    assert (
        (before.number, before.office, before.remarks)
        == (after.number, after.office, after.remarks)
        == ("TN-1", "Dogachi", "late")
    )
    with pytest.raises(KeyError):
        Before.from_json({"office": "Dogachi"})  # a required field stays required
