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
tests/production/test_fast_statement.py runs it against SQLAlchemy on SQLite and PostgreSQL.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any

from sqlalchemy import exc
from sqlalchemy.engine import Engine
from sqlalchemy.sql.dml import Insert
from sqlalchemy.sql.expression import Executable


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
        connection = eng.raw_connection()
        cursor = None
        try:
            cursor = connection.cursor()
            cursor.execute(sql, params)
            outcome = read(compiled, cursor)
            connection.commit()
            return outcome
        except eng.dialect.dbapi.Error as error:
            dropped = eng.dialect.is_disconnect(error, connection.dbapi_connection, cursor)
            if not dropped:
                try:
                    connection.rollback()
                except eng.dialect.dbapi.Error:
                    dropped = True
            if dropped:
                connection.invalidate(error)
            raise exc.DBAPIError.instance(
                sql,
                params,
                error,
                eng.dialect.dbapi.Error,
                connection_invalidated=dropped,
                dialect=eng.dialect,
            ) from error
        finally:
            if cursor is not None:
                try:
                    cursor.close()
                except Exception:
                    pass
            connection.close()  # back to the pool (an invalidated one is discarded)


def _first_row(_compiled, cursor) -> dict[str, Any] | None:
    row = cursor.fetchone()
    if row is None:
        return None
    return {column[0]: value for column, value in zip(cursor.description, row)}
