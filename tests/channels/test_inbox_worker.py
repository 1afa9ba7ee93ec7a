"""The inbox worker and the store's WhatsApp rows: one claim per row, the sender's order, a
turn slot that the sending of an answer does not hold, and an outbox row created `sending`
in one statement."""

from __future__ import annotations

import asyncio
import threading

from bot_store import inbox, outbox
from bot_store.states import OutboxState
from channels import whatsapp_render as render
from tests.support.whatsapp import ChannelHarness, run
from tools import webhook_client as wc

A, B = "919800000001", "919800000002"


def _add(wamid: str, wa_id: str, ts: int) -> int:
    row_id = inbox.add(wamid, wa_id, {"id": wamid, "type": "text"}, ts)
    assert row_id is not None
    return row_id


def test_a_row_is_claimed_once_however_many_claim_it_at_once():
    first = _add("wamid.C1", A, 100)
    _add("wamid.C2", A, 101)
    barrier = threading.Barrier(8)
    taken: list[inbox.InboxRow | None] = []
    lock = threading.Lock()

    def claim() -> None:
        barrier.wait()
        row = inbox.claim_next(A, lease_seconds=30)
        with lock:
            taken.append(row)

    threads = [threading.Thread(target=claim) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    claimed = [row for row in taken if row is not None]
    # one claimer got the oldest row; nobody skipped ahead to the younger one
    assert [row.id for row in claimed] == [first]
    assert claimed[0].state == "processing" and claimed[0].attempts == 1
    assert claimed[0].message == {"id": "wamid.C1", "type": "text"}


def test_the_oldest_row_by_meta_timestamp_blocks_the_senders_younger_rows():
    younger = _add("wamid.O2", A, 200)
    older = _add("wamid.O1", A, 199)  # arrived later, written earlier
    other = _add("wamid.O3", B, 300)
    row = inbox.claim_next(A, lease_seconds=30)
    assert row is not None and row.id == older
    assert inbox.claim_next(A, lease_seconds=30) is None  # its lease is live
    assert inbox.claim_next(B, lease_seconds=30).id == other  # another sender is not held up
    inbox.retry_later(older, 30, "boom")
    assert inbox.claim_next(A, lease_seconds=30) is None  # waiting for its retry: still first
    inbox.retry_later(older, -1, "boom")  # due now
    again = inbox.claim_next(A, lease_seconds=30)
    assert again.id == older and again.attempts == 2
    inbox.mark_done(older)
    assert inbox.claim_next(A, lease_seconds=30).id == younger


def test_an_expired_lease_is_taken_over():
    row_id = _add("wamid.E1", A, 1)
    assert inbox.claim_next(A, lease_seconds=-1).id == row_id  # a lease already over
    taken = inbox.claim_next(A, lease_seconds=30)
    assert taken is not None and taken.id == row_id and taken.attempts == 2


def test_outbox_row_opened_sending_once_per_answer_position():
    body = {"type": "text", "text": {"body": "hi"}}
    row, fresh = outbox.open_for_sending(
        wa_id=A, inbox_id=1, seq=0, kind="text", body=body, answer_to="wamid.X"
    )
    assert fresh and row.state == OutboxState.SENDING and row.attempts == 1 and row.body == body
    outbox.mark_sent(row.id, "wamid.OUT")
    again, fresh_again = outbox.open_for_sending(
        wa_id=A, inbox_id=1, seq=0, kind="text", body={"other": 1}, answer_to="wamid.X"
    )
    assert not fresh_again and again.id == row.id and again.state == OutboxState.SENT
    assert again.body == body  # the first answer's body, not the new one
    second, fresh_second = outbox.open_for_sending(
        wa_id=A, inbox_id=1, seq=1, kind="text", body=body, answer_to="wamid.X"
    )
    assert fresh_second and second.id != row.id
    # outside a turn (no answer key) every message is a row of its own
    loose = [
        outbox.open_for_sending(wa_id=A, inbox_id=None, seq=0, kind="text", body=body)
        for _ in range(2)
    ]
    assert all(fresh for _, fresh in loose) and loose[0][0].id != loose[1][0].id


def test_sending_an_answer_does_not_hold_the_turn_slot():
    """One turn slot; A's answer is two paced messages (a long pause). B's turn runs while
    A's answer is still being sent, not after it."""
    seen_while_b_ran: list[str] = []

    async def handler(message) -> None:
        if message.sender_id == A:
            await message.output_channel.send_response(A, {"text": "first"})
            await message.output_channel.send_response(
                A, {"text": "x" * render.BODY_MAX, "buttons": [{"title": "ok", "payload": "/ok"}]}
            )
        else:
            seen_while_b_ran.extend(r["state"] for r in inbox.rows(A))
            await message.output_channel.send_response(B, {"text": "b"})

    async def go():
        async with ChannelHarness(handler, start_worker=False) as h:
            h.channel.worker_options["concurrency"] = 1
            h.channel.graph_config.pace = 1.5
            h.channel.graph_config.pace_after = 1  # the second message waits
            await h.start_worker_now()
            assert (await h.post(wc.envelope(messages=[wc.text(A, "a")])))[0] == 200
            for _ in range(100):  # until A's first message has gone out (the pause begins)
                if h.sent(A):
                    break
                await asyncio.sleep(0.02)
            assert (await h.post(wc.envelope(messages=[wc.text(B, "b")])))[0] == 200
            await h.settle()
            assert seen_while_b_ran == ["processing"], "B waited for A's answer to be sent"
            assert len(h.sent(A)) == 2 and len(h.sent(B)) == 1
            assert [r["state"] for r in inbox.rows()] == ["done", "done"]

    run(go())


def test_the_webhook_drains_its_senders_without_asking_the_store(monkeypatch):
    asked: list[int] = []
    asked_before_turn: list[int] = []

    async def echo(message) -> None:
        asked_before_turn.append(len(asked))
        await message.output_channel.send_response(message.sender_id, {"text": "ok"})

    async def go():
        async with ChannelHarness(echo) as h:
            await h.settle()
            worker = h.channel.worker
            worker.poll_seconds = 60  # the dispatcher's next wait: no poll during the turn
            worker.wake()
            await asyncio.sleep(0.2)
            real = inbox.senders_with_work
            monkeypatch.setattr(
                inbox, "senders_with_work", lambda *a, **k: asked.append(1) or real(*a, **k)
            )
            assert (await h.post(wc.envelope(messages=[wc.text(A, "hi")])))[0] == 200
            for _ in range(200):
                if h.sent(A):
                    break
                await asyncio.sleep(0.02)
            assert len(h.sent(A)) == 1
            assert asked_before_turn == [0]

    run(go())


def test_a_row_that_comes_as_the_drain_ends_is_drained_without_asking_the_store(monkeypatch):
    """The sender's second message is written, and announced by its webhook, just after the
    drain's last claim found nothing: the drain starts again when it ends, without the
    dispatcher's query (the poll is an hour away), and both are answered in order."""
    from channels import whatsapp_worker

    asked: list[int] = []
    answered: list[str] = []

    async def echo(message) -> None:
        answered.append(message.text)
        await message.output_channel.send_response(message.sender_id, {"text": "ok"})

    async def go():
        async with ChannelHarness(echo) as h:
            await h.settle()
            worker = h.channel.worker
            worker.poll_seconds = 3600
            worker.wake()
            await asyncio.sleep(0.2)
            loop = asyncio.get_running_loop()
            real_claim, real_senders = (
                whatsapp_worker._claim_with_context,
                inbox.senders_with_work,
            )
            late: list[int] = []

            def claim(wa_id, lease):
                row, context = real_claim(wa_id, lease)
                if row is None and not late:  # the drain's last claim: the late message now
                    message = wc.text(A, "second", wamid="wamid.late.2")
                    late.append(inbox.add(message["id"], A, message, int(message["timestamp"])))
                    loop.call_soon_threadsafe(worker.wake, [A])  # before the drain resumes
                return row, context

            monkeypatch.setattr(whatsapp_worker, "_claim_with_context", claim)
            monkeypatch.setattr(
                inbox, "senders_with_work", lambda *a, **k: asked.append(1) or real_senders(*a, **k)
            )
            assert (await h.post(wc.envelope(messages=[wc.text(A, "first")])))[0] == 200
            for _ in range(150):
                if len(h.sent(A)) >= 2:
                    break
                await asyncio.sleep(0.02)
            assert late and late[0] is not None
            assert answered == ["first", "second"]
            assert len(h.sent(A)) == 2
            assert asked == []

    run(go())


def test_the_claim_comes_with_the_senders_preferences():
    from bot_store import preferences
    from channels.whatsapp_worker import _claim_with_context

    row_id = inbox.add("wamid.P1", A, {"id": "wamid.P1", "type": "text", "text": {"body": "hi"}}, 1)
    preferences.save(A, language="en")
    row, context = _claim_with_context(A, 30)
    assert row is not None and row.id == row_id
    assert context is not None
    prefs, verdict = context
    assert (prefs.mobile, prefs.language, prefs.opted_out) == (A, "en", False)
    assert verdict == "allow"
    assert inbox.get(row_id)["state"] == "processing"  # type: ignore[index]


def test_nothing_is_claimed_when_the_preferences_cannot_be_read(monkeypatch):
    """The preferences are read before the claim: a failed read leaves the row to the
    dispatcher's next look, not held by a claim nobody works on."""
    import pytest
    from sqlalchemy import exc, text

    from bot_store import preferences
    from bot_store.fast_statement import FastStatement
    from channels.whatsapp_worker import _claim_with_context

    row_id = inbox.add("wamid.P2", A, {"id": "wamid.P2", "type": "text", "text": {"body": "hi"}}, 1)
    monkeypatch.setattr(
        preferences, "_GET", FastStatement(text("SELECT language FROM no_such_table"))
    )
    with pytest.raises(exc.DBAPIError):
        _claim_with_context(A, 30)
    stored = inbox.get(row_id)
    assert stored is not None and (stored["state"], stored["attempts"]) == ("new", 0)
    monkeypatch.undo()
    row, context = _claim_with_context(A, 30)  # the next look takes it
    assert row is not None and row.id == row_id and context is not None
