"""The portal goes down while a WhatsApp user asks for a document: the user hears, in their
language and within 5 seconds, that the document will come when the portal is back; the
request is kept; when the portal answers again the document arrives with no further message
from the user, exactly once. Over REST (no push) the bot says when to ask again instead."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import select

from bot_store.schema import audit_log, deferred_deliveries
from tests.resilience.conftest import wait_until
from tests.support.whatsapp_stack import StackWhatsApp, all_text
from tools import webhook_client as wc

pytestmark = pytest.mark.stack


@pytest.fixture(scope="module")
def wa(own_stack):
    helper = StackWhatsApp(own_stack)
    yield helper
    helper.close()


def deferred_rows(wa, mobile):
    with wa.store.connect() as conn:
        return [
            dict(r)
            for r in conn.execute(
                select(deferred_deliveries).where(deferred_deliveries.c.mobile == mobile)
            ).mappings()
        ]


def documents_to(wa, mobile):
    return [m for m in wa.sent(mobile) if m["body"].get("type") == "document"]


def test_document_is_delivered_when_the_portal_is_back(own_stack, wa):
    noc = next(n for n in own_stack.demo_ids["trade_nocs"] if n["status"] == "approved")
    mobile, number = noc["mobile"], noc["application_no"]
    stopped = own_stack.run_script("stop-one", "portal")
    assert stopped.returncode == 0, stopped.stderr
    try:
        started = time.monotonic()
        assert (
            wa.post(wc.text(mobile, f"I need my trade licence certificate {number}")).status_code
            == 200
        )
        first = wait_until(lambda: wa.sent(mobile), timeout=30)
        took = time.monotonic() - started
        wa.settle(mobile)
        replies = all_text(wa.sent(mobile))
        assert "portal is not answering" in replies and "You don't need to ask again" in replies, (
            replies
        )
        assert took < 5.0, f"the portal-down answer took {took:.1f} s"
        assert first and documents_to(wa, mobile) == []
        rows = deferred_rows(wa, mobile)
        assert [(r["service"], r["state"]) for r in rows] == [("trade_noc", "waiting")]
        # asking again while it is down keeps one request, not two
        wa.say(mobile, f"I need my trade licence certificate {number}")
        assert len(deferred_rows(wa, mobile)) == 1
    finally:
        assert own_stack.run_script("start-one", "portal").returncode == 0
    inbox_rows = len(wa.inbox(mobile))
    docs = wait_until(lambda: documents_to(wa, mobile), timeout=60)
    assert len(docs) == 1, wa.sent(mobile)
    assert docs[0]["body"]["document"]["filename"].endswith(".pdf")
    assert "working again" in all_text(wa.sent(mobile))
    assert len(wa.inbox(mobile)) == inbox_rows  # no message from the user was needed
    assert [r["state"] for r in deferred_rows(wa, mobile)] == ["delivered"]
    time.sleep(4)  # more worker passes: nothing more
    assert len(documents_to(wa, mobile)) == 1
    with wa.store.connect() as conn:
        outcomes = [
            r.outcome
            for r in conn.execute(select(audit_log).where(audit_log.c.mobile == mobile)).fetchall()
        ]
    assert "unavailable" in outcomes and "delivered" in outcomes


def test_rest_cannot_push_so_the_bot_says_when_to_ask_again(own_stack):
    noc = next(n for n in own_stack.demo_ids["trade_nocs"] if n["status"] == "approved")
    sender = own_stack.new_sender(noc["mobile"])
    assert own_stack.run_script("stop-one", "portal").returncode == 0
    try:
        started = time.monotonic()
        replies = own_stack.say(
            sender, f"I need my trade licence certificate {noc['application_no']}"
        )
        took = time.monotonic() - started
    finally:
        assert own_stack.run_script("start-one", "portal").returncode == 0
    text = "\n".join(r.get("text", "") for r in replies)
    assert "ask again in about 15 minutes" in text, text
    assert took < 5.0
