"""Issue 10, unit level: the pieces the end-to-end attacks rest on.

- a mobile proven by one-time code is sealed to its conversation and expires;
- one-time codes: at most 10 wrong a day per number being proven, then locked;
- erasure deletes by exact value: a sender id `%` or `_` erases nobody else's counters;
- ids are never reused after erasure, old bot stores are migrated, and the outbox key is the
  inbound wamid;
- masking: spaced numbers, spaced codes, foreign ids, and what is written to stderr.
"""

from __future__ import annotations

import io
import sys
import warnings

import pytest
from sqlalchemy import create_engine, text

from bot_store import db, erasure, inbox, outbox, rate_limits
from bot_store.schema import rate_limits as rate_limit_table
from sathi import privacy, trust
from sathi.identifiers import whatsapp_indian_mobile

OWNER, OTHER = "919800000001", "919800000002"


@pytest.fixture(autouse=True)
def store(empty_bot_store, monkeypatch):
    monkeypatch.setenv("SATHI_CHANNEL_SECRET", "identity-store-secret")
    return empty_bot_store


# --- identity ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "wa_id,expected",
    [
        ("919800000001", "919800000001"),
        ("916000000000", "916000000000"),
        ("9800000001", None),
        ("6591234567", None),
        ("9607712345", None),
        ("915800000001", None),
        ("9198000000012", None),
        ("91980000000", None),
        ("+919800000001", None),
        ("৯১৯৮০০০০০০০১", None),
        ("", None),
        (None, None),
    ],
)
def test_only_91_and_ten_digits_starting_6_to_9_is_an_indian_wa_id(wa_id, expected):
    assert whatsapp_indian_mobile(wa_id) == expected


def test_a_sealed_mobile_opens_only_in_its_conversation_and_until_it_expires():
    sealed = trust.seal_verified_mobile("kiosk-1", OWNER, now=1000.0)
    assert trust.open_verified_mobile("kiosk-1", sealed, now=1001.0) == OWNER
    assert trust.open_verified_mobile("kiosk-2", sealed, now=1001.0) is None
    assert trust.open_verified_mobile("kiosk-1", sealed, now=1000.0 + 25 * 3600) is None
    assert trust.open_verified_mobile("kiosk-1", OWNER) is None
    forged = sealed.replace(OWNER, OTHER)
    assert trust.open_verified_mobile("kiosk-1", forged, now=1001.0) is None


def test_ten_wrong_codes_lock_the_number_for_the_day():
    assert not rate_limits.codes_locked_today(OWNER)
    locked = [rate_limits.note_wrong_code(OWNER) for _ in range(10)]
    assert locked == [False] * 9 + [True]
    assert rate_limits.codes_locked_today(OWNER)
    assert not rate_limits.codes_locked_today(OTHER)


# --- erasure --------------------------------------------------------------------------------------
def test_erasure_deletes_counters_by_exact_value_only():
    for sender in (OWNER, OTHER, "rest:%", "%", "_"):
        rate_limits.check_message(sender)
    rate_limits.note_lookup(OTHER, "karmashree", "WB-08-012-002-002/270")
    rate_limits.note_wrong_code(OTHER)
    erasure.erase_bot_store(["%", "_"])
    with db.engine().connect() as conn:
        subjects = {r[0] for r in conn.execute(text("SELECT subject FROM rate_limits"))}
    assert {OWNER, OTHER, "rest:%"} <= subjects and not {"%", "_"} & subjects
    erasure.erase_bot_store([OTHER])
    with db.engine().connect() as conn:
        subjects = {r[0] for r in conn.execute(text("SELECT subject FROM rate_limits"))}
    assert OTHER not in subjects and OWNER in subjects


def test_ids_are_never_reused_after_the_newest_rows_are_erased():
    first = inbox.add("wamid.A", OWNER, {"type": "text"}, 1)
    newest = inbox.add("wamid.B", OTHER, {"type": "text"}, 2)
    outbox.get_or_create(
        wa_id=OTHER, inbox_id=newest, seq=0, kind="text", body={"type": "text"}, answer_to="wamid.B"
    )
    erasure.erase_bot_store([OTHER])
    again = inbox.add("wamid.C", OWNER, {"type": "text"}, 3)
    assert again > newest > first
    row = outbox.get_or_create(
        wa_id=OWNER, inbox_id=again, seq=0, kind="text", body={"type": "text"}, answer_to="wamid.C"
    )
    assert row.state == "pending" and row.wa_id == OWNER  # a new row: nothing taken as sent


def test_an_old_bot_store_is_migrated_with_its_rows(tmp_path, monkeypatch):
    path = tmp_path / "old.db"
    old = create_engine(f"sqlite:///{path}", future=True)
    with old.begin() as conn:  # the schema before issue 10: no AUTOINCREMENT, no answer_to
        conn.execute(
            text(
                "CREATE TABLE wa_inbox (id INTEGER PRIMARY KEY, wamid VARCHAR(128) "
                "NOT NULL UNIQUE, wa_id VARCHAR(16) NOT NULL, received_at DATETIME "
                "NOT NULL, message_ts INTEGER, payload TEXT NOT NULL, state VARCHAR(16) "
                "NOT NULL, attempts INTEGER NOT NULL, finished_at DATETIME)"
            )
        )
        conn.execute(
            text(
                "CREATE TABLE wa_outbox (id INTEGER PRIMARY KEY, wa_id VARCHAR(16) NOT "
                "NULL, inbox_id INTEGER, seq INTEGER NOT NULL, kind VARCHAR(16) NOT NULL,"
                " body TEXT NOT NULL, state VARCHAR(16) NOT NULL, graph_message_id "
                "VARCHAR(128), attempts INTEGER NOT NULL, last_error TEXT, created_at "
                "DATETIME NOT NULL, sent_at DATETIME, CONSTRAINT "
                "uq_wa_outbox_answer_position UNIQUE (inbox_id, seq))"
            )
        )
        conn.execute(
            text(
                "CREATE TABLE rate_limits (key VARCHAR(120) PRIMARY KEY, window_start "
                "DATETIME NOT NULL, count INTEGER NOT NULL)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO wa_inbox VALUES (7, 'wamid.OLD', '919800000001', "
                "'2026-11-28 10:00:00', 1, '{}', 'done', 1, NULL)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO wa_outbox VALUES (3, '919800000001', 7, 0, 'text', '{}', "
                "'sent', 'g1', 1, NULL, '2026-11-28 10:00:01', NULL)"
            )
        )
    old.dispose()
    monkeypatch.setenv("SATHI_BOT_STORE_URL", f"sqlite:///{path}")
    db.reset_for_tests()
    eng = db.engine()
    with eng.connect() as conn:
        sql = conn.execute(text("SELECT sql FROM sqlite_master WHERE name='wa_inbox'")).scalar()
        kept = conn.execute(text("SELECT answer_to, state FROM wa_outbox WHERE id = 3")).one()
    assert "AUTOINCREMENT" in sql.upper()
    assert tuple(kept) == ("wamid.OLD", "sent")
    assert inbox.add("wamid.NEW", OWNER, {"type": "text"}, 2) == 8
    assert {"subject", "scope"} <= {c.name for c in rate_limit_table.columns}
    rate_limits.check_message(OWNER)  # the new columns exist in the migrated table


# --- masking --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "raw,secret",
    [
        ("from 98000 00001", "98000 00001"),
        ("+91 98000-00001 wrote", "98000-00001"),
        ("919800000001", "919800000001"),
        ("code 123 456 sent", "123 456"),
        ("code 482913", "482913"),
        ('/inform{"otp_mobile":"9800000001"}', "9800000001"),
        ("wa_id 6591234567", "6591234567"),
        ("wa_id 4477009001234", "4477009001234"),
        ("৯৮০০০ ০০০০১", "৯৮০০০ ০০০০১"),
    ],
)
def test_masking_catches_spaced_numbers_codes_and_foreign_ids(raw, secret):
    assert secret not in privacy.mask_text(raw)


def test_what_is_written_to_stderr_is_masked(monkeypatch):
    captured = io.StringIO()
    monkeypatch.setattr(sys, "stderr", captured)
    privacy._wrap_std_streams()
    # what Python's warning display writes (pytest intercepts real warnings in tests)
    sys.stderr.write(
        warnings.formatwarning(
            'Failed to parse "/inform{"otp_code": "482913", "m": "98000 00001"',
            UserWarning,
            "rasa/shared",
            1,
        )
    )
    print("traceback with 919800000001", file=sys.stderr)
    written = captured.getvalue()
    assert "Failed to parse" in written, "the warning itself must reach stderr"
    assert "482913" not in written and "98000 00001" not in written
    assert "919800000001" not in written and "0001" in written


# --- REST conversations -----------------------------------------------------------------------
@pytest.mark.parametrize(
    "trusted,sender,expected",
    [
        ("", "9800000001", "919800000001"),
        ("", "+91 98000 00001", "919800000001"),
        ("", "+91 98000-00001", "919800000001"),
        ("", "kiosk-1", "kiosk-1"),
        ("whatsapp", "919800000001", "rest:919800000001"),
        ("whatsapp", "9800000001", "rest:9800000001"),
        ("whatsapp", "rest:kiosk", "rest:kiosk"),
    ],
)
def test_a_rest_sender_writes_in_its_own_conversation(monkeypatch, trusted, sender, expected):
    """Trusted (trainers): one conversation per number, however written. Untrusted: a `rest:`
    conversation that can never be a WhatsApp number's (nor erase, opt out or read it)."""
    from channels.rest_guard import conversation_id

    monkeypatch.setenv("SATHI_PROFILE", "trainer")
    monkeypatch.setenv("SATHI_TRUSTED_CHANNELS", trusted)
    assert conversation_id(sender) == expected
