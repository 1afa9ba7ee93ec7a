"""Citizens' certificates: Trade NOC, building plan approval, tourism reservation slip.

`is_ready` says whether the record's PDF can be had (otherwise its `/pdf` is NotReady)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Optional

from portal_client.types.fields import Number, as_int, as_number, as_text, parse_date


@dataclass(frozen=True)
class TradeNoc:
    """status: submitted / under_verification / approved / rejected."""

    application_no: str
    certificate_no: Optional[str]
    status: str
    trade_name: Optional[str]
    owner_name: Optional[str]
    gp_name_en: Optional[str]
    applied_on: Optional[date]
    issued_on: Optional[date]
    valid_until: Optional[date]
    remarks: Optional[str]
    gp_name_bn: Optional[str] = None
    remarks_bn: Optional[str] = None

    @property
    def is_ready(self) -> bool:
        return self.status == "approved"

    @classmethod
    def from_json(cls, d: dict) -> "TradeNoc":
        return cls(str(d["application_no"]), as_text(d.get("certificate_no")),
                   str(d["status"]), as_text(d.get("trade_name")),
                   as_text(d.get("owner_name")), as_text(d.get("gp_name_en")),
                   parse_date(d.get("applied_on")), parse_date(d.get("issued_on")),
                   parse_date(d.get("valid_until")), as_text(d.get("remarks")),
                   as_text(d.get("gp_name_bn")), as_text(d.get("remarks_bn")))


@dataclass(frozen=True)
class BuildingPlan:
    """status: submitted / site_inspection / approved / rejected."""

    application_no: str
    status: str
    applicant_name: Optional[str]
    gp_name_en: Optional[str]
    mouza: Optional[str]
    khatian_no: Optional[str]
    plot_no: Optional[str]
    approval_no: Optional[str]
    approved_on: Optional[date]
    remarks: Optional[str]
    gp_name_bn: Optional[str] = None
    remarks_bn: Optional[str] = None

    @property
    def is_ready(self) -> bool:
        return self.status == "approved"

    @classmethod
    def from_json(cls, d: dict) -> "BuildingPlan":
        return cls(str(d["application_no"]), str(d["status"]),
                   as_text(d.get("applicant_name")), as_text(d.get("gp_name_en")),
                   as_text(d.get("mouza")), as_text(d.get("khatian_no")),
                   as_text(d.get("plot_no")), as_text(d.get("approval_no")),
                   parse_date(d.get("approved_on")), as_text(d.get("remarks")),
                   as_text(d.get("gp_name_bn")), as_text(d.get("remarks_bn")))


@dataclass(frozen=True)
class TourismBooking:
    """status: confirmed / payment_pending / cancelled."""

    booking_no: str
    status: str
    guest_name: Optional[str]
    property_name: Optional[str]
    district_name_en: Optional[str]
    check_in: Optional[date]
    check_out: Optional[date]
    rooms: Optional[int]
    amount_paid: Optional[Number]
    payment_ref: Optional[str]
    property_name_bn: Optional[str] = None
    district_name_bn: Optional[str] = None

    @property
    def is_ready(self) -> bool:
        return self.status == "confirmed"

    @classmethod
    def from_json(cls, d: dict) -> "TourismBooking":
        return cls(str(d["booking_no"]), str(d["status"]), as_text(d.get("guest_name")),
                   as_text(d.get("property_name")), as_text(d.get("district_name_en")),
                   parse_date(d.get("check_in")), parse_date(d.get("check_out")),
                   as_int(d.get("rooms")), as_number(d.get("amount_paid")),
                   as_text(d.get("payment_ref")), as_text(d.get("property_name_bn")),
                   as_text(d.get("district_name_bn")))
