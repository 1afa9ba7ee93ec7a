"""Documents asked for while the portal was down (table `deferred_deliveries`), delivered by
the deferred-delivery worker when the portal answers again (channels/deferred_delivery.py,
actions/deferred.py).

A request is unique per (mobile, service, request JSON): asking twice while the portal is down
keeps one row, so the document is delivered once. States:

    waiting --claim--> delivering --> delivered
       ^                   |  \\--> failed (not yours / not found / not ready / bad PDF)
       +---- release ------+   \\--> cancelled (the number opted out)
    waiting --(due_by passed)--> expired

While a row is `delivering`, `delivered_at` holds the moment of the claim: a claim older
than the lease (a process died mid-delivery) may be taken again. Times are naive UTC
(wall clock), like bot_store.rate_limits.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import and_, delete, func, insert, or_, select, update

from bot_store.db import engine
from bot_store.schema import deferred_deliveries as table
from bot_store.states import DeferredState
from sathi.settings import settings

WAITING, DELIVERING = DeferredState.WAITING, DeferredState.DELIVERING
DELIVERED, FAILED = DeferredState.DELIVERED, DeferredState.FAILED
CANCELLED, EXPIRED = DeferredState.CANCELLED, DeferredState.EXPIRED
OPEN_STATES = (WAITING, DELIVERING)


@dataclass(frozen=True)
class Deferred:
    id: int
    mobile: str
    channel: str
    service: str
    request: dict[str, Any]
    state: str
    created_at: datetime
    due_by: datetime
    delivered_at: datetime | None


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def horizon() -> timedelta:
    """How long a deferred request is kept trying (SATHI_DEFERRED_HOURS, default 48)."""
    return timedelta(hours=settings().deferred_hours)


def lease() -> timedelta:
    return timedelta(seconds=settings().deferred_lease_seconds)


def canonical(request: dict[str, Any]) -> str:
    return json.dumps(request, sort_keys=True, ensure_ascii=False, default=str)


def _row(r) -> Deferred:
    try:
        request = json.loads(r["request"])
    except ValueError:
        request = {}
    return Deferred(
        r["id"],
        r["mobile"],
        r["channel"],
        r["service"],
        request,
        r["state"],
        r["created_at"],
        r["due_by"],
        r["delivered_at"],
    )


def defer(mobile: str, channel: str, service: str, request: dict[str, Any]) -> tuple[int, bool]:
    """Keep a request for later: (row id, True when new or re-opened). The same request
    while one is open returns that row (False)."""
    body = canonical(request)
    now = _now()
    key = and_(table.c.mobile == mobile, table.c.service == service, table.c.request == body)
    with engine().begin() as conn:
        existing = conn.execute(select(table).where(key)).mappings().first()
        if existing is not None:
            if existing["state"] in OPEN_STATES:
                return existing["id"], False
            conn.execute(
                update(table)
                .where(table.c.id == existing["id"])
                .values(
                    state=WAITING,
                    channel=channel,
                    created_at=now,
                    due_by=now + horizon(),
                    delivered_at=None,
                )
            )
            return existing["id"], True
        try:
            with conn.begin_nested():
                result = conn.execute(
                    insert(table).values(
                        mobile=mobile,
                        channel=channel,
                        service=service,
                        request=body,
                        state=WAITING,
                        created_at=now,
                        due_by=now + horizon(),
                    )
                )
            return int(result.inserted_primary_key[0]), True
        except Exception:  # the same request inserted concurrently
            again = conn.execute(select(table.c.id).where(key)).scalar()
            return int(again), False


def get(row_id: int) -> Deferred | None:
    with engine().connect() as conn:
        r = conn.execute(select(table).where(table.c.id == row_id)).mappings().first()
    return _row(r) if r is not None else None


def rows(mobile: str | None = None, state: str | None = None) -> list[Deferred]:
    query = select(table).order_by(table.c.id)
    if mobile:
        query = query.where(table.c.mobile == mobile)
    if state:
        query = query.where(table.c.state == state)
    with engine().connect() as conn:
        return [_row(r) for r in conn.execute(query).mappings()]


def _claimable(now: datetime):
    return or_(
        table.c.state == WAITING,
        and_(table.c.state == DELIVERING, table.c.delivered_at < now - lease()),
    )


def due(limit: int = 50) -> list[Deferred]:
    """Open requests to try now, oldest first (waiting, or a claim whose lease ran out)."""
    now = _now()
    query = (
        select(table)
        .where(and_(_claimable(now), table.c.due_by > now))
        .order_by(table.c.id)
        .limit(limit)
    )
    with engine().connect() as conn:
        return [_row(r) for r in conn.execute(query).mappings()]


def claim(row_id: int) -> Deferred | None:
    """Take the row for one delivery attempt; None when another attempt has it or it is done."""
    now = _now()
    with engine().begin() as conn:
        done = conn.execute(
            update(table)
            .where(and_(table.c.id == row_id, _claimable(now), table.c.due_by > now))
            .values(state=DELIVERING, delivered_at=now)
        )
    return get(row_id) if done.rowcount else None


def _finish(row_id: int, state: str, stamp: bool) -> None:
    with engine().begin() as conn:
        conn.execute(
            update(table)
            .where(table.c.id == row_id)
            .values(state=state, delivered_at=_now() if stamp else None)
        )


def mark_delivered(row_id: int) -> None:
    _finish(row_id, DELIVERED, True)


def mark_failed(row_id: int) -> None:
    _finish(row_id, FAILED, True)


def cancel(row_id: int) -> None:
    _finish(row_id, CANCELLED, True)


def release(row_id: int) -> None:
    """Back to waiting (the portal was still down)."""
    with engine().begin() as conn:
        conn.execute(
            update(table)
            .where(and_(table.c.id == row_id, table.c.state == DELIVERING))
            .values(state=WAITING, delivered_at=None)
        )


def expire_overdue() -> int:
    """Open requests past their due time become `expired`; how many."""
    now = _now()
    with engine().begin() as conn:
        return (
            conn.execute(
                update(table)
                .where(and_(table.c.state.in_(OPEN_STATES), table.c.due_by <= now))
                .values(state=EXPIRED)
            ).rowcount
            or 0
        )


def open_count() -> int:
    with engine().connect() as conn:
        return (
            conn.execute(
                select(func.count()).select_from(table).where(table.c.state.in_(OPEN_STATES))
            ).scalar()
            or 0
        )


def purge(older_than: timedelta, dry_run: bool = False) -> int:
    """Delete finished rows created before now - `older_than` (retention)."""
    condition = and_(table.c.state.notin_(OPEN_STATES), table.c.created_at < _now() - older_than)
    with engine().begin() as conn:
        if dry_run:
            return (
                conn.execute(select(func.count()).select_from(table).where(condition)).scalar() or 0
            )
        return conn.execute(delete(table).where(condition)).rowcount or 0
