"""Issue 10, tried from outside as an attacker would, against the real stack (trainers'
profile: REST trusted as phone numbers, WhatsApp through signed webhooks and the emulator).

- foreign WhatsApp numbers never pass for Indian ones;
- every spelling of one REST number is one conversation with one limit;
- record lookups count towards the per-number limit in the forms too, and a real record of
  someone else is answered exactly like a record that does not exist;
- a download link opens once, and the tracker keeps no usable token;
- erasing one user mid-traffic never costs another user a reply, and nothing is sent twice;
- nothing personal reaches a log file: spaced numbers, spaced codes, `/intent{...}` strings.
"""

from __future__ import annotations

import json
import re
import threading
from collections import Counter
from pathlib import Path

import pytest
import requests

from tests.support.whatsapp_stack import StackWhatsApp, all_text, new_wa_id
from tools import webhook_client as wc

pytestmark = pytest.mark.stack


@pytest.fixture(scope="module")
def wa(stack):
    helper = StackWhatsApp(stack)
    yield helper
    helper.close()


def texts(replies) -> str:
    return "\n".join(r.get("text", "") for r in replies)


def tracker_json(stack, sender: str) -> dict:
    answer = requests.get(
        f"{stack.rasa_url}/conversations/{sender}/tracker",
        params={"token": stack.secret("rasa_api_token")},
        timeout=10,
    )
    answer.raise_for_status()
    return answer.json()


# --- foreign WhatsApp numbers -------------------------------------------------------------------
@pytest.mark.parametrize(
    "make_wa_id",
    [
        lambda m: m[2:],  # the owner's 10 digits: a wa_id without 91 is not Indian
        lambda m: "65" + m[-8:],  # Singapore
        lambda m: "960" + m[-7:],  # Maldives
        lambda m: "44" + m[-10:],  # United Kingdom
        lambda m: "880" + m[-10:],  # Bangladesh
    ],
    ids=["ten-digits", "singapore", "maldives", "uk", "bangladesh"],
)
def test_foreign_whatsapp_numbers_get_general_answers_only(stack, wa, make_wa_id):
    owner = stack.demo_ids["job_cards"][0]
    wa_id = make_wa_id(owner["mobile"])
    replies = wa.say(wa_id, f"job card {owner['job_card']} how many days of work did we get?")
    said = all_text(replies)
    assert "outside India" in said or "ভারতের বাইরের" in said, said
    assert owner["head"] not in said and "50 days" not in said and "৫০" not in said
    assert not [m for m in replies if m.get("body", {}).get("type") == "document"]
    # general questions are still answered
    info = all_text(wa.say(wa_id, "what is karmashree?"))
    assert "50" in info or "৫০" in info


# --- REST: one number, one conversation ---------------------------------------------------------
def test_every_spelling_of_a_rest_number_is_one_conversation(stack):
    mobile = stack.demo_ids["strangers"][1]
    spellings = [
        mobile,
        mobile[2:],
        f"+91 {mobile[2:7]} {mobile[7:]}",
        f"+91 {mobile[2:7]}-{mobile[7:]}",
        "0" + mobile[2:],
    ]
    stack.say(mobile, "/restart")
    for spelling in spellings:
        replies = stack.say(spelling, "hello")
        assert replies and {r["recipient_id"] for r in replies} == {mobile}, replies
    users = [e for e in tracker_json(stack, mobile)["events"] if e.get("event") == "user"]
    assert sum(1 for e in users if e.get("text") == "hello") >= len(spellings)


# --- lookups are counted in the forms, and say nothing -------------------------------------------
def test_lookups_in_forms_count_and_a_strangers_record_looks_like_a_missing_one(stack):
    asker = stack.demo_ids["strangers"][2]
    stack.new_sender(asker)
    real = next(n for n in stack.demo_ids["trade_nocs"] if n["mobile"] != asker)
    stack.say(asker, '/set_language{"language":"en"}')
    answers = []
    for number in [real["application_no"], "TN-2026-990001"]:
        stack.say(asker, "/restart")
        stack.say(asker, '/set_language{"language":"en"}')
        answers.append(texts(stack.say(asker, f"trade licence {number} please")))
    assert answers[0].replace(real["application_no"], "<n>") == answers[1].replace(
        "TN-2026-990001", "<n>"
    ), answers
    # five different records in ten minutes (two above), then a sixth is refused unasked
    for number in ["TN-2026-990002", "TN-2026-990003", "TN-2026-990004"]:
        stack.say(asker, "/restart")
        stack.say(asker, f"trade licence {number}")
    stack.say(asker, "/restart")
    refused = texts(stack.say(asker, "trade licence TN-2026-990005"))
    assert "many different numbers" in refused, refused


# --- links ---------------------------------------------------------------------------------------
def test_a_link_opens_once_and_the_tracker_keeps_no_token(stack):
    record = next(n for n in stack.demo_ids["trade_nocs"] if n["status"] == "approved")
    sender = stack.new_sender(record["mobile"])
    stack.say(sender, '/set_language{"language":"en"}')
    answer = texts(stack.say(sender, f"trade licence {record['application_no']} please"))
    link = re.search(r"(http://\S+/documents/(\S+))", answer)
    assert link, answer
    first = requests.get(link.group(1), timeout=10)
    assert first.status_code == 200 and first.content.startswith(b"%PDF")
    again = requests.get(link.group(1), timeout=10)
    assert again.status_code == 410 and "ask Sathi" in again.text
    stored = json.dumps(tracker_json(stack, sender))
    assert link.group(2) not in stored, "the tracker must not keep a usable token"
    assert "/documents/" not in stored and "sathi-document-link:" in stored
    for log in Path(stack.var, "log").glob("*.log"):
        assert link.group(2) not in log.read_text(errors="replace"), log.name


# --- erasure mid-traffic ---------------------------------------------------------------------------
def test_erasing_one_user_mid_traffic_costs_nobody_else_a_reply(stack, wa):
    eraser, others = new_wa_id("9179"), [new_wa_id("9178") for _ in range(4)]
    wa.say(eraser, "hello")
    wa.say(eraser, "delete my data")

    def chat(user: str) -> None:
        for text in ("hello", "what is karmashree", "thank you"):
            wa.post(wc.text(user, text))

    threads = [threading.Thread(target=chat, args=(u,)) for u in others]
    for t in threads:
        t.start()
    wa.post(wc.button_reply(eraser, "/affirm", "Yes"))  # the erasure, in the middle
    for t in threads:
        t.join()
    after = new_wa_id("9177")  # writes right after: its inbox row is the newest
    wa.say(after, "hello")
    for user in others + [after]:
        rows = wa.settle(user, 3 if user != after else 1)
        assert all(r["state"] == "done" for r in rows)
        outbox = wa.outbox(user)
        answered = {o["answer_to"] for o in outbox}
        assert {r["wamid"] for r in rows} <= answered, "a message went unanswered"
        assert all(o["state"] == "sent" for o in outbox), [o["state"] for o in outbox]
        keys = Counter((o["answer_to"], o["seq"]) for o in outbox)
        assert max(keys.values()) == 1
        assert len(wa.sent(user)) == len(outbox), "something was sent twice or not at all"
    assert wa.inbox(eraser) == [] or all(
        r["wamid"] not in {o["answer_to"] for u in others for o in wa.outbox(u)}
        for r in wa.inbox(eraser)
    )


# --- logs ----------------------------------------------------------------------------------------
def test_nothing_personal_reaches_a_log_file(stack):
    mobile = stack.demo_ids["strangers"][3]
    kiosk = "kiosk-privacy-check"
    secrets_said = [
        "98000 00001",
        "+91 98000-00001",
        "9800000001",
        "123 456",
        "482913",
        mobile[2:7] + " " + mobile[7:],
    ]
    for message in [
        "my number is 98000 00001, also +91 98000-00001",
        "the code is 123 456",
        '/inform{"otp_code":"482913","otp_mobile":"9800000001"}',
        '/inform{"otp_mobile": "98000 00001", broken',  # Rasa cannot parse this
        f'/nonexistent_intent{{"x": "{mobile[2:7]} {mobile[7:]}"}}',
    ]:
        stack.say(kiosk, message)
        stack.say(mobile, message)
    found = []
    for path in Path(stack.var).rglob("*"):
        if not path.is_file() or path.parent.name == "data":
            continue  # var/*/data holds the databases: the conversation itself, by design
        content = path.read_text(errors="replace")
        found += [(path.name, s) for s in secrets_said + [mobile] if s in content]
    assert not found, found
