"""Retention: delete what Sathi no longer needs (docs/privacy.md, "Retention").

    python -m bot_store.retention [--dry-run]      (make retention)

| data                                   | kept for (days)            | variable                         |
|----------------------------------------|----------------------------|----------------------------------|
| stored documents + download links      | until they expire (7 days) | (documents.DOCUMENT_TTL)         |
| WhatsApp inbox, outbox, statuses, pushes | 30 (finished rows only)  | SATHI_RETENTION_WHATSAPP_DAYS    |
| deferred deliveries (finished)         | 30                         | SATHI_RETENTION_DEFERRED_DAYS    |
| rate-limit counters                    | 1                          | SATHI_RETENTION_RATE_LIMIT_DAYS  |
| feedback                               | 365                        | SATHI_RETENTION_FEEDBACK_DAYS    |
| conversations (tracker store events)   | 90                         | SATHI_RETENTION_CONVERSATION_DAYS|
| audit log (who, what, when, outcome)   | 365                        | SATHI_RETENTION_AUDIT_DAYS       |
| portal call timings (no personal data) | 400                        | SATHI_RETENTION_PORTAL_CALLS_DAYS|

Unfinished work (inbox rows not yet answered, outbox rows not yet sent, open deferred
requests) is never deleted. Prints one line per table: rows deleted (or, with --dry-run,
rows that would be).
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from datetime import datetime, timedelta

from sqlalchemy import and_, delete, func, select, text

from bot_store import deferred, portal_calls, pushes, rate_limits
from bot_store.db import engine
from bot_store.schema import (
    audit_log,
    documents,
    download_links,
    feedback,
    push_deliveries,
    wa_inbox,
    wa_outbox,
    wa_statuses,
)
from sathi import clock
from sathi.settings import check_or_exit, settings

logger = logging.getLogger(__name__)


def days(name: str) -> float:
    """Retention in days by its variable (SATHI_RETENTION_..._DAYS; sathi/settings.py)."""
    return settings().retention_days(name)


def _local_now() -> datetime:
    """The bot store's own timestamps (clock.now(), Asia/Kolkata) come back naive from SQLite."""
    return clock.now().replace(tzinfo=None)


def _apply(conn, table, condition, dry_run: bool) -> int:
    if dry_run:
        return conn.execute(select(func.count()).select_from(table).where(condition)).scalar() or 0
    return conn.execute(delete(table).where(condition)).rowcount or 0


def _conversation_events(cutoff_days: float, dry_run: bool) -> int:
    from bot_store.erasure import _tracker_engine, tracker_store_url

    url = tracker_store_url()
    if not url:
        return 0
    cutoff = time.time() - cutoff_days * 86400
    try:
        eng = _tracker_engine(url)
        with eng.begin() as conn:
            if dry_run:
                return (
                    conn.execute(
                        text("SELECT COUNT(*) FROM events WHERE timestamp < :c"), {"c": cutoff}
                    ).scalar()
                    or 0
                )
            return (
                conn.execute(
                    text("DELETE FROM events WHERE timestamp < :c"), {"c": cutoff}
                ).rowcount
                or 0
            )
    except Exception as exc:  # no tracker store yet (no conversation ever): nothing to do
        logger.info("conversations: tracker store not available (%s)", type(exc).__name__)
        return 0


def apply_retention(dry_run: bool = False) -> dict[str, int]:
    now = _local_now()

    def before(variable: str) -> datetime:
        return now - timedelta(days=days(variable))

    report: dict[str, int] = {}
    with engine().begin() as conn:
        report["documents"] = _apply(conn, documents, documents.c.expires_at < now, dry_run)
        report["download_links"] = _apply(
            conn, download_links, download_links.c.expires_at < now, dry_run
        )
        wa_cut = before("SATHI_RETENTION_WHATSAPP_DAYS")
        report["wa_inbox"] = _apply(
            conn,
            wa_inbox,
            and_(wa_inbox.c.state.in_(("done", "failed")), wa_inbox.c.received_at < wa_cut),
            dry_run,
        )
        report["wa_outbox"] = _apply(
            conn,
            wa_outbox,
            and_(
                wa_outbox.c.state.in_(("sent", "failed", "ambiguous", "needs_template")),
                wa_outbox.c.created_at < wa_cut,
            ),
            dry_run,
        )
        report["wa_statuses"] = _apply(conn, wa_statuses, wa_statuses.c.at < wa_cut, dry_run)
        report["push_deliveries"] = _apply(
            conn,
            push_deliveries,
            and_(push_deliveries.c.state.in_(pushes.FINAL), push_deliveries.c.created_at < wa_cut),
            dry_run,
        )
        report["feedback"] = _apply(
            conn, feedback, feedback.c.at < before("SATHI_RETENTION_FEEDBACK_DAYS"), dry_run
        )
        report["audit_log"] = _apply(
            conn, audit_log, audit_log.c.at < before("SATHI_RETENTION_AUDIT_DAYS"), dry_run
        )
    report["deferred_deliveries"] = deferred.purge(
        timedelta(days=days("SATHI_RETENTION_DEFERRED_DAYS")), dry_run
    )
    report["portal_calls"] = portal_calls.purge(
        timedelta(days=days("SATHI_RETENTION_PORTAL_CALLS_DAYS")), dry_run
    )
    report["rate_limits"] = rate_limits.purge(
        int(days("SATHI_RETENTION_RATE_LIMIT_DAYS") * 86400), dry_run
    )
    report["conversation_events"] = _conversation_events(
        days("SATHI_RETENTION_CONVERSATION_DAYS"), dry_run
    )
    return report


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot_store.retention", description="Delete data past its retention period."
    )
    parser.add_argument("--dry-run", action="store_true", help="count, delete nothing")
    args = parser.parse_args(argv)
    check_or_exit()  # a bad setting stops here with one line naming it
    report = apply_retention(dry_run=args.dry_run)
    verb = "would delete" if args.dry_run else "deleted"
    for table, count in report.items():
        print(f"{table:22s} {verb} {count}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
