"""A Bengali user never reads an internal code or English-only data: real conversations in
Bengali through the whole stack (rasa, actions, reference portal), every reply scanned.

Allowed Latin text in a Bengali reply: identifiers the user has to copy (WB-…, TN-…, PTB-…,
verification codes), web and phone addresses, and the few English terms the department itself
writes in Bengali text (NOC, STOP, QR, GPMS). Anything else — a status code such as
`under_verification`, snake_case, an English month, an English place or work name, office
hours like "Mon-Fri 10:00", an internal reference like "3208012002/2026-10" — fails."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.stack

ALLOWED_WORDS = {
    "NOC",
    "STOP",
    "START",
    "QR",
    "GPMS",
    "cmo",
    "wb",
    "gov",
    "in",
    "ABCDE",
    "FGHJK",
    "PDF",
}
_URL = re.compile(r"https?://\S+|\b[\w.]+\.gov\.in\b")
_IDENTIFIER = re.compile(r"\b[A-Za-z]{1,4}[-\s]?\d[\w\-/]*")  # WB-08-…, TN-2026-…, WBP-…
_CODE = re.compile(r"\b[0-9A-Z]{5}-[0-9A-Z]{5}\b")
_WORD = re.compile(r"[A-Za-z][A-Za-z_\-]*")
_INTERNAL_REF = re.compile(r"\d{7,10}/\d{4}-\d{2}")
ENGLISH_MONTHS = re.compile(
    r"\b(January|February|March|April|May|June|July|August|September|"
    r"October|November|December)\b"
)


def english_left(text: str) -> set[str]:
    """The Latin words of a Bengali reply once identifiers, codes and addresses are removed."""
    rest = _CODE.sub(" ", _URL.sub(" ", text))
    rest = _IDENTIFIER.sub(" ", rest)
    return {w for w in _WORD.findall(rest) if w not in ALLOWED_WORDS}


def visible(replies: list) -> list[str]:
    out = []
    for reply in replies:
        out.append(reply.get("text") or "")
        out += [str(b.get("title", "")) for b in reply.get("buttons") or []]
    return [t for t in out if t]


def assert_bengali(replies: list, said: str) -> None:
    assert replies, f"no reply to {said!r}"
    for text in visible(replies):
        assert not _INTERNAL_REF.search(text), (said, text)
        assert not ENGLISH_MONTHS.search(text), (said, text)
        assert not re.search(r"\b[a-z]+_[a-z_]+\b", text), (said, text)  # status codes
        assert not english_left(text), (said, text, english_left(text))


def test_the_scanner_catches_what_the_issue_found():
    for bad in (
        "কাগজটা এখনও তৈরি হয়নি (অবস্থা: under_verification)।",
        "খোলা থাকে: Mon-Fri 10:00-17:00",
        "আবেদন TN-2026-004512 Dogachi গ্রাম পঞ্চায়েত",
        "• Re-excavation of pond at Paschimpara",
        "৫ October ২০২৬",
        "পাওয়া গেল না 3208012002/2026-10-এর",
    ):
        with pytest.raises(AssertionError):
            assert_bengali([{"text": bad}], "scanner self-test")
    assert_bengali(
        [
            {
                "text": "ট্রেড লাইসেন্স (NOC) TN-2026-004512, জব কার্ড WB-08-012-002-002/270, "
                "যাচাই HDVG7-6WFJA, cmo.wb.gov.in"
            }
        ],
        "allowed",
    )


def converse(stack, mobile: str, messages: list[str]) -> None:
    sender = stack.new_sender(mobile)
    for said in messages:
        assert_bengali(stack.say(sender, said), said)


def first(stack, kind: str, status: str) -> dict:
    found = next((r for r in stack.demo_ids[kind] if r["status"] == status), None)
    if found is None:
        pytest.fail(f"the demo data has no {kind} record with status {status!r}", pytrace=False)
    return found


@pytest.mark.parametrize("status", ["submitted", "under_verification", "rejected"])
def test_trade_noc_not_issued_in_bengali(stack, status):
    noc = first(stack, "trade_nocs", status)
    converse(stack, noc["mobile"], [f"আমার ট্রেড লাইসেন্স {noc['application_no']} পাঠান"])


@pytest.mark.parametrize("status", ["submitted", "site_inspection", "rejected"])
def test_building_plan_not_approved_in_bengali(stack, status):
    plan = first(stack, "building_plans", status)
    converse(stack, plan["mobile"], [f"বাড়ির প্ল্যান পাসের চিঠি চাই {plan['application_no']}"])


@pytest.mark.parametrize("status", ["payment_pending", "cancelled"])
def test_booking_without_a_slip_in_bengali(stack, status):
    booking = first(stack, "bookings", status)
    converse(stack, booking["mobile"], [f"গেস্ট হাউসের বুকিং স্লিপ {booking['booking_no']} দিন"])


def test_karmashree_work_and_wages_then_a_person_in_bengali(stack):
    card = stack.demo_ids["job_cards"][0]
    # (not a greeting first: a first-contact greeting offers the language in both languages)
    converse(
        stack,
        card["mobile"],
        [
            f"আমার জব কার্ড {card['job_card']} এ কত দিন কাজ হয়েছে?",
            "মজুরি ঢুকেছে কিনা জানতে চাই",
            "নমস্কার",
            "কারও সঙ্গে কথা বলতে চাই",
            "মেনু",
        ],
    )


def test_my_only_job_card_is_used_without_typing_it(stack):
    counts = {}
    for card in stack.demo_ids["job_cards"]:
        counts[card["mobile"]] = counts.get(card["mobile"], 0) + 1
    card = next(c for c in stack.demo_ids["job_cards"] if counts[c["mobile"]] == 1)
    sender = stack.new_sender(card["mobile"])
    replies = stack.say(sender, "আমার জব কার্ডে কত দিন কাজ হয়েছে?")
    assert_bengali(replies, "days of work")
    text = "\n".join(r.get("text", "") for r in replies)
    assert card["job_card"] in text and "পরিবারের প্রধান" in text
    assert "কর্মশ্রী" in text and "দিন কাজ পেয়েছে" in text


def test_a_delivered_document_and_its_verification_in_bengali(stack):
    noc = next(n for n in stack.demo_ids["trade_nocs"] if n["status"] == "approved")
    sender = stack.new_sender(noc["mobile"])
    replies = stack.say(sender, f"আমার ট্রেড লাইসেন্স {noc['application_no']} পাঠান")
    assert_bengali(replies, "trade licence")
    stranger = stack.demo_ids["strangers"][3]
    converse(stack, stranger, ["যাচাই AB2DE-FGHJK", "এই কাগজটা আসল কিনা দেখুন"])
