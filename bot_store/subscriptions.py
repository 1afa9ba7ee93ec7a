"""Status-push subscriptions: a verified number asked to be told when a record of its own
changes (issue 13; docs/notifications.md). One row per (number, record kind, record id);
the actions only add rows for records the portal lists for the verified requester.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import and_, delete, select, update
from sqlalchemy.exc import IntegrityError

from bot_store.db import engine, statements_commit_themselves
from bot_store.schema import push_subscriptions
from sathi import clock

RECORD_KINDS = ("job_card", "trade_noc", "building_plan", "booking", "employee")


@dataclass(frozen=True)
class Subscription:
    mobile: str
    record_kind: str
    record_id: str
    language: str


def _row(r) -> Subscription:
    return Subscription(r["mobile"], r["record_kind"], r["record_id"], r["language"])


def subscribe(mobile: str, records: Iterable[tuple[str, str]], language: str) -> list[Subscription]:
    """Add (or refresh the language of) a subscription per (record kind, record id); the
    number's subscriptions afterwards."""
    language = "en" if language == "en" else "bn"
    for record_kind, record_id in records:
        if record_kind not in RECORD_KINDS:
            raise ValueError(f"not a record kind: {record_kind}")
        where = and_(
            push_subscriptions.c.mobile == mobile,
            push_subscriptions.c.record_kind == record_kind,
            push_subscriptions.c.record_id == record_id,
        )
        with engine().begin() as conn:
            if conn.execute(
                update(push_subscriptions).where(where).values(language=language)
            ).rowcount:
                continue
        try:
            with engine().begin() as conn:
                conn.execute(
                    push_subscriptions.insert().values(
                        mobile=mobile,
                        record_kind=record_kind,
                        record_id=record_id,
                        language=language,
                        created_at=clock.now(),
                    )
                )
        except IntegrityError:  # the same request twice at once: one row is enough
            pass
    return of(mobile)


def unsubscribe(mobile: str, record: tuple[str, str] | None = None) -> int:
    """Stop one record's pushes, or all of the number's; how many subscriptions ended."""
    query = delete(push_subscriptions).where(push_subscriptions.c.mobile == mobile)
    if record is not None:
        query = query.where(
            and_(
                push_subscriptions.c.record_kind == record[0],
                push_subscriptions.c.record_id == record[1],
            )
        )
    with engine().begin() as conn:
        return conn.execute(query).rowcount


def of(mobile: str) -> list[Subscription]:
    with statements_commit_themselves(engine()) as conn:
        rows = (
            conn.execute(
                select(push_subscriptions)
                .where(push_subscriptions.c.mobile == mobile)
                .order_by(push_subscriptions.c.id)
            )
            .mappings()
            .all()
        )
    return [_row(r) for r in rows]


def for_record(record_kind: str, record_id: str) -> list[Subscription]:
    with statements_commit_themselves(engine()) as conn:
        rows = (
            conn.execute(
                select(push_subscriptions).where(
                    and_(
                        push_subscriptions.c.record_kind == record_kind,
                        push_subscriptions.c.record_id == record_id,
                    )
                )
            )
            .mappings()
            .all()
        )
    return [_row(r) for r in rows]


def is_subscribed(mobile: str, record_kind: str, record_id: str) -> bool:
    with statements_commit_themselves(engine()) as conn:
        return (
            conn.execute(
                select(push_subscriptions.c.id).where(
                    and_(
                        push_subscriptions.c.mobile == mobile,
                        push_subscriptions.c.record_kind == record_kind,
                        push_subscriptions.c.record_id == record_id,
                    )
                )
            ).first()
            is not None
        )
