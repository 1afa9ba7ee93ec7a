"""WhatsApp end to end: Meta-shaped, signed webhooks to the real rasa server (stack fixture),
the real action server and portal, replies read from the Graph emulator, the inbox / outbox /
statuses read from the stack's bot store. Waiting is bounded polling (StackWhatsApp.settle).

Each test writes as numbers of its own (language preferences are per number); tests that arm
an emulator failure settle every message before and after, so nobody else's send consumes it.
"""

from __future__ import annotations

import hashlib
import io
import json
import threading
import time
from collections import Counter

import pytest
import requests
from pypdf import PdfReader

from sathi import formatting
from tests.support.whatsapp_stack import (
    StackWhatsApp,
    all_text,
    body_text,
    choices,
    new_wa_id,
    request_trade_noc,
)
from tools import webhook_client as wc
from tools.graph_emulator import rules

pytestmark = pytest.mark.stack

SET_EN = '/set_language{"language":"en"}'
SET_BN = '/set_language{"language":"bn"}'
ONLY_TEXT_IDS = ["/help", "/work_status", "/human_handoff"]


@pytest.fixture(scope="module")
def wa(stack):
    helper = StackWhatsApp(stack)
    yield helper
    helper.close()


def rasa_user_events(stack, sender: str) -> list:
    """The user events of `sender`'s tracker, through rasa's HTTP API (token auth)."""
    tracker = requests.get(
        f"{stack.rasa_url}/conversations/{sender}/tracker",
        params={"token": stack.secret("rasa_api_token")},
        timeout=10,
    )
    tracker.raise_for_status()
    return [e for e in tracker.json().get("events", []) if e.get("event") == "user"]


def assert_within_meta_limits(messages: list) -> None:
    """Every body that reached the emulator passes the emulator's own rules (Meta's limits)."""
    for message in messages:
        problem = rules.check_message(message["body"], lambda media_id: True)
        assert problem is None, (problem, message["body"])


# --- the webhook's doors --------------------------------------------------------------------
def test_verification_handshake(wa):
    ok = wa.verify(
        {
            "hub.mode": "subscribe",
            "hub.verify_token": wa.verify_token,
            "hub.challenge": "1158201444",
        }
    )
    assert (ok.status_code, ok.text) == (200, "1158201444")
    for params in (
        {"hub.mode": "subscribe", "hub.verify_token": "guess", "hub.challenge": "1"},
        {"hub.mode": "unsubscribe", "hub.verify_token": wa.verify_token, "hub.challenge": "1"},
        {},
    ):
        refused = wa.verify(params)
        assert refused.status_code == 403 and "1158201444" not in refused.text


def test_forged_missing_and_replayed_signatures_change_nothing(wa, stack):
    user = new_wa_id()
    body = wc.encode(wa.envelope([wc.text(user, "আমার জব কার্ডের খবর দিন")]))
    forged = wa.post_raw(body, {"X-Hub-Signature-256": wc.sign(body, "not-the-app-secret")})
    missing = wa.post_raw(body, {})
    garbage = wa.post_raw(body, {"X-Hub-Signature-256": "sha256=" + "0" * 64})
    other = wc.encode(wa.envelope([wc.text(user, "menu")]))
    replayed = wa.post_raw(other, {"X-Hub-Signature-256": wc.sign(body, wa.app_secret)})
    assert missing.status_code == 401
    assert forged.status_code == garbage.status_code == replayed.status_code == 403
    assert wa.inbox(user) == []
    # A genuine message afterwards: once it is answered, the inbox holds only it and the
    # emulator only its answer — nothing of the refused posts was queued behind it.
    sentinel = wc.text(user, "hello")
    answer = wa.turn(user, sentinel)
    rows = wa.inbox(user)
    assert [r["wamid"] for r in rows] == [sentinel["id"]]
    assert answer and wa.sent(user) == answer
    assert {r["inbox_id"] for r in wa.outbox(user)} == {rows[0]["id"]}
    assert [e["text"] for e in rasa_user_events(stack, user)] == ["hello"]


# --- batches and duplicates -----------------------------------------------------------------
def assert_one_answer(wa, user: str, greeting: str = "আমি সাথী") -> list:
    """The user's one inbox row was answered once: every outbox row belongs to it, each was
    sent once, and the greeting reached the phone exactly once."""
    rows = wa.settle(user)
    assert len(rows) == 1 and rows[0]["state"] == "done"
    sent = wa.sent(user)
    outbox = wa.outbox(user)
    assert sent and len(sent) == len(outbox)
    assert {(r["inbox_id"], r["state"], r["attempts"]) for r in outbox} == {
        (rows[0]["id"], "sent", 1)
    }
    assert sum(greeting in body_text(m) for m in sent) == 1, [body_text(m) for m in sent]
    return sent


def assert_first_contact(sent: list) -> None:
    """A new number: one message, the privacy notice opening the greeting's body, then the
    language choice (two reply buttons)."""
    assert len(sent) == 1, [body_text(m) for m in sent]
    assert sent[0]["type"] == "interactive"
    assert body_text(sent[0]).startswith("🔒") and "আমি সাথী" in body_text(sent[0])
    assert [c["id"] for c in choices(sent[0])] == [SET_BN, SET_EN]


def test_three_messages_in_one_post_and_across_entries(wa):
    one_post = [new_wa_id() for _ in range(3)]
    answer = wa.post(*[wc.text(u, "নমস্কার") for u in one_post])
    assert answer.status_code == 200
    entries_users = [new_wa_id() for _ in range(3)]
    answer = wa.post(entries=[([wc.text(u, "hello")], []) for u in entries_users])
    assert answer.status_code == 200
    for user in one_post:
        assert_one_answer(wa, user)
    for user in entries_users:
        assert_first_contact(assert_one_answer(wa, user))
    # one sender, three messages in one POST: all three answered, in Meta's order
    user = new_wa_id()
    now = int(time.time())
    batch = [wc.text(user, "hello", ts=now + i) for i in range(2)] + [
        wc.button_reply(user, SET_EN, "English", ts=now + 2)
    ]
    assert wa.post(*batch).status_code == 200
    rows = wa.settle(user, rows=3)
    assert [r["wamid"] for r in rows] == [m["id"] for m in batch]
    assert "I will reply in English" in body_text(wa.sent(user)[-1])


def test_same_wamid_five_times_concurrently_gets_one_answer(wa):
    user = new_wa_id()
    message = wc.text(user, "hello")
    statuses = []

    def deliver():
        statuses.append(wa.post(message).status_code)

    threads = [threading.Thread(target=deliver) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert statuses == [200] * 5
    assert_first_contact(assert_one_answer(wa, user))


def test_same_wamid_five_times_in_sequence_gets_one_answer(wa, stack):
    user = new_wa_id()
    message = wc.text(user, "hello")
    first = wa.turn(user, message)
    assert_first_contact(first)
    for _ in range(4):
        assert wa.post(message).status_code == 200
    # a later, different message: answered after the duplicates would have been
    switched = wa.turn(user, wc.button_reply(user, SET_EN, "English"))
    assert len(wa.inbox(user)) == 2
    assert [e["text"] for e in rasa_user_events(stack, user)] == ["hello", SET_EN]
    assert wa.sent(user) == first + switched and len(switched) == 1


def test_statuses_are_recorded_and_not_answered(wa, stack):
    user = new_wa_id()
    answered = wa.turn(user, wc.text(user, "hello"))
    graph_id = answered[0]["wamid"]
    payload = [
        wc.status(graph_id, user, "sent"),
        wc.status(graph_id, user, "delivered"),
        wc.status(graph_id, user, "read"),
        wc.status(graph_id, user, "read"),
    ]
    assert wa.post(statuses=payload).status_code == 200
    failed_id = "wamid.UNKNOWN" + new_wa_id()
    assert (
        wa.post(statuses=[wc.status(failed_id, user, "failed", error_code=131047)]).status_code
        == 200
    )
    assert [s["status"] for s in wa.statuses(graph_id)] == ["sent", "delivered", "read"]
    failed = wa.statuses(failed_id)
    assert [(s["status"], s["error_code"]) for s in failed] == [("failed", 131047)]
    # statuses never enter the inbox, the only way to Rasa and to an answer
    assert len(wa.inbox(user)) == 1 and wa.sent(user) == answered
    assert len(rasa_user_events(stack, user)) == 1


# --- what the bot cannot read -------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["audio", "image", "sticker", "location"])
def test_unsupported_types_get_the_bilingual_only_text_answer_once(wa, stack, kind):
    user = new_wa_id()
    message = wc.location(user) if kind == "location" else wc.media(user, kind)
    sent = wa.turn(user, message)
    assert wa.post(message).status_code == 200  # Meta's retry of the same message
    assert len(sent) == 1 and wa.sent(user) == sent
    reply = sent[0]
    assert reply["body"]["interactive"]["type"] == "button"
    text = body_text(reply)
    assert "শুধু লেখা" in text and "only text" in text
    assert [c["id"] for c in choices(reply)] == ONLY_TEXT_IDS
    assert_within_meta_limits(sent)
    assert rasa_user_events(stack, user) == []  # nothing went to Rasa


# --- buttons, lists and languages -----------------------------------------------------------------
def test_button_reply_is_routed_by_its_id_not_its_title(wa):
    user = new_wa_id()
    welcome = wa.say(user, "hello")
    english = next(c for c in choices(welcome[-1]) if c["title"] == "English")
    # the title a phone shows is translated; only the id may decide
    switched = wa.tap(user, english["id"], title="বাংলা")
    assert "I will reply in English" in all_text(switched)
    # romanized Bengali afterwards: the number's language choice holds
    later = all_text(wa.say(user, "amar kaj er din koto?"))
    assert "job card" in later.lower(), later
    assert_within_meta_limits(wa.sent(user))


def test_bengali_menu_is_a_list_and_buttons_fit_whatsapp(wa, stack):
    user = new_wa_id()
    rejected_before = wa.emulator.state()["calls"]["rejected"]
    welcome = wa.say(user, "hello")
    assert welcome[-1]["body"]["interactive"]["type"] == "button"
    wa.tap(user, SET_BN, "বাংলা")
    menu = wa.tap(user, "/help", "মেনু")
    lists = [m for m in menu if m["body"].get("interactive", {}).get("type") == "list"]
    assert lists, [body_text(m) for m in menu]
    rows = [c for m in lists for c in choices(m)]
    assert [r["id"] for r in rows] == [
        "/work_status",
        "/demand_work",
        "/trade_noc",
        "/building_plan",
        "/tourism_slip",
        "/human_handoff",
        "/payslip",
        "/salary_statement",
        "/form26",
        "/cash_analysis",
    ]
    assert rows[0]["title"] == "কাজের দিন ও মজুরি"
    assert all(m["body"]["interactive"]["action"]["button"] == "বেছে নিন" for m in lists)
    assert "আমি এগুলো পারি" in all_text(menu)
    assert_within_meta_limits(wa.sent(user))
    assert wa.emulator.state()["calls"]["rejected"] == rejected_before
    # a list row is tapped by its id too
    picked = wa.turn(user, wc.list_reply(user, "/trade_noc", "ট্রেড লাইসেন্স (NOC)"))
    assert "ট্রেড" in all_text(picked), all_text(picked)


# --- a service end to end ---------------------------------------------------------------------------
def test_karmashree_status_matches_the_portal(wa, stack):
    # the last demo card: the REST tests share the demo numbers (same conversation ids) from the front
    record = stack.demo_ids["job_cards"][-1]
    status = stack.portal(
        f"/karmashree/job-cards/{record['job_card'].replace('/', '%2F')}/status",
        mobile=record["mobile"],
    ).json()
    user = record["mobile"]
    wa.say(user, "/restart")
    wa.tap(user, SET_EN, "English")
    asked = all_text(wa.say(user, "how many days of work did my household get this year?"))
    assert "job card" in asked.lower()
    answer = all_text(wa.say(user, record["job_card"]))
    assert f"{status['days_provided']}" in answer
    assert formatting.money(status["wages_paid_total"], "en") in answer
    assert record["head"] in answer or record["job_card"] in answer
    assert_within_meta_limits(wa.sent(user))


def test_trade_noc_arrives_as_a_pdf_document(wa, stack):
    owners = Counter(n["mobile"] for n in stack.demo_ids["trade_nocs"])
    approved = [n for n in stack.demo_ids["trade_nocs"] if n["status"] == "approved"]
    # an owner of several applications: the bot offers them, the user taps one
    noc = ([n for n in approved if owners[n["mobile"]] > 1] or approved)[-1]
    user, number = noc["mobile"], noc["application_no"]
    wa.say(user, "/restart")
    wa.tap(user, SET_EN, "English")
    conversation = request_trade_noc(wa, user, number)
    documents = [m for m in conversation if m["type"] == "document"]
    assert len(documents) == 1, all_text(conversation)
    document = documents[0]
    assert document["document"]["filename"] == f"trade-noc-{number}.pdf"
    assert document["document"]["mime_type"] == "application/pdf"
    assert number in document["document"]["caption"]
    media_id = document["document"]["media_id"]
    # the connector deletes the media once Graph accepted the message: Graph no longer serves it
    assert wa.media_bytes(media_id).status_code == 400
    assert media_id in wa.emulator.state()["deleted_media"]
    uploaded = requests.get(f"{stack.emulator_url}/_emulator/uploads/{media_id}", timeout=10)
    assert uploaded.status_code == 200
    assert hashlib.sha256(uploaded.content).hexdigest() == document["document"]["sha256"]
    pdf = PdfReader(io.BytesIO(uploaded.content))
    assert len(pdf.pages) >= 1
    text = "".join(page.extract_text() or "" for page in pdf.pages)
    portal = stack.portal(f"/trade-nocs/{number}", mobile=user).json()  # what the portal says
    assert portal["certificate_no"] == noc["certificate_no"] and portal["certificate_no"] in text, (
        text
    )
    assert_within_meta_limits(wa.sent(user))


# --- Graph errors ---------------------------------------------------------------------------------
def test_rate_limit_130429_is_retried_and_answered_once(wa):
    user = new_wa_id()
    wa.emulator.fail("rate_limit", count=2, on="send")
    sent = wa.turn(user, wc.text(user, "hello"))
    assert_first_contact(sent)
    rows = wa.outbox(user)
    assert [(r["state"], r["attempts"]) for r in rows] == [("sent", 3)]  # one message
    assert [r["graph_message_id"] for r in rows] == [m["wamid"] for m in sent]


def test_window_closed_131047_is_not_retried_and_needs_a_template(wa):
    user = new_wa_id()
    sends_before = wa.emulator.state()["calls"]["send"]
    wa.emulator.fail("window", count=1, on="send")  # the window is closed
    sent = wa.turn(user, wc.text(user, "hello"))
    assert sent == []
    rows = wa.outbox(user)  # the first contact's answer is one message
    assert [(r["state"], r["attempts"]) for r in rows] == [("needs_template", 1)]
    assert all("131047" in r["last_error"] for r in rows)
    assert wa.emulator.state()["calls"]["send"] == sends_before + 1  # never retried
    assert json.loads(rows[0]["body"])["type"] == "interactive"  # kept for the template path
