"""Every table of the bot store, in one place so creation and migration are in one place.

Phone numbers are stored in WhatsApp form (`919800000001`). Document bytes live only in
`documents`; payloads in the tracker carry the document id, never the bytes.
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

metadata = MetaData()

documents = Table(
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
download_links = Table(
    "download_links",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("document_id", String(40), nullable=False, index=True),
    Column("owner_mobile", String(16), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("downloads", Integer, nullable=False, default=0),
)

audit_log = Table(
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

preferences = Table(
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
rate_limits = Table(
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
wa_inbox = Table(
    "wa_inbox",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("wamid", String(128), nullable=False, unique=True),  # the duplicate is the failed insert
    Column("wa_id", String(16), nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("message_ts", Integer, nullable=True),  # Meta's timestamp (seconds)
    Column("payload", Text, nullable=False),  # the message JSON
    Column("state", String(16), nullable=False, default="new"),  # new / processing / done / failed
    Column("attempts", Integer, nullable=False, default=0),
    Column("finished_at", DateTime(timezone=True), nullable=True),
    # Epoch seconds: a 'processing' row is owned until then (renewed while it runs); a 'new'
    # row waiting for a retry is not taken before then.
    Column("lease_until", Float, nullable=True),
    Column("last_error", Text, nullable=True),
    Index("ix_wa_inbox_pending", "state", "wa_id", "id"),
    sqlite_autoincrement=True,  # ids are never reused, even after erasure deletes the newest
)

wa_outbox = Table(
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

wa_statuses = Table(
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
deferred_deliveries = Table(
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

feedback = Table(
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
portal_calls = Table(
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

# --- status pushes (issue 13; docs/notifications.md) ---------------------------------------
# What a verified number asked to be told about: one row per (number, record).
push_subscriptions = Table(
    "push_subscriptions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("mobile", String(16), nullable=False, index=True),
    Column(
        "record_kind", String(16), nullable=False
    ),  # job_card / trade_noc / building_plan / booking / employee
    Column("record_id", String(32), nullable=False),
    Column("language", String(2), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("mobile", "record_kind", "record_id", name="uq_push_subscription"),
    Index("ix_push_subscriptions_record", "record_kind", "record_id"),
    sqlite_autoincrement=True,
)

# Where the worker is in the portal's change feed, and which replica reads it now (a lease).
push_cursor = Table(
    "push_cursor",
    metadata,
    Column("name", String(32), primary_key=True),  # the feed: "portal"
    Column("last_id", Integer, nullable=False, default=0),
    Column("lease_owner", String(64), nullable=True),
    Column("lease_until", Float, nullable=True),  # epoch seconds
    Column("updated_at", DateTime(timezone=True), nullable=True),
)

# One push per (event, number): the unique key is the exactly-once guarantee.
push_deliveries = Table(
    "push_deliveries",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", Integer, nullable=False),
    Column("mobile", String(16), nullable=False, index=True),
    Column("event_kind", String(24), nullable=False),
    Column("record_kind", String(16), nullable=False),
    Column("record_id", String(32), nullable=False),
    Column("event_state", Text, nullable=False),  # JSON of the event's new state
    Column("language", String(2), nullable=False),
    # pending / sent / skipped / failed / ambiguous
    Column("state", String(16), nullable=False, default="pending"),
    Column("not_before", DateTime(timezone=True), nullable=False),  # quiet hours: 08:00
    Column("lease_until", Float, nullable=True),  # epoch seconds, while a worker sends
    Column("attempts", Integer, nullable=False, default=0),
    Column("via", String(16), nullable=True),  # text / template
    Column("detail", Text, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("sent_at", DateTime(timezone=True), nullable=True),
    UniqueConstraint("event_id", "mobile", name="uq_push_event_mobile"),
    Index("ix_push_deliveries_due", "state", "not_before"),
    sqlite_autoincrement=True,
)
