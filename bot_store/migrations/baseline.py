"""The bot store's schema as it stood when Alembic came (revision 0001), frozen.

Never edit: revision 0001 creates it and `legacy.adopt` brings a pre-Alembic store to it;
a later change goes in a new revision (docs/migrations.md). A copy of bot_store/schema.py at
that time, built anew on each call so nothing is shared with the live metadata.
"""

from sqlalchemy import (
    Column,
    DateTime,
    Float,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)


def baseline_metadata() -> MetaData:
    metadata = MetaData()
    Table(
        "documents",
        metadata,
        Column("id", String(40), primary_key=True),  # random, unguessable
        Column("owner_mobile", String(16), nullable=False),
        Column("service", String(32), nullable=False),  # intent name, e.g. payslip
        Column("record_ref", String(64), nullable=False),  # e.g. WBP-1002345/2026-10
        Column("filename", String(120), nullable=False),
        Column("content", LargeBinary, nullable=False),
        Column("sha256", String(64), nullable=False),
        Column("pages", Integer, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("expires_at", DateTime(timezone=True), nullable=False),
    )

    # One download token per document link (rest / cmdline). Only the token's SHA-256 is stored.
    Table(
        "download_links",
        metadata,
        Column("token_hash", String(64), primary_key=True),
        Column("document_id", String(40), nullable=False, index=True),
        Column("owner_mobile", String(16), nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("expires_at", DateTime(timezone=True), nullable=False),
        Column("downloads", Integer, nullable=False, default=0),
    )

    Table(
        "audit_log",
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("at", DateTime(timezone=True), nullable=False, index=True),
        Column("mobile", String(16), nullable=False, index=True),
        Column("channel", String(24), nullable=False),
        Column("service", String(32), nullable=False),
        Column("record_ref", String(64), nullable=False),
        Column("outcome", String(32), nullable=False),  # delivered / not_yours / not_ready / ...
        Column("detail", Text, nullable=True),
        sqlite_autoincrement=True,
    )

    Table(
        "preferences",
        metadata,
        Column("mobile", String(64), primary_key=True),  # conversation id for non-phone senders
        Column("language", String(2), nullable=True),
        Column("opted_out", Integer, nullable=False, default=0),
        Column("privacy_notice_shown", Integer, nullable=False, default=0),
        Column("updated_at", DateTime(timezone=True), nullable=False),
    )

    # Counters against abuse. `subject` is the number (or conversation id) the counter belongs to,
    # so erasure deletes by exact value, never by a pattern; `scope` groups counters of one kind
    # (e.g. `ids:job_card`) so that distinct lookups are counted without a LIKE.
    Table(
        "rate_limits",
        metadata,
        Column("key", String(160), primary_key=True),  # e.g. msg:919800000001
        Column("subject", String(140), nullable=True, index=True),
        Column("scope", String(40), nullable=True),
        Column("window_start", DateTime(timezone=True), nullable=False),
        Column("count", Integer, nullable=False),
        Index("ix_rate_limits_subject_scope", "subject", "scope", "window_start"),
    )

    # --- WhatsApp channel ---------------------------------------------------------------
    Table(
        "wa_inbox",
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column(
            "wamid", String(128), nullable=False, unique=True
        ),  # the duplicate is the failed insert
        Column("wa_id", String(16), nullable=False),
        Column("received_at", DateTime(timezone=True), nullable=False),
        Column("message_ts", Integer, nullable=True),  # Meta's timestamp (seconds)
        Column("payload", Text, nullable=False),  # the message JSON
        Column(
            "state", String(16), nullable=False, default="new"
        ),  # new / processing / done / failed
        Column("attempts", Integer, nullable=False, default=0),
        Column("finished_at", DateTime(timezone=True), nullable=True),
        # Epoch seconds: a 'processing' row is owned until then (renewed while it runs); a 'new'
        # row waiting for a retry is not taken before then. Added by bot_store.inbox if missing.
        Column("lease_until", Float, nullable=True),
        Column("last_error", Text, nullable=True),
        Index("ix_wa_inbox_pending", "state", "wa_id", "id"),
        sqlite_autoincrement=True,  # ids are never reused, even after erasure deletes the newest
    )

    Table(
        "wa_outbox",
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("wa_id", String(16), nullable=False, index=True),
        Column("inbox_id", Integer, nullable=True),  # the message being answered
        Column("answer_to", String(128), nullable=True),  # its wamid: the answer's key
        Column("seq", Integer, nullable=False, default=0),  # position within that answer
        Column("kind", String(16), nullable=False),  # text / interactive / document / template
        Column("body", Text, nullable=False),  # the Graph request JSON
        # pending / sending / sent / failed / ambiguous / needs_template (see docs/whatsapp.md)
        Column("state", String(16), nullable=False, default="pending"),
        Column("graph_message_id", String(128), nullable=True),
        Column("attempts", Integer, nullable=False, default=0),
        Column("last_error", Text, nullable=True),
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("sent_at", DateTime(timezone=True), nullable=True),
        # Keyed on Meta's message id, which is never reused (row ids of an erased message were).
        UniqueConstraint("answer_to", "seq", name="uq_wa_outbox_answer_to"),
        sqlite_autoincrement=True,
    )

    Table(
        "wa_statuses",
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("graph_message_id", String(128), nullable=False, index=True),
        Column("wa_id", String(16), nullable=True),
        Column("status", String(16), nullable=False),  # sent / delivered / read / failed
        Column("error_code", Integer, nullable=True),
        Column("at", DateTime(timezone=True), nullable=False),
        UniqueConstraint("graph_message_id", "status", name="uq_wa_statuses_message_status"),
        sqlite_autoincrement=True,
    )

    # Documents asked for while the portal was down, delivered when it is back (issue 6).
    Table(
        "deferred_deliveries",
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("mobile", String(16), nullable=False, index=True),
        Column("channel", String(24), nullable=False),
        Column("service", String(32), nullable=False),
        Column("request", Text, nullable=False),  # JSON of the slots needed
        Column("state", String(16), nullable=False, default="waiting"),
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("due_by", DateTime(timezone=True), nullable=False),
        Column("delivered_at", DateTime(timezone=True), nullable=True),
        UniqueConstraint("mobile", "service", "request", name="uq_deferred_request"),
        sqlite_autoincrement=True,
    )

    Table(
        "feedback",
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("mobile", String(16), nullable=False),
        Column("service", String(32), nullable=False),
        Column("language", String(2), nullable=False),
        Column("helpful", Integer, nullable=False),
        Column("comment", Text, nullable=True),
        Column("at", DateTime(timezone=True), nullable=False),
        sqlite_autoincrement=True,
    )

    # Portal call timings and breaker openings for the dashboard (bot_store/portal_calls.py).
    Table(
        "portal_calls",
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("at", DateTime(timezone=True), nullable=False),
        Column("kind", String(16), nullable=False),  # call / breaker_open
        Column("operation", String(48), nullable=False),  # client method, or the breaker's area
        Column("ms", Float, nullable=True),  # duration of a call
        Column("outcome", String(16), nullable=False),
        Index("ix_portal_calls_at", "at"),
    )
    return metadata
