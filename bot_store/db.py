"""Engine creation (once per process, lazily); the schema is brought to the newest migration
(bot_store/migrations/) when a process first uses a database."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, exc
from sqlalchemy.engine import Connection, Dialect, Engine
from sqlalchemy.pool import QueuePool

from sathi.settings import settings

_lock = threading.Lock()
_engines: dict[str, Engine] = {}
# a pooled server connection unused for this long is pinged before it is handed out
IDLE_PING_SECONDS = 10.0


def default_url() -> str:
    return f"sqlite:///{settings().var_dir / 'data' / 'bot_store.db'}"


def database_url() -> str:
    return settings().bot_store_url.get_secret_value() or default_url()


def engine(url: str | None = None) -> Engine:
    """The process-wide engine for `url` (default: SATHI_BOT_STORE_URL), schema at head."""
    url = url or database_url()
    with _lock:
        if url not in _engines:
            _engines[url] = _create(url)
        return _engines[url]


def _create(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        # A pool of open connections (SQLAlchemy 1.4 gives file SQLite a NullPool: a new
        # connection and three PRAGMAs for every query; docs/performance.md).
        eng = create_engine(
            url,
            future=True,
            poolclass=QueuePool,
            pool_size=8,
            max_overflow=8,
            pool_timeout=30,
            connect_args={"timeout": 30, "check_same_thread": False},
        )

        @event.listens_for(eng, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):  # pragma: no cover - trivial
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()
    else:
        # Connections stay open: past pool_size the pool opens a connection for a burst and
        # closes it afterwards, a server process forked and ended each time (with 5, about one
        # for every other WhatsApp turn: 15% of the machine's CPU; docs/performance.md, round 12).
        eng = create_engine(
            url, future=True, pool_size=settings().bot_store_pool_size, max_overflow=4
        )
        ping_idle_connections(eng)
    init_schema(eng)
    return eng


@contextmanager
def commits_itself(pooled: Any, dialect: Dialect) -> Iterator[bool]:
    """The idle pooled DB-API connection `pooled` (the pool's wrapper) in autocommit for the
    block, on psycopg2: each statement commits itself, without the BEGIN and COMMIT that
    psycopg2 sends as round trips of their own (round 13). psycopg2's own flag, which sends
    nothing, put back before the connection returns to the pool (SQLAlchemy's isolation level
    option would cost a SET at every return). Whether it applies; elsewhere nothing changes.
    For reads, whose statements each see the latest commits anyway (READ COMMITTED), and for
    writes made of one statement, or whose parts may be kept apart."""
    if dialect.driver != "psycopg2":
        yield False
        return
    pooled.dbapi_connection.autocommit = True
    try:
        yield True
    finally:
        if pooled.dbapi_connection is not None:  # not invalidated
            pooled.dbapi_connection.autocommit = False  # the pool's others expect it


@contextmanager
def statements_commit_themselves(eng: Engine) -> Iterator[Connection]:
    """A pooled SQLAlchemy connection of `eng`, in `commits_itself` for the block."""
    with eng.connect() as connection, commits_itself(connection.connection, connection.dialect):
        yield connection


def rows_in_one_statement(dialect: Dialect) -> int:
    """How many rows of an executemany INSERT psycopg2 sends as one statement (SQLAlchemy's
    "values" mode, 1,000 by default): up to that many, the INSERT is atomic even when it
    commits itself. 0 where that is not known to be so."""
    from sqlalchemy.dialects.postgresql import psycopg2

    if dialect.driver != "psycopg2" or not (dialect.executemany_mode & psycopg2.EXECUTEMANY_VALUES):
        return 0
    return dialect.executemany_values_page_size


def ping_idle_connections(eng: Engine, idle_seconds: float = IDLE_PING_SECONDS) -> None:
    """SQLAlchemy's `pool_pre_ping`, for the connections that need it. A server restart or a
    fail-over closes the pool's connections while they sit idle; a connection checked in a
    moment ago (under load, every one) is handed out without the extra round trip, which
    `pool_pre_ping` made on every checkout (docs/performance.md, round 8). A ping that fails
    makes the pool drop that connection and hand out a fresh one, as `pool_pre_ping` does."""

    @event.listens_for(eng, "checkin")
    def _idle_from(_dbapi_connection, record) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(eng, "checkout")
    def _ping_if_idle(dbapi_connection, record, _proxy) -> None:
        idle_since = record.info.get("idle_since")
        if idle_since is not None and time.monotonic() - idle_since < idle_seconds:
            return
        try:
            alive = eng.dialect.do_ping(dbapi_connection)
        except Exception as error:
            raise exc.DisconnectionError("pooled connection failed its ping") from error
        if not alive:
            raise exc.DisconnectionError("pooled connection failed its ping")


def init_schema(eng: Engine) -> None:
    """Bring the store to the newest migration (Alembic `upgrade head`; a pre-Alembic store is
    adopted first). Idempotent; two processes starting at once take turns (sathi/migrate.py)."""
    from bot_store import migrations

    migrations.upgrade(eng)


def reset_for_tests() -> None:
    with _lock:
        for eng in _engines.values():
            eng.dispose()
        _engines.clear()
