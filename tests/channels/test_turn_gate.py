"""The turn gate (channels/turn_gate.py): one bound on the turns a process computes at once,
shared by the REST webhook and WhatsApp's inbox worker; the rest wait in order."""

from __future__ import annotations

import asyncio

import pytest

from channels import turn_gate
from channels.rest_guard import GuardedRestInput
from channels.whatsapp_graph import GraphClient, GraphConfig
from channels.whatsapp_worker import InboxWorker
from sathi.settings import reset_settings


@pytest.fixture
def two_slots(monkeypatch):
    monkeypatch.setenv("SATHI_TURN_CONCURRENCY", "2")
    reset_settings()
    yield
    reset_settings()


def test_rest_turns_beyond_the_slots_wait_in_order(two_slots):
    running: list[str] = []
    most = 0
    started: list[str] = []

    async def on_new_message(message) -> None:
        nonlocal most
        started.append(message.text)
        running.append(message.text)
        most = max(most, len(running))
        await asyncio.sleep(0.05)
        running.remove(message.text)
        await message.output_channel.send_text_message(message.sender_id, f"ok {message.text}")

    async def go():
        channel = GuardedRestInput()
        turns = [channel._turn(on_new_message, f"rest:{i}", f"m{i}", None) for i in range(6)]
        return await asyncio.gather(*turns)

    answers = asyncio.run(go())
    assert [a[0]["text"] for a in answers] == [f"ok m{i}" for i in range(6)]
    assert most == 2, "more turns ran at once than the gate has slots"
    assert started == [f"m{i}" for i in range(6)], "waiting turns were not served in order"


def test_whatsapp_worker_takes_its_slots_from_the_same_gate(two_slots):
    async def go():
        worker = InboxWorker(lambda m: None, GraphClient(GraphConfig(access_token="t")))
        shared = worker._semaphore() is turn_gate.semaphore()
        own = InboxWorker(
            lambda m: None, GraphClient(GraphConfig(access_token="t")), concurrency=1
        )._semaphore()
        return shared, own is turn_gate.semaphore()

    shared, own_is_shared = asyncio.run(go())
    assert shared and not own_is_shared


def test_each_event_loop_has_its_own_gate(two_slots):
    async def gate():
        async with turn_gate.slot():
            return turn_gate.semaphore()

    assert asyncio.run(gate()) is not asyncio.run(gate())
