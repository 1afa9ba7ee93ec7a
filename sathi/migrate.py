"""Alembic, run by the code: bring a database to the newest revision of its migrations.

Two schemas use it: the bot store (bot_store/migrations/) and the reference portal
(portal_backend/migrations/). Each keeps its revision in its own version table, so both may
live in one PostgreSQL database. `upgrade_to_head` is what starts use (bot_store.db.engine,
`python -m portal_backend init-demo`, scripts/stack.sh `up`):

1. it takes a lock (PostgreSQL advisory lock; SQLite: a lock file beside the database), so
   two processes starting at once do not both migrate;
2. a database created before Alembic (tables, no version table) is first `adopt`ed: brought
   in place to the baseline revision, then stamped with it;
3. `alembic upgrade head`.

A database already at head costs one SELECT (the head is read from the scripts once per
process). Adding a column: docs/migrations.md.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData, create_engine, inspect
from sqlalchemy.engine import Connection, Engine

logger = logging.getLogger(__name__)
REPO_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Migrations:
    """One schema's migrations: where the scripts are, its version table, its baseline."""

    name: str  # the alembic.ini section (`alembic -n NAME ...`)
    script_location: Path
    version_table: str
    baseline: str  # the first revision: today's schema when Alembic came
    known_tables: frozenset  # any of them present: the database is not empty
    adopt: Callable[[Connection], list] | None = None  # pre-Alembic store -> baseline

    def config(self, connection: Connection | None = None) -> Config:
        cfg = Config(str(REPO_ROOT / "alembic.ini"), ini_section=self.name)
        cfg.set_main_option("script_location", str(self.script_location))
        if connection is not None:
            cfg.attributes["connection"] = connection
        return cfg

    def head(self) -> str | None:
        with _lock:
            if self.name not in _heads:
                _heads[self.name] = ScriptDirectory.from_config(self.config()).get_current_head()
            return _heads[self.name]


_lock = threading.Lock()
_heads: dict[str, str | None] = {}


def include_name(name: str | None, type_: str, parent_names: Any) -> bool:
    """Autogenerate leaves SQLite's own tables (sqlite_sequence) alone."""
    return not (type_ == "table" and (name or "").startswith("sqlite_"))


def run_alembic_env(
    metadata: MetaData, version_table: str, database_url: Callable[[], str]
) -> None:
    """The body of each schema's Alembic env.py: migrate `metadata`'s database.

    Run by the code, Alembic is handed the connection (`Migrations.config`); from the command
    line (`alembic -n NAME ...`) it opens its own to `database_url()` and commits at the end.
    """
    from alembic import context

    def run(connection: Connection) -> None:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            version_table=version_table,
            compare_type=True,
            include_name=include_name,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()

    connection = context.config.attributes.get("connection")
    if connection is not None:
        run(connection)
        return
    engine = create_engine(database_url(), future=True)
    with engine.connect() as own:
        run(own)
        own.commit()


def current_revision(conn: Connection, migrations: Migrations) -> str | None:
    context = MigrationContext.configure(conn, opts={"version_table": migrations.version_table})
    return context.get_current_revision()


def upgrade_to_head(engine: Engine, migrations: Migrations) -> list:
    """Bring `engine`'s database to head; what was done (empty when it was current)."""
    head = migrations.head()
    with engine.connect() as conn:
        if _at(conn, migrations) == head:
            return []
        done = []
        with _exclusive(conn, engine, migrations.name):
            current = current_revision(conn, migrations)
            if current == head:  # another process migrated while we waited
                return []
            if current is None and migrations.known_tables & set(inspect(conn).get_table_names()):
                steps = migrations.adopt(conn) if migrations.adopt else []
                conn.commit()
                command.stamp(migrations.config(conn), migrations.baseline)
                conn.commit()
                done += steps + [f"pre-Alembic database adopted as {migrations.baseline}"]
                current = migrations.baseline
            if current != head:
                command.upgrade(migrations.config(conn), "head")
                conn.commit()
                done.append(f"upgraded from {current or 'nothing'} to {head}")
        for line in done:
            logger.info("%s schema: %s", migrations.name, line)
        return done


def _at(conn: Connection, migrations: Migrations) -> str | None:
    """The revision, read quietly (the fast path of every process start)."""
    from sqlalchemy import text

    try:
        if not inspect(conn).has_table(migrations.version_table):
            return None
        return conn.execute(text(f"SELECT version_num FROM {migrations.version_table}")).scalar()
    finally:
        conn.rollback()


@contextlib.contextmanager
def _exclusive(conn: Connection, engine: Engine, name: str) -> Iterator[None]:
    if engine.dialect.name == "postgresql":
        from sqlalchemy import text

        key = f"sathi_migrations_{name}"
        conn.execute(text("SELECT pg_advisory_lock(hashtext(:k))"), {"k": key})
        conn.commit()
        try:
            yield
        finally:
            conn.rollback()
            conn.execute(text("SELECT pg_advisory_unlock(hashtext(:k))"), {"k": key})
            conn.commit()
        return
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if not database or database == ":memory:":
        yield
        return
    with open(f"{database}.migrate-lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
