"""Karmashree job cards: details, work/wage status per FY, work demands."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from portal_backend import config, db
from portal_backend.common import (
    json_body,
    param,
    parse_fy,
    requester_mobile,
    require_owner,
    respond,
    run_db,
)
from portal_backend.errors import BadRequest, NotFound, Overlap
from portal_backend.models import Allocation, Employment, GramPanchayat, JobCard, WorkDemand, Worker
from sathi import clock
from sathi.clock import FinancialYear
from sathi.identifiers import parse_job_card

log_name = "portal_backend.karmashree"


def load_card(session, raw: str, mobile: str) -> JobCard:
    parsed = parse_job_card(param(raw))
    if parsed is None:
        raise BadRequest("not a job card number (WB-DD-BBB-PPP-VVV/FFF or WB-32DDBBBPPP-S-F)")
    card = session.get(JobCard, parsed.nrega)
    if card is None:
        raise NotFound("no such job card")
    require_owner(card.mobile, mobile)
    return card


def demand_json(d: WorkDemand) -> dict:
    return {
        "receipt_no": d.receipt_no,
        "worker_id": d.worker_id,
        "days": d.days,
        "from_date": d.from_date,
        "to_date": d.from_date + timedelta(days=d.days - 1),
        "demanded_on": d.demanded_on,
        "status": d.status,
    }


def card_details(session, raw, mobile):
    card = load_card(session, raw, mobile)
    gp = session.get(GramPanchayat, card.gp_code)
    return {
        "job_card": card.job_card,
        "karmashree_id": card.karmashree_id,
        "head_of_household": card.head_of_household,
        "head_of_household_bn": card.head_of_household_bn or None,
        "gp_code": gp.code,
        "gp_name_en": gp.name_en,
        "gp_name_bn": gp.name_bn,
        "block_name_en": gp.block.name_en,
        "district_name_en": gp.block.district.name_en,
        "members": [
            {
                "worker_id": w.worker_id,
                "name": w.name,
                "name_bn": w.name_bn or None,
                "age": w.age,
                "gender": w.gender,
            }
            for w in card.members
        ],
    }


def open_demands(session, job_card: str) -> list[WorkDemand]:
    return list(
        session.execute(
            select(WorkDemand)
            .where(WorkDemand.job_card == job_card)
            .where(WorkDemand.status == "open")
            .order_by(WorkDemand.from_date)
        ).scalars()
    )


def card_status(session, raw, mobile, fy: FinancialYear):
    card = load_card(session, raw, mobile)
    allocations = (
        session.execute(
            select(Allocation)
            .where(Allocation.job_card == card.job_card)
            .where(Allocation.fy == fy.label)
            .order_by(Allocation.from_date)
        )
        .scalars()
        .all()
    )
    employment = (
        session.execute(
            select(Employment)
            .where(Employment.job_card == card.job_card)
            .where(Employment.fy == fy.label)
            .order_by(Employment.worked_until)
        )
        .scalars()
        .all()
    )
    days = sum(e.days for e in employment)
    paid = [e for e in employment if e.paid_on]
    entitlement = config.KARMASHREE_ENTITLEMENT_DAYS
    return {
        "job_card": card.job_card,
        "karmashree_id": card.karmashree_id,
        "fy": fy.label,
        "entitlement_days": entitlement,
        "days_provided": days,
        "days_remaining": max(0, entitlement - days),
        "allocations": [
            {
                "work_name": a.work_name,
                "work_name_bn": a.work_name_bn or None,
                "scheme": a.scheme,
                "from": a.from_date,
                "to": a.to_date,
                "days": a.days,
                "worker_id": a.worker_id,
            }
            for a in allocations
        ],
        "employment": [
            {
                "worker_id": e.worker_id,
                "work_name": e.work_name,
                "work_name_bn": e.work_name_bn or None,
                "days": e.days,
                "worked_until": e.worked_until,
                "wage_amount": e.wage_amount,
                "paid_on": e.paid_on,
            }
            for e in employment
        ],
        "wages_paid_total": sum(e.wage_amount for e in paid),
        "wages_pending_total": sum(e.wage_amount for e in employment if not e.paid_on),
        "last_payment_date": max((e.paid_on for e in paid), default=None),
        "open_demands": [demand_json(d) for d in open_demands(session, card.job_card)],
    }


def list_demands(session, raw, mobile):
    card = load_card(session, raw, mobile)
    rows = session.execute(
        select(WorkDemand)
        .where(WorkDemand.job_card == card.job_card)
        .order_by(WorkDemand.demanded_on.desc(), WorkDemand.receipt_no.desc())
    ).scalars()
    return [demand_json(d) for d in rows]


def _validated_demand(card: JobCard, body: dict) -> tuple[Worker, int, date]:
    worker_raw = str(body.get("worker_id") or "").strip()
    worker = None
    for member in card.members:
        serial = member.worker_id.rsplit("-", 1)[-1]
        if worker_raw.upper() == member.worker_id or (
            worker_raw.isdigit() and int(worker_raw) == int(serial)
        ):
            worker = member
    if worker is None:
        raise BadRequest("worker_id is not a member of this job card")
    days = body.get("days")
    if (
        isinstance(days, bool)
        or not isinstance(days, int)
        or not (config.DEMAND_MIN_DAYS <= days <= config.DEMAND_MAX_DAYS)
    ):
        raise BadRequest(
            f"days must be a whole number from {config.DEMAND_MIN_DAYS} to {config.DEMAND_MAX_DAYS}"
        )
    try:
        from_date = date.fromisoformat(str(body.get("from_date") or ""))
    except ValueError:
        raise BadRequest("from_date must be a date YYYY-MM-DD") from None
    today = clock.today()
    if from_date < today:
        raise BadRequest("from_date is in the past")
    if from_date > today + timedelta(days=config.DEMAND_MAX_DAYS_AHEAD):
        raise BadRequest(f"from_date is more than {config.DEMAND_MAX_DAYS_AHEAD} days ahead")
    return worker, days, from_date


def _next_receipt(session, year: int) -> str:
    last = session.execute(select(func.max(func.substr(WorkDemand.receipt_no, 9)))).scalar()
    return f"KD-{year}-{int(last or 0) + 1:06d}"


def create_demand(session, raw, mobile, body):
    with db.write_lock:
        card = load_card(session, raw, mobile)
        worker, days, from_date = _validated_demand(card, body)
        to_date = from_date + timedelta(days=days - 1)
        for existing in open_demands(session, card.job_card):
            if existing.worker_id != worker.worker_id:
                continue
            if existing.days == days and existing.from_date == from_date:
                return demand_json(existing), 200
            existing_to = existing.from_date + timedelta(days=existing.days - 1)
            if existing.from_date <= to_date and from_date <= existing_to:
                raise Overlap(
                    "an open demand of this worker overlaps these dates",
                    open_demand=demand_json(existing),
                )
        today = clock.today()
        demand = WorkDemand(
            receipt_no=_next_receipt(session, today.year),
            job_card=card.job_card,
            worker_id=worker.worker_id,
            days=days,
            from_date=from_date,
            demanded_on=today,
            status="open",
        )
        session.add(demand)
        session.commit()
        return demand_json(demand), 201


def register(app, prefix: str) -> None:
    base = f"{prefix}/karmashree/job-cards/<job_card:str>"

    @app.get(base)
    async def details(request, job_card):
        mobile = requester_mobile(request)
        return respond(await run_db(card_details, job_card, mobile))

    @app.get(f"{base}/status")
    async def status(request, job_card):
        mobile = requester_mobile(request)
        raw_fy = request.args.get("fy")
        fy = parse_fy(raw_fy) if raw_fy else FinancialYear.current()
        return respond(await run_db(card_status, job_card, mobile, fy))

    @app.get(f"{base}/demands")
    async def demands(request, job_card):
        mobile = requester_mobile(request)
        return respond(await run_db(list_demands, job_card, mobile))

    @app.post(f"{base}/demands")
    async def demand(request, job_card):
        mobile = requester_mobile(request)
        body = json_body(request)
        result, status_code = await run_db(create_demand, job_card, mobile, body)
        return respond(result, status_code)
