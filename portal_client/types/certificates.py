"""Citizens' certificates: Trade NOC, building plan approval, tourism reservation slip.

`is_ready` says whether the record's PDF can be had (otherwise its `/pdf` is NotReady)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Optional

from portal_client.types.fields import FromJson, Number


@dataclass(frozen=True)
class TradeNoc(FromJson):
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


@dataclass(frozen=True)
class BuildingPlan(FromJson):
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


@dataclass(frozen=True)
class TourismBooking(FromJson):
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
