"""Outbound: splitting, merging, buttons vs lists, documents, error classes, crash safety."""

from __future__ import annotations

import asyncio
import logging

from bot_store import documents, inbox, outbox
from channels import whatsapp_render as render
from tests.support.whatsapp import ChannelHarness, run
from tools import webhook_client as wc

A, B = "919800000001", "919800000002"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# a question too long to take the text before it into its body: two messages stay two
UNFOLDABLE = "x" * render.BODY_MAX
OK_BUTTON = [{"title": "ok", "payload": "/ok"}]


def responder(*responses):
    async def handler(message):
        for response in responses:
            await message.output_channel.send_response(message.sender_id, dict(response))

    return handler


async def fail(h, mode, count=1, seconds=0.0, on="send"):
    url = f"http://127.0.0.1:{h.emulator_port}/_emulator/fail"
    async with h.session.post(
        url, json={"mode": mode, "count": count, "seconds": seconds, "on": on}
    ) as r:
        assert r.status == 200


async def one_turn(h, text="hi", to=A):
    assert (await h.post(wc.envelope(messages=[wc.text(to, text)])))[0] == 200
    await h.settle()
    return h.sent(to)


def test_texts_of_a_turn_merged_and_long_text_split():
    long_text = "\n".join(f"লাইন {i}: " + "কাজের খবর " * 12 for i in range(80))
    handler = responder(
        {"text": "প্রথম"}, {"text": "দ্বিতীয়"}, {"text": "third"}, {"text": long_text}
    )

    async def go():
        async with ChannelHarness(handler) as h:
            sent = await one_turn(h)
            bodies = [m["body"]["text"]["body"] for m in sent]
            assert bodies[0].startswith("প্রথম\n\nদ্বিতীয়\n\nthird")
            assert all(len(b) <= 4096 for b in bodies)
            assert len(sent) == -(-(len(long_text) + 30) // 4096) or len(sent) <= 4
            joined = "\n".join(bodies)
            assert "লাইন 0:" in joined and "লাইন 79:" in joined
            for b in bodies:
                assert not b.endswith("\u09cd")

    run(go())


def test_texts_before_buttons_open_the_buttons_message_when_they_fit():
    buttons = [{"title": "হ্যাঁ", "payload": "/affirm"}, {"title": "না", "payload": "/deny"}]
    many = [{"title": f"ব্লক {i}", "payload": f"/b{i}"} for i in range(5)]
    handler = responder(
        {"text": "আপনার কাজ: ৩৫ দিন"},
        {"text": "মজুরি ঢুকেছে"},
        {"text": "টাকা ঢুকলে জানাব?", "buttons": buttons},
        {"text": "উত্তরটা কাজে লাগল?", "buttons": buttons},  # no text before it: stays
        {"text": "শেষ কথা"},
        {"text": "কোন ব্লক?", "buttons": many},  # a list takes the text before it too
        {"text": "x" * (render.BODY_MAX - 5)},
        {"text": "আবার?", "buttons": buttons},  # does not fit: two messages
    )

    async def go():
        async with ChannelHarness(handler) as h:
            sent = await one_turn(h)
            shapes = [
                (m["type"], m["body"]["interactive"]["type"] if m["type"] == "interactive" else "")
                for m in sent
            ]
            assert shapes == [
                ("interactive", "button"),
                ("interactive", "button"),
                ("interactive", "list"),
                ("text", ""),
                ("interactive", "button"),
            ]
            assert sent[0]["body"]["interactive"]["body"]["text"] == (
                "আপনার কাজ: ৩৫ দিন\n\nমজুরি ঢুকেছে\n\nটাকা ঢুকলে জানাব?"
            )
            assert sent[1]["body"]["interactive"]["body"]["text"] == "উত্তরটা কাজে লাগল?"
            assert sent[2]["body"]["interactive"]["body"]["text"] == "শেষ কথা\n\nকোন ব্লক?"
            assert sent[4]["body"]["interactive"]["body"]["text"] == "আবার?"
            for m in sent:
                if m["type"] == "interactive":
                    assert render.validate_interactive(m["body"]) == []
            assert [r.state for r in outbox.rows(A)] == ["sent"] * 5

    run(go())


def test_buttons_or_list_chosen_by_count_and_title_length():
    bn_buttons = [
        {"title": t, "payload": f"/p{i}"}
        for i, t in enumerate(["বেতনের স্লিপ", "বেতন বিবরণী", "ফর্ম ১৬", "কাজের অবস্থা", "মজুরির অবস্থা"])
    ]
    long_title = [
        {"title": "হ্যাঁ", "payload": "/affirm"},
        {"title": "না, অন্য আর্থিক বছরের বিবরণী চাই", "payload": "/deny"},
    ]
    many = [
        {"title": f"পঞ্চায়েত সমিতি নম্বর {i}", "payload": f'/inform{{"ps":{i}}}'} for i in range(12)
    ]
    handler = responder(
        {
            "text": "ভাষা বেছে নিন",
            "buttons": [
                {"title": "বাংলা", "payload": '/set_language{"language":"bn"}'},
                {"title": "English", "payload": '/set_language{"language":"en"}'},
            ],
        },
        {"text": "কোন নথি?", "buttons": bn_buttons},
        {"text": "ঠিক আছে?", "buttons": long_title},
        {"text": "সমিতি বেছে নিন", "buttons": many},
    )

    async def go():
        async with ChannelHarness(handler) as h:
            sent = await one_turn(h)
            kinds = [m["body"]["interactive"]["type"] for m in sent]
            assert kinds == ["button", "list", "list", "list", "list"]
            for m in sent:
                assert render.validate_interactive(m["body"]) == []
            rows = sent[2]["body"]["interactive"]["action"]["sections"][0]["rows"]
            assert rows[1]["id"] == "/deny" and len(rows[1]["title"]) <= 24
            assert rows[1]["title"].endswith("…") and "বিবরণী" in rows[1]["description"]
            page1 = sent[3]["body"]["interactive"]["action"]["sections"][0]["rows"]
            page2 = sent[4]["body"]["interactive"]["action"]["sections"][0]["rows"]
            assert len(page1) == 10 and len(page2) == 2
            assert [r["id"] for r in page1 + page2] == [b["payload"] for b in many]

    run(go())


def test_a_turns_first_messages_go_at_once_and_the_rest_are_paced():
    """Meta's pair rate lets a burst through: the first `pace_after` messages of a turn are
    not held back; each one past them waits `pace` after Graph answered the one before."""
    handler = responder(*({"text": f"question {i}?", "buttons": OK_BUTTON} for i in range(5)))

    async def go():
        async with ChannelHarness(handler) as h:
            h.channel.graph_config.pace = 1.0
            h.channel.graph_config.pace_after = 3
            sent = await one_turn(h)
            assert len(sent) == 5
            gaps = [b["at"] - a["at"] for a, b in zip(sent, sent[1:])]
            assert max(gaps[:2]) < 0.8, gaps  # the burst: no pause
            assert min(gaps[2:]) >= 0.95, gaps  # the 4th and 5th: paced

    run(go())


def test_document_uploaded_sent_with_filename_then_media_deleted():
    async def go():
        doc_id = documents.store_document(
            owner_mobile=A,
            service="payslip",
            record_ref="WBP-1/2026-10",
            filename="payslip-2026-10.pdf",
            content=PDF,
            pages=1,
        )
        handler = responder(
            {"text": "এই নিন আপনার বেতনের স্লিপ।"},
            {
                "custom": {
                    "document": {
                        "id": doc_id,
                        "filename": "payslip-2026-10.pdf",
                        "caption": "বেতনের স্লিপ, অক্টোবর ২০২৬",
                    }
                }
            },
        )
        async with ChannelHarness(handler) as h:
            sent = await one_turn(h)
            assert [m["type"] for m in sent] == ["text", "document"]
            doc = sent[1]["document"]
            assert (
                doc["filename"] == "payslip-2026-10.pdf" and doc["mime_type"] == "application/pdf"
            )
            assert doc["caption"] == "বেতনের স্লিপ, অক্টোবর ২০২৬"
            assert doc["media_id"] in h.emulator.deleted_media
            assert h.emulator.calls["media"] == 1
            row = outbox.rows(A)[-1]
            assert row.kind == "document" and row.state == "sent"
            assert "content" not in str(row.body) and "PDF" not in str(row.body)

    run(go())


def test_missing_or_foreign_document_refused_with_a_text():
    async def go():
        foreign = documents.store_document(
            owner_mobile=B,
            service="payslip",
            record_ref="x",
            filename="b.pdf",
            content=PDF,
            pages=1,
        )
        handler = responder(
            {"custom": {"document": {"id": "no-such-doc", "filename": "a.pdf"}}},
            {"custom": {"document": {"id": foreign, "filename": "b.pdf"}}},
        )
        async with ChannelHarness(handler) as h:
            sent = await one_turn(h)
            assert [m["type"] for m in sent] == ["text", "text"]
            assert "no longer available" in sent[0]["body"]["text"]["body"]
            assert h.emulator.calls["media"] == 0

    run(go())


def test_rate_limit_once_retried_and_delivered_once():
    async def go():
        async with ChannelHarness(responder({"text": "hello"})) as h:
            await fail(h, "rate_limit", count=1)
            sent = await one_turn(h)
            assert len(sent) == 1 and h.emulator.calls["send"] == 2
            row = outbox.rows(A)[0]
            assert (
                row.state == "sent"
                and row.attempts == 2
                and row.graph_message_id == sent[0]["wamid"]
            )

    run(go())


def test_server_errors_and_pair_rate_retried_with_backoff():
    async def go():
        async with ChannelHarness(responder({"text": "hello"}), max_attempts=5) as h:
            await fail(h, "500", count=2)
            await fail(h, "pair_rate", count=1)
            sent = await one_turn(h)
            assert len(sent) == 1 and outbox.rows(A)[0].attempts == 4

    run(go())


def test_retries_are_bounded():
    async def go():
        async with ChannelHarness(responder({"text": "hello"}), max_attempts=3) as h:
            await fail(h, "500", count=10)
            sent = await one_turn(h)
            assert sent == [] and h.emulator.calls["send"] == 3
            assert outbox.rows(A)[0].state == "failed"

    run(go())


def test_outside_window_recorded_not_retried():
    async def go():
        async with ChannelHarness(responder({"text": "hello"})) as h:
            await fail(h, "window", count=1)
            sent = await one_turn(h)
            assert sent == [] and h.emulator.calls["send"] == 1
            row = outbox.rows(A)[0]
            assert row.state == "needs_template" and "131047" in row.last_error
            assert inbox.rows()[0]["state"] == "done"

    run(go())


def test_token_error_alerts_and_is_not_retried(caplog):
    async def go():
        async with ChannelHarness(responder({"text": "hello"})) as h:
            await fail(h, "token", count=1)
            with caplog.at_level(logging.CRITICAL, logger="channels"):
                sent = await one_turn(h)
            assert sent == [] and h.emulator.calls["send"] == 1
            assert outbox.rows(A)[0].state == "failed"

    run(go())
    assert any(
        "access token" in r.getMessage() for r in caplog.records if r.levelno == logging.CRITICAL
    )
    assert all(h_secret not in caplog.text for h_secret in ("test-access-token", "test-app-secret"))


def test_lost_answer_is_ambiguous_and_not_resent(caplog):
    async def go():
        async with ChannelHarness(
            responder(
                {"text": "hello"},
                {"text": UNFOLDABLE, "buttons": [{"title": "OK", "payload": "/affirm"}]},
            ),
            graph_timeout=0.5,
        ) as h:
            await fail(h, "timeout", count=1, seconds=0.8)
            with caplog.at_level(logging.WARNING, logger="channels"):
                await one_turn(h)
            await asyncio.sleep(0.6)  # the emulator answers late (and accepted the message)
            states = [r.state for r in outbox.rows(A)]
            assert states == ["ambiguous", "sent"]
            assert h.emulator.calls["send"] == 2
            assert [m["type"] for m in h.sent(A)] == ["interactive", "text"] or [
                m["type"] for m in h.sent(A)
            ] == ["text", "interactive"]

    run(go())
    assert "AMBIGUOUS" in caplog.text and "919800000001" not in caplog.text


def test_row_left_processing_is_processed_after_restart_without_resending_what_was_sent():
    async def go():
        row_id = inbox.add(
            "wamid.CRASH-1", A, wc.text(A, "before the crash", wamid="wamid.CRASH-1"), 1
        )
        claimed = inbox.claim_next(A, lease_seconds=0.3)  # the old process took it ...
        assert claimed is not None and claimed.id == row_id
        first = outbox.get_or_create(
            wa_id=A,
            inbox_id=row_id,
            seq=0,
            kind="text",
            body=render.text_body("answer part 1"),
            answer_to="wamid.CRASH-1",
        )
        outbox.start_sending(first.id)
        outbox.mark_sent(first.id, "wamid.OLD")  # ... Graph accepted part 1 ...
        # ... and the process died before part 2.
        handler = responder(
            {"text": "answer part 1"},
            {"text": UNFOLDABLE, "buttons": [{"title": "OK", "payload": "/affirm"}]},
        )
        async with ChannelHarness(handler, lease_seconds=0.3) as h:
            await asyncio.sleep(0.4)
            await h.settle()
            sent = h.sent(A)
            assert [m["type"] for m in sent] == ["interactive"]
            assert inbox.get(row_id)["state"] == "done"
            assert [r.state for r in outbox.rows(A)] == ["sent", "sent"]

    run(go())


def test_row_found_sending_after_crash_becomes_ambiguous_not_resent():
    async def go():
        row_id = inbox.add("wamid.CRASH-2", A, wc.text(A, "hi", wamid="wamid.CRASH-2"), 1)
        first = outbox.get_or_create(
            wa_id=A,
            inbox_id=row_id,
            seq=0,
            kind="text",
            body=render.text_body("hello"),
            answer_to="wamid.CRASH-2",
        )
        outbox.start_sending(first.id)  # in flight when the process died
        async with ChannelHarness(responder({"text": "hello"})) as h:
            await h.settle()
            assert h.sent(A) == []
            assert outbox.get(first.id).state == "ambiguous"
            assert inbox.get(row_id)["state"] == "done"

    run(go())


def test_new_rows_from_before_a_restart_are_processed_at_start():
    async def go():
        for i in range(3):
            inbox.add(
                f"wamid.OLD-{i}",
                A,
                wc.text(A, f"m{i}", wamid=f"wamid.OLD-{i}", ts=100 + i),
                100 + i,
            )
        seen = []

        async def handler(message):
            seen.append(message.text)

        async with ChannelHarness(handler) as h:
            await h.settle()
        assert seen == ["m0", "m1", "m2"]

    run(go())


def test_output_channel_outside_a_turn_sends_at_once():
    async def go():
        async with ChannelHarness(responder()) as h:
            out = h.channel.get_output_channel()
            await out.send_response(B, {"text": "reminder"})
            assert [m["body"]["text"]["body"] for m in h.sent(B)] == ["reminder"]
            assert outbox.rows(B)[0].inbox_id is None and out.name() == "whatsapp"

    run(go())


def test_document_outside_the_window_goes_as_template_with_media_header():
    async def go():
        doc_id = documents.store_document(
            owner_mobile=A,
            service="trade_noc",
            record_ref="TN-1",
            filename="trade-noc-TN-2026-000001.pdf",
            content=PDF,
            pages=1,
        )
        handler = responder(
            {
                "custom": {
                    "document": {
                        "id": doc_id,
                        "filename": "trade-noc-TN-2026-000001.pdf",
                        "template": {"name": "sathi_document_ready", "language": "bn"},
                    }
                }
            }
        )
        async with ChannelHarness(handler) as h:
            sent = await one_turn(h)
            assert [m["type"] for m in sent] == ["template"]
            template = sent[0]["body"]["template"]
            assert (
                template["name"] == "sathi_document_ready" and template["language"]["code"] == "bn"
            )
            header = template["components"][0]["parameters"][0]["document"]
            assert header["filename"] == "trade-noc-TN-2026-000001.pdf"
            assert "link" not in header and header["id"] in h.emulator.deleted_media
            assert sent[0]["document"]["mime_type"] == "application/pdf"
            assert h.emulator.calls["media"] == 1

    run(go())


def test_template_document_for_another_number_is_refused():
    async def go():
        doc_id = documents.store_document(
            owner_mobile="919800000099",
            service="trade_noc",
            record_ref="TN-1",
            filename="x.pdf",
            content=PDF,
            pages=1,
        )
        handler = responder(
            {
                "custom": {
                    "document": {
                        "id": doc_id,
                        "filename": "x.pdf",
                        "template": {"name": "sathi_document_ready"},
                    }
                }
            }
        )
        async with ChannelHarness(handler) as h:
            sent = await one_turn(h)
            assert [m["type"] for m in sent] == ["text"]
            assert h.emulator.calls["media"] == 0

    run(go())
