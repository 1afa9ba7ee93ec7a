"""The reference portal keeps its SQLite connections open (portal_backend/db.py): SQLAlchemy
1.4 gives file SQLite a NullPool, which opened a connection and ran its PRAGMAs for every
request (docs/performance.md, round 15)."""

from __future__ import annotations

from sqlalchemy import event, text

from portal_backend import db


def test_requests_reuse_a_pooled_sqlite_connection(tmp_path):
    url = f"sqlite:///{tmp_path}/portal.db"
    engine = db.engine_for(url)
    opened: list[int] = []
    event.listen(engine, "connect", lambda *_: opened.append(1))
    try:
        for n in range(5):
            with db.session_scope(engine) as session:
                assert session.execute(text("SELECT :n"), {"n": n}).scalar() == n
        assert len(opened) == 1
        with engine.connect() as conn:  # the PRAGMAs of the first connection still hold
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    finally:
        engine.dispose()
        db._engines.pop(url, None)
