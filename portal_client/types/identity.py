"""Who the requester is to the portal, the portal's health, OTP and callbacks."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Optional, Tuple

from portal_client.types.fields import as_int, as_strings, parse_datetime


@dataclass(frozen=True)
class OfficialOf:
    gram_panchayats: Tuple[str, ...] = ()
    panchayat_samitis: Tuple[str, ...] = ()
    districts: Tuple[str, ...] = ()

    @property
    def is_official(self) -> bool:
        return bool(self.gram_panchayats or self.panchayat_samitis or self.districts)


@dataclass(frozen=True)
class MyRecords:
    """Everything the requester mobile owns or is registered for."""

    job_cards: Tuple[str, ...] = ()
    employees: Tuple[str, ...] = ()
    trade_nocs: Tuple[str, ...] = ()
    building_plans: Tuple[str, ...] = ()
    bookings: Tuple[str, ...] = ()
    official_of: OfficialOf = field(default_factory=OfficialOf)

    @property
    def is_empty(self) -> bool:
        return not (self.job_cards or self.employees or self.trade_nocs
                    or self.building_plans or self.bookings or self.official_of.is_official)

    @classmethod
    def from_json(cls, d: dict) -> "MyRecords":
        official = d.get("official_of") or {}
        return cls(
            job_cards=as_strings(d.get("job_cards")),
            employees=as_strings(d.get("employees")),
            trade_nocs=as_strings(d.get("trade_nocs")),
            building_plans=as_strings(d.get("building_plans")),
            bookings=as_strings(d.get("bookings")),
            official_of=OfficialOf(
                gram_panchayats=as_strings(official.get("gram_panchayats")),
                panchayat_samitis=as_strings(official.get("panchayat_samitis")),
                districts=as_strings(official.get("districts")),
            ),
        )


@dataclass(frozen=True)
class PortalHealth:
    status: str
    clock: Optional[datetime]

    @classmethod
    def from_json(cls, d: dict) -> "PortalHealth":
        return cls(status=str(d["status"]), clock=parse_datetime(d.get("clock")))


@dataclass(frozen=True)
class OtpChallenge:
    """A one-time code was sent; verify it with `otp_id` before `expires_at`."""

    otp_id: str
    expires_at: Optional[datetime]

    @classmethod
    def from_json(cls, d: dict) -> "OtpChallenge":
        return cls(str(d["otp_id"]), parse_datetime(d.get("expires_at")))


@dataclass(frozen=True)
class OtpResult:
    """`verified` False with `tries_left` after a wrong code (a right code: tries_left None)."""

    verified: bool
    tries_left: Optional[int] = None

    @classmethod
    def from_json(cls, d: dict) -> "OtpResult":
        verified = d["verified"]
        if not isinstance(verified, bool):
            raise TypeError("'verified' must be a boolean")
        return cls(verified, as_int(d.get("tries_left")))


@dataclass(frozen=True)
class CallbackTicket:
    ticket_no: str
    expected_within_hours: Optional[int] = None

    @classmethod
    def from_json(cls, d: dict) -> "CallbackTicket":
        return cls(str(d["ticket_no"]), as_int(d.get("expected_within_hours")))
