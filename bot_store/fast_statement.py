"""A statement run for every WhatsApp message or delivery status, compiled once per engine and
run on a pooled DB-API connection instead of through a SQLAlchemy `Connection`.

`with engine.begin() as conn: conn.execute(statement, values)` costs 0.7-0.8 ms of CPU for a
one-row INSERT into PostgreSQL on these machines; the same statement on a pooled DB-API
connection costs 0.4 ms: the rest is the `Connection` object, its transaction object, the
statement cache lookup and the result wrapper (docs/performance.md, round 10). What stays the
same as SQLAlchemy:
- the SQL text: the dialect's own compilation of the statement (with RETURNING where the
  dialect uses it for the new primary key, as SQLAlchemy does);
- the values: `construct_params` and the statement's bind processors (SQLite stores a
  DateTime as text through one, for instance);
- the pool: the connection comes from the engine's pool, with its checkout events (the idle
  ping of bot_store/db.py) and its reset on return;
- errors: a DB-API error is raised as SQLAlchemy raises it (`exc.DBAPIError.instance`, so an
  `IntegrityError` is `sqlalchemy.exc.IntegrityError`), and a connection the server dropped
  is invalidated, so the pool replaces it.

`one_transaction(engine)`: the FastStatements a thread runs inside the block share one pooled
connection and one commit, at the block's end (round 13). Outside such a block a statement on
PostgreSQL runs in autocommit: it commits itself, without psycopg2's BEGIN and COMMIT round
trips (round 13).

`one_round_trip(engine)`: writes whose outcome nothing reads wait for the block's end and go
as one query string, one implicit transaction, one round trip (round 15).

tests/production/test_fast_statement.py runs it against SQLAlchemy on SQLite and PostgreSQL.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

from sqlalchemy import exc
from sqlalchemy.engine import Engine
from sqlalchemy.sql.dml import Insert
from sqlalchemy.sql.expression import Executable

from bot_store.db import commits_itself


class FastStatement:
    def __init__(self, statement: Executable, column_keys: list[str] | None = None) -> None:
        self.statement = statement
        self.column_keys = column_keys
        self._compiled: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def _for(self, eng: Engine):
        compiled = self._compiled.get(eng)
        if compiled is None:
            compiled = self.statement.compile(dialect=eng.dialect, column_keys=self.column_keys)
            self._compiled[eng] = compiled
        return compiled

    def _parameters(self, compiled, values: dict[str, Any]) -> Any:
        params = compiled.construct_params(values)
        processors = compiled._bind_processors  # what SQLAlchemy's execution context applies
        for key, process in processors.items():
            if key in params:
                params[key] = process(params[key])
        if compiled.positional:
            return [params[key] for key in compiled.positiontup]
        return params

    def execute(self, eng: Engine, values: dict[str, Any]) -> int | None:
        """Run and commit; an INSERT gives the new row's primary key, any other statement the
        number of rows it changed."""
        return self._run(eng, values, self._outcome)

    def first(self, eng: Engine, values: dict[str, Any]) -> dict[str, Any] | None:
        """Run and commit a statement that returns rows (`... RETURNING`, a `text()` with
        untyped columns); its first row as a dict, or None."""
        return self._run(eng, values, _first_row)

    def _outcome(self, compiled, cursor) -> int | None:
        if isinstance(self.statement, Insert):
            if compiled.returning:
                row = cursor.fetchone()
                return None if row is None else int(row[0])
            return cursor.lastrowid
        return cursor.rowcount

    def _run(self, eng: Engine, values: dict[str, Any], read: Callable[..., Any]) -> Any:
        compiled = self._for(eng)
        sql = str(compiled)
        params = self._parameters(compiled, values)
        queue = _queued().get(eng)  # inside `one_round_trip`: sent at the block's end
        if queue is not None:
            if read != self._outcome or isinstance(self.statement, Insert):
                raise TypeError(
                    "one_round_trip: a statement whose outcome is read cannot wait for the "
                    "block's end (use one_transaction)"
                )
            queue.append((sql, params))
            return None
        shared = _held().get(eng)  # inside `one_transaction`: its connection, its commit
        connection = shared if shared is not None else eng.raw_connection()
        try:
            with ExitStack() as alone:
                # alone on PostgreSQL the statement commits itself (db.commits_itself)
                committed = shared is None and alone.enter_context(
                    commits_itself(connection, eng.dialect)
                )
                cursor = None
                try:
                    cursor = connection.cursor()
                    cursor.execute(sql, params)
                    outcome = read(compiled, cursor)
                    if shared is None and not committed:
                        connection.commit()
                    return outcome
                except eng.dialect.dbapi.Error as error:
                    dropped = False
                    if shared is None:  # else the block rolls back (or drops) its connection
                        dropped = _roll_back(eng, connection, cursor, error)
                    raise _wrapped(eng, sql, params, error, dropped) from error
                finally:
                    if cursor is not None:
                        try:
                            cursor.close()
                        except Exception:
                            pass
        finally:
            if shared is None:
                connection.close()  # back to the pool (an invalidated one is discarded)


_transactions = threading.local()


def _of_this_thread(name: str) -> dict[Engine, Any]:
    """A dict of this thread's, by engine: its open blocks of one kind."""
    blocks = getattr(_transactions, name, None)
    if blocks is None:
        blocks = {}
        setattr(_transactions, name, blocks)
    return blocks


def _held() -> dict[Engine, Any]:
    """This thread's open `one_transaction` connections, by engine."""
    return _of_this_thread("connections")


@contextmanager
def one_transaction(eng: Engine) -> Iterator[None]:
    """The FastStatements this thread runs on `eng` inside the block share one pooled
    connection and are committed together, once, when the block ends: one transaction
    instead of one each (a WhatsApp message's `sent` and what rides with it, its turn's
    `done` or the next message's outbox row; docs/performance.md, round 13). An error in the
    block rolls all of them back and is raised. Statements through a SQLAlchemy connection,
    or on another engine, are not part of it; a block inside a block is part of the outer one."""
    held = _held()
    if eng in held:
        yield
        return
    connection = eng.raw_connection()
    held[eng] = connection
    try:
        yield
        try:
            connection.commit()
        except eng.dialect.dbapi.Error as error:
            raise _wrapped(eng, "COMMIT", None, error, False) from error
    except BaseException as error:
        original = error.orig if isinstance(error, exc.DBAPIError) else error
        _roll_back(eng, connection, None, original)
        raise
    finally:
        del held[eng]
        connection.close()


def _queued() -> dict[Engine, list[tuple[str, Any]]]:
    """This thread's open `one_round_trip` queues, by engine."""
    return _of_this_thread("queued")


@contextmanager
def one_round_trip(eng: Engine) -> Iterator[None]:
    """The FastStatement writes this thread runs on `eng` inside the block wait for its end
    and go to PostgreSQL as one query string, in autocommit: PostgreSQL runs the statements
    of one simple query as one implicit transaction, all or none, so the block costs one
    round trip instead of BEGIN, one per statement and COMMIT (a WhatsApp turn's last
    `sent` and its inbound message's `done`; docs/performance.md, round 15). Each statement's
    SQL is rendered with its values by psycopg2 itself (`cursor.mogrify`), as psycopg2
    renders every statement it sends. Only for writes whose outcome nothing reads inside the
    block: `execute` gives None there, and an INSERT or `first` raises TypeError. Anywhere
    else than psycopg2 (SQLite), or inside `one_transaction`, it is `one_transaction`."""
    if eng.dialect.driver != "psycopg2" or eng in _held() or eng in _queued():
        with one_transaction(eng):
            yield
        return
    queue: list[tuple[str, Any]] = []
    _queued()[eng] = queue
    try:
        yield
    finally:
        del _queued()[eng]
    if queue:
        _send_as_one_query(eng, queue)


def _send_as_one_query(eng: Engine, queue: list[tuple[str, Any]]) -> None:
    connection = eng.raw_connection()
    try:
        with commits_itself(connection, eng.dialect):
            cursor = connection.cursor()
            try:
                cursor.execute(b";\n".join(cursor.mogrify(sql, params) for sql, params in queue))
            except eng.dialect.dbapi.Error as error:
                dropped = _roll_back(eng, connection, cursor, error)
                statements = ";\n".join(sql for sql, _ in queue)  # without their values
                raise _wrapped(eng, statements, None, error, dropped) from error
            finally:
                cursor.close()
    finally:
        connection.close()


def _roll_back(eng: Engine, connection, cursor, error: BaseException) -> bool:
    """Roll back after `error`; a connection the server dropped (or that cannot roll back) is
    invalidated, so the pool replaces it. Whether it was dropped."""
    dropped = isinstance(error, eng.dialect.dbapi.Error) and eng.dialect.is_disconnect(
        error, connection.dbapi_connection, cursor
    )
    if not dropped:
        try:
            connection.rollback()
        except eng.dialect.dbapi.Error:
            dropped = True
    if dropped:
        connection.invalidate(error)
    return dropped


def _wrapped(eng: Engine, sql: str, params: Any, error: BaseException, dropped: bool):
    """A DB-API error as SQLAlchemy raises it (an `IntegrityError` is
    `sqlalchemy.exc.IntegrityError`)."""
    return exc.DBAPIError.instance(
        sql,
        params,
        error,
        eng.dialect.dbapi.Error,
        connection_invalidated=dropped,
        dialect=eng.dialect,
    )


def _first_row(_compiled, cursor) -> dict[str, Any] | None:
    row = cursor.fetchone()
    if row is None:
        return None
    return {column[0]: value for column, value in zip(cursor.description, row)}
