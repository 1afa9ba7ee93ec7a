"""The per-sender message counter in Redis (bot_store/rate_limits_redis.py) gives the same
verdicts as the SQL one, forgets by itself after the window, keeps no phone number in its
keys, and falls back to SQL when Redis does not answer. Real Redis (skipped loudly without)."""

from __future__ import annotations

import time
import uuid
from urllib.parse import urlsplit

import pytest

from bot_store import db, rate_limits, rate_limits_redis
from tests.production.conftest import REDIS_URL, _redis_or_skip

pytestmark = pytest.mark.production


@pytest.fixture
def redis_counter(monkeypatch, tmp_path):
    client = _redis_or_skip()
    url = urlsplit(REDIS_URL)
    monkeypatch.setenv("SATHI_RATE_LIMIT_STORE", "redis")
    monkeypatch.setenv("SATHI_REDIS_HOST", url.hostname or "127.0.0.1")
    monkeypatch.setenv("SATHI_REDIS_PORT", str(url.port or 6379))
    monkeypatch.setenv("SATHI_REDIS_DB", url.path.strip("/") or "1")
    monkeypatch.setenv("SATHI_BOT_STORE_URL", f"sqlite:///{tmp_path}/bot_store.db")
    db.reset_for_tests()
    rate_limits_redis.reset_for_tests()
    yield client
    rate_limits_redis.reset_for_tests()
    db.reset_for_tests()
    client.close()


def sql_rows() -> int:
    from sqlalchemy import func, select

    from bot_store.schema import rate_limits as table

    with db.engine().connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def test_allow_then_one_warning_then_silence(redis_counter, monkeypatch):
    monkeypatch.setenv("SATHI_RATE_MESSAGES", "3")
    monkeypatch.setenv("SATHI_RATE_WINDOW_SECONDS", "60")
    sender = "9198" + uuid.uuid4().hex[:8]
    verdicts = [rate_limits.check_message(sender) for _ in range(6)]
    assert verdicts == [rate_limits.ALLOW] * 3 + [rate_limits.WARN] + [rate_limits.SILENT] * 2
    assert sql_rows() == 0  # counted in Redis, not in SQL
    keys = [k.decode() for k in redis_counter.scan_iter(match="sathi:rate:*")]
    assert keys and not any(sender in k for k in keys)
    assert 0 < redis_counter.ttl(rate_limits_redis.key_for(f"msg:{sender}")) <= 60


def test_the_window_ends_by_itself(redis_counter, monkeypatch):
    monkeypatch.setenv("SATHI_RATE_MESSAGES", "1")
    monkeypatch.setenv("SATHI_RATE_WINDOW_SECONDS", "1")
    sender = "9198" + uuid.uuid4().hex[:8]
    assert [rate_limits.check_message(sender) for _ in range(2)] == [
        rate_limits.ALLOW,
        rate_limits.WARN,
    ]
    time.sleep(1.3)
    assert rate_limits.check_message(sender) == rate_limits.ALLOW


def test_without_redis_the_sql_counter_decides(redis_counter, monkeypatch):
    monkeypatch.setenv("SATHI_REDIS_PORT", "1")  # nothing listens there
    rate_limits_redis.reset_for_tests()
    monkeypatch.setenv("SATHI_RATE_MESSAGES", "2")
    sender = "9198" + uuid.uuid4().hex[:8]
    verdicts = [rate_limits.check_message(sender) for _ in range(3)]
    assert verdicts == [rate_limits.ALLOW, rate_limits.ALLOW, rate_limits.WARN]
    assert sql_rows() == 1


def test_trainers_profile_counts_in_sql(monkeypatch):
    monkeypatch.delenv("SATHI_RATE_LIMIT_STORE", raising=False)
    monkeypatch.setenv("SATHI_PROFILE", "trainer")
    assert not rate_limits_redis.enabled()
    monkeypatch.setenv("SATHI_PROFILE", "production")
    assert rate_limits_redis.enabled()
