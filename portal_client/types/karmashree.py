"""Karmashree / MGNREGS: job cards, the year's work status, work demands."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from portal_client.types.fields import FromJson, Number, from_json, json_field


@dataclass(frozen=True)
class JobCardMember(FromJson):
    worker_id: str
    name: str
    age: int | None = None
    gender: str | None = None
    name_bn: str | None = None


@dataclass(frozen=True)
class JobCard(FromJson):
    job_card: str  # NREGA shape WB-DD-BBB-PPP-VVV/FFF
    karmashree_id: str | None
    head_of_household: str | None
    gp_code: str | None
    gp_name_en: str | None
    gp_name_bn: str | None
    members: tuple[JobCardMember, ...] = ()
    head_of_household_bn: str | None = None


@dataclass(frozen=True)
class Allocation(FromJson):
    """Work allotted to a worker: `from_date`..`to_date` (the portal's `from`/`to`)."""

    work_name: str
    scheme: str | None
    from_date: date | None = json_field("from", "from_date")
    to_date: date | None = json_field("to", "to_date")
    days: int | None  # type: ignore[misc]  # json_field above has no default either
    worker_id: str | None  # type: ignore[misc]
    work_name_bn: str | None = None


@dataclass(frozen=True)
class Employment(FromJson):
    """Days worked and the wage for them; `paid_on` None while the wage is pending."""

    worker_id: str | None
    work_name: str | None
    days: int | None
    wage_amount: Number | None
    paid_on: date | None
    work_name_bn: str | None = None

    @property
    def is_paid(self) -> bool:
        return self.paid_on is not None


@dataclass(frozen=True)
class WorkDemand(FromJson):
    """A demand for work (and its receipt). `created` is only set by `create_work_demand`:
    True when this call made it, False when the portal returned the same earlier demand."""

    receipt_no: str
    worker_id: str | None
    days: int | None
    from_date: date | None
    demanded_on: date | None
    status: str | None
    created: bool | None = field(default=None, compare=False)

    @classmethod
    def from_json(
        cls, data: Mapping[str, Any], *, created: bool | None = None, **given: Any
    ) -> WorkDemand:
        return from_json(cls, data, created=created)  # never read from the JSON


@dataclass(frozen=True)
class KarmashreeStatus(FromJson):
    """A household's work in one financial year (`fy` like `2026-27`)."""

    job_card: str
    fy: str
    entitlement_days: int | None
    days_provided: int | None
    days_remaining: int | None
    allocations: tuple[Allocation, ...]
    employment: tuple[Employment, ...]
    wages_paid_total: Number | None
    wages_pending_total: Number | None
    last_payment_date: date | None
    open_demands: tuple[WorkDemand, ...]
