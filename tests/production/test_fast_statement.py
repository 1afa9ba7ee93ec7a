"""bot_store/fast_statement.py against SQLAlchemy, on SQLite and on PostgreSQL (skipped loudly
where PostgreSQL does not answer): the same rows, the same new ids, the same errors, and a
connection the server dropped is replaced."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlalchemy import bindparam, exc, insert, select, text, update

from bot_store import db
from bot_store.fast_statement import FastStatement, one_round_trip, one_transaction
from bot_store.schema import wa_inbox, wa_statuses
from tests.production.conftest import bot_store_on_postgres

STATUS_KEYS = ["graph_message_id", "wa_id", "status", "error_code", "at"]
INBOX_KEYS = ["wamid", "wa_id", "received_at", "message_ts", "payload", "state", "attempts"]


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path}/fast.db"
        eng = db.engine(url)
        yield eng, None
        eng.dispose()
        db._engines.pop(url, None)
        return
    yield from bot_store_on_postgres()


def _rows(eng, table) -> list[dict]:
    with eng.connect() as conn:
        return [dict(r) for r in conn.execute(select(table).order_by(table.c.id)).mappings()]


def _status(n: int, **over) -> dict:
    values = {
        "graph_message_id": f"wamid.{n}",
        "wa_id": "919800000001",
        "status": "delivered",
        "error_code": None,
        "at": datetime(2026, 12, 1, 6, 30, n, 123456, tzinfo=timezone.utc),
    }
    return {**values, **over}


def test_the_same_rows_and_ids_as_sqlalchemy_writes(store):
    eng, _ = store
    fast = FastStatement(insert(wa_statuses), STATUS_KEYS)
    written = []
    for n, over in enumerate([{}, {"error_code": 131047, "status": "failed"}, {"wa_id": None}]):
        values = _status(n, **over)
        with eng.begin() as conn:
            slow_id = conn.execute(insert(wa_statuses), values).inserted_primary_key[0]
        fast_id = fast.execute(
            eng, {**values, "graph_message_id": values["graph_message_id"] + "f"}
        )
        written.append((slow_id, fast_id))
    rows = _rows(eng, wa_statuses)
    assert [r["id"] for r in rows] == [i for pair in written for i in pair]
    with eng.connect() as conn:  # as stored, before any type reads it back (SQLite: text)
        stored = [
            tuple(r)
            for r in conn.exec_driver_sql("SELECT at, error_code FROM wa_statuses ORDER BY id")
        ]
    assert stored[1::2] == stored[::2]
    for slow, quick in zip(rows[::2], rows[1::2]):
        assert quick["graph_message_id"] == slow["graph_message_id"] + "f"
        del slow["id"], quick["id"], slow["graph_message_id"], quick["graph_message_id"]
        assert (
            quick == slow
        )  # the datetime read back the same way (SQLite: text through a processor)

    inbox = FastStatement(insert(wa_inbox), INBOX_KEYS)
    message = {
        "wamid": "wamid.in.1",
        "wa_id": "919800000001",
        "received_at": datetime(2026, 12, 1, 6, 31, tzinfo=timezone.utc),
        "message_ts": 1764570660,
        "payload": '{"text": {"body": "কাজ চাই"}}',
        "state": "new",
        "attempts": 0,
    }
    new_id = inbox.execute(eng, message)
    with eng.begin() as conn:
        other = conn.execute(insert(wa_inbox), {**message, "wamid": "wamid.in.2"})
        other_id = other.inserted_primary_key[0]
    [first, second] = _rows(eng, wa_inbox)
    assert (first["id"], second["id"]) == (new_id, other_id)
    assert {k: v for k, v in first.items() if k not in ("id", "wamid")} == {
        k: v for k, v in second.items() if k not in ("id", "wamid")
    }


def test_a_duplicate_raises_sqlalchemys_integrity_error_and_the_pool_goes_on(store):
    eng, _ = store
    fast = FastStatement(insert(wa_statuses), STATUS_KEYS)
    fast.execute(eng, _status(1))
    with pytest.raises(exc.IntegrityError):
        fast.execute(eng, _status(1))
    for n in range(2, 12):  # more than the pool holds: no connection was left in a transaction
        fast.execute(eng, _status(n))
    assert len(_rows(eng, wa_statuses)) == 11


def test_an_update_gives_the_rows_it_changed(store):
    eng, _ = store
    fast = FastStatement(insert(wa_statuses), STATUS_KEYS)
    for n in range(3):
        fast.execute(eng, _status(n, status="sent"))
    change = FastStatement(
        update(wa_statuses)
        .where(wa_statuses.c.status == bindparam("old"))
        .values(status=bindparam("new"))
    )
    assert change.execute(eng, {"old": "sent", "new": "read"}) == 3
    assert change.execute(eng, {"old": "sent", "new": "read"}) == 0
    assert {r["status"] for r in _rows(eng, wa_statuses)} == {"read"}


def test_a_connection_the_server_dropped_is_replaced(postgres_store, caplog):
    eng, admin = postgres_store  # a server-side disconnect: PostgreSQL only
    fast = FastStatement(insert(wa_statuses), STATUS_KEYS)
    fast.execute(eng, _status(1))
    with eng.connect() as conn:  # the pooled connection the next call will take
        pid = conn.execute(text("SELECT pg_backend_pid()")).scalar()
    with admin.cursor() as cur:
        cur.execute("SELECT pg_terminate_backend(%s)", (pid,))
    outcomes = []
    for n in range(2, 5):
        try:
            fast.execute(eng, _status(n))
            outcomes.append("ok")
        except exc.DBAPIError as error:
            assert error.connection_invalidated
            outcomes.append("dropped")
    assert outcomes[-1] == "ok" and outcomes.count("dropped") <= 1
    with eng.connect() as conn:
        assert conn.execute(text("SELECT pg_backend_pid()")).scalar() != pid
    # invalidated here, not left for the pool's reset to fail on (which logs an ERROR)
    assert not [r for r in caplog.records if r.name.startswith("sqlalchemy.pool")], caplog.text


def test_rows_returned_are_what_sqlalchemy_returns_and_typed_text_binds_are_processed(store):
    from bot_store import inbox, outbox

    eng, _ = store
    message = {
        "received_at": datetime(2026, 12, 1, 6, 31, tzinfo=timezone.utc),
        "message_ts": 1764570660,
        "payload": '{"text": {"body": "টাকা ঢুকেছে?"}}',
        "state": "new",
        "attempts": 0,
    }
    adder = FastStatement(insert(wa_inbox), INBOX_KEYS)
    for sender in ("919800000001", "919800000002"):
        adder.execute(eng, {**message, "wamid": "wamid." + sender, "wa_id": sender})
    claim = {"now": 1.0e9, "until": 2.0e9, "new": "new", "processing": "processing"}
    fast = inbox._CLAIM.first(eng, {**claim, "wa_id": "919800000001"})
    with eng.begin() as conn:
        slow = conn.execute(inbox._CLAIM.statement, {**claim, "wa_id": "919800000002"})
        slow_row = dict(slow.mappings().first())
    assert fast is not None and fast.keys() == slow_row.keys()
    assert {k: v for k, v in fast.items() if k not in ("id", "wamid", "wa_id")} == {
        k: v for k, v in slow_row.items() if k not in ("id", "wamid", "wa_id")
    }
    assert inbox._CLAIM.first(eng, {**claim, "wa_id": "919800000001"}) is None  # leased now

    opened = {
        "inbox_id": None,
        "seq": 1,
        "kind": "text",
        "body": '{"text": {"body": "হ্যাঁ"}}',
        "sending": "sending",
        "created_at": datetime(2026, 12, 1, 6, 32, 5, 250000, tzinfo=timezone.utc),
    }
    fast_out = outbox._OPEN_FOR_SENDING.first(eng, {**opened, "wa_id": "1", "answer_to": "a"})
    with eng.begin() as conn:
        slow_out = conn.execute(
            outbox._OPEN_FOR_SENDING.statement, {**opened, "wa_id": "2", "answer_to": "b"}
        )
        slow_out_row = dict(slow_out.mappings().first())
    assert fast_out is not None
    assert {k: v for k, v in fast_out.items() if k not in ("id", "wa_id")} == {
        k: v for k, v in slow_out_row.items() if k not in ("id", "wa_id")
    }
    with eng.connect() as conn:  # created_at as stored (SQLite: text through the typed bind)
        stored = [
            r[0] for r in conn.exec_driver_sql("SELECT created_at FROM wa_outbox ORDER BY id")
        ]
    assert stored[0] == stored[1]
    # the same answer position again: nothing inserted, nothing returned
    assert outbox._OPEN_FOR_SENDING.first(eng, {**opened, "wa_id": "1", "answer_to": "a"}) is None


def _ids(eng) -> list[str]:
    return [r["graph_message_id"] for r in _rows(eng, wa_statuses)]


def test_one_transaction_commits_its_statements_together_at_its_end(store):
    eng, _ = store
    fast = FastStatement(insert(wa_statuses), STATUS_KEYS)
    change = FastStatement(
        update(wa_statuses)
        .where(wa_statuses.c.graph_message_id == bindparam("gid"))
        .values(status=bindparam("new"))
    )
    seen_inside = []
    with one_transaction(eng):
        fast.execute(eng, _status(1))
        assert change.execute(eng, {"gid": "wamid.1", "new": "read"}) == 1  # sees its own row
        fast.execute(eng, _status(2))
        seen_inside = _ids(eng)  # another connection: nothing committed yet
        with one_transaction(eng):  # inside: part of the outer block
            fast.execute(eng, _status(3))
        seen_inside_after_nested = _ids(eng)
    assert seen_inside == [] and seen_inside_after_nested == []
    assert _ids(eng) == ["wamid.1", "wamid.2", "wamid.3"]
    assert _rows(eng, wa_statuses)[0]["status"] == "read"
    fast.execute(eng, _status(4))  # outside a block: committed at once, as before
    assert _ids(eng)[-1] == "wamid.4"


@pytest.mark.parametrize("failure", ["database", "python"])
def test_an_error_in_one_transaction_stores_none_of_it_and_the_pool_goes_on(store, failure):
    eng, _ = store
    fast = FastStatement(insert(wa_statuses), STATUS_KEYS)
    fast.execute(eng, _status(1))
    expected = exc.IntegrityError if failure == "database" else RuntimeError
    with pytest.raises(expected):
        with one_transaction(eng):
            fast.execute(eng, _status(2))
            if failure == "database":
                fast.execute(eng, _status(1))  # a duplicate
            else:
                raise RuntimeError("the rider's own code failed")
    assert _ids(eng) == ["wamid.1"]
    for n in range(3, 13):  # more than the pool holds: no connection was left in a transaction
        with one_transaction(eng):
            fast.execute(eng, _status(n))
    assert len(_ids(eng)) == 11


def test_alone_on_postgresql_a_statement_commits_itself_and_the_pool_keeps_transactions(
    postgres_store,
):
    """VACUUM cannot run inside a transaction block: it runs only if the statement is sent
    without psycopg2's BEGIN. The connection goes back to the pool as it came: a SQLAlchemy
    transaction on it still rolls back."""
    eng, _ = postgres_store
    FastStatement(text("VACUUM wa_statuses")).execute(eng, {})
    fast = FastStatement(insert(wa_statuses), STATUS_KEYS)
    fast.execute(eng, _status(1))
    for _ in range(3):  # every pooled connection
        with eng.connect() as conn:
            assert conn.connection.dbapi_connection.autocommit is False
            transaction = conn.begin()
            conn.execute(insert(wa_statuses), _status(2))
            transaction.rollback()
    assert _ids(eng) == ["wamid.1"]
    with pytest.raises(exc.DBAPIError):
        with one_transaction(eng):  # inside a block: a transaction, where VACUUM fails
            FastStatement(text("VACUUM wa_statuses")).execute(eng, {})


class _Sent:
    """What a pooled connection sends: each cursor `execute` (and whether psycopg2 was in
    autocommit then: if not, its BEGIN went first) and each commit."""

    def __init__(self, pooled, log: list[str]) -> None:
        self._pooled, self._log = pooled, log

    def __getattr__(self, name):
        return getattr(self._pooled, name)

    def cursor(self):
        cursor, log, pooled = self._pooled.cursor(), self._log, self._pooled

        class Cursor:
            def __getattr__(self, name):
                return getattr(cursor, name)

            def execute(self, *args):
                autocommit = getattr(pooled.dbapi_connection, "autocommit", False)
                log.append("execute" if autocommit else "execute in a transaction")
                return cursor.execute(*args)

        return Cursor()

    def commit(self):
        self._log.append("commit")
        return self._pooled.commit()


def _change(column: str):
    return FastStatement(
        update(wa_statuses)
        .where(wa_statuses.c.graph_message_id == bindparam("gid"))
        .values({column: bindparam("new")})
    )


def test_one_round_trip_stores_its_writes_together_at_its_end(store):
    eng, _ = store
    fast = FastStatement(insert(wa_statuses), STATUS_KEYS)
    for n in (1, 2):
        fast.execute(eng, _status(n, status="sent"))
    with one_round_trip(eng):
        _change("status").execute(eng, {"gid": "wamid.1", "new": "read"})
        _change("status").execute(eng, {"gid": "wamid.2", "new": "delivered"})
        seen_inside = [r["status"] for r in _rows(eng, wa_statuses)]  # another connection
    assert seen_inside == ["sent", "sent"]
    assert [r["status"] for r in _rows(eng, wa_statuses)] == ["read", "delivered"]


def test_one_round_trip_is_one_query_in_autocommit_on_postgresql(postgres_store, monkeypatch):
    eng, _ = postgres_store
    fast = FastStatement(insert(wa_statuses), STATUS_KEYS)
    for n in (1, 2):
        fast.execute(eng, _status(n, status="sent"))
    sent: list[str] = []
    real = eng.raw_connection
    monkeypatch.setattr(eng, "raw_connection", lambda: _Sent(real(), sent))
    with one_round_trip(eng):
        _change("status").execute(eng, {"gid": "wamid.1", "new": "read"})
        _change("error_code").execute(eng, {"gid": "wamid.2", "new": 131047})
    assert sent == ["execute"]  # no BEGIN, no COMMIT: one round trip
    with one_transaction(eng):  # what it replaces: BEGIN, two statements, COMMIT
        _change("status").execute(eng, {"gid": "wamid.1", "new": "delivered"})
        _change("status").execute(eng, {"gid": "wamid.2", "new": "delivered"})
    assert sent[1:] == ["execute in a transaction", "execute in a transaction", "commit"]
    monkeypatch.undo()
    rows = _rows(eng, wa_statuses)
    assert [(r["status"], r["error_code"]) for r in rows] == [
        ("delivered", None),
        ("delivered", 131047),
    ]
    with eng.connect() as conn:  # the connection went back to the pool as it came
        assert conn.connection.dbapi_connection.autocommit is False


def test_an_error_in_one_round_trip_stores_none_of_it_and_the_pool_goes_on(store):
    eng, _ = store
    fast = FastStatement(insert(wa_statuses), STATUS_KEYS)
    for n in (1, 2):
        fast.execute(eng, _status(n, status="sent"))
    with pytest.raises(exc.IntegrityError):
        with one_round_trip(eng):
            _change("error_code").execute(eng, {"gid": "wamid.1", "new": 131047})
            # the second would make (wamid.1, sent) twice: the unique constraint refuses it
            _change("graph_message_id").execute(eng, {"gid": "wamid.2", "new": "wamid.1"})
    rows = _rows(eng, wa_statuses)
    assert [(r["graph_message_id"], r["error_code"]) for r in rows] == [
        ("wamid.1", None),  # the first statement is not kept either
        ("wamid.2", None),
    ]
    for n in range(3, 13):  # more than the pool holds: every connection came back clean
        with one_round_trip(eng):
            _change("status").execute(eng, {"gid": "wamid.1", "new": f"s{n}"})
    assert _rows(eng, wa_statuses)[0]["status"] == "s12"


def test_one_round_trip_refuses_what_must_be_read_inside_it(postgres_store):
    eng, _ = postgres_store
    fast = FastStatement(insert(wa_statuses), STATUS_KEYS)
    with pytest.raises(TypeError, match="one_transaction"):
        with one_round_trip(eng):
            _change("status").execute(eng, {"gid": "wamid.1", "new": "read"})
            fast.execute(eng, _status(1))  # an INSERT gives its new id: it cannot wait
    assert _rows(eng, wa_statuses) == []  # and what was queued before it was not sent
