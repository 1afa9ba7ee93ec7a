"""The status-push worker against a real SQLite bot store (tests/channels/conftest.py), the
Graph emulator in-process and a fake change feed: cursor, duplicates, quiet hours, the
24-hour window vs the template, opt-out, unsubscribe, pacing, and the templates' words
against docs/whatsapp-templates.md."""

from __future__ import annotations

import asyncio
import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from aiohttp import web

from bot_store import inbox, preferences, pushes, subscriptions
from channels.push_messages import TEMPLATES, compose, fill
from channels.push_worker import PushWorker, TokenBucket, quiet_until
from channels.whatsapp_graph import GraphClient, GraphConfig
from portal_client.types.changes import ChangeEvent, ChangeFeed
from sathi.clock import IST
from tests.support.whatsapp import ACCESS_TOKEN, PHONE_NUMBER_ID, free_port
from tools.graph_emulator import rules
from tools.graph_emulator.server import EMULATOR_KEY, make_app

A, B = "919800000001", "919800000002"
CARD = "WB-08-012-002-002/270"
ROOT = Path(__file__).resolve().parents[2]


class FakeFeed:
    """The portal's `/changes`, in memory; counts the calls."""

    def __init__(self) -> None:
        self.events: list[ChangeEvent] = []
        self.calls: list[int] = []

    def add(
        self, kind="wage_credited", record_kind="job_card", record_id=CARD, mobiles=(A,), **state
    ) -> ChangeEvent:
        state = state or {"amount": 3380, "days": 13, "paid_on": "2026-11-28"}
        event = ChangeEvent(
            len(self.events) + 1, kind, record_kind, record_id, tuple(mobiles), state
        )
        self.events.append(event)
        return event

    def changes(self, after=0, limit=100):
        self.calls.append(after)
        page = [e for e in self.events if e.id > after][:limit]
        return ChangeFeed(tuple(page), page[-1].id if page else after, len(page) == limit)


class Clock:
    def __init__(self, when: datetime) -> None:
        self.when = when

    def __call__(self) -> datetime:
        return self.when


def at(hour: int, minute: int = 0, day: int = 28) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=IST)


class Harness:
    def __init__(self, now: datetime, rate: float = 1000.0) -> None:
        self.feed = FakeFeed()
        self.clock = Clock(now)
        self.rate = rate

    async def __aenter__(self) -> Harness:
        self.port = free_port()
        app = make_app(token=ACCESS_TOKEN, phone_number_id=PHONE_NUMBER_ID)
        self.emulator = app[EMULATOR_KEY]
        self.runner = web.AppRunner(app)
        await self.runner.setup()
        await web.TCPSite(self.runner, "127.0.0.1", self.port).start()
        self.worker = self.new_worker()
        return self

    def new_worker(self) -> PushWorker:
        config = GraphConfig(
            access_token=ACCESS_TOKEN,
            phone_number_id=PHONE_NUMBER_ID,
            graph_url=f"http://127.0.0.1:{self.port}",
            graph_version="v21.0",
            timeout=3,
            max_attempts=3,
            retry_base=0.01,
            retry_cap=0.05,
        )
        return PushWorker(
            GraphClient(config),
            portal=self.feed,
            poll_seconds=0.1,
            max_per_second=self.rate,
            now=self.clock,
        )

    async def __aexit__(self, *exc) -> None:
        await self.worker.client.close()
        await self.runner.cleanup()

    def sent(self, to=A):
        return [m for m in self.emulator.messages if m["to"] == to]


def wrote_at(mobile: str, when: datetime) -> None:
    """An inbound message from `mobile` received at `when` (the inbox's clock)."""
    from unittest import mock

    import bot_store.inbox as inbox_module

    with mock.patch.object(inbox_module.clock, "now", lambda: when):
        inbox.add(f"wamid.{mobile}.{when.timestamp()}", mobile, {"type": "text"}, None)


def run(coro):
    return asyncio.run(coro)


# --- cursor and duplicates ----------------------------------------------------------------------
def test_one_push_per_event_and_subscriber_even_when_the_feed_is_read_again():
    async def go():
        async with Harness(at(10)) as h:
            subscriptions.subscribe(A, [("job_card", CARD)], "en")
            subscriptions.subscribe(B, [("job_card", CARD)], "bn")  # not the owner: nothing
            wrote_at(A, at(9))
            h.feed.add()
            assert (await h.worker.run_once()) == {"queued": 1, "sent": 1}
            assert pushes.cursor() == 1
            # the same page read again (a crash before the cursor was seen, a second replica)
            pushes.enqueue(h.worker.pushes_for(h.feed.events), 0)
            second = h.new_worker()
            await second.run_once()
            await h.worker.run_once()
            await second.client.close()
            assert len(h.sent(A)) == 1 and h.sent(B) == []
            assert pushes.cursor() == 1, "the cursor never moves back"
            assert h.feed.calls[-1] == 1, "the feed is asked from the cursor"
            text = h.sent(A)[0]["body"]["text"]["body"]
            assert "₹3,380" in text and CARD in text and "stop updates" in text
            assert [r["state"] for r in pushes.rows(A)] == ["sent"]

    run(go())


def test_a_restart_after_the_send_and_before_the_mark_sends_nothing_again():
    async def go():
        async with Harness(at(10)) as h:
            subscriptions.subscribe(A, [("job_card", CARD)], "bn")
            wrote_at(A, at(9))
            h.feed.add()
            await asyncio.to_thread(h.worker.read_feed)
            push = pushes.claim_due(at(10))[0]
            assert await h.worker.send_one(push) == "sent"
            # as if the process died before marking: the row is pending again, lease gone
            from bot_store.db import engine
            from bot_store.schema import push_deliveries

            with engine().begin() as conn:
                conn.execute(push_deliveries.update().values(state="pending", lease_until=None))
            await h.new_worker().run_once()
            assert len(h.sent(A)) == 1
            assert "জব কার্ড" in h.sent(A)[0]["body"]["text"]["body"]

    run(go())


# --- quiet hours ----------------------------------------------------------------------------------
def test_quiet_hours_end_at_eight_in_the_morning():
    assert quiet_until(at(20, 59)) is None
    assert quiet_until(at(21, 0)) == at(8, 0, day=29)
    assert quiet_until(at(23, 30)) == at(8, 0, day=29)
    assert quiet_until(at(2, 0)) == at(8, 0)
    assert quiet_until(at(8, 0)) is None


def test_nothing_during_quiet_hours_then_sent_at_eight():
    async def go():
        async with Harness(at(21, 30)) as h:
            subscriptions.subscribe(A, [("job_card", CARD)], "en")
            wrote_at(A, at(21, 0))
            h.feed.add()
            await h.worker.run_once()
            h.clock.when = at(7, 59, day=29)
            await h.worker.run_once()
            assert h.sent(A) == []
            assert pushes.rows(A)[0]["state"] == "pending"
            h.clock.when = at(8, 0, day=29)
            await h.worker.run_once()
            assert len(h.sent(A)) == 1
            assert h.sent(A)[0]["type"] == "text", "08:00 is within 24 h of 21:00"

    run(go())


def test_a_push_claimed_just_before_nine_at_night_is_held():
    async def go():
        async with Harness(at(20, 59)) as h:
            subscriptions.subscribe(A, [("job_card", CARD)], "en")
            h.feed.add()
            await asyncio.to_thread(h.worker.read_feed)
            h.clock.when = at(21, 1)
            assert await h.worker.send_one(pushes.claim_due(at(20, 59))[0]) == "held"
            assert h.sent(A) == [] and pushes.claim_due(at(23)) == []
            assert len(pushes.claim_due(at(8, 0, day=29))) == 1

    run(go())


# --- the 24-hour window ---------------------------------------------------------------------------
def test_text_inside_the_window_template_outside_it_in_the_users_language():
    async def go():
        async with Harness(at(10)) as h:
            subscriptions.subscribe(A, [("trade_noc", "TN-2026-004513")], "bn")
            subscriptions.subscribe(B, [("trade_noc", "TN-2026-004513")], "en")
            wrote_at(A, at(10) - timedelta(hours=23))
            wrote_at(B, at(10) - timedelta(hours=25))
            h.feed.add(
                "application_status",
                "trade_noc",
                "TN-2026-004513",
                (A, B),
                status="approved",
                on="2026-11-28",
            )
            await h.worker.run_once()
            (to_a,), (to_b,) = h.sent(A), h.sent(B)
            assert to_a["type"] == "text"
            assert to_a["body"]["text"]["body"].startswith("সাথী: আপনার ট্রেড লাইসেন্সের আবেদন")
            assert "মঞ্জুর হয়েছে" in to_a["body"]["text"]["body"]
            assert "approved" not in to_a["body"]["text"]["body"]
            assert to_b["type"] == "template"
            template = to_b["body"]["template"]
            assert template["name"] == "sathi_application_status"
            assert template["language"]["code"] == "en"
            params = [p["text"] for p in template["components"][0]["parameters"]]
            assert params == ["Trade NOC (trade licence)", "TN-2026-004513", "approved"]
            assert rules.check_message(to_b["body"], lambda _: True) is None
            assert {r["via"] for r in pushes.rows()} == {"text", "template"}

    run(go())


def test_never_written_means_template():
    async def go():
        async with Harness(at(10)) as h:
            subscriptions.subscribe(A, [("employee", "WBP-1002300")], "bn")
            h.feed.add(
                "salary_credited",
                "employee",
                "WBP-1002300",
                (A,),
                month="2026-10",
                net=51503,
                credited_on="2026-11-28",
            )
            await h.worker.run_once()
            (message,) = h.sent(A)
            assert message["type"] == "template"
            params = [p["text"] for p in message["body"]["template"]["components"][0]["parameters"]]
            assert params == ["অক্টোবর ২০২৬", "₹৫১,৫০৩", "WBP-1002300"]

    run(go())


# --- opt-out and stop ----------------------------------------------------------------------------
def test_opt_out_and_unsubscribe_are_respected_at_send_time():
    async def go():
        async with Harness(at(10)) as h:
            subscriptions.subscribe(A, [("booking", "PTB-2026-001217")], "en")
            subscriptions.subscribe(B, [("booking", "PTB-2026-001217")], "en")
            h.feed.add(
                "booking_status",
                "booking",
                "PTB-2026-001217",
                (A, B),
                status="cancelled",
                check_in="2026-12-23",
            )
            await asyncio.to_thread(h.worker.read_feed)
            preferences.set_opted_out(A, True)  # after the push was queued
            subscriptions.unsubscribe(B)
            await h.worker.run_once()
            assert h.sent(A) == [] and h.sent(B) == []
            assert [(r["state"], r["detail"]) for r in pushes.rows()] == [
                ("skipped", "opted out"),
                ("skipped", "unsubscribed"),
            ]

    run(go())


# --- pacing ---------------------------------------------------------------------------------------
def test_token_bucket_paces_to_the_configured_rate():
    t = [0.0]
    slept: list[float] = []

    async def sleep(seconds):
        slept.append(seconds)
        t[0] += seconds

    bucket = TokenBucket(5.0, capacity=1, monotonic=lambda: t[0], sleep=sleep)

    async def go():
        for _ in range(11):
            await bucket.take()

    run(go())
    assert t[0] == pytest.approx(2.0, abs=0.01), "11 sends at 5 a second take 2 s after the first"


def test_worker_sends_no_faster_than_the_limit():
    async def go():
        async with Harness(at(10), rate=10.0) as h:
            h.worker.bucket = TokenBucket(10.0, capacity=1)
            numbers = [f"9198000001{i:02d}" for i in range(6)]
            for number in numbers:
                subscriptions.subscribe(number, [("job_card", CARD)], "en")
            h.feed.add(mobiles=numbers)
            started = asyncio.get_running_loop().time()
            await h.worker.run_once()
            took = asyncio.get_running_loop().time() - started
            assert sum(len(h.sent(n)) for n in numbers) == 6
            assert took >= 0.45, f"6 pushes at 10/s took only {took:.2f} s"

    run(go())


# --- words ----------------------------------------------------------------------------------------
def test_every_event_kind_has_words_in_both_languages_without_codes():
    samples = [
        ("wage_credited", "job_card", CARD, {"amount": 1750, "days": 7, "paid_on": "2026-11-28"}),
        ("application_status", "building_plan", "BP-2026-000811", {"status": "rejected"}),
        (
            "booking_status",
            "booking",
            "PTB-2026-001217",
            {"status": "confirmed", "check_in": "2026-12-23"},
        ),
        ("salary_credited", "employee", "WBP-1002300", {"month": "2026-10", "net": 100}),
    ]
    for sample in samples:
        bn, en = compose(*sample, "bn"), compose(*sample, "en")
        assert "{{" not in bn.text + en.text
        assert re.search(r"[\u0980-\u09ff]", bn.text) and not re.search(r"[\u0980-\u09ff]", en.text)
        for code in ("rejected", "confirmed", "_"):
            assert code not in bn.text.replace(sample[2], "")


def test_templates_are_documented_for_meta_as_the_code_uses_them():
    doc = (ROOT / "docs" / "whatsapp-templates.md").read_text(encoding="utf-8")
    for name, bodies in TEMPLATES.items():
        assert f"`{name}`" in doc
        for body in bodies.values():
            assert body in doc, f"{name}: the body in the doc differs from the code"
    assert fill("{{2}} {{1}}", ["a", "b"]) == "b a"


def test_one_reader_of_the_feed_at_a_time_and_a_clean_stop_hands_it_over():
    async def go():
        async with Harness(at(10)) as h:
            other = h.new_worker()
            h.feed.add()
            await asyncio.to_thread(h.worker.read_feed)
            assert await asyncio.to_thread(other.read_feed) == 0 and len(h.feed.calls) == 1
            await h.worker.stop()
            h.feed.add()
            assert await asyncio.to_thread(other.read_feed) == 0  # nobody subscribed
            assert len(h.feed.calls) == 2 and pushes.cursor() == 2
            await other.client.close()

    run(go())
