"""bot_store/db.py on PostgreSQL: a pooled connection is pinged only after it sat idle, and a
connection the server closed while it sat idle is replaced before anyone uses it (what
`pool_pre_ping` guaranteed, without its round trip on every checkout)."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import create_engine, exc, text
from sqlalchemy.engine import make_url

from bot_store import db
from tests.production.conftest import POSTGRES_URL, _drop, _postgres_or_skip


@pytest.fixture
def pg_engine():
    admin = _postgres_or_skip()
    name = "sathi_test_ping_" + uuid.uuid4().hex[:8]
    with admin.cursor() as cur:
        cur.execute(f'CREATE DATABASE "{name}"')
    url = make_url(POSTGRES_URL).set(drivername="postgresql", database=name)
    eng = create_engine(url, future=True, pool_size=2, max_overflow=0)
    try:
        yield eng, admin, name
    finally:
        eng.dispose()
        _drop(admin, name)
        admin.close()


def _count_pings(eng, monkeypatch) -> list[int]:
    pings: list[int] = []
    real = eng.dialect.do_ping
    monkeypatch.setattr(eng.dialect, "do_ping", lambda c: pings.append(1) or real(c))
    return pings


def test_a_busy_connection_is_not_pinged_an_idle_one_is(pg_engine, monkeypatch):
    eng, _, _ = pg_engine
    db.ping_idle_connections(eng, idle_seconds=0.3)
    pings = _count_pings(eng, monkeypatch)
    for _ in range(20):
        with eng.connect() as conn:
            assert conn.execute(text("SELECT 1")).scalar() == 1
    assert len(pings) == 1, "only the new connection's first checkout"
    import time

    time.sleep(0.4)
    with eng.connect() as conn:
        conn.execute(text("SELECT 1"))
    assert len(pings) == 2


def test_a_connection_closed_by_the_server_while_idle_is_replaced(pg_engine, monkeypatch):
    eng, admin, name = pg_engine
    db.ping_idle_connections(eng, idle_seconds=0.0)  # every checkout counts as idle
    with eng.connect() as conn:
        first_pid = conn.execute(text("SELECT pg_backend_pid()")).scalar()
    with admin.cursor() as cur:  # what a server restart does to the idle pool
        cur.execute("SELECT pg_terminate_backend(%s)", (first_pid,))
    with eng.connect() as conn:
        pid = conn.execute(text("SELECT pg_backend_pid()")).scalar()
    assert pid != first_pid


def test_without_the_ping_the_closed_connection_would_have_failed(pg_engine):
    """The test above can fail: a pool without any ping hands out the dead connection."""
    eng, admin, _ = pg_engine
    with eng.connect() as conn:
        first_pid = conn.execute(text("SELECT pg_backend_pid()")).scalar()
    with admin.cursor() as cur:
        cur.execute("SELECT pg_terminate_backend(%s)", (first_pid,))
    with pytest.raises(exc.DBAPIError), eng.connect() as conn:
        conn.execute(text("SELECT 1"))
