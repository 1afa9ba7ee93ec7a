"""The push queue: the portal change feed's cursor and one row per (event, number).

Reading the feed is at-least-once: `enqueue` inserts the pushes of a page of events and
moves the cursor past them in ONE transaction, so a crash before the commit reads the page
again, and a page read twice (a crash, two replicas) inserts nothing new — the unique key
(event_id, mobile) is the exactly-once guarantee. The cursor never moves back.

Sending takes a row with `claim_due` (a lease, as the inbox does; on PostgreSQL the
candidates are locked with FOR UPDATE SKIP LOCKED, so replicas take different rows), then
marks it sent / skipped / failed / ambiguous, or puts it back for later (quiet hours).

States: pending -> sent | skipped (opted out, unsubscribed) | failed | ambiguous.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from bot_store.db import engine
from bot_store.schema import push_cursor, push_deliveries
from sathi import clock

FEED = "portal"
FINAL = ("sent", "skipped", "failed", "ambiguous")


@dataclass(frozen=True)
class Push:
    id: int
    event_id: int
    mobile: str
    event_kind: str
    record_kind: str
    record_id: str
    event_state: dict[str, Any]
    language: str
    state: str
    attempts: int


def _row(r) -> Push:
    return Push(
        r["id"],
        r["event_id"],
        r["mobile"],
        r["event_kind"],
        r["record_kind"],
        r["record_id"],
        json.loads(r["event_state"]),
        r["language"],
        r["state"],
        r["attempts"],
    )


def _insert_ignoring_duplicates(conn, table, values: dict[str, Any]):
    dialect = conn.engine.dialect.name
    if dialect == "postgresql":
        return conn.execute(postgresql.insert(table).values(**values).on_conflict_do_nothing())
    if dialect == "sqlite":
        return conn.execute(sqlite.insert(table).values(**values).on_conflict_do_nothing())
    return conn.execute(insert(table).values(**values))


# --- the cursor ---------------------------------------------------------------------------
def cursor(feed: str = FEED) -> int:
    with engine().connect() as conn:
        value = conn.execute(
            select(push_cursor.c.last_id).where(push_cursor.c.name == feed)
        ).scalar()
    return int(value or 0)


def take_feed_lease(owner: str, seconds: float, feed: str = FEED) -> bool:
    """True when `owner` may read the feed now (nobody else holds a live lease). Only an
    economy — two readers would insert nothing twice — so the lease is short."""
    now = time.time()
    with engine().begin() as conn:
        _insert_ignoring_duplicates(conn, push_cursor, {"name": feed, "last_id": 0})
        taken = conn.execute(
            update(push_cursor)
            .where(push_cursor.c.name == feed)
            .where(
                or_(
                    push_cursor.c.lease_until.is_(None),
                    push_cursor.c.lease_until < now,
                    push_cursor.c.lease_owner == owner,
                )
            )
            .values(lease_owner=owner, lease_until=now + seconds)
        )
        return taken.rowcount == 1


def release_feed_lease(owner: str, feed: str = FEED) -> None:
    """Give the feed back at once (a clean stop), so another replica need not wait."""
    with engine().begin() as conn:
        conn.execute(
            update(push_cursor)
            .where(push_cursor.c.name == feed)
            .where(push_cursor.c.lease_owner == owner)
            .values(lease_until=None)
        )


def enqueue(pushes: Iterable[dict[str, Any]], new_cursor: int, feed: str = FEED) -> int:
    """Insert the pushes of a page of events (duplicates ignored) and move the cursor to
    `new_cursor` (never back) — one transaction. How many pushes are new."""
    added = 0
    now = clock.now()
    with engine().begin() as conn:
        _insert_ignoring_duplicates(conn, push_cursor, {"name": feed, "last_id": 0})
        for push in pushes:
            values = {
                "event_id": int(push["event_id"]),
                "mobile": push["mobile"],
                "event_kind": push["event_kind"],
                "record_kind": push["record_kind"],
                "record_id": push["record_id"],
                "event_state": json.dumps(push.get("event_state") or {}, ensure_ascii=False),
                "language": push.get("language") or "bn",
                "state": "pending",
                "not_before": push.get("not_before") or now,
                "attempts": 0,
                "created_at": now,
            }
            added += max(_insert_ignoring_duplicates(conn, push_deliveries, values).rowcount, 0)
        conn.execute(
            update(push_cursor)
            .where(push_cursor.c.name == feed)
            .where(push_cursor.c.last_id < new_cursor)
            .values(last_id=new_cursor, updated_at=now)
        )
    return added


# --- sending ------------------------------------------------------------------------------
def claim_due(
    now: datetime | None = None, limit: int = 50, lease_seconds: float = 60.0
) -> list[Push]:
    """Take up to `limit` pending pushes whose time has come and that nobody holds."""
    now = now or clock.now()
    epoch = time.time()
    eng = engine()
    claimed: list[Push] = []
    with eng.begin() as conn:
        query = (
            select(push_deliveries.c.id)
            .where(
                and_(
                    push_deliveries.c.state == "pending",
                    push_deliveries.c.not_before <= now,
                    or_(
                        push_deliveries.c.lease_until.is_(None),
                        push_deliveries.c.lease_until < epoch,
                    ),
                )
            )
            .order_by(push_deliveries.c.not_before, push_deliveries.c.id)
            .limit(limit)
        )
        if eng.dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        ids = [r[0] for r in conn.execute(query).all()]
        for row_id in ids:
            taken = conn.execute(
                update(push_deliveries)
                .where(push_deliveries.c.id == row_id)
                .where(push_deliveries.c.state == "pending")
                .where(
                    or_(
                        push_deliveries.c.lease_until.is_(None),
                        push_deliveries.c.lease_until < epoch,
                    )
                )
                .values(lease_until=epoch + lease_seconds, attempts=push_deliveries.c.attempts + 1)
            )
            if taken.rowcount == 1:
                row = (
                    conn.execute(select(push_deliveries).where(push_deliveries.c.id == row_id))
                    .mappings()
                    .first()
                )
                claimed.append(_row(row))
    return claimed


def _set(row_id: int, **values) -> None:
    with engine().begin() as conn:
        conn.execute(update(push_deliveries).where(push_deliveries.c.id == row_id).values(**values))


def mark(row_id: int, state: str, via: str | None = None, detail: str | None = None) -> None:
    """A final state: sent (via text / template), skipped, failed or ambiguous."""
    assert state in FINAL
    _set(
        row_id,
        state=state,
        via=via,
        detail=(detail or "")[:500] or None,
        lease_until=None,
        sent_at=clock.now() if state == "sent" else None,
    )


def hold_until(row_id: int, when: datetime, detail: str = "quiet hours") -> None:
    """Back to the queue, not before `when` (quiet hours)."""
    _set(row_id, not_before=when, lease_until=None, detail=detail)


def release(row_id: int) -> None:
    _set(row_id, lease_until=None)


def rows(mobile: str | None = None) -> list[dict[str, Any]]:
    query = select(push_deliveries).order_by(push_deliveries.c.id)
    if mobile:
        query = query.where(push_deliveries.c.mobile == mobile)
    with engine().connect() as conn:
        return [dict(r) for r in conn.execute(query).mappings().all()]


def pending_count() -> int:
    with engine().connect() as conn:
        return int(
            conn.execute(
                select(func.count())
                .select_from(push_deliveries)
                .where(push_deliveries.c.state == "pending")
            ).scalar_one()
        )
