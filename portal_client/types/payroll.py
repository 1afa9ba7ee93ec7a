"""Panchayat employees: who they are, monthly pay slips, annual salary statements."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Optional, Tuple

from portal_client.types.fields import Number, as_int, as_number, as_text, parse_date


@dataclass(frozen=True)
class Employee:
    employee_id: str
    name: str
    designation: Optional[str]
    office: Optional[str]
    level: Optional[str]  # GP / PS / ZP

    @classmethod
    def from_json(cls, d: dict) -> "Employee":
        return cls(str(d["employee_id"]), str(d["name"]), as_text(d.get("designation")),
                   as_text(d.get("office")), as_text(d.get("level")))


@dataclass(frozen=True)
class PayslipStatus:
    """One month's pay (`month` `YYYY-MM`); status: paid / processing / not_generated."""

    employee_id: str
    month: str
    status: str
    gross: Optional[Number]
    deductions: Optional[Number]
    net: Optional[Number]
    credited_on: Optional[date]

    @property
    def is_ready(self) -> bool:
        return self.status == "paid"

    @classmethod
    def from_json(cls, d: dict) -> "PayslipStatus":
        return cls(str(d["employee_id"]), str(d["month"]), str(d["status"]),
                   as_number(d.get("gross")), as_number(d.get("deductions")),
                   as_number(d.get("net")), parse_date(d.get("credited_on")))


@dataclass(frozen=True)
class SalaryStatementStatus:
    """A financial year's salary (`fy` like `2024-25`); status: complete / partial /
    not_available. `months_paid` is a count; `paid_months` lists them when the portal does."""

    employee_id: str
    fy: str
    status: str
    months_paid: Optional[int]
    gross: Optional[Number]
    deductions: Optional[Number]
    net: Optional[Number]
    paid_months: Tuple[str, ...] = ()

    @property
    def is_ready(self) -> bool:
        return self.status in ("complete", "partial")

    @classmethod
    def from_json(cls, d: dict) -> "SalaryStatementStatus":
        raw = d.get("months_paid")
        months = tuple(str(m) for m in raw) if isinstance(raw, list) else ()
        count = len(months) if isinstance(raw, list) else as_int(raw)
        return cls(str(d["employee_id"]), str(d["fy"]), str(d["status"]), count,
                   as_number(d.get("gross")), as_number(d.get("deductions")),
                   as_number(d.get("net")), months)
