"""Karmashree / MGNREGS: job cards, the year's work status, work demands."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Optional, Tuple

from portal_client.types.fields import Number, as_int, as_list, as_number, as_text, parse_date


@dataclass(frozen=True)
class JobCardMember:
    worker_id: str
    name: str
    age: Optional[int] = None
    gender: Optional[str] = None
    name_bn: Optional[str] = None

    @classmethod
    def from_json(cls, d: dict) -> "JobCardMember":
        return cls(str(d["worker_id"]), str(d["name"]), as_int(d.get("age")),
                   as_text(d.get("gender")), as_text(d.get("name_bn")))


@dataclass(frozen=True)
class JobCard:
    job_card: str  # NREGA shape WB-DD-BBB-PPP-VVV/FFF
    karmashree_id: Optional[str]
    head_of_household: Optional[str]
    gp_code: Optional[str]
    gp_name_en: Optional[str]
    gp_name_bn: Optional[str]
    members: Tuple[JobCardMember, ...] = ()
    head_of_household_bn: Optional[str] = None

    @classmethod
    def from_json(cls, d: dict) -> "JobCard":
        return cls(str(d["job_card"]), as_text(d.get("karmashree_id")),
                   as_text(d.get("head_of_household")), as_text(d.get("gp_code")),
                   as_text(d.get("gp_name_en")), as_text(d.get("gp_name_bn")),
                   tuple(JobCardMember.from_json(m) for m in as_list(d.get("members"))),
                   as_text(d.get("head_of_household_bn")))


@dataclass(frozen=True)
class Allocation:
    """Work allotted to a worker: `from_date`..`to_date` (the portal's `from`/`to`)."""

    work_name: str
    scheme: Optional[str]
    from_date: Optional[date]
    to_date: Optional[date]
    days: Optional[int]
    worker_id: Optional[str]
    work_name_bn: Optional[str] = None

    @classmethod
    def from_json(cls, d: dict) -> "Allocation":
        return cls(str(d["work_name"]), as_text(d.get("scheme")),
                   parse_date(d.get("from", d.get("from_date"))),
                   parse_date(d.get("to", d.get("to_date"))),
                   as_int(d.get("days")), as_text(d.get("worker_id")),
                   as_text(d.get("work_name_bn")))


@dataclass(frozen=True)
class Employment:
    """Days worked and the wage for them; `paid_on` None while the wage is pending."""

    worker_id: Optional[str]
    work_name: Optional[str]
    days: Optional[int]
    wage_amount: Optional[Number]
    paid_on: Optional[date]
    work_name_bn: Optional[str] = None

    @property
    def is_paid(self) -> bool:
        return self.paid_on is not None

    @classmethod
    def from_json(cls, d: dict) -> "Employment":
        return cls(as_text(d.get("worker_id")), as_text(d.get("work_name")), as_int(d.get("days")),
                   as_number(d.get("wage_amount")), parse_date(d.get("paid_on")),
                   as_text(d.get("work_name_bn")))


@dataclass(frozen=True)
class WorkDemand:
    """A demand for work (and its receipt). `created` is only set by `create_work_demand`:
    True when this call made it, False when the portal returned the same earlier demand."""

    receipt_no: str
    worker_id: Optional[str]
    days: Optional[int]
    from_date: Optional[date]
    demanded_on: Optional[date]
    status: Optional[str]
    created: Optional[bool] = field(default=None, compare=False)

    @classmethod
    def from_json(cls, d: dict, *, created: Optional[bool] = None) -> "WorkDemand":
        return cls(str(d["receipt_no"]), as_text(d.get("worker_id")), as_int(d.get("days")),
                   parse_date(d.get("from_date")), parse_date(d.get("demanded_on")),
                   as_text(d.get("status")), created)


@dataclass(frozen=True)
class KarmashreeStatus:
    """A household's work in one financial year (`fy` like `2026-27`)."""

    job_card: str
    fy: str
    entitlement_days: Optional[int]
    days_provided: Optional[int]
    days_remaining: Optional[int]
    allocations: Tuple[Allocation, ...]
    employment: Tuple[Employment, ...]
    wages_paid_total: Optional[Number]
    wages_pending_total: Optional[Number]
    last_payment_date: Optional[date]
    open_demands: Tuple[WorkDemand, ...]

    @classmethod
    def from_json(cls, d: dict) -> "KarmashreeStatus":
        return cls(
            job_card=str(d["job_card"]), fy=str(d["fy"]),
            entitlement_days=as_int(d.get("entitlement_days")),
            days_provided=as_int(d.get("days_provided")),
            days_remaining=as_int(d.get("days_remaining")),
            allocations=tuple(Allocation.from_json(a) for a in as_list(d.get("allocations"))),
            employment=tuple(Employment.from_json(e) for e in as_list(d.get("employment"))),
            wages_paid_total=as_number(d.get("wages_paid_total")),
            wages_pending_total=as_number(d.get("wages_pending_total")),
            last_payment_date=parse_date(d.get("last_payment_date")),
            open_demands=tuple(WorkDemand.from_json(o) for o in as_list(d.get("open_demands"))),
        )
