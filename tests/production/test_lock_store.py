"""channels/lock_store.py against a real Redis: Rasa's ticket lock (same key, same JSON, first
come first served, expiry), taken and given back atomically, one command each when nobody
waits. Skipped loudly when Redis does not answer (tests/production/conftest.py)."""

from __future__ import annotations

import asyncio
import json
import time
import uuid

import pytest
from rasa.core.lock_store import LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

from channels.lock_store import SathiRedisLockStore
from tests.production.conftest import _redis_or_skip


@pytest.fixture
def redis_db():
    client = _redis_or_skip()
    yield client.connection_pool.connection_kwargs
    client.close()


def _settings(redis_db) -> dict:
    """The settings of endpoints.production.yml's lock store, for the test's Redis."""
    return {
        "host": redis_db.get("host", "127.0.0.1"),
        "port": redis_db.get("port", 6379),
        "db": redis_db.get("db", 1),
        "password": redis_db.get("password"),
        "key_prefix": "sathitest",
    }


def _store(redis_db) -> SathiRedisLockStore:
    settings = _settings(redis_db)
    config = EndpointConfig(
        url=settings.pop("host"), type="channels.lock_store.SathiRedisLockStore", **settings
    )
    return SathiRedisLockStore(endpoint_config=config)


def _conversation() -> str:
    return f"lock-test-{uuid.uuid4().hex[:12]}"


def test_held_lock_is_rasas_json_and_is_gone_after(redis_db):
    store, conversation = _store(redis_db), _conversation()
    rasa_view = RedisLockStore(**_settings(redis_db))

    async def run():
        async with store.lock(conversation, lock_lifetime=30):
            lock = rasa_view.get_lock(conversation)  # Rasa reads what the script wrote
            assert lock is not None and lock.now_serving == 0 and not lock.is_locked(0)
            raw = json.loads(store.red.get(store.key_prefix + conversation))
            assert raw["conversation_id"] == conversation and len(raw["tickets"]) == 1
            assert 0 < store.red.pttl(store.key_prefix + conversation) <= 31_000
        assert store.red.exists(store.key_prefix + conversation) == 0

    asyncio.run(run())


def test_two_replicas_one_conversation_never_overlap_and_go_in_ticket_order(redis_db):
    replicas = [_store(redis_db), _store(redis_db)]
    conversation = _conversation()
    inside: list[int] = []
    entered: list[int] = []
    overlaps = []

    async def turn(i: int) -> None:
        store = replicas[i % 2]
        async with store.lock(conversation, lock_lifetime=30, wait_time_in_seconds=0.01) as lock:
            if inside:
                overlaps.append((inside[:], i))
            inside.append(i)
            entered.append(lock.tickets[0].number)
            await asyncio.sleep(0.005)
            inside.remove(i)

    async def run():
        tasks = []
        for i in range(24):
            tasks.append(asyncio.create_task(turn(i)))
        await asyncio.gather(*tasks)

    asyncio.run(run())
    assert not overlaps
    assert entered == list(range(24)), "one ticket each, served in the order they were taken"
    assert replicas[0].red.exists(replicas[0].key_prefix + conversation) == 0


def test_a_dead_holders_ticket_expires_and_the_next_turn_goes_on(redis_db):
    store, conversation = _store(redis_db), _conversation()
    key = store.key_prefix + conversation

    async def run():
        scripts = store._scripts()
        # a replica killed mid-turn: its ticket taken, never given back
        dead, served = await scripts["take"](keys=[key], args=[conversation, time.time(), 0.3])
        assert (dead, served) == (0, 0)
        started = time.monotonic()
        async with store.lock(conversation, lock_lifetime=30, wait_time_in_seconds=0.05):
            waited = time.monotonic() - started
        return waited

    waited = asyncio.run(run())
    assert 0.25 <= waited < 3
    assert store.red.exists(key) == 0


def test_an_uncontended_turn_costs_two_redis_commands(redis_db, monkeypatch):
    store, conversation = _store(redis_db), _conversation()
    calls = []

    async def run():
        scripts = store._scripts()
        for name, script in list(scripts.items()):

            async def counted(*args, _script=script, _name=name, **kwargs):
                calls.append(_name)
                return await _script(*args, **kwargs)

            scripts[name] = counted
        async with store.lock(conversation):
            pass

    asyncio.run(run())
    assert calls == ["take", "give_back"]


def test_a_lock_that_vanished_while_waiting_is_rasas_lock_error(redis_db):
    store, conversation = _store(redis_db), _conversation()
    key = store.key_prefix + conversation

    async def run():
        scripts = store._scripts()
        await scripts["take"](keys=[key], args=[conversation, time.time(), 30])
        waiting = store.lock(conversation, lock_lifetime=30, wait_time_in_seconds=0.05)

        async def vanish():
            await asyncio.sleep(0.02)
            store.red.delete(key)

        with pytest.raises(LockError):
            await asyncio.gather(waiting.__aenter__(), vanish())

    asyncio.run(run())
