"""The audit log: one row per answer to a request for a personal or official record (a
document delivered, refused as not the requester's, not ready, not found, failed the PDF
check, portal down). Who asked (the mobile in WhatsApp form), on which channel, for which
service and record, and what happened — never document contents, codes or link tokens."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, select

from bot_store.db import engine
from bot_store.schema import audit_log
from bot_store.states import AuditOutcome
from sathi import clock

# What can happen to a request (the `outcome` column): bot_store/states.py AuditOutcome.
DELIVERED = AuditOutcome.DELIVERED
NOT_YOURS = AuditOutcome.NOT_YOURS
NOT_READY = AuditOutcome.NOT_READY
NOT_FOUND = AuditOutcome.NOT_FOUND
BAD_DOCUMENT = AuditOutcome.BAD_DOCUMENT
UNAVAILABLE = AuditOutcome.UNAVAILABLE
NO_IDENTITY = AuditOutcome.NO_IDENTITY
ERROR = AuditOutcome.ERROR
REFUSED_RECIPIENT = AuditOutcome.REFUSED_RECIPIENT
NOT_DELIVERED = AuditOutcome.NOT_DELIVERED
OUTCOMES = tuple(AuditOutcome)
DETAIL_MAX = 500


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    mobile: str
    channel: str
    service: str
    record_ref: str
    outcome: str
    detail: str | None


def record(
    mobile: str,
    channel: str,
    service: str,
    record_ref: str,
    outcome: str,
    detail: str | None = None,
) -> None:
    """Append one row. `mobile` is the verified requester (WhatsApp form) or, when nothing
    verified the sender, a marker such as `unverified`; `detail` is a short English note
    (a record status, an error class), never document text."""
    if outcome not in OUTCOMES:
        raise ValueError(f"unknown audit outcome {outcome!r}")
    with engine().begin() as conn:
        conn.execute(
            insert(audit_log).values(
                at=clock.now(),
                mobile=(mobile or "unknown")[:16],
                channel=(channel or "unknown")[:24],
                service=service[:32],
                record_ref=(record_ref or "")[:64],
                outcome=outcome,
                detail=detail[:DETAIL_MAX] if detail else None,
            )
        )


def entries(
    *,
    mobile: str | None = None,
    service: str | None = None,
    record_ref: str | None = None,
    limit: int = 100,
) -> list[AuditEntry]:
    """Newest first, filtered by any of mobile / service / record_ref (for tests and support)."""
    query = select(audit_log).order_by(audit_log.c.id.desc()).limit(limit)
    if mobile is not None:
        query = query.where(audit_log.c.mobile == mobile)
    if service is not None:
        query = query.where(audit_log.c.service == service)
    if record_ref is not None:
        query = query.where(audit_log.c.record_ref == record_ref)
    with engine().connect() as conn:
        rows = conn.execute(query).mappings().all()
    return [AuditEntry(**{k: row[k] for k in AuditEntry.__dataclass_fields__}) for row in rows]
