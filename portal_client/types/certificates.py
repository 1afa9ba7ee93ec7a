"""Citizens' certificates: Trade NOC, building plan approval, tourism reservation slip.

`is_ready` says whether the record's PDF can be had (otherwise its `/pdf` is NotReady)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from portal_client.types.fields import FromJson, Number


@dataclass(frozen=True)
class TradeNoc(FromJson):
    """status: submitted / under_verification / approved / rejected."""

    application_no: str
    certificate_no: str | None
    status: str
    trade_name: str | None
    owner_name: str | None
    gp_name_en: str | None
    applied_on: date | None
    issued_on: date | None
    valid_until: date | None
    remarks: str | None
    gp_name_bn: str | None = None
    remarks_bn: str | None = None

    @property
    def is_ready(self) -> bool:
        return self.status == "approved"


@dataclass(frozen=True)
class BuildingPlan(FromJson):
    """status: submitted / site_inspection / approved / rejected."""

    application_no: str
    status: str
    applicant_name: str | None
    gp_name_en: str | None
    mouza: str | None
    khatian_no: str | None
    plot_no: str | None
    approval_no: str | None
    approved_on: date | None
    remarks: str | None
    gp_name_bn: str | None = None
    remarks_bn: str | None = None

    @property
    def is_ready(self) -> bool:
        return self.status == "approved"


@dataclass(frozen=True)
class TourismBooking(FromJson):
    """status: confirmed / payment_pending / cancelled."""

    booking_no: str
    status: str
    guest_name: str | None
    property_name: str | None
    district_name_en: str | None
    check_in: date | None
    check_out: date | None
    rooms: int | None
    amount_paid: Number | None
    payment_ref: str | None
    property_name_bn: str | None = None
    district_name_bn: str | None = None

    @property
    def is_ready(self) -> bool:
        return self.status == "confirmed"
