"""bot_store/wa_statuses.py `record_many` on PostgreSQL (skipped loudly where it does not answer):
the statuses of many webhooks in one INSERT ... ON CONFLICT DO NOTHING and one commit; a
(message, status) already kept, or twice in the same call, is kept once; a call that fails
keeps nothing (its webhooks are answered non-200 and delivered again by Meta)."""

from __future__ import annotations

import pytest
from sqlalchemy import exc

from bot_store import db, wa_statuses


@pytest.fixture
def store_on_postgres(postgres_store, monkeypatch):
    eng, _ = postgres_store
    monkeypatch.setattr(db, "engine", lambda url=None: eng)
    monkeypatch.setattr(wa_statuses, "engine", lambda url=None: eng)
    return eng


def _row(message: str, status: str, code: int | None = None) -> dict:
    return {
        "graph_message_id": message,
        "status": status,
        "wa_id": "919800000001",
        "error_code": code,
    }


def test_duplicates_in_the_call_and_in_the_table_are_kept_once(store_on_postgres):
    assert wa_statuses.record("wamid.1", "sent", "919800000001")
    wa_statuses.record_many(
        [
            _row("wamid.1", "sent"),
            _row("wamid.1", "delivered"),
            _row("wamid.1", "delivered"),
            _row("wamid.2", "failed", 131047),
        ]
    )
    kept = [
        (s["graph_message_id"], s["status"], s["error_code"]) for s in wa_statuses.all_statuses()
    ]
    assert kept == [
        ("wamid.1", "sent", None),
        ("wamid.1", "delivered", None),
        ("wamid.2", "failed", 131047),
    ]


def test_a_call_that_fails_keeps_none_of_its_rows(store_on_postgres):
    with pytest.raises(exc.DBAPIError):
        wa_statuses.record_many([_row("wamid.3", "sent"), _row("wamid.4", "sent", 2**40)])
    assert wa_statuses.all_statuses() == []
