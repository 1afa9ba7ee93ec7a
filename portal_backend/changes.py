"""Changes to citizens' records, each with its event in the change feed (`GET /changes`).

Every function here changes a record and adds its `ChangeEvent` in the same session, so
the change and the event commit (or roll back) together: a reader of the feed never sees an
event for a change that did not happen, nor misses one that did. The reference portal has
no office screens; `python -m portal_backend change ...` (and the tests) drive these.

    wage_credited        job card: pending wages paid (or a new paid spell of work)
    application_status   trade NOC / building plan: new status
    booking_status       guest house booking: confirmed / cancelled / payment_pending
    salary_credited      employee: a month's salary credited
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from portal_backend.errors import BadRequest, NotFound
from portal_backend.models import (
    Booking,
    BuildingPlan,
    ChangeEvent,
    Employee,
    Employment,
    JobCard,
    SalaryMonth,
    TradeNoc,
)
from sathi import clock
from sathi.clock import FinancialYear

APPLICATION_STATUSES = (
    "submitted",
    "under_verification",
    "site_inspection",
    "approved",
    "rejected",
)
BOOKING_STATUSES = ("confirmed", "payment_pending", "cancelled")
MAX_PAGE = 500


def _event(
    session, kind: str, record_kind: str, record_id: str, mobile: str, state: dict[str, Any]
) -> ChangeEvent:
    event = ChangeEvent(
        kind=kind,
        record_kind=record_kind,
        record_id=record_id,
        mobiles=[mobile],
        state=state,
        created_at=clock.now().replace(tzinfo=None),
    )
    session.add(event)
    session.flush()
    return event


def credit_wage(session, job_card: str, amount: int | None = None, days: int = 7) -> ChangeEvent:
    """Pay the job card's pending wages; without pending wages a new spell of `days` days
    paid at once (`amount`, default 250 a day). One event for the whole credit."""
    card = session.get(JobCard, job_card)
    if card is None:
        raise NotFound("no such job card")
    today = clock.today()
    pending = list(
        session.execute(
            select(Employment).where(Employment.job_card == job_card, Employment.paid_on.is_(None))
        ).scalars()
    )
    if pending and amount is None:
        for row in pending:
            row.paid_on = today
        total, worked = sum(r.wage_amount for r in pending), sum(r.days for r in pending)
    else:
        member = card.members[0] if card.members else None
        if member is None:
            raise BadRequest("the job card has no members")
        total, worked = int(amount if amount is not None else 250 * days), days
        session.add(
            Employment(
                job_card=job_card,
                worker_id=member.worker_id,
                fy=FinancialYear.containing(today).label,
                work_name="Village road repair",
                work_name_bn="গ্রামের রাস্তা সারাই",
                days=days,
                wage_amount=total,
                worked_until=today,
                paid_on=today,
            )
        )
    return _event(
        session,
        "wage_credited",
        "job_card",
        job_card,
        card.mobile,
        {"amount": total, "days": worked, "paid_on": today.isoformat()},
    )


def _next_certificate_no(session, today: date) -> str:
    prefix = f"TNC-{today.year}-"
    last = (
        session.execute(
            select(TradeNoc.certificate_no)
            .where(TradeNoc.certificate_no.like(prefix + "%"))
            .order_by(TradeNoc.certificate_no.desc())
        )
        .scalars()
        .first()
    )
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:06d}"


def set_application_status(
    session, record_kind: str, application_no: str, status: str
) -> ChangeEvent:
    model = {"trade_noc": TradeNoc, "building_plan": BuildingPlan}.get(record_kind)
    if model is None:
        raise BadRequest("record kind must be trade_noc or building_plan")
    if status not in APPLICATION_STATUSES:
        raise BadRequest(f"status must be one of {', '.join(APPLICATION_STATUSES)}")
    row = session.get(model, application_no)
    if row is None:
        raise NotFound("no such application")
    row.status = status
    today = clock.today()
    if status == "approved":
        if model is TradeNoc:
            row.issued_on = row.issued_on or today
            row.valid_until = row.valid_until or date(today.year + 1, 3, 31)
            row.certificate_no = row.certificate_no or _next_certificate_no(session, today)
        else:
            row.approved_on = row.approved_on or today
    return _event(
        session,
        "application_status",
        record_kind,
        application_no,
        row.mobile,
        {"status": status, "on": today.isoformat()},
    )


def set_booking_status(session, booking_no: str, status: str) -> ChangeEvent:
    if status not in BOOKING_STATUSES:
        raise BadRequest(f"status must be one of {', '.join(BOOKING_STATUSES)}")
    row = session.get(Booking, booking_no)
    if row is None:
        raise NotFound("no such booking")
    row.status = status
    if status == "confirmed":
        row.amount_paid = row.amount
    return _event(
        session,
        "booking_status",
        "booking",
        booking_no,
        row.mobile,
        {"status": status, "check_in": row.check_in.isoformat()},
    )


def credit_salary(session, employee_id: str, month: str | None = None) -> ChangeEvent:
    """Mark a salary month paid (default: the latest month not yet paid)."""
    employee = session.get(Employee, employee_id)
    if employee is None:
        raise NotFound("no such employee")
    query = select(SalaryMonth).where(SalaryMonth.employee_id == employee_id)
    if month:
        query = query.where(SalaryMonth.month == month)
    else:
        query = query.where(SalaryMonth.status != "paid")
    row = session.execute(query.order_by(SalaryMonth.month.desc())).scalars().first()
    if row is None:
        row = (
            session.execute(
                select(SalaryMonth)
                .where(SalaryMonth.employee_id == employee_id)
                .order_by(SalaryMonth.month.desc())
            )
            .scalars()
            .first()
        )
    if row is None:
        raise NotFound("no salary month to credit")
    row.status, row.credited_on = "paid", clock.today()
    return _event(
        session,
        "salary_credited",
        "employee",
        employee_id,
        employee.mobile,
        {"month": row.month, "net": row.net, "credited_on": row.credited_on.isoformat()},
    )


def as_json(event: ChangeEvent) -> dict[str, Any]:
    return {
        "id": event.id,
        "kind": event.kind,
        "record_kind": event.record_kind,
        "record_id": event.record_id,
        "mobiles": list(event.mobiles or []),
        "state": dict(event.state or {}),
        "created_at": event.created_at.isoformat(timespec="seconds"),
    }


def feed(session, after: int = 0, limit: int = 100) -> dict[str, Any]:
    """Events with id > after, oldest first; `next` is the cursor to ask with next time."""
    limit = max(1, min(int(limit), MAX_PAGE))
    rows: list[ChangeEvent] = list(
        session.execute(
            select(ChangeEvent).where(ChangeEvent.id > after).order_by(ChangeEvent.id).limit(limit)
        ).scalars()
    )
    events = [as_json(r) for r in rows]
    return {
        "events": events,
        "next": events[-1]["id"] if events else after,
        "more": len(events) == limit,
    }
