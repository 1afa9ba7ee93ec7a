"""The portal's change feed: what changed in citizens' records since a cursor."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ChangeEvent:
    """One change. `kind`: wage_credited / application_status / booking_status /
    salary_credited; `record_kind`: job_card / trade_noc / building_plan / booking /
    employee; `mobiles`: the record's owner(s); `state`: the new state (status, amount,
    dates) as the portal gave it."""

    id: int
    kind: str
    record_kind: str
    record_id: str
    mobiles: tuple[str, ...]
    state: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_json(cls, d: dict) -> ChangeEvent:
        state = d.get("state") or {}
        if not isinstance(state, dict):
            raise ValueError("state is not an object")
        return cls(
            int(d["id"]),
            str(d["kind"]),
            str(d["record_kind"]),
            str(d["record_id"]),
            tuple(str(m) for m in d.get("mobiles") or ()),
            dict(state),
        )


@dataclass(frozen=True)
class ChangeFeed:
    """A page of events (oldest first); `next` is the cursor for the following page."""

    events: tuple[ChangeEvent, ...]
    next: int
    more: bool = False

    @classmethod
    def from_json(cls, d: dict) -> ChangeFeed:
        return cls(
            tuple(ChangeEvent.from_json(e) for e in d["events"]),
            int(d["next"]),
            bool(d.get("more")),
        )
