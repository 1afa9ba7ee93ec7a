"""The states and outcomes the bot store writes in its tables, one enum per column.

Members are strings (sathi/str_enum.py): rows written before the enums, and queries that
compare with the plain values, stay valid.
"""

from __future__ import annotations

from sathi.str_enum import StrEnum


class InboxState(StrEnum):
    """`wa_inbox.state`: new -> processing -> done | failed (processing -> new for a retry)."""

    NEW = "new"
    PROCESSING = "processing"
    DONE = "done"
    FAILED = "failed"


class OutboxState(StrEnum):
    """`wa_outbox.state` (bot_store/outbox.py explains each)."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    AMBIGUOUS = "ambiguous"
    NEEDS_TEMPLATE = "needs_template"


class DeferredState(StrEnum):
    """`deferred_deliveries.state`: a document promised while the portal was down."""

    WAITING = "waiting"
    DELIVERING = "delivering"
    DELIVERED = "delivered"
    FAILED = "failed"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


class AuditOutcome(StrEnum):
    """`audit_log.outcome`: what happened to a document request."""

    DELIVERED = "delivered"
    NOT_YOURS = "not_yours"
    NOT_READY = "not_ready"
    NOT_FOUND = "not_found"
    BAD_DOCUMENT = "bad_document"
    UNAVAILABLE = "unavailable"
    NO_IDENTITY = "no_identity"
    ERROR = "error"
    # The chat is not the record owner's own WhatsApp number: nothing fetched, nothing sent.
    REFUSED_RECIPIENT = "refused_recipient"
    # Written by the WhatsApp channel when it did not send a document it was given (missing,
    # expired, not the recipient's): the audit follows what was actually delivered.
    NOT_DELIVERED = "not_delivered"


class PortalCallOutcome(StrEnum):
    """`portal_calls.outcome` of a `call` row: how a portal call ended."""

    OK = "ok"  # the portal answered (also a typed refusal: not found ...)
    UNAVAILABLE = "unavailable"  # connection error, 5xx, timeout: the portal did not answer
    CIRCUIT_OPEN = "circuit_open"  # failed fast, the portal was not asked
    TIMEOUT = "timeout"  # our deadline passed (retries included)
    ERROR = "error"  # a bug on our side
