"""Who the requester is to the portal, the portal's health, OTP and callbacks."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from portal_client.types.fields import FromJson


@dataclass(frozen=True)
class OfficialOf(FromJson):
    gram_panchayats: tuple[str, ...] = ()
    panchayat_samitis: tuple[str, ...] = ()
    districts: tuple[str, ...] = ()

    @property
    def is_official(self) -> bool:
        return bool(self.gram_panchayats or self.panchayat_samitis or self.districts)


@dataclass(frozen=True)
class MyRecords(FromJson):
    """Everything the requester mobile owns or is registered for."""

    job_cards: tuple[str, ...] = ()
    employees: tuple[str, ...] = ()
    trade_nocs: tuple[str, ...] = ()
    building_plans: tuple[str, ...] = ()
    bookings: tuple[str, ...] = ()
    official_of: OfficialOf = field(default_factory=OfficialOf)

    @property
    def is_empty(self) -> bool:
        return not (
            self.job_cards
            or self.employees
            or self.trade_nocs
            or self.building_plans
            or self.bookings
            or self.official_of.is_official
        )


@dataclass(frozen=True)
class PortalHealth(FromJson):
    status: str
    clock: datetime | None


@dataclass(frozen=True)
class OtpChallenge(FromJson):
    """A one-time code was sent; verify it with `otp_id` before `expires_at`."""

    otp_id: str
    expires_at: datetime | None


@dataclass(frozen=True)
class OtpResult(FromJson):
    """`verified` False with `tries_left` after a wrong code (a right code: tries_left None)."""

    verified: bool
    tries_left: int | None = None


@dataclass(frozen=True)
class CallbackTicket(FromJson):
    ticket_no: str
    expected_within_hours: int | None = None
