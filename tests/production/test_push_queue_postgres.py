"""The status-push queue on PostgreSQL (the production bot store): duplicates of a feed page
insert nothing (ON CONFLICT DO NOTHING), the cursor never moves back, and two replicas
claiming at once (FOR UPDATE SKIP LOCKED) never take the same push."""

from __future__ import annotations

import threading
import uuid

import pytest
from sqlalchemy.engine import make_url

from bot_store import db, pushes
from sathi import clock
from tests.production.conftest import POSTGRES_URL, _drop, _postgres_or_skip


@pytest.fixture
def pg_bot_store(monkeypatch):
    admin = _postgres_or_skip()
    name = "sathi_test_push_" + uuid.uuid4().hex[:8]
    with admin.cursor() as cur:
        cur.execute(f'CREATE DATABASE "{name}"')
    url = make_url(POSTGRES_URL).set(drivername="postgresql", database=name)
    monkeypatch.setenv("SATHI_BOT_STORE_URL", url.render_as_string(hide_password=False))
    db.reset_for_tests()
    try:
        yield
    finally:
        db.reset_for_tests()
        _drop(admin, name)
        admin.close()


def page(first: int, count: int, mobile: str = "919800000001"):
    return [
        {
            "event_id": i,
            "mobile": mobile,
            "event_kind": "wage_credited",
            "record_kind": "job_card",
            "record_id": "WB-08-012-002-002/270",
            "event_state": {"amount": 100},
            "language": "bn",
        }
        for i in range(first, first + count)
    ]


def test_queue_on_postgres(pg_bot_store):
    assert pushes.enqueue(page(1, 40), 40) == 40
    assert pushes.enqueue(page(1, 40), 40) == 0, "a page read twice adds nothing"
    assert pushes.enqueue([], 10) == 0 and pushes.cursor() == 40, "the cursor never moves back"
    assert pushes.take_feed_lease("a", 30) and not pushes.take_feed_lease("b", 30)
    taken: dict = {}

    def replica(name: str) -> None:
        got = []
        while True:
            batch = pushes.claim_due(clock.now(), limit=5, lease_seconds=60)
            if not batch:
                break
            got += [p.id for p in batch]
        taken[name] = got

    threads = [threading.Thread(target=replica, args=(n,)) for n in ("r1", "r2")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    both = taken["r1"] + taken["r2"]
    assert len(both) == 40 and len(set(both)) == 40, "a push was claimed twice"
