"""Panchayat employees: who they are, monthly pay slips, annual salary statements."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from portal_client.types.fields import FromJson, Number, as_int, from_json


@dataclass(frozen=True)
class Employee(FromJson):
    employee_id: str
    name: str
    designation: str | None
    office: str | None
    level: str | None  # GP / PS / ZP
    name_bn: str | None = None  # as the office writes them in Bengali, when it does
    designation_bn: str | None = None


@dataclass(frozen=True)
class PayslipStatus(FromJson):
    """One month's pay (`month` `YYYY-MM`); status: paid / processing / not_generated."""

    employee_id: str
    month: str
    status: str
    gross: Number | None
    deductions: Number | None
    net: Number | None
    credited_on: date | None

    @property
    def is_ready(self) -> bool:
        return self.status == "paid"


@dataclass(frozen=True)
class SalaryStatementStatus(FromJson):
    """A financial year's salary (`fy` like `2024-25`); status: complete / partial /
    not_available. `months_paid` is a count; `paid_months` lists them when the portal does."""

    employee_id: str
    fy: str
    status: str
    months_paid: int | None
    gross: Number | None
    deductions: Number | None
    net: Number | None
    paid_months: tuple[str, ...] = ()

    @classmethod
    def from_json(cls, data: Mapping[str, Any], **given: Any) -> SalaryStatementStatus:
        raw = data.get("months_paid")  # a count, or the list of months
        months = tuple(str(m) for m in raw) if isinstance(raw, list) else ()
        count = len(months) if isinstance(raw, list) else as_int(raw)
        return from_json(cls, data, months_paid=count, paid_months=months)

    @property
    def is_ready(self) -> bool:
        return self.status in ("complete", "partial")
