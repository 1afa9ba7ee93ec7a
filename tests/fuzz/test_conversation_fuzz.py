"""Hostile and odd messages against the real stack (REST and signed WhatsApp webhooks): no 500,
no exception, and EVERY message gets a reply. Example counts: tests/fuzz/conftest.py."""

from __future__ import annotations

import uuid

import pytest
import requests
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.fuzz.conftest import STACK_EXAMPLES
from tests.fuzz.strategies import any_json, hostile_text, long_text, whitespace
from tests.support.whatsapp_stack import StackWhatsApp
from tools import webhook_client as wc

pytestmark = pytest.mark.stack
message = st.one_of(hostile_text, long_text, whitespace, st.just(""))


def rest(stack, body, raw=None):
    url = f"{stack.rasa_url}/webhooks/rest/webhook"
    if raw is not None:
        return requests.post(
            url, data=raw, headers={"Content-Type": "application/json"}, timeout=60
        )
    return requests.post(url, json=body, timeout=60)


@pytest.fixture(scope="module")
def wa(stack):
    helper = StackWhatsApp(stack)
    yield helper
    helper.close()


def test_all_whitespace_rest_message_gets_a_reply(stack):
    for text in ("", "   ", "\n\t ", "\u200b"):
        answer = rest(stack, {"sender": "fuzz-" + uuid.uuid4().hex[:10], "message": text})
        assert answer.status_code == 200 and answer.json(), (repr(text), answer.text)


@settings(max_examples=STACK_EXAMPLES)
@given(text=message, demo=st.booleans())
def test_every_rest_message_gets_a_reply(stack, text, demo):
    sender = ("9198" + uuid.uuid4().int.__str__()[:8]) if demo else "fuzz-" + uuid.uuid4().hex[:10]
    answer = rest(stack, {"sender": sender, "message": text})
    assert answer.status_code == 200, answer.text[:300]
    replies = answer.json()
    assert replies and any(r.get("text") or r.get("custom") or r.get("buttons") for r in replies), (
        repr(text[:80])
    )
    assert not any("Traceback" in (r.get("text") or "") for r in replies)


@settings(max_examples=STACK_EXAMPLES)
@given(body=any_json)
def test_hostile_rest_bodies_get_an_answer_not_a_500(stack, body):
    answer = rest(stack, body)
    assert answer.status_code in (200, 400), answer.status_code
    if answer.status_code == 400:
        assert "error" in answer.json()


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"{",
        b"null",
        b"[]",
        b'{"sender": 5, "message": "x"}',
        b'{"sender": "a", "message": {"x": 1}}',
        b"\xff\xfe",
        b'"text"',
    ],
)
def test_malformed_rest_requests_are_refused_cleanly(stack, raw):
    answer = rest(stack, None, raw=raw)
    assert answer.status_code == 400, (raw, answer.status_code, answer.text[:200])


@settings(max_examples=max(5, STACK_EXAMPLES // 2))
@given(text=st.one_of(hostile_text, long_text.map(lambda s: s[:4096]), whitespace))
def test_every_whatsapp_message_gets_a_reply(wa, text):
    wa_id = "9171" + uuid.uuid4().int.__str__()[:8]
    answer = wa.post(wc.text(wa_id, text))
    assert answer.status_code == 200
    wa.settle(wa_id, timeout=120)
    assert wa.sent(wa_id), repr(text[:80])
    assert [r["state"] for r in wa.inbox(wa_id)] == ["done"]


@settings(max_examples=STACK_EXAMPLES)
@given(payload=any_json)
def test_signed_hostile_webhooks_never_500(wa, payload):
    answer = wc.post(wa.url, payload, wa.app_secret)
    assert answer.status_code == 200, answer.status_code
