"""The thread hops of a turn's answer (channels/whatsapp_output.py `_send_items`).

Under load every hop to a worker thread waits for the GIL (docs/performance.md, round 9), so a
message's `sent` carries the next store call: the next message's outbox row, or after the last
message the inbound message's `done`. A row is still committed `sending` only just before its
request: never across a pause, and `done` still comes when the last message went wrong. The
`sent` and its rider are one transaction; should it fail, the `sent` is stored alone first.
"""

from __future__ import annotations

import asyncio
import time
from functools import partial

import pytest

from bot_store import inbox, outbox
from tests.support.whatsapp import ChannelHarness, run
from tools import webhook_client as wc

A = "919800000001"
BUTTON = [{"title": "ok", "payload": "/ok"}]
STORE_CALLS = {"_open_row", "_record_sent", "mark_done"}


def _name(func) -> str:
    while isinstance(func, partial):
        func = func.func
    return getattr(func, "__name__", type(func).__name__)


@pytest.fixture
def hops(monkeypatch):
    """(name, monotonic time) of every store call a turn's answer hands to a thread."""
    seen: list[tuple[str, float]] = []
    real = asyncio.to_thread

    async def counting(func, /, *args, **kwargs):
        name = _name(func)
        if name in STORE_CALLS:
            seen.append((name, time.monotonic()))
        return await real(func, *args, **kwargs)

    monkeypatch.setattr(asyncio, "to_thread", counting)
    return seen


def responder(count: int):
    async def handler(message):
        for i in range(count):
            await message.output_channel.send_response(
                message.sender_id, {"text": f"question {i}?", "buttons": BUTTON}
            )

    return handler


async def one_turn(h, text="hi"):
    assert (await h.post(wc.envelope(messages=[wc.text(A, text)])))[0] == 200
    await h.settle()
    return h.sent(A)


def test_one_message_two_hops_sent_and_done_together(hops):
    async def go():
        async with ChannelHarness(responder(1)) as h:
            sent = await one_turn(h)
            assert len(sent) == 1
            assert [r.state for r in outbox.rows(A)] == ["sent"]
            assert inbox.rows()[0]["state"] == "done"

    run(go())
    # was three: the row, its `sent`, the inbound message's `done`
    assert [name for name, _ in hops] == ["_open_row", "_record_sent"]


def test_only_the_done_after_the_last_message_reads_nothing(monkeypatch):
    """The next message's outbox row is read back (its id): a transaction. The turn's `done`
    is read by nobody: on PostgreSQL it goes in one query with the last `sent` (round 15)."""
    reads_nothing: list[bool] = []
    real = asyncio.to_thread

    async def recording(func, /, *args, **kwargs):
        if _name(func) == "_record_sent":
            reads_nothing.append(args[3])
        return await real(func, *args, **kwargs)

    monkeypatch.setattr(asyncio, "to_thread", recording)

    async def go():
        async with ChannelHarness(responder(3)) as h:
            assert len(await one_turn(h)) == 3
            assert inbox.rows()[0]["state"] == "done"

    run(go())
    assert reads_nothing == [False, False, True]


def test_unpaced_messages_open_the_next_row_in_the_hop_of_the_last_sent(hops):
    async def go():
        async with ChannelHarness(responder(3)) as h:
            h.channel.graph_config.pace_after = 3
            sent = await one_turn(h)
            assert [m["body"]["interactive"]["body"]["text"] for m in sent] == [
                "question 0?",
                "question 1?",
                "question 2?",
            ]
            rows = outbox.rows(A)
            assert [(r.seq, r.state) for r in rows] == [(0, "sent"), (1, "sent"), (2, "sent")]
            assert inbox.rows()[0]["state"] == "done"

    run(go())
    # was seven: three rows, three `sent`, one `done`
    assert [name for name, _ in hops] == ["_open_row"] + ["_record_sent"] * 3


def test_a_paced_message_opens_its_row_after_the_pause(hops):
    async def go():
        async with ChannelHarness(responder(3)) as h:
            h.channel.graph_config.pace_after = 1
            h.channel.graph_config.pace = 0.5
            sent = await one_turn(h)
            assert len(sent) == 3
            assert inbox.rows()[0]["state"] == "done"

    run(go())
    names = [name for name, _ in hops]
    assert names == ["_open_row", "_record_sent"] * 3
    sent_at = [t for name, t in hops if name == "_record_sent"]
    opened_at = [t for name, t in hops if name == "_open_row"]
    # the 2nd and 3rd rows are committed `sending` only once their pause is over
    for before, opened in zip(sent_at, opened_at[1:]):
        assert opened - before >= 0.45


@pytest.mark.parametrize("mode", ["token", "window"])
def test_done_comes_once_when_the_last_message_is_not_sent(hops, mode):
    async def go():
        async with ChannelHarness(responder(2)) as h:
            url = f"http://127.0.0.1:{h.emulator_port}/_emulator/fail"
            await one_turn(h, "warm")  # the second message of this turn fails:
            hops.clear()
            async with h.session.post(url, json={"mode": mode, "count": 1, "on": "send"}) as r:
                assert r.status == 200
            # the first send of the next turn fails, its second goes
            sent = await one_turn(h, "again")
            assert len(sent) == 2 + 1
            states = [r.state for r in outbox.rows(A)][2:]
            assert states[0] in ("failed", "needs_template") and states[1] == "sent"
            assert [r["state"] for r in inbox.rows()] == ["done", "done"]

    run(go())
    names = [name for name, _ in hops]
    # the failed first message carries nothing: the second opens its own row; `done` rides
    # on the second's `sent`
    assert names.count("_open_row") == 2 and names.count("mark_done") == 0
    assert names[-1] == "_record_sent"


def test_done_in_its_own_hop_when_the_last_message_fails(hops):
    async def go():
        async with ChannelHarness(responder(1), max_attempts=1) as h:
            url = f"http://127.0.0.1:{h.emulator_port}/_emulator/fail"
            async with h.session.post(url, json={"mode": "500", "count": 5, "on": "send"}) as r:
                assert r.status == 200
            sent = await one_turn(h)
            assert sent == []
            assert [r.state for r in outbox.rows(A)] == ["failed"]
            assert inbox.rows()[0]["state"] == "done"

    run(go())
    assert [name for name, _ in hops] == ["_open_row", "mark_done"]


def _sending_row(n: int) -> outbox.OutboxRow:
    row, started = outbox.open_for_sending(
        wa_id=A, inbox_id=None, seq=n, kind="text", body={"type": "text"}, answer_to=f"wamid.in{n}"
    )
    assert started
    return row


def test_sent_and_its_rider_are_one_transaction():
    from channels.whatsapp_graph import _record_sent

    row = _sending_row(1)
    seen_by_others: list[str] = []

    def rider() -> None:  # another connection does not see the `sent` before the commit
        seen_by_others.append(outbox.get(row.id).state)  # type: ignore[union-attr]

    _record_sent(row.id, "wamid.OUT1", rider)
    assert seen_by_others == ["sending"]
    assert outbox.get(row.id).state == "sent"  # type: ignore[union-attr]


def test_a_rider_that_fails_together_is_run_again_after_the_sent_alone(caplog):
    from channels.whatsapp_graph import _record_sent

    row = _sending_row(2)
    message_id = inbox.add("wamid.in2", A, {"type": "text"}, None)
    assert message_id is not None and inbox.claim_next(A, 30) is not None
    calls = []

    def rider() -> None:  # its first run fails after its statement: none of it is kept
        inbox.mark_done(message_id)
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("the rider failed")

    _record_sent(row.id, "wamid.OUT2", rider)
    assert len(calls) == 2
    assert outbox.get(row.id).state == "sent"  # type: ignore[union-attr]
    assert outbox.get(row.id).graph_message_id == "wamid.OUT2"  # type: ignore[union-attr]
    assert inbox.get(message_id)["state"] == "done"  # type: ignore[index]
    assert "not stored together" in caplog.text


def test_a_rider_that_reads_nothing_goes_in_one_round_trip(monkeypatch):
    from contextlib import contextmanager

    from channels import whatsapp_graph

    used: list[str] = []

    def recording(name, real):
        @contextmanager
        def block(eng):
            used.append(name)
            with real(eng):
                yield

        return block

    for name in ("one_round_trip", "one_transaction"):
        monkeypatch.setattr(whatsapp_graph, name, recording(name, getattr(whatsapp_graph, name)))
    message_id = inbox.add("wamid.in3", A, {"type": "text"}, None)
    assert message_id is not None and inbox.claim_next(A, 30) is not None
    rows = [_sending_row(n) for n in (3, 4)]
    whatsapp_graph._record_sent(rows[0].id, "wamid.OUT3", lambda: _sending_row(5))
    whatsapp_graph._record_sent(
        rows[1].id, "wamid.OUT4", partial(inbox.mark_done, message_id), True
    )
    assert used == ["one_transaction", "one_round_trip"]
    assert [outbox.get(r.id).state for r in rows] == ["sent", "sent"]  # type: ignore[union-attr]
    assert inbox.get(message_id)["state"] == "done"  # type: ignore[index]
