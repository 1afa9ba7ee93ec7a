"""Delivery statuses of our outbound WhatsApp messages (sent / delivered / read / failed),
as Meta reports them in the `statuses` of the webhook. One row per (message, status): Meta's
duplicate deliveries of a status are dropped by the unique constraint."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from bot_store.db import engine, statements_commit_themselves
from bot_store.fast_statement import FastStatement
from bot_store.schema import wa_statuses
from sathi import clock

# run for every status webhook (three per message we send): compiled once, on a pooled
# DB-API connection (bot_store/fast_statement.py)
_RECORD = FastStatement(
    insert(wa_statuses), ["graph_message_id", "wa_id", "status", "error_code", "at"]
)


def _columns(
    graph_message_id: str, status: str, wa_id: str | None, error_code: int | None, at: Any
) -> dict[str, Any]:
    """A status row's values, cut to their columns' sizes."""
    return {
        "graph_message_id": graph_message_id[:128],
        "wa_id": (wa_id or None) and wa_id[:16],
        "status": status[:16],
        "error_code": error_code,
        "at": at,
    }


def record(
    graph_message_id: str, status: str, wa_id: str | None = None, error_code: int | None = None
) -> bool:
    """Keep a status; False when this (message, status) was already recorded."""
    try:
        _RECORD.execute(
            engine(), _columns(graph_message_id, status, wa_id, error_code, clock.now())
        )
        return True
    except IntegrityError:
        return False


def record_many(rows: list[dict[str, Any]]) -> None:
    """Keep many statuses in one statement (the delivery statuses of the webhooks that
    arrived together; on PostgreSQL it commits itself); a (message, status) already
    recorded, or twice among `rows`, is kept once. Rows: the arguments of `record` by name."""
    if not rows:
        return
    eng = engine()
    if eng.dialect.name not in ("postgresql", "sqlite"):  # no ON CONFLICT: one at a time
        for row in rows:
            record(**row)
        return
    dialect = postgresql if eng.dialect.name == "postgresql" else sqlite
    at = clock.now()
    # psycopg2 sends up to 1,000 rows as one statement; more would be several, each
    # committed alone (autocommit): a status kept twice is kept once, so a retry of the
    # webhooks of a part that failed only adds what is missing
    with statements_commit_themselves(eng) as conn:
        conn.execute(
            dialect.insert(wa_statuses).on_conflict_do_nothing(),
            [_columns(at=at, **row) for row in rows],
        )
        conn.commit()  # SQLite's transaction (in autocommit there is none: nothing is sent)


def for_message(graph_message_id: str) -> list[dict[str, Any]]:
    with engine().connect() as conn:
        rows = conn.execute(
            select(wa_statuses)
            .where(wa_statuses.c.graph_message_id == graph_message_id)
            .order_by(wa_statuses.c.id)
        )
        return [dict(r) for r in rows.mappings().all()]


def all_statuses() -> list[dict[str, Any]]:
    with engine().connect() as conn:
        return [
            dict(r)
            for r in conn.execute(select(wa_statuses).order_by(wa_statuses.c.id)).mappings().all()
        ]
