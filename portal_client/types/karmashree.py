"""Karmashree / MGNREGS: job cards, the year's work status, work demands."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Optional, Tuple

from portal_client.types.fields import FromJson, Number, from_json, json_field


@dataclass(frozen=True)
class JobCardMember(FromJson):
    worker_id: str
    name: str
    age: Optional[int] = None
    gender: Optional[str] = None
    name_bn: Optional[str] = None


@dataclass(frozen=True)
class JobCard(FromJson):
    job_card: str  # NREGA shape WB-DD-BBB-PPP-VVV/FFF
    karmashree_id: Optional[str]
    head_of_household: Optional[str]
    gp_code: Optional[str]
    gp_name_en: Optional[str]
    gp_name_bn: Optional[str]
    members: Tuple[JobCardMember, ...] = ()
    head_of_household_bn: Optional[str] = None


@dataclass(frozen=True)
class Allocation(FromJson):
    """Work allotted to a worker: `from_date`..`to_date` (the portal's `from`/`to`)."""

    work_name: str
    scheme: Optional[str]
    from_date: Optional[date] = json_field("from", "from_date")
    to_date: Optional[date] = json_field("to", "to_date")
    days: Optional[int]
    worker_id: Optional[str]
    work_name_bn: Optional[str] = None


@dataclass(frozen=True)
class Employment(FromJson):
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


@dataclass(frozen=True)
class WorkDemand(FromJson):
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
    def from_json(cls, data: dict, *, created: Optional[bool] = None) -> "WorkDemand":
        return from_json(cls, data, created=created)   # never read from the JSON


@dataclass(frozen=True)
class KarmashreeStatus(FromJson):
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
