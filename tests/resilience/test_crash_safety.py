"""kill -9 in the worst moments; after `scripts/stack.sh up` the conversation goes on where it
was (SQL tracker store, the WhatsApp inbox), nothing is lost and nothing is sent twice."""

from __future__ import annotations

import re
import time

import pytest

from tests.resilience.conftest import kill9, portal_fault, restart, wait_until
from tests.support.whatsapp_stack import StackWhatsApp, all_text, new_wa_id
from tools import webhook_client as wc

pytestmark = pytest.mark.stack
LINK = re.compile(r"/documents/[A-Za-z0-9_\-]+")


@pytest.fixture(scope="module")
def wa(own_stack):
    helper = StackWhatsApp(own_stack)
    yield helper
    helper.close()


def text_of(replies):
    return "\n".join(r.get("text", "") for r in replies)


def approved_noc(stack, index=0):
    return [n for n in stack.demo_ids["trade_nocs"] if n["status"] == "approved"][index]


def test_rasa_killed_in_the_middle_of_a_form(own_stack):
    noc = approved_noc(own_stack)
    sender = own_stack.new_sender(noc["mobile"])
    asked = own_stack.say(sender, "I need my trade licence certificate")
    assert asked and not LINK.search(text_of(asked)), asked  # the form asks for the number
    kill9(own_stack, "rasa")
    restart(own_stack)
    replies = own_stack.say(sender, noc["application_no"])
    assert len(LINK.findall(text_of(replies))) == 1, replies  # the form went on


def test_action_server_killed_during_a_portal_call(own_stack, wa):
    noc = approved_noc(own_stack, 1)
    mobile = noc["mobile"]
    portal_fault(own_stack, mode="slow", delay_seconds=3)
    try:
        assert (
            wa.post(
                wc.text(mobile, f"I need my trade licence certificate {noc['application_no']}")
            ).status_code
            == 200
        )
        time.sleep(1.5)  # the action waits for the portal
        kill9(own_stack, "actions")
        wa.settle(mobile, timeout=120)
    finally:
        portal_fault(own_stack, mode="none")
        restart(own_stack)
    # after the restart the same conversation works; the document comes exactly once
    wa.say(mobile, f"I need my trade licence certificate {noc['application_no']}")
    docs = [m for m in wa.sent(mobile) if m["body"].get("type") == "document"]
    assert len(docs) == 1, all_text(wa.sent(mobile))
    assert all(r["state"] == "done" for r in wa.inbox(mobile))


def test_rasa_killed_right_after_the_webhook_answered(own_stack, wa):
    mobile = new_wa_id()
    wa.say(mobile, "hello")
    before = len(wa.sent(mobile))
    answer = wa.post(wc.text(mobile, "help"))
    assert answer.status_code == 200
    kill9(own_stack, "rasa")  # the 200 was given: it is ours now
    restart(own_stack)
    rows = wa.settle(mobile, rows=2, timeout=120)
    assert [r["state"] for r in rows] == ["done", "done"]
    new = wait_until(lambda: wa.sent(mobile)[before:], timeout=30)
    assert new, "the message answered 200 before the crash got no reply"
    time.sleep(3)
    again = wa.sent(mobile)[before:]
    outbox = wa.outbox(mobile)
    assert len(again) == len(new)  # nothing sent twice
    assert len({(r["inbox_id"], r["seq"]) for r in outbox}) == len(outbox)
