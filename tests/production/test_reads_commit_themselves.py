"""Round 14: the bot store's common one-statement calls of a turn (a record asked about
again, "already subscribed?", "privacy notice already shown?", a portal call's timing row)
send that one statement and nothing else on PostgreSQL: it commits itself, without psycopg2's
BEGIN and COMMIT / ROLLBACK round trips. Skipped loudly where PostgreSQL does not answer; on
SQLite the same calls are covered by their own tests."""

from __future__ import annotations

import pytest
from sqlalchemy import event, func, select

from bot_store import db, portal_calls, preferences, rate_limits, subscriptions
from bot_store.schema import portal_calls as portal_calls_table

MOBILE = "919800000042"


@pytest.fixture
def statements(postgres_store, monkeypatch):
    """(autocommit, statement) of everything the bot store's default engine sends."""
    eng, _ = postgres_store
    monkeypatch.setattr(db, "database_url", lambda: eng.url.render_as_string(hide_password=False))
    sent: list[tuple[bool, str]] = []

    @event.listens_for(eng, "before_cursor_execute")
    def _sent(conn, cursor, statement, parameters, context, executemany):
        sent.append((conn.connection.dbapi_connection.autocommit, " ".join(statement.split())))

    yield eng, sent


def _one_statement_committing_itself(sent: list, starts: str) -> None:
    assert len(sent) == 1, sent
    autocommit, statement = sent[0]
    assert autocommit is True and statement.upper().startswith(starts), sent


def test_a_record_asked_about_again_is_one_read(statements):
    eng, sent = statements
    assert rate_limits.note_lookup(MOBILE, "trade_noc", "TN/2024/000123")  # new: counted
    sent.clear()
    assert rate_limits.note_lookup(MOBILE, "trade_noc", "tn/2024/000123 ")  # the same record
    _one_statement_committing_itself(sent, "SELECT")


def test_already_subscribed_and_notice_shown_are_one_read_each(statements):
    eng, sent = statements
    assert preferences.claim_privacy_notice(MOBILE) is True  # first time: written
    sent.clear()
    assert preferences.claim_privacy_notice(MOBILE) is False
    _one_statement_committing_itself(sent, "SELECT")
    sent.clear()
    assert subscriptions.is_subscribed(MOBILE, "trade_noc", "TN/2024/000123") is False
    _one_statement_committing_itself(sent, "SELECT")


def test_a_portal_calls_timing_row_is_one_insert_committed(statements):
    eng, sent = statements
    portal_calls.record("trade_noc.get", 0.012, "ok")
    _one_statement_committing_itself(sent, "INSERT")
    with eng.connect() as other:  # committed: another connection sees it
        assert other.execute(select(func.count()).select_from(portal_calls_table)).scalar() == 1
    with eng.connect() as conn:  # the pool's connections: transactions again
        assert conn.connection.dbapi_connection.autocommit is False
