"""bot_store/db.py `statements_commit_themselves`: on PostgreSQL a connection whose statements
commit themselves for a block (no BEGIN or COMMIT round trips), given back to the pool as it
came; on SQLite nothing changes."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlalchemy import exc, insert, select, text

from bot_store import db
from bot_store.schema import wa_statuses
from tests.production.conftest import bot_store_on_postgres


@pytest.fixture
def postgres():
    yield from bot_store_on_postgres()


def _row(n: int) -> dict:
    at = datetime(2026, 12, 1, 6, 30, tzinfo=timezone.utc)
    return {"graph_message_id": f"wamid.{n}", "wa_id": "919800000001", "status": "sent", "at": at}


def _count(eng) -> int:
    with eng.connect() as conn:
        return len(conn.execute(select(wa_statuses.c.id)).all())


def test_on_postgresql_each_statement_commits_itself_and_the_pool_keeps_transactions(postgres):
    eng, _ = postgres
    with db.statements_commit_themselves(eng) as conn:
        conn.execute(text("VACUUM wa_statuses"))  # cannot run inside a transaction block
        conn.execute(insert(wa_statuses), _row(1))
        assert _count(eng) == 1  # another connection sees it: committed, no commit() called
        with pytest.raises(exc.IntegrityError):  # a failed statement leaves nothing open
            conn.execute(insert(wa_statuses), _row(1))
        conn.execute(insert(wa_statuses), _row(2))
    assert _count(eng) == 2
    for _ in range(3):  # every pooled connection: transactions as before
        with eng.connect() as conn:
            assert conn.connection.dbapi_connection.autocommit is False
            conn.execute(insert(wa_statuses), _row(3))
            conn.rollback()
    assert _count(eng) == 2


def test_on_sqlite_the_connection_is_unchanged(tmp_path):
    url = f"sqlite:///{tmp_path}/plain.db"
    eng = db.engine(url)
    try:
        with db.statements_commit_themselves(eng) as conn:
            assert conn.engine is eng  # an ordinary connection of the engine
            conn.execute(insert(wa_statuses), _row(1))
            conn.rollback()  # a transaction, as SQLite's connections have
        assert _count(eng) == 0
    finally:
        eng.dispose()
        db._engines.pop(url, None)
