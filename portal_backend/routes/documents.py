"""GP services and tourism: Trade NOC, building plan approval, Panchayat Tourism bookings."""

from __future__ import annotations

from sqlalchemy import select

from portal_backend.common import PdfOfRecord, param, record_routes, require_owner, run_db
from portal_backend.errors import BadRequest, NotFound
from portal_backend.models import Booking, BuildingPlan, District, GramPanchayat, TradeNoc
from portal_backend.pdfs import building_plan, tourism_slip, trade_noc
from sathi.identifiers import (
    parse_booking_number,
    parse_building_plan_number,
    parse_trade_noc_number,
)


def _gp_names(session, gp_code: str) -> dict:
    gp = session.get(GramPanchayat, gp_code)
    return {
        "gp_code": gp.code,
        "gp_name_en": gp.name_en,
        "gp_name_bn": gp.name_bn,
        "block_name_en": gp.block.name_en,
        "block_name_bn": gp.block.name_bn,
        "district_name_en": gp.block.district.name_en,
        "district_name_bn": gp.block.district.name_bn,
    }


def trade_noc_record(session, raw, mobile):
    number = parse_trade_noc_number(param(raw))
    if number is None:
        raise BadRequest(
            "not a Trade NOC application (TN-YYYY-NNNNNN) or certificate (TNC-YYYY-NNNNNN) number"
        )
    column = TradeNoc.certificate_no if number.startswith("TNC-") else TradeNoc.application_no
    noc = session.execute(select(TradeNoc).where(column == number)).scalar_one_or_none()
    if noc is None:
        raise NotFound("no such Trade NOC application or certificate")
    require_owner(noc.mobile, mobile)
    return {
        "application_no": noc.application_no,
        "certificate_no": noc.certificate_no,
        "status": noc.status,
        "trade_name": noc.trade_name,
        "trade_type": noc.trade_type,
        "owner_name": noc.owner_name,
        "address": noc.address,
        **_gp_names(session, noc.gp_code),
        "applied_on": noc.applied_on,
        "issued_on": noc.issued_on,
        "valid_until": noc.valid_until,
        "fee": noc.fee,
        "remarks": noc.remarks,
        "remarks_bn": noc.remarks_bn or None,
    }


def building_plan_record(session, raw, mobile):
    number = parse_building_plan_number(param(raw))
    if number is None:
        raise BadRequest("not a building plan application number (BP-YYYY-NNNNNN)")
    plan = session.get(BuildingPlan, number)
    if plan is None:
        raise NotFound("no such building plan application")
    require_owner(plan.mobile, mobile)
    return {
        "application_no": plan.application_no,
        "status": plan.status,
        "applicant_name": plan.applicant_name,
        "address": plan.address,
        **_gp_names(session, plan.gp_code),
        "mouza": plan.mouza,
        "jl_no": plan.jl_no,
        "khatian_no": plan.khatian_no,
        "plot_no": plan.plot_no,
        "plot_area_sqm": plan.plot_area_sqm,
        "floors": plan.floors,
        "applied_on": plan.applied_on,
        "approval_no": plan.approval_no,
        "approved_on": plan.approved_on,
        "valid_until": plan.valid_until,
        "conditions": list(plan.conditions or []),
        "remarks": plan.remarks,
        "remarks_bn": plan.remarks_bn or None,
    }


def booking_record(session, raw, mobile):
    number = parse_booking_number(param(raw))
    if number is None:
        raise BadRequest("not a Panchayat Tourism booking number (PTB-YYYY-NNNNNN)")
    booking = session.get(Booking, number)
    if booking is None:
        raise NotFound("no such booking")
    require_owner(booking.mobile, mobile)
    prop = booking.property
    district = session.get(District, prop.district_code)
    return {
        "booking_no": booking.booking_no,
        "status": booking.status,
        "guest_name": booking.guest_name,
        "property_name": prop.name,
        "property_name_bn": prop.name_bn or None,
        "property_kind": prop.kind,
        "property_address": prop.address,
        "property_phone": prop.phone,
        "district_name_en": district.name_en,
        "district_name_bn": district.name_bn,
        "booked_on": booking.booked_on,
        "check_in": booking.check_in,
        "check_in_time": "09:00",
        "check_out": booking.check_out,
        "check_out_time": "08:00",
        "rooms": booking.rooms,
        "guests": booking.guests,
        "amount": booking.amount,
        "amount_paid": booking.amount_paid,
        "payment_ref": booking.payment_ref,
        "id_type": booking.id_type,
    }


def register(app, prefix: str) -> None:
    record_routes(
        app,
        f"{prefix}/trade-nocs/<number:str>",
        "trade_noc",
        lambda mobile, number: run_db(trade_noc_record, number, mobile),
        PdfOfRecord(
            trade_noc.render,
            "trade_noc",
            ready=lambda r: r["status"] == "approved",
            not_ready="the Trade NOC is not issued yet",
            record_ref=lambda r: r["certificate_no"],
            issued_on=lambda r: r["issued_on"],
            filename=lambda r: f"trade-noc-{r['certificate_no']}.pdf",
        ),
    )
    record_routes(
        app,
        f"{prefix}/building-plans/<number:str>",
        "building_plan",
        lambda mobile, number: run_db(building_plan_record, number, mobile),
        PdfOfRecord(
            building_plan.render,
            "building_plan",
            ready=lambda r: r["status"] == "approved",
            not_ready="the building plan is not approved yet",
            record_ref=lambda r: r["application_no"],
            issued_on=lambda r: r["approved_on"],
            filename=lambda r: f"building-plan-approval-{r['application_no']}.pdf",
        ),
    )
    record_routes(
        app,
        f"{prefix}/tourism/bookings/<number:str>",
        "tourism_booking",
        lambda mobile, number: run_db(booking_record, number, mobile),
        PdfOfRecord(
            tourism_slip.render,
            "tourism_slip",
            ready=lambda r: r["status"] == "confirmed",
            not_ready="the booking is not confirmed (cancelled or not paid)",
            record_ref=lambda r: r["booking_no"],
            issued_on=lambda r: r["booked_on"],
            filename=lambda r: f"reservation-slip-{r['booking_no']}.pdf",
        ),
    )
