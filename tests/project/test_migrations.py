"""Alembic migrations (bot_store/migrations/, portal_backend/migrations/, sathi/migrate.py).

- An empty SQLite and an empty PostgreSQL database are brought to head.
- A database holding the schema the pre-Alembic code made (its DDL captured in tests/data/)
  with rows in it is adopted: the rows survive, the revision is head.
- An older bot store (before issue 10: no AUTOINCREMENT / answer_to key / lease columns /
  counter subjects) is brought to head on PostgreSQL too, its outbox rows keyed on answer_to.
- In every case autogenerate compares the models with the database and finds nothing.

PostgreSQL: SATHI_TEST_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/postgres);
one throw-away database per test, dropped afterwards; skipped loudly when it does not answer.
"""

from __future__ import annotations

import threading
import uuid
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from bot_store import migrations as bot_migrations
from bot_store.schema import metadata as bot_metadata
from portal_backend import migrations as portal_migrations
from portal_backend.models import Base
from sathi.migrate import current_revision, include_name
from tests.production.conftest import POSTGRES_URL, _drop, _postgres_or_skip

DATA = Path(__file__).resolve().parents[1] / "data"
SCHEMAS = {
    "bot_store": (bot_migrations, bot_metadata),
    "portal": (portal_migrations, Base.metadata),
}


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path):
    """A URL of an empty database of each kind."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    admin = _postgres_or_skip()
    name = f"sathi_migrations_{uuid.uuid4().hex[:10]}"
    with admin.cursor() as cur:
        cur.execute(f'CREATE DATABASE "{name}"')
    try:
        from sqlalchemy.engine import make_url

        yield (
            make_url(POSTGRES_URL)
            .set(drivername="postgresql", database=name)
            .render_as_string(hide_password=False)
        )
    finally:
        _drop(admin, name)
        admin.close()


def _engine(url: str):
    return create_engine(url, future=True)


def differences(engine, which: str) -> list:
    package, metadata = SCHEMAS[which]
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn,
            opts={
                "version_table": package.MIGRATIONS.version_table,
                "compare_type": True,
                "include_name": include_name,
            },
        )
        return compare_metadata(context, metadata)


def revision(engine, which: str):
    with engine.connect() as conn:
        return current_revision(conn, SCHEMAS[which][0].MIGRATIONS)


def run_sql(engine, path: Path) -> None:
    statements = [s.strip() for s in path.read_text().split(";\n")]
    with engine.begin() as conn:
        for statement in statements:
            body = "\n".join(
                line for line in statement.splitlines() if not line.startswith("--")
            ).strip()
            if body:
                conn.execute(text(body))


@pytest.mark.parametrize("which", ["bot_store", "portal"])
def test_an_empty_database_is_brought_to_head(database, which):
    engine = _engine(database)
    package, metadata = SCHEMAS[which]
    done = package.upgrade(engine)
    assert done and revision(engine, which) == package.MIGRATIONS.head()
    tables = {t for t in inspect(engine).get_table_names() if include_name(t, "table", {})}
    assert set(metadata.tables) | {package.MIGRATIONS.version_table} == tables
    assert differences(engine, which) == []
    assert package.upgrade(engine) == [], "a second run must find nothing to do"
    engine.dispose()


@pytest.mark.parametrize("which", ["bot_store", "portal"])
def test_a_pre_alembic_database_is_adopted_with_its_rows(database, which):
    engine = _engine(database)
    dialect = engine.dialect.name
    run_sql(engine, DATA / f"{which}_pre_alembic_{dialect}.sql")
    with engine.begin() as conn:
        if which == "bot_store":
            conn.execute(
                text(
                    "INSERT INTO wa_inbox (wamid, wa_id, received_at, payload, state, "
                    "attempts) VALUES ('wamid.OLD', '919800000001', '2026-11-28 10:00:00',"
                    " '{}', 'done', 1)"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO audit_log (at, mobile, channel, service, record_ref, "
                    "outcome) VALUES ('2026-11-28 10:00:00', '919800000001', 'whatsapp', "
                    "'payslip', 'WBP-1', 'delivered')"
                )
            )
        else:
            conn.execute(
                text(
                    "INSERT INTO districts (code, lgd_code, name_en, name_bn, aliases) "
                    "VALUES ('08', '335', 'Purba Bardhaman', 'পূর্ব বর্ধমান', '[]')"
                )
            )
    package, _ = SCHEMAS[which]
    done = package.upgrade(engine)
    assert any("pre-Alembic database adopted" in line for line in done), done
    assert revision(engine, which) == package.MIGRATIONS.head()
    assert differences(engine, which) == []
    with engine.connect() as conn:
        if which == "bot_store":
            assert conn.execute(text("SELECT wamid FROM wa_inbox")).scalar() == "wamid.OLD"
            assert conn.execute(text("SELECT record_ref FROM audit_log")).scalar() == "WBP-1"
        else:
            assert conn.execute(text("SELECT name_bn FROM districts")).scalar() == "পূর্ব বর্ধমান"
    engine.dispose()


OLDER_BOT_STORE = """
CREATE TABLE wa_inbox (id SERIAL PRIMARY KEY, wamid VARCHAR(128) NOT NULL UNIQUE,
  wa_id VARCHAR(16) NOT NULL, received_at TIMESTAMP WITH TIME ZONE NOT NULL, message_ts INTEGER,
  payload TEXT NOT NULL, state VARCHAR(16) NOT NULL, attempts INTEGER NOT NULL,
  finished_at TIMESTAMP WITH TIME ZONE);
CREATE TABLE wa_outbox (id SERIAL PRIMARY KEY, wa_id VARCHAR(16) NOT NULL, inbox_id INTEGER,
  seq INTEGER NOT NULL, kind VARCHAR(16) NOT NULL, body TEXT NOT NULL, state VARCHAR(16) NOT NULL,
  graph_message_id VARCHAR(128), attempts INTEGER NOT NULL, last_error TEXT,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL, sent_at TIMESTAMP WITH TIME ZONE,
  CONSTRAINT uq_wa_outbox_answer_position UNIQUE (inbox_id, seq));
CREATE TABLE rate_limits (key VARCHAR(120) PRIMARY KEY, window_start TIMESTAMP WITH TIME ZONE
  NOT NULL, count INTEGER NOT NULL);
CREATE TABLE wa_statuses (id SERIAL PRIMARY KEY, graph_message_id VARCHAR(128) NOT NULL,
  wa_id VARCHAR(16), status VARCHAR(16) NOT NULL, error_code INTEGER,
  at TIMESTAMP WITH TIME ZONE NOT NULL);
INSERT INTO wa_inbox VALUES (7, 'wamid.OLD', '919800000001', '2026-11-28 10:00:00+05:30', 1, '{}',
  'done', 1, NULL);
INSERT INTO wa_outbox VALUES (3, '919800000001', 7, 0, 'text', '{}', 'sent', 'g1', 1, NULL,
  '2026-11-28 10:00:01+05:30', NULL);
INSERT INTO rate_limits VALUES ('msg:919800000001', '2026-11-28 10:00:00+05:30', 3)
"""


@pytest.mark.parametrize("database", ["postgresql"], indirect=True)  # SQLite: test_identity_store
def test_an_older_postgresql_bot_store_is_brought_to_head(database):
    engine = _engine(database)
    with engine.begin() as conn:
        for statement in OLDER_BOT_STORE.split(";\n"):
            conn.execute(text(statement))
    done = bot_migrations.upgrade(engine)
    assert (
        "wa_outbox keyed on answer_to" in done
        and "rate_limits recreated with subject and scope" in done
    )
    assert (
        "wa_inbox.lease_until added" in done
        and "unique key uq_wa_statuses_message_status added" in done
    )
    assert differences(engine, "bot_store") == []
    with engine.connect() as conn:
        assert tuple(
            conn.execute(text("SELECT answer_to, state FROM wa_outbox WHERE id = 3")).one()
        ) == ("wamid.OLD", "sent")
        assert conn.execute(text("SELECT count(*) FROM wa_inbox")).scalar() == 1
    engine.dispose()


def test_two_processes_starting_at_once_migrate_once(tmp_path):
    url = f"sqlite:///{tmp_path / 'race.db'}"
    results, errors = [], []

    def start():
        engine = _engine(url)
        try:
            results.append(bot_migrations.upgrade(engine))
        except Exception as exc:  # noqa: BLE001 - the test reports it
            errors.append(exc)
        finally:
            engine.dispose()

    threads = [threading.Thread(target=start) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors
    assert sorted(bool(r) for r in results) == [False, False, True]
    assert revision(_engine(url), "bot_store") == bot_migrations.MIGRATIONS.head()


def test_the_baseline_goes_down_and_up_again(tmp_path):
    from alembic import command

    engine = _engine(f"sqlite:///{tmp_path / 'down.db'}")
    bot_migrations.upgrade(engine)
    with engine.connect() as conn:
        command.downgrade(bot_migrations.MIGRATIONS.config(conn), "base")
        conn.commit()
    left = {t for t in inspect(engine).get_table_names() if include_name(t, "table", {})}
    assert left == {bot_migrations.MIGRATIONS.version_table}
    assert bot_migrations.upgrade(engine)
    assert differences(engine, "bot_store") == []
