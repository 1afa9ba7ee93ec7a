"""`/me/records`: everything the requester mobile owns or is registered for."""

from __future__ import annotations

from sqlalchemy import select

from portal_backend.common import requester_mobile, respond, run_db
from portal_backend.models import (
    Booking,
    BuildingPlan,
    Employee,
    JobCard,
    Official,
    OfficialRegistration,
    TradeNoc,
)


def records(session, mobile: str) -> dict:
    def column(stmt):
        return list(session.execute(stmt).scalars())

    official = session.execute(
        select(Official).where(Official.mobile == mobile)
    ).scalar_one_or_none()
    regs = (
        column(
            select(OfficialRegistration)
            .where(OfficialRegistration.official_id == official.id)
            .order_by(OfficialRegistration.id)
        )
        if official
        else []
    )
    return {
        "mobile": mobile,
        "job_cards": column(
            select(JobCard.job_card).where(JobCard.mobile == mobile).order_by(JobCard.job_card)
        ),
        "employees": column(
            select(Employee.employee_id)
            .where(Employee.mobile == mobile)
            .order_by(Employee.employee_id)
        ),
        "trade_nocs": column(
            select(TradeNoc.application_no)
            .where(TradeNoc.mobile == mobile)
            .order_by(TradeNoc.application_no)
        ),
        "building_plans": column(
            select(BuildingPlan.application_no)
            .where(BuildingPlan.mobile == mobile)
            .order_by(BuildingPlan.application_no)
        ),
        "bookings": column(
            select(Booking.booking_no).where(Booking.mobile == mobile).order_by(Booking.booking_no)
        ),
        "official_of": {
            "gram_panchayats": [r.code for r in regs if r.level == "gp"],
            "panchayat_samitis": [r.code for r in regs if r.level == "ps"],
            "districts": [r.code for r in regs if r.level == "district"],
        },
    }


def register(app, prefix: str) -> None:
    @app.get(f"{prefix}/me/records")
    async def me(request):
        mobile = requester_mobile(request)
        return respond(await run_db(records, mobile))
