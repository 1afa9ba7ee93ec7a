"""The WhatsApp webhook inbox: every message Meta delivered, once.

`add` is the de-duplication: the table is unique on `wamid`, so the insert that fails is the
duplicate (also when two deliveries of one message race in two requests or two replicas).
A worker takes a sender's oldest unfinished row with `claim_next` (a lease, renewed while it
runs), and marks it `done`, or puts it back for a retry, or `failed` after the last attempt.
Rows left `processing` by a crashed process are taken again once their lease has expired.

States: new -> processing -> done | failed  (processing -> new again for a retry).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, func, insert, or_, select, text, update
from sqlalchemy.exc import IntegrityError

from bot_store.db import engine
from bot_store.fast_statement import FastStatement
from bot_store.schema import wa_inbox
from bot_store.states import InboxState
from sathi import clock

_UNFINISHED = (InboxState.NEW, InboxState.PROCESSING)


@dataclass(frozen=True)
class InboxRow:
    id: int
    wamid: str
    wa_id: str
    message: dict[str, Any]
    state: str
    attempts: int
    message_ts: int | None


def _engine():
    return engine()


def _row(r) -> InboxRow:
    return InboxRow(
        r["id"],
        r["wamid"],
        r["wa_id"],
        json.loads(r["payload"]),
        r["state"],
        r["attempts"],
        r["message_ts"],
    )


# run for every message: built once (building a statement and its cache key on every call
# cost more CPU than running it; docs/performance.md, round 8)
# every inbound message: compiled once, on a pooled DB-API connection (bot_store/fast_statement.py)
_ADD = FastStatement(
    insert(wa_inbox),
    ["wamid", "wa_id", "received_at", "message_ts", "payload", "state", "attempts"],
)
_MARK_DONE = FastStatement(
    update(wa_inbox)
    .where(wa_inbox.c.id == bindparam("row_id"))
    .values(
        state=bindparam("done", type_=wa_inbox.c.state.type),
        finished_at=bindparam("finished", type_=wa_inbox.c.finished_at.type),
        lease_until=None,
    )
)


def add(wamid: str, wa_id: str, message: dict[str, Any], message_ts: int | None) -> int | None:
    """Insert a delivered message; its row id, or None when this wamid is already known."""
    try:
        row_id = _ADD.execute(
            _engine(),
            {
                "wamid": wamid,
                "wa_id": wa_id,
                "received_at": clock.now(),
                "message_ts": message_ts,
                "payload": json.dumps(message, ensure_ascii=False),
                "state": InboxState.NEW,
                "attempts": 0,
            },
        )
        return None if row_id is None else int(row_id)
    except IntegrityError:
        return None


def senders_with_work(now: float | None = None, limit: int = 500) -> list[str]:
    """Senders having a row that could be claimed now (new and due, or an expired lease)."""
    now = time.time() if now is None else now
    with _engine().connect() as conn:
        rows = conn.execute(
            select(wa_inbox.c.wa_id, func.min(wa_inbox.c.id).label("first_id"))
            .where(wa_inbox.c.state.in_(_UNFINISHED))
            .where(or_(wa_inbox.c.lease_until.is_(None), wa_inbox.c.lease_until < now))
            .group_by(wa_inbox.c.wa_id)
            .order_by(text("first_id"))
            .limit(limit)
        ).all()
    return [r[0] for r in rows]


# One statement, one transaction: the sender's oldest unfinished row, taken only when nobody
# holds a live lease on it. Under PostgreSQL's READ COMMITTED a second claimer of the same row
# waits for the first one's row lock, re-checks the WHERE on the committed row (its lease is
# now live) and updates nothing: a row is claimed by exactly one worker. SQLite runs writes
# one at a time. The oldest row is never skipped for a younger one (no SKIP LOCKED on it):
# when it is held elsewhere the sender's order holds and nothing is taken.
_CLAIM = FastStatement(  # every message; on a pooled DB-API connection (fast_statement.py)
    text(
        """
    UPDATE wa_inbox
       SET state = :processing, attempts = attempts + 1, lease_until = :until
     WHERE id = (SELECT id FROM wa_inbox
                  WHERE wa_id = :wa_id AND state IN (:new, :processing)
                  ORDER BY COALESCE(message_ts, 0), id
                  LIMIT 1)
       AND state IN (:new, :processing)
       AND (lease_until IS NULL OR lease_until < :now)
    RETURNING id, wamid, wa_id, payload, state, attempts, message_ts
    """
    )
)


def claim_next(wa_id: str, lease_seconds: float) -> InboxRow | None:
    """Take the sender's oldest unfinished row, when nobody holds a live lease on it.

    Oldest is by Meta's timestamp, then arrival. When the oldest row is being processed
    elsewhere (a live lease) or waits for a retry, nothing is taken: the sender's order holds.
    One `UPDATE ... RETURNING` (a single round trip).
    """
    now = time.time()
    row = _CLAIM.first(
        _engine(),
        {
            "wa_id": wa_id,
            "now": now,
            "until": now + lease_seconds,
            "new": str(InboxState.NEW),
            "processing": str(InboxState.PROCESSING),
        },
    )
    return _row(row) if row is not None else None


def renew(row_id: int, lease_seconds: float) -> None:
    with _engine().begin() as conn:
        conn.execute(
            update(wa_inbox)
            .where(and_(wa_inbox.c.id == row_id, wa_inbox.c.state == InboxState.PROCESSING))
            .values(lease_until=time.time() + lease_seconds)
        )


def mark_done(row_id: int) -> None:
    _MARK_DONE.execute(
        _engine(), {"row_id": row_id, "done": InboxState.DONE, "finished": clock.now()}
    )


def retry_later(row_id: int, delay_seconds: float, error: str) -> None:
    """Back to `new`, not to be taken before `delay_seconds` from now."""
    with _engine().begin() as conn:
        conn.execute(
            update(wa_inbox)
            .where(wa_inbox.c.id == row_id)
            .values(
                state=InboxState.NEW,
                lease_until=time.time() + delay_seconds,
                last_error=error[:2000],
            )
        )


def release(row_id: int) -> None:
    """Give a row back at once (shutdown while it was being processed)."""
    with _engine().begin() as conn:
        conn.execute(
            update(wa_inbox)
            .where(and_(wa_inbox.c.id == row_id, wa_inbox.c.state == InboxState.PROCESSING))
            .values(state=InboxState.NEW, lease_until=None)
        )


def mark_failed(row_id: int, error: str) -> None:
    with _engine().begin() as conn:
        conn.execute(
            update(wa_inbox)
            .where(wa_inbox.c.id == row_id)
            .values(
                state=InboxState.FAILED,
                finished_at=clock.now(),
                lease_until=None,
                last_error=error[:2000],
            )
        )


def get(row_id: int) -> dict[str, Any] | None:
    with _engine().connect() as conn:
        row = conn.execute(select(wa_inbox).where(wa_inbox.c.id == row_id)).mappings().first()
    return dict(row) if row else None


def rows(wa_id: str | None = None) -> list[dict[str, Any]]:
    """Every row (of one sender), oldest first: for tests and operators."""
    query = select(wa_inbox).order_by(wa_inbox.c.id)
    if wa_id:
        query = query.where(wa_inbox.c.wa_id == wa_id)
    with _engine().connect() as conn:
        return [dict(r) for r in conn.execute(query).mappings().all()]


def unfinished_count() -> int:
    with _engine().connect() as conn:
        return int(
            conn.execute(
                select(func.count()).select_from(wa_inbox).where(wa_inbox.c.state.in_(_UNFINISHED))
            ).scalar_one()
        )


def last_inbound_at(wa_id: str) -> datetime | None:
    """When this number last wrote to us (Asia/Kolkata), or None: the start of WhatsApp's
    24-hour customer-service window (a free-form message may follow only inside it)."""
    with _engine().connect() as conn:
        value = conn.execute(
            select(func.max(wa_inbox.c.received_at)).where(wa_inbox.c.wa_id == wa_id)
        ).scalar()
    if value is None:
        return None
    if isinstance(value, str):  # SQLite without type information
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=clock.IST)
