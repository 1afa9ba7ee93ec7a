"""Erasure of one number's data on request ("delete my data"; DPDP Act 2023, s.12).

What goes (see docs/privacy.md for the retention of everything else):
- the conversation: every row of Rasa's SQL tracker store table `events` for the sender id
  (the tracker store's URL: SATHI_TRACKER_STORE_URL, else `sqlite:///$SATHI_TRACKER_DB` as
  scripts/stack.sh sets it; production: the PostgreSQL URL);
- the bot store rows of the number: documents, download links, preferences, feedback,
  WhatsApp inbox / outbox / delivery statuses, deferred deliveries, rate-limit counters.
Kept: the audit log (who was given which record, for one year: the department must be able to
answer for what it disclosed). Deletion of everyone's data past its retention period is
bot_store/retention.py (`make retention`).

Rasa saves the conversation of the running turn after the erasing action has returned, which
writes this turn's session back. `erase_conversation_later` therefore deletes once more, a
few seconds later, every event stamped before the erasure began.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import create_engine, delete, text

from bot_store import rate_limits as rate_limit_counters
from bot_store.db import engine
from bot_store.schema import (
    deferred_deliveries,
    documents,
    download_links,
    feedback,
    preferences,
    push_deliveries,
    push_subscriptions,
    wa_inbox,
    wa_outbox,
    wa_statuses,
)
from sathi.privacy import mask_phone
from sathi.settings import settings

logger = logging.getLogger(__name__)
SECOND_PASS_DELAYS = (3.0, 15.0)
_tracker_engines: dict[str, object] = {}
_lock = threading.Lock()


@dataclass
class ErasureReport:
    """Rows deleted per table (numbers only: nothing of the data itself)."""

    deleted: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.deleted.values())


def tracker_store_url() -> str | None:
    config = settings()
    url = config.tracker_store_url.get_secret_value()
    if url:
        return url
    path = config.tracker_db
    return f"sqlite:///{path}" if path else None


def _tracker_engine(url: str):
    with _lock:
        if url not in _tracker_engines:
            connect_args = {"timeout": 30} if url.startswith("sqlite") else {}
            _tracker_engines[url] = create_engine(url, future=True, connect_args=connect_args)
        return _tracker_engines[url]


def erase_bot_store(mobiles: Iterable[str]) -> ErasureReport:
    """Delete the bot-store rows of these numbers / conversation ids (audit rows stay)."""
    numbers = sorted({m for m in mobiles if m})
    report = ErasureReport()
    if not numbers:
        return report
    targets = [
        ("documents", documents, documents.c.owner_mobile),
        ("download_links", download_links, download_links.c.owner_mobile),
        ("preferences", preferences, preferences.c.mobile),
        ("feedback", feedback, feedback.c.mobile),
        ("push_subscriptions", push_subscriptions, push_subscriptions.c.mobile),
        ("push_deliveries", push_deliveries, push_deliveries.c.mobile),
        ("wa_inbox", wa_inbox, wa_inbox.c.wa_id),
        ("wa_outbox", wa_outbox, wa_outbox.c.wa_id),
        ("wa_statuses", wa_statuses, wa_statuses.c.wa_id),
        ("deferred_deliveries", deferred_deliveries, deferred_deliveries.c.mobile),
    ]
    with engine().begin() as conn:
        for name, table, column in targets:
            report.deleted[name] = conn.execute(delete(table).where(column.in_(numbers))).rowcount
        # counters by their exact owner, never by a pattern built from the number
        report.deleted["rate_limits"] = rate_limit_counters.erase_subjects(conn, numbers)
    return report


def erase_conversation(sender_id: str, before: float | None = None, url: str | None = None) -> int:
    """Delete the tracker-store events of `sender_id` (all of them, or only those stamped
    before `before`, a Unix time). Returns the number of rows deleted; 0 when no SQL
    tracker store is configured (the in-memory store forgets on restart anyway)."""
    url = url or tracker_store_url()
    if not url:
        logger.warning("no tracker store URL (SATHI_TRACKER_STORE_URL): conversation not erased")
        return 0
    sql = "DELETE FROM events WHERE sender_id = :sender"
    params: dict = {"sender": sender_id}
    if before is not None:
        sql += " AND timestamp <= :before"
        params["before"] = before
    with _tracker_engine(url).begin() as conn:
        return conn.execute(text(sql), params).rowcount


def erase_conversation_later(
    sender_id: str, before: float, delays: Iterable[float] | None = None
) -> None:
    """Delete again after the running turn has been saved (see the module docstring)."""
    url = tracker_store_url()
    if not url:
        return

    def second_pass(delay: float) -> None:
        time.sleep(delay)
        try:
            rows = erase_conversation(sender_id, before=before, url=url)
            logger.info("erasure second pass for %s: %d events", mask_phone(sender_id), rows)
        except Exception:  # pragma: no cover - logged, the first pass already ran
            logger.exception("erasure second pass failed for %s", mask_phone(sender_id))

    for delay in SECOND_PASS_DELAYS if delays is None else delays:
        threading.Thread(
            target=second_pass, args=(delay,), daemon=True, name="sathi-erasure"
        ).start()


def erase_number(sender_id: str | None, mobiles: Iterable[str] = ()) -> ErasureReport:
    """Everything of one person: the conversation `sender_id` (None: no conversation of
    theirs to erase) and the bot-store rows of it and of each verified number in `mobiles`.
    Every deletion is by exact value."""
    started = time.time()
    report = erase_bot_store([n for n in (sender_id, *mobiles) if n])
    if sender_id:
        report.deleted["tracker_events"] = erase_conversation(sender_id)
        erase_conversation_later(sender_id, before=started)
    logger.info(
        "erased data of %s: %d rows", mask_phone(sender_id or next(iter(mobiles), "")), report.total
    )
    return report
