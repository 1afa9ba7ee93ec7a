"""The production profile's stack: SATHI_PROFILE=production (endpoints.production.yml,
credentials.production.yml) with fresh PostgreSQL databases for the tracker store, the bot store
and the portal, and the Redis lock store. Skipped — loudly, with the reason in the `-ra`
summary — when PostgreSQL or Redis does not answer; never an error.

Where they are: SATHI_TEST_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/postgres,
a role allowed to CREATE DATABASE) and SATHI_TEST_REDIS_URL (default redis://127.0.0.1:6379/1).
The databases made here are dropped afterwards.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from sqlalchemy.engine import make_url

POSTGRES_URL = os.environ.get(
    "SATHI_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
REDIS_URL = os.environ.get("SATHI_TEST_REDIS_URL", "redis://127.0.0.1:6379/1")
SKIP = "PRODUCTION PROFILE NOT TESTED: "


@dataclass
class ProductionStack:
    stack: object
    databases: dict[str, str] = field(default_factory=dict)  # role -> SQLAlchemy URL
    redis_url: str = REDIS_URL


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())[:200]


def _admin_connection():
    import psycopg2

    url = make_url(POSTGRES_URL)
    conn = psycopg2.connect(
        host=url.host or "127.0.0.1",
        port=url.port or 5432,
        user=url.username or "postgres",
        password=url.password or None,
        dbname=url.database or "postgres",
        connect_timeout=3,
    )
    conn.autocommit = True
    return conn


def _postgres_or_skip():
    try:
        return _admin_connection()
    except Exception as exc:  # not installed, not running, refused: say so, do not fail
        pytest.skip(
            f"{SKIP}PostgreSQL does not answer at {make_url(POSTGRES_URL).render_as_string(hide_password=True)} "
            f"({type(exc).__name__}: {_one_line(exc)}); set SATHI_TEST_POSTGRES_URL"
        )


def _redis_or_skip():
    try:
        import redis

        client = redis.Redis.from_url(REDIS_URL, socket_timeout=3, socket_connect_timeout=3)
        client.ping()
        return client
    except Exception as exc:
        pytest.skip(
            f"{SKIP}Redis does not answer at {REDIS_URL} ({type(exc).__name__}: "
            f"{_one_line(exc)}); set SATHI_TEST_REDIS_URL"
        )


def _drop(admin, name: str) -> None:
    from tools.scale.stores import drop_database

    drop_database(admin, name)


@pytest.fixture(scope="module")
def production():
    from tests.support.stack import free_port, start_stack, stop_stack
    from tools.local_stack import production_secrets

    _redis_or_skip().close()
    admin = _postgres_or_skip()
    base = make_url(POSTGRES_URL)
    run = "sathi_test_" + uuid.uuid4().hex[:10]
    names = {role: f"{run}_{role}" for role in ("tracker", "bot", "portal")}
    created = []
    redis_users: list = []
    stack = None
    try:
        for name in names.values():
            with admin.cursor() as cur:
                cur.execute(f'CREATE DATABASE "{name}"')
            created.append(name)
        urls = {
            role: base.set(drivername="postgresql", database=name).render_as_string(
                hide_password=False
            )
            for role, name in names.items()
        }
        redis = urlsplit(REDIS_URL)
        emulator_port = free_port()
        # The production profile refuses to start without a database and a Redis password:
        # a Redis user of this run's own (ACL, removed afterwards) and, for PostgreSQL, the
        # URL's password (the local server's trust authentication ignores the placeholder).
        pg_password = base.password or "trust-auth-ignores-this"
        urls = {
            role: make_url(u).set(password=pg_password).render_as_string(hide_password=False)
            for role, u in urls.items()
        }
        redis_user, redis_password = run, uuid.uuid4().hex
        redis_admin = _redis_or_skip()
        redis_admin.execute_command(
            "ACL", "SETUSER", redis_user, "on", f">{redis_password}", "~*", "&*", "+@all"
        )
        redis_users.append((redis_admin, redis_user))
        stack = start_stack(
            extra_env={
                **production_secrets(),
                "SATHI_PROFILE": "production",
                "SATHI_TRACKER_DB_HOST": base.host or "127.0.0.1",
                "SATHI_TRACKER_DB_PORT": str(base.port or 5432),
                "SATHI_TRACKER_DB_NAME": names["tracker"],
                "SATHI_TRACKER_DB_USER": base.username or "postgres",
                "SATHI_TRACKER_DB_PASSWORD": pg_password,
                "SATHI_REDIS_HOST": redis.hostname or "127.0.0.1",
                "SATHI_REDIS_PORT": str(redis.port or 6379),
                "SATHI_REDIS_DB": redis.path.strip("/") or "1",
                "SATHI_REDIS_USERNAME": redis_user,
                "SATHI_REDIS_PASSWORD": redis_password,
                "SATHI_BOT_STORE_URL": urls["bot"],
                "SATHI_PORTAL_DB_URL": urls["portal"],
                # Meta is the emulator here, also in the production profile
                "SATHI_EMULATOR_PORT": str(emulator_port),
                "WHATSAPP_GRAPH_URL": f"http://127.0.0.1:{emulator_port}",
            }
        )
        yield ProductionStack(stack=stack, databases=urls)
    finally:
        if stack is not None:  # SATHI_TEST_KEEP_VAR=1 keeps the logs in var/sathi-test-*
            stop_stack(stack, keep_logs_on_failure=os.environ.get("SATHI_TEST_KEEP_VAR") == "1")
        for client, user in redis_users:
            try:
                client.execute_command("ACL", "DELUSER", user)
                client.close()
            except Exception as exc:  # pragma: no cover - reported, never hides the result
                print(f"could not remove test Redis user {user}: {exc}")
        for name in created:
            try:
                _drop(admin, name)
            except Exception as exc:  # pragma: no cover - reported, never hides the result
                print(f"could not drop test database {name}: {exc}")
        admin.close()


def bot_store_on_postgres():
    """(engine, admin connection) of a bot store in a PostgreSQL database of its own, dropped
    afterwards; skipped loudly where PostgreSQL does not answer."""
    from bot_store import db

    admin = _postgres_or_skip()
    name = "sathi_test_store_" + uuid.uuid4().hex[:8]
    with admin.cursor() as cur:
        cur.execute(f'CREATE DATABASE "{name}"')
    url = make_url(POSTGRES_URL).set(drivername="postgresql", database=name)
    eng = db.engine(url.render_as_string(hide_password=False))
    try:
        yield eng, admin
    finally:
        eng.dispose()
        db._engines.pop(url.render_as_string(hide_password=False), None)
        _drop(admin, name)
        admin.close()


@pytest.fixture
def postgres_store():
    """PostgreSQL only (skipped loudly when absent): what SQLite cannot do."""
    yield from bot_store_on_postgres()
