"""The WhatsApp outbox: one row per outbound message, so no retry of ours re-sends a message
Graph already accepted (Graph has no idempotency key).

A message answering inbound message `answer_to` (its wamid) at position `seq` is unique on
(answer_to, seq): reprocessing the same inbound message after a crash finds the row and its
state. The key is Meta's message id, not our inbox row id: row ids of erased messages could
come back (before AUTOINCREMENT), wamids never do. Messages sent outside an inbound turn
(answer_to NULL) always get a fresh row.

States:
  pending         not yet tried, or a retryable failure (5xx, rate limit): try (again)
  sending         a request is (or was, before a crash) in flight
  sent            Graph accepted it; graph_message_id is set
  failed          refused (4xx, token error, retries exhausted): never re-sent
  ambiguous       the answer was lost (timeout, crash while `sending`): never re-sent
                  (at-most-once, see docs/whatsapp.md)
  needs_template  131047, outside the 24-hour window: only a template may follow
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import DateTime, and_, bindparam, insert, select, text, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from bot_store.db import engine
from bot_store.fast_statement import FastStatement
from bot_store.schema import wa_outbox
from bot_store.states import OutboxState
from sathi import clock

FINAL_STATES = (
    OutboxState.SENT,
    OutboxState.FAILED,
    OutboxState.AMBIGUOUS,
    OutboxState.NEEDS_TEMPLATE,
)


@dataclass(frozen=True)
class OutboxRow:
    id: int
    wa_id: str
    inbox_id: int | None
    seq: int
    kind: str
    body: dict[str, Any]
    state: str
    graph_message_id: str | None
    attempts: int
    last_error: str | None


def _row(r) -> OutboxRow:
    return OutboxRow(
        r["id"],
        r["wa_id"],
        r["inbox_id"],
        r["seq"],
        r["kind"],
        json.loads(r["body"]),
        r["state"],
        r["graph_message_id"],
        r["attempts"],
        r["last_error"],
    )


def get(row_id: int) -> OutboxRow | None:
    with engine().connect() as conn:
        r = conn.execute(select(wa_outbox).where(wa_outbox.c.id == row_id)).mappings().first()
    return _row(r) if r else None


def _at_position(conn: Connection, answer_to: str | None, seq: int) -> Any:
    """The outbox row of answer position (`answer_to`, `seq`) as a mapping, or None."""
    query = select(wa_outbox).where(
        and_(wa_outbox.c.answer_to == answer_to, wa_outbox.c.seq == seq)
    )
    return conn.execute(query).mappings().first()


def get_or_create(
    *,
    wa_id: str,
    inbox_id: int | None,
    seq: int,
    kind: str,
    body: dict[str, Any],
    answer_to: str | None = None,
) -> OutboxRow:
    """The row for this answer position — the answer to inbound message `answer_to` (its
    wamid, never reused) at `seq`: the existing one (whatever its state), or a new `pending`
    one. Without `answer_to` (a message outside an inbound turn) always a new row."""
    if answer_to is not None:
        with engine().connect() as conn:
            r = _at_position(conn, answer_to, seq)
        if r is not None:
            return _row(r)
    try:
        with engine().begin() as conn:
            result = conn.execute(
                insert(wa_outbox).values(
                    wa_id=wa_id,
                    inbox_id=inbox_id,
                    answer_to=answer_to,
                    seq=seq,
                    kind=kind,
                    body=json.dumps(body, ensure_ascii=False),
                    state=OutboxState.PENDING,
                    attempts=0,
                    created_at=clock.now(),
                )
            )
            row_id = int(result.inserted_primary_key[0])
    except IntegrityError:  # a concurrent worker created it first
        with engine().connect() as conn:
            r = _at_position(conn, answer_to, seq)
        return _row(r)
    return get(row_id)  # type: ignore[return-value]


# every message sent; on a pooled DB-API connection (bot_store/fast_statement.py, round 10)
_OPEN_FOR_SENDING = FastStatement(
    text(
        """
    INSERT INTO wa_outbox (wa_id, inbox_id, answer_to, seq, kind, body, state, attempts,
                           created_at)
    VALUES (:wa_id, :inbox_id, :answer_to, :seq, :kind, :body, :sending, 1, :created_at)
    ON CONFLICT (answer_to, seq) DO NOTHING
    RETURNING id, wa_id, inbox_id, seq, kind, body, state, graph_message_id, attempts,
              last_error
    """
    ).bindparams(bindparam("created_at", type_=DateTime(timezone=True)))
)


def open_for_sending(
    *,
    wa_id: str,
    inbox_id: int | None,
    seq: int,
    kind: str,
    body: dict[str, Any],
    answer_to: str | None = None,
) -> tuple[OutboxRow, bool]:
    """`get_or_create` and `start_sending` in one statement for the usual case, a new answer
    position: (the new row, already `sending` with attempts 1 and committed, True) — the
    caller sends it now. When the position exists (reprocessing after a crash): (that row,
    whatever its state, False) — `deliver` decides. The `sending` state is committed before
    the request goes out, as `start_sending` would."""
    r = _OPEN_FOR_SENDING.first(
        engine(),
        {
            "wa_id": wa_id,
            "inbox_id": inbox_id,
            "answer_to": answer_to,
            "seq": seq,
            "kind": kind,
            "body": json.dumps(body, ensure_ascii=False),
            "sending": str(OutboxState.SENDING),
            "created_at": clock.now(),
        },
    )
    if r is None:  # this answer position exists (committed): a reprocessed message
        with engine().connect() as conn:
            return _row(_at_position(conn, answer_to, seq)), False
    return _row(r), True


def _set(row_id: int, only_from: tuple | None = None, **values) -> bool:
    query = update(wa_outbox).where(wa_outbox.c.id == row_id)
    if only_from:
        query = query.where(wa_outbox.c.state.in_(only_from))
    with engine().begin() as conn:
        return conn.execute(query.values(**values)).rowcount == 1


def start_sending(row_id: int) -> bool:
    """pending -> sending (attempts + 1), committed before the request goes out. False when
    the row is no longer pending (another worker has it)."""
    return _set(
        row_id, (OutboxState.PENDING,), state=OutboxState.SENDING, attempts=wa_outbox.c.attempts + 1
    )


# run for every message sent: built once (docs/performance.md, round 8), on a pooled DB-API
# connection (bot_store/fast_statement.py, round 10)
_MARK_SENT = FastStatement(
    update(wa_outbox)
    .where(wa_outbox.c.id == bindparam("row_id"))
    .values(
        state=bindparam("sent", type_=wa_outbox.c.state.type),
        graph_message_id=bindparam("graph_id", type_=wa_outbox.c.graph_message_id.type),
        sent_at=bindparam("sent_at_value", type_=wa_outbox.c.sent_at.type),
        last_error=None,
    )
)


def mark_sent(row_id: int, graph_message_id: str) -> None:
    _MARK_SENT.execute(
        engine(),
        {
            "row_id": row_id,
            "sent": OutboxState.SENT,
            "graph_id": graph_message_id,
            "sent_at_value": clock.now(),
        },
    )


def mark_retry(row_id: int, error: str) -> None:
    _set(row_id, state=OutboxState.PENDING, last_error=error[:2000])


def mark_failed(row_id: int, error: str) -> None:
    _set(row_id, state=OutboxState.FAILED, last_error=error[:2000])


def mark_ambiguous(row_id: int, error: str) -> None:
    _set(row_id, state=OutboxState.AMBIGUOUS, last_error=error[:2000])


def mark_needs_template(row_id: int, error: str) -> None:
    _set(row_id, state=OutboxState.NEEDS_TEMPLATE, last_error=error[:2000])


def replace_body(row_id: int, kind: str, body: dict[str, Any]) -> None:
    _set(row_id, kind=kind, body=json.dumps(body, ensure_ascii=False))


def rows(wa_id: str | None = None, inbox_id: int | None = None) -> list[OutboxRow]:
    query = select(wa_outbox).order_by(wa_outbox.c.id)
    if wa_id:
        query = query.where(wa_outbox.c.wa_id == wa_id)
    if inbox_id is not None:
        query = query.where(wa_outbox.c.inbox_id == inbox_id)
    with engine().connect() as conn:
        return [_row(r) for r in conn.execute(query).mappings().all()]


def for_answer(answer_to: str) -> list[OutboxRow]:
    """The rows of one answer key (e.g. a push's `push:<event>:<number>`), by position."""
    with engine().connect() as conn:
        return [
            _row(r)
            for r in conn.execute(
                select(wa_outbox)
                .where(wa_outbox.c.answer_to == answer_to)
                .order_by(wa_outbox.c.seq)
            )
            .mappings()
            .all()
        ]
