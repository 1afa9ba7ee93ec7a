"""The portal's change feed: what changed in citizens' records since a cursor."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from portal_client.types.fields import FromJson, json_field


def _state(value: Any) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ValueError("state is not an object")
    return dict(value)


@dataclass(frozen=True)
class ChangeEvent(FromJson):
    """One change. `kind`: wage_credited / application_status / booking_status /
    salary_credited; `record_kind`: job_card / trade_noc / building_plan / booking /
    employee; `mobiles`: the record's owner(s); `state`: the new state (status, amount,
    dates) as the portal gave it."""

    id: int
    kind: str
    record_kind: str
    record_id: str
    mobiles: tuple[str, ...]
    state: dict[str, Any] = json_field(parse=_state, default_factory=dict)


@dataclass(frozen=True)
class ChangeFeed(FromJson):
    """A page of events (oldest first); `next` is the cursor for the following page."""

    events: tuple[ChangeEvent, ...]
    next: int
    more: bool = json_field(parse=lambda value: bool(value), default=False)
