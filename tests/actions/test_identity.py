"""Proving a number with a one-time code (actions/identity.py), against the real portal."""

from __future__ import annotations

import re

import requests

from actions.trade_noc import ValidateTradeNocForm
from tests.support.trackers import run, slot_events, tracker

UNVERIFIED = "kiosk-7f3a"  # a sender id that is not a phone number


def latest_code(portal, mobile: str) -> str:
    messages = requests.get(
        f"{portal.base_url}/dev/outbox",
        params={"mobile": mobile},
        headers=portal.headers(),
        timeout=10,
    ).json()
    return re.search(r"\b(\d{6})\b", messages[0]["body"]).group(1)


def step(text, slots, requested):
    t = tracker(
        text,
        intent="inform",
        sender=UNVERIFIED,
        requested_slot=requested,
        active_loop="trade_noc_form",
        slots=slots,
    )
    return run(ValidateTradeNocForm(), t)


def test_code_round_trip_verifies_the_number(portal):
    owner = portal.demo_ids["trade_nocs"][0]["mobile"]
    names, events, _ = step("98" + owner[4:], {}, "otp_mobile")
    assert names == ["utter_otp_sent"]
    slots = slot_events(events)
    assert slots["otp_mobile"] == owner and slots["otp_id"]
    code = latest_code(portal, owner)
    names, events, _ = step(
        f"code is {code}", {"otp_mobile": owner, "otp_id": slots["otp_id"]}, "otp_code"
    )
    assert "utter_otp_verified" in names
    verified = slot_events(events)
    from sathi import trust

    # the slot holds the number sealed for this conversation: it opens here, and nowhere else
    assert trust.open_verified_mobile(UNVERIFIED, verified["verified_mobile"]) == owner
    assert trust.open_verified_mobile("kiosk-other", verified["verified_mobile"]) is None
    assert trust.open_verified_mobile(UNVERIFIED, owner) is None, "a bare number proves nothing"
    assert verified["otp_code"] == "verified", "the code itself is never kept in a slot"


def test_wrong_code_counts_down_then_locks(portal):
    mobile = portal.demo_ids["strangers"][1]
    _, events, _ = step(mobile, {}, "otp_mobile")
    otp_id = slot_events(events)["otp_id"]
    right = latest_code(portal, mobile)
    wrong = "000000" if right != "000000" else "111111"
    names, events, dispatcher = step(wrong, {"otp_mobile": mobile, "otp_id": otp_id}, "otp_code")
    assert names == ["utter_otp_wrong"]
    assert slot_events(events)["otp_code"] is None
    assert "verified_mobile" not in slot_events(events)
    outcomes = []
    for _ in range(3):
        names, events, _ = step(wrong, {"otp_mobile": mobile, "otp_id": otp_id}, "otp_code")
        outcomes += names
    assert "utter_otp_locked" in outcomes
    # even the right code no longer works during the cool-down
    names, events, _ = step(right, {"otp_mobile": mobile, "otp_id": otp_id}, "otp_code")
    assert "verified_mobile" not in slot_events(events)


def test_not_a_mobile_number_gets_a_second_chance(portal):
    names, events, _ = step("12345", {}, "otp_mobile")
    assert names == ["utter_invalid_mobile"]
    assert slot_events(events)["otp_mobile"] is None


def test_unverified_sender_is_asked_for_the_number_first(portal):
    t = tracker("trade licence TN-2026-004512", intent="trade_noc", sender=UNVERIFIED)
    import asyncio

    from tests.support.trackers import DOMAIN

    slots = asyncio.run(ValidateTradeNocForm().required_slots(["trade_noc_no"], None, t, DOMAIN))
    assert slots[:2] == ["otp_mobile", "otp_code"]
    from sathi import trust

    verified = tracker(
        "",
        sender=UNVERIFIED,
        slots={"verified_mobile": trust.seal_verified_mobile(UNVERIFIED, "919800300001")},
    )
    assert asyncio.run(
        ValidateTradeNocForm().required_slots(["trade_noc_no"], None, verified, DOMAIN)
    ) == ["trade_noc_no"]
