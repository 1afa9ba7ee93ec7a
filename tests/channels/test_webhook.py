"""Inbound: verification, signatures, de-duplication, batches, statuses, input mapping."""

from __future__ import annotations

import asyncio
import json

from bot_store import inbox, outbox, wa_statuses
from sathi import trust
from tests.support.whatsapp import APP_SECRET, VERIFY_TOKEN, ChannelHarness, run
from tools import webhook_client as wc

A, B, C = "919800000001", "919800000002", "919800000003"


async def echo(message) -> None:
    await message.output_channel.send_response(message.sender_id, {"text": f"echo: {message.text}"})


def texts(h, to):
    return [m["body"]["text"]["body"] for m in h.sent(to) if m["type"] == "text"]


def test_verification_handshake():
    async def go():
        async with ChannelHarness(echo, start_worker=False) as h:
            ok = await h.get(
                {
                    "hub.mode": "subscribe",
                    "hub.verify_token": VERIFY_TOKEN,
                    "hub.challenge": "1158201444",
                }
            )
            bad_token = await h.get(
                {"hub.mode": "subscribe", "hub.verify_token": "nope", "hub.challenge": "1"}
            )
            bad_mode = await h.get(
                {"hub.mode": "unsubscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1"}
            )
            missing = await h.get({})
        assert ok == (200, "1158201444")
        assert bad_token[0] == bad_mode[0] == missing[0] == 403

    run(go())


def test_bad_signatures_write_nothing():
    async def go():
        async with ChannelHarness(echo) as h:
            payload = wc.envelope(messages=[wc.text(A, "hello")])
            body = wc.encode(payload)
            forged = await h.post(
                body, sign=False, headers={"X-Hub-Signature-256": wc.sign(body, "not-the-secret")}
            )
            missing = await h.post(body, sign=False)
            garbage = await h.post(body, sign=False, headers={"X-Hub-Signature-256": "sha256=zz"})
            # a signature that is genuine, but for another body (replayed onto a new payload)
            other = wc.encode(wc.envelope(messages=[wc.text(A, "other")]))
            replayed = await h.post(
                other, sign=False, headers={"X-Hub-Signature-256": wc.sign(body, APP_SECRET)}
            )
            await asyncio.sleep(0.3)
            assert forged[0] == 403 and garbage[0] == 403 and replayed[0] == 403
            assert missing[0] == 401
            assert inbox.rows() == [] and h.received == [] and h.sent() == []

    run(go())


def test_oversized_body_refused_and_malformed_json_acknowledged():
    async def go():
        async with ChannelHarness(echo, max_body_bytes=2000) as h:
            big = wc.encode(wc.envelope(messages=[wc.text(A, "x" * 5000)]))
            status, _ = await h.post(big)
            assert status == 413
            status, _ = await h.post(b"{not json", headers=None)
            assert status == 200
            status, _ = await h.post(b"[1, 2, 3]")
            assert status == 200
            status, _ = await h.post(
                {
                    "object": "whatsapp_business_account",
                    "entry": [{"changes": [{"value": {"messages": [{"id": 5}]}}]}],
                }
            )
            assert status == 200
            assert inbox.rows() == []

    run(go())


def test_batch_across_entries_each_message_processed_once():
    async def go():
        async with ChannelHarness(echo) as h:
            payload = wc.envelope(
                entries=[
                    ([wc.text(A, "one"), wc.text(B, "two")], []),
                    ([wc.text(C, "three")], [wc.status("wamid.OUT1", A, "delivered")]),
                ]
            )
            assert (await h.post(payload))[0] == 200
            await h.settle()
            assert texts(h, A) == ["echo: one"]
            assert texts(h, B) == ["echo: two"]
            assert texts(h, C) == ["echo: three"]
            assert [r["state"] for r in inbox.rows()] == ["done"] * 3
            assert wa_statuses.for_message("wamid.OUT1")[0]["status"] == "delivered"

    run(go())


def test_same_wamid_five_times_concurrently_and_in_sequence_answered_once():
    async def go():
        async with ChannelHarness(echo) as h:
            message = wc.text(A, "once please", wamid="wamid.DUP-1")
            payload = wc.envelope(messages=[message])
            results = await asyncio.gather(*[h.post(payload) for _ in range(5)])
            assert all(status == 200 for status, _ in results)
            await h.settle()
            for _ in range(5):
                assert (await h.post(payload))[0] == 200
            await h.settle()
            assert texts(h, A) == ["echo: once please"]
            assert len(h.received) == 1
            assert len(inbox.rows()) == 1

    run(go())


def test_messages_of_one_sender_processed_in_order():
    async def go():
        order = []

        async def slow_echo(message):
            order.append(message.text)
            await asyncio.sleep(0.05 if message.text == "1" else 0)
            await echo(message)

        async with ChannelHarness(slow_echo) as h:
            base = 1_700_000_000
            # delivered out of order: Meta's timestamps decide
            await h.post(
                wc.envelope(messages=[wc.text(A, "2", ts=base + 2), wc.text(A, "3", ts=base + 3)])
            )
            await h.post(wc.envelope(messages=[wc.text(A, "1", ts=base + 1)]))
            await h.settle()
            assert texts(h, A)[-1] == "echo: 3"
            assert sorted(texts(h, A)) == ["echo: 1", "echo: 2", "echo: 3"]
            # whatever arrived first, 2 was never before 1 once both were known
            assert order.index("2") < order.index("3")

    run(go())


def test_statuses_recorded_not_sent_to_rasa():
    async def go():
        async with ChannelHarness(echo) as h:
            statuses = [
                wc.status("wamid.OUT9", A, "sent"),
                wc.status("wamid.OUT9", A, "delivered"),
                wc.status("wamid.OUT9", A, "read"),
                wc.status("wamid.OUT8", B, "failed", error_code=131047),
            ]
            await h.post(wc.envelope(statuses=statuses))
            await h.post(wc.envelope(statuses=statuses[:1]))  # a duplicate delivery
            await h.settle()
            assert [s["status"] for s in wa_statuses.for_message("wamid.OUT9")] == [
                "sent",
                "delivered",
                "read",
            ]
            failed = wa_statuses.for_message("wamid.OUT8")
            assert failed[0]["status"] == "failed" and failed[0]["error_code"] == 131047
            assert h.received == [] and inbox.rows() == []

    run(go())


def test_unsupported_types_answered_once_with_menu_buttons_and_helpline(monkeypatch):
    monkeypatch.setenv("SATHI_HELPLINE", "1800-345-3444")

    async def go():
        async with ChannelHarness(echo) as h:
            kinds = [
                wc.media(A, "audio"),
                wc.media(A, "voice"),
                wc.media(A, "image"),
                wc.media(A, "video"),
                wc.media(A, "sticker"),
                wc.media(A, "document"),
                wc.location(A),
                wc.contacts(A),
                wc.reaction(A, "wamid.X"),
                wc.unknown(A),
            ]
            await h.post(wc.envelope(messages=kinds))
            await h.post(wc.envelope(messages=kinds[:2]))  # Meta's duplicates
            await h.settle()
            sent = h.sent(A)
            assert len(sent) == len(kinds)
            assert h.received == []
            for m in sent:
                inter = m["body"]["interactive"]
                assert inter["type"] == "button"
                ids = [b["reply"]["id"] for b in inter["action"]["buttons"]]
                assert ids == ["/help", "/work_status", "/human_handoff"]
                body = inter["body"]["text"]
                assert "1800-345-3444" in body
                assert body.index("দুঃখিত") < body.index("Sorry")  # Bengali first
            assert len(h.emulator.reads) == len(kinds)  # each one marked read

    run(go())


def test_unsupported_answer_follows_stored_language():
    from bot_store import preferences

    preferences.save(B, language="en")

    async def go():
        async with ChannelHarness(echo) as h:
            await h.post(wc.envelope(messages=[wc.media(B, "image")]))
            await h.settle()
            inter = h.sent(B)[0]["body"]["interactive"]
            assert "দুঃখিত" not in inter["body"]["text"] and "Sorry" in inter["body"]["text"]
            assert [b["reply"]["title"] for b in inter["action"]["buttons"]] == [
                "Help",
                "Work status",
                "Talk to staff",
            ]

    run(go())


def test_buttons_routed_by_id_never_title_and_metadata_proven():
    async def go():
        async with ChannelHarness(echo) as h:
            payload = '/set_language{"language":"bn"}'
            await h.post(
                wc.envelope(
                    messages=[
                        wc.button_reply(A, payload, "বাংলা"),
                        wc.list_reply(A, "/payslip", "বেতনের স্লিপ"),
                        wc.template_button(A, "/work_status", "Check status"),
                    ]
                )
            )
            await h.settle()
            assert [m.text for m in h.received] == [payload, "/payslip", "/work_status"]
            for m in h.received:
                assert m.input_channel == "whatsapp" and m.sender_id == A
                assert m.message_id.startswith("wamid.")
                assert trust.verified_channel(m.metadata, A) == "whatsapp"
                assert trust.verified_channel(m.metadata, B) is None

    run(go())


def test_other_phone_number_id_ignored():
    async def go():
        async with ChannelHarness(echo) as h:
            await h.post(wc.envelope(messages=[wc.text(A, "hi")], phone_number_id="999"))
            await asyncio.sleep(0.2)
            assert inbox.rows() == []

    run(go())


def test_handler_error_retried_then_given_up_without_duplicate_sends():
    calls = []

    async def flaky(message):
        calls.append(message.text)
        await message.output_channel.send_response(message.sender_id, {"text": "before the error"})
        raise RuntimeError("boom")

    async def go():
        async with ChannelHarness(flaky, max_attempts=4) as h:
            h.channel.worker.max_attempts = 2
            await h.post(wc.envelope(messages=[wc.text(A, "x")]))
            await h.settle()
            assert len(calls) == 2
            assert inbox.rows()[0]["state"] == "failed"
            assert texts(h, A) == ["before the error"]  # the retry found it sent
            assert [r.state for r in outbox.rows(A)] == ["sent"]

    run(go())


def test_webhook_payload_json_is_stored_verbatim():
    async def go():
        async with ChannelHarness(echo, start_worker=False) as h:
            msg = wc.text(A, "নমস্কার")
            await h.post(wc.envelope(messages=[msg]))
            row = inbox.rows()[0]
            assert json.loads(row["payload"]) == msg and row["state"] == "new"

    run(go())


def test_the_webhook_answers_meta_without_cors_work_even_where_rasa_allows_every_origin():
    async def go():
        async with ChannelHarness(echo, start_worker=False, cors_origins="*") as h:
            origin = {"Origin": "https://example.org"}
            probe = h.url.replace("/webhooks/whatsapp/webhook", "/cors-probe")
            async with h.session.get(probe, headers=origin) as resp:
                other_route = resp.headers.get("Access-Control-Allow-Origin")
            body = wc.encode(wc.envelope(statuses=[wc.status("wamid.S1", A, "sent")]))
            hdrs = {"X-Hub-Signature-256": wc.sign(body, APP_SECRET), **origin}
            async with h.session.post(h.url, data=body, headers=hdrs) as resp:
                posted = resp.status, resp.headers.get("Access-Control-Allow-Origin")
            params = {
                "hub.mode": "subscribe",
                "hub.verify_token": VERIFY_TOKEN,
                "hub.challenge": "7",
            }
            async with h.session.get(h.url, params=params, headers=origin) as resp:
                verified = (
                    resp.status,
                    await resp.text(),
                    resp.headers.get("Access-Control-Allow-Origin"),
                )
        # CORS is on for the app, as `rasa run --cors "*"` sets it: other routes answer with it
        assert other_route == "https://example.org"
        assert posted == (200, None)
        assert verified == (200, "7", None)
        assert [s["status"] for s in wa_statuses.for_message("wamid.S1")] == ["sent"]

    run(go())


def test_the_graph_emulator_sends_metas_delivery_statuses_back_and_they_are_recorded(
    monkeypatch,
):
    from tools.graph_emulator import statuses

    monkeypatch.setattr(
        statuses, "STATUS_DELAYS", (("sent", 0.0), ("delivered", 0.05), ("read", 0.1))
    )

    async def go():
        async with ChannelHarness(echo, emulator_statuses=True) as h:
            await h.post(wc.envelope(messages=[wc.text(A, "hello")]))
            await h.settle()
            [reply] = h.sent(A)
            for _ in range(100):  # the statuses come after the send, each a webhook of its own
                if len(wa_statuses.for_message(reply["wamid"])) == 3:
                    break
                await asyncio.sleep(0.05)
            posted = dict(h.emulator.statuses_posted)
        recorded = [s["status"] for s in wa_statuses.for_message(reply["wamid"])]
        assert recorded == ["sent", "delivered", "read"]
        assert posted == {"200": 3}
        assert len(h.received) == 1  # statuses are not user messages

    run(go())
