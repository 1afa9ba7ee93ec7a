"""Who the requester is to the portal, the portal's health, OTP and callbacks."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Optional, Tuple

from portal_client.types.fields import FromJson


@dataclass(frozen=True)
class OfficialOf(FromJson):
    gram_panchayats: Tuple[str, ...] = ()
    panchayat_samitis: Tuple[str, ...] = ()
    districts: Tuple[str, ...] = ()

    @property
    def is_official(self) -> bool:
        return bool(self.gram_panchayats or self.panchayat_samitis or self.districts)


@dataclass(frozen=True)
class MyRecords(FromJson):
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


@dataclass(frozen=True)
class PortalHealth(FromJson):
    status: str
    clock: Optional[datetime]


@dataclass(frozen=True)
class OtpChallenge(FromJson):
    """A one-time code was sent; verify it with `otp_id` before `expires_at`."""

    otp_id: str
    expires_at: Optional[datetime]


@dataclass(frozen=True)
class OtpResult(FromJson):
    """`verified` False with `tries_left` after a wrong code (a right code: tries_left None)."""

    verified: bool
    tries_left: Optional[int] = None


@dataclass(frozen=True)
class CallbackTicket(FromJson):
    ticket_no: str
    expected_within_hours: Optional[int] = None
