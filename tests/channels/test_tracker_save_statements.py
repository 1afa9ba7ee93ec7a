"""channels/tracker_store.py `_insert_rows`: a turn's events go in as one INSERT; on
PostgreSQL (psycopg2) that statement commits itself, without BEGIN and COMMIT round trips, and
a save larger than psycopg2's page of rows (several statements) keeps its transaction. SQLite
keeps its transaction. PostgreSQL skipped, with the reason, when it does not answer."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from rasa.shared.core.events import SlotSet

from tests.channels import test_tracker_event_cache as cache_tests
from tests.channels.test_tracker_event_cache import make_store, new_session, rows_of, run, user_turn

store_kwargs = cache_tests.store_kwargs  # the fixture: SQLite, and PostgreSQL where it answers


def _watch_inserts(store) -> list[tuple[bool | None, int]]:
    """(autocommit of the DB-API connection or None, rows) of every INSERT handed to the
    driver (psycopg2's execute_values sends each call as one statement)."""
    seen: list[tuple[bool | None, int]] = []

    @sa.event.listens_for(store.engine, "before_cursor_execute")
    def _seen(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("INSERT"):
            rows = len(parameters) if executemany else 1
            seen.append((getattr(conn.connection.dbapi_connection, "autocommit", None), rows))

    return seen


def test_a_turns_events_are_one_insert_that_commits_itself_on_postgresql(store_kwargs):
    store = make_store(store_kwargs)
    new_session(store, "s1")
    before = rows_of(store, "s1")
    seen = _watch_inserts(store)
    user_turn(store, "s1", "one")  # five events
    assert [rows for _, rows in seen] == [5]  # one call for the five rows
    if store_kwargs["dialect"] == "postgresql":
        assert seen[0][0] is True
        with store.engine.connect() as conn:  # the pool's connections: transactions again
            assert conn.connection.dbapi_connection.autocommit is False
    else:
        assert seen[0][0] is not True
    assert rows_of(make_store(store_kwargs, capacity=0), "s1") == before + 5  # committed


def test_a_save_of_more_rows_than_one_statement_keeps_its_transaction(store_kwargs):
    store = make_store(store_kwargs)
    new_session(store, "s2")
    before = rows_of(store, "s2")
    if store_kwargs["dialect"] == "postgresql":
        store.engine.dialect.executemany_values_page_size = 2  # 7 rows: four statements
    seen = _watch_inserts(store)
    tracker = run(store.get_or_create_tracker("s2"))
    tracker.update_with_events([SlotSet("language", f"l{n}") for n in range(7)], None)
    run(store.save(tracker))
    assert sum(rows for _, rows in seen) == 7
    assert all(autocommit is not True for autocommit, _ in seen), seen
    assert rows_of(store, "s2") == before + 7


@pytest.mark.parametrize("store_kwargs", ["postgresql"], indirect=True)
def test_the_index_builds_connection_is_not_pooled_again(store_kwargs):
    """The build's isolation level option, put back by SQLAlchemy as an explicit level, made
    psycopg2 send a SET at every autocommit switch on that connection."""
    store = make_store(store_kwargs)
    store.index_build.join(timeout=60)
    with store.engine.connect() as one, store.engine.connect() as two:
        for conn in (one, two):  # whatever the pool holds: the default level, as opened
            assert conn.connection.dbapi_connection.isolation_level is None
