"""Engine and sessions (SQLAlchemy 1.4 used in 2.0 style: `future=True`, `select()`)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from portal_backend import config
from portal_backend.models import Base

_lock = threading.Lock()
_engines: dict[str, object] = {}
# Writes that must be check-then-insert atomic (demands, OTP, numbering) take this lock;
# the reference backend is a single process.
write_lock = threading.RLock()


def engine_for(url: str | None = None):
    url = url or config.database_url()
    with _lock:
        engine = _engines.get(url)
        if engine is None:
            kwargs: dict[str, Any] = {"future": True}
            if url.startswith("sqlite"):
                kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
                # A pool of open connections, as bot_store/db.py has: SQLAlchemy 1.4 gives
                # file SQLite a NullPool, a new connection and its PRAGMAs for every request
                # (docs/performance.md, round 15).
                kwargs.update(poolclass=QueuePool, pool_size=8, max_overflow=8, pool_timeout=30)
            engine = create_engine(url, **kwargs)
            if url.startswith("sqlite"):

                @event.listens_for(engine, "connect")
                def _pragmas(dbapi_connection, _record):
                    cursor = dbapi_connection.cursor()
                    cursor.execute("PRAGMA foreign_keys=ON")
                    cursor.execute("PRAGMA journal_mode=WAL")
                    cursor.close()

            _engines[url] = engine
        return engine


def create_schema(engine) -> None:
    """Bring the schema to the newest migration (portal_backend/migrations/; Alembic)."""
    from portal_backend import migrations

    migrations.upgrade(engine)


def drop_schema(engine) -> None:
    """Every table, the migrations' version table too (init-demo --force starts over)."""
    from portal_backend.migrations import MIGRATIONS

    Base.metadata.drop_all(engine)
    with engine.begin() as conn:
        conn.execute(text(f"DROP TABLE IF EXISTS {MIGRATIONS.version_table}"))


@contextmanager
def session_scope(engine: Engine | None = None) -> Iterator[Session]:
    """A session that commits on success and rolls back on error."""
    factory = sessionmaker(bind=engine or engine_for(), future=True, expire_on_commit=False)
    session: Session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
