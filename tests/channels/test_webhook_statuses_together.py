"""Delivery statuses of webhooks that arrive together are stored in one INSERT and one commit
(channels/whatsapp.py `store_together`, bot_store/wa_statuses.py `record_many`); a webhook that
brings a message is still stored alone, and each webhook is answered only once its own rows
are in (docs/performance.md, round 12)."""

from __future__ import annotations

import asyncio

from bot_store import inbox, wa_statuses
from tests.support.whatsapp import ChannelHarness, run
from tools import webhook_client as wc

A, B = "919800000001", "919800000002"


async def echo(message) -> None:
    await message.output_channel.send_response(message.sender_id, {"text": "ok"})


def _counting(monkeypatch, fail: bool = False) -> list[int]:
    """Count record_many's calls (rows per call); `fail`: every call raises."""
    calls: list[int] = []
    real = wa_statuses.record_many

    def counted(rows):
        calls.append(len(rows))
        if fail:
            raise RuntimeError("the store is away")
        return real(rows)

    monkeypatch.setattr(wa_statuses, "record_many", counted)
    return calls


def test_statuses_arriving_together_share_one_insert_and_each_is_kept_once(monkeypatch):
    calls = _counting(monkeypatch)

    async def go():
        async with ChannelHarness(echo, start_worker=False) as h:
            webhooks = [
                wc.envelope(statuses=[wc.status(f"wamid.OUT{n}", A, state)])
                for n in range(10)
                for state in ("sent", "delivered", "read")
            ]
            webhooks.append(webhooks[0])  # Meta delivers one of them twice
            answers = await asyncio.gather(*(h.post(w) for w in webhooks))
            assert [status for status, _ in answers] == [200] * len(webhooks)
            for n in range(10):
                kept = [s["status"] for s in wa_statuses.for_message(f"wamid.OUT{n}")]
                assert sorted(kept) == ["delivered", "read", "sent"], (n, kept)
            assert inbox.rows() == []
            return h.channel.storing.hops

    hops = run(go())
    assert sum(calls) == 31  # every status went through record_many
    assert len(calls) == hops < 31  # one INSERT per hop, far fewer hops than webhooks


def test_one_hop_stores_a_message_alone_and_the_others_statuses_together(monkeypatch):
    calls = _counting(monkeypatch)

    async def go():
        async with ChannelHarness(echo, start_worker=False) as h:
            payloads = [
                wc.envelope(statuses=[wc.status("wamid.S1", A, "sent")]),
                wc.envelope(
                    messages=[wc.text(B, "hello", wamid="wamid.IN1")],
                    statuses=[wc.status("wamid.S0", B, "read")],
                ),
                wc.envelope(
                    statuses=[
                        wc.status("wamid.S1", A, "delivered"),
                        wc.status("wamid.S2", B, "failed", error_code=131047),
                        {"status": "sent"},  # no id: not kept, the rest is
                    ]
                ),
                "not an object",
            ]
            outcomes = await asyncio.to_thread(h.channel.store_together, payloads)
            assert outcomes == [(True, []), (True, [B]), (True, []), (True, [])]
            assert [r["wamid"] for r in inbox.rows()] == ["wamid.IN1"]
            assert [s["status"] for s in wa_statuses.for_message("wamid.S1")] == [
                "sent",
                "delivered",
            ]
            failed = wa_statuses.for_message("wamid.S2")
            assert failed[0]["error_code"] == 131047 and failed[0]["wa_id"] == B
            assert [s["status"] for s in wa_statuses.for_message("wamid.S0")] == ["read"]

    run(go())
    assert calls == [3]  # the three usable statuses of the status-only webhooks, at once


def test_a_status_that_cannot_be_stored_fails_only_its_own_webhook(monkeypatch):
    _counting(monkeypatch, fail=True)  # the INSERT of the hop fails...
    real_record = wa_statuses.record

    def record(graph_message_id, *args, **kwargs):
        if graph_message_id == "wamid.BAD":  # ...because of this one status
            raise RuntimeError("cannot store this one")
        return real_record(graph_message_id, *args, **kwargs)

    monkeypatch.setattr(wa_statuses, "record", record)

    async def go():
        async with ChannelHarness(echo, start_worker=False) as h:
            payloads = [
                wc.envelope(statuses=[wc.status("wamid.S1", A, "sent")]),
                wc.envelope(messages=[wc.text(B, "hello", wamid="wamid.IN1")]),
                wc.envelope(statuses=[wc.status("wamid.BAD", A, "sent")]),
                wc.envelope(statuses=[wc.status("wamid.S2", A, "read")]),
            ]
            outcomes = await asyncio.to_thread(h.channel.store_together, payloads)
            assert [ok for ok, _ in outcomes] == [True, True, False, True]
            assert outcomes[1] == (True, [B])
            assert [r["wamid"] for r in inbox.rows()] == ["wamid.IN1"]
            kept = sorted(s["graph_message_id"] for s in wa_statuses.all_statuses())
            assert kept == ["wamid.S1", "wamid.S2"]
            # over HTTP: a non-200 makes Meta deliver it again later
            status, _ = await h.post(payloads[2])
            assert status == 503

    run(go())


def test_an_error_code_too_big_for_its_column_is_not_a_reason_to_fail():
    async def go():
        async with ChannelHarness(echo, start_worker=False) as h:
            odd = wc.status("wamid.S3", A, "failed", error_code=10**12)
            status, _ = await h.post(wc.envelope(statuses=[odd]))
            assert status == 200
            kept = wa_statuses.for_message("wamid.S3")
            assert kept[0]["status"] == "failed" and kept[0]["error_code"] is None

    run(go())
