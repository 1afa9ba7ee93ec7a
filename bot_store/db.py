"""Engine creation (once per process, lazily); the schema is brought to the newest migration
(bot_store/migrations/) when a process first uses a database."""

from __future__ import annotations

import threading
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import QueuePool

from sathi.settings import settings

_lock = threading.Lock()
_engines: dict[str, Engine] = {}


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
        eng = create_engine(url, future=True, pool_pre_ping=True, pool_size=5, max_overflow=10)
    init_schema(eng)
    return eng


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
