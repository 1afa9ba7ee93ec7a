"""Karmashree status actions against the real reference portal: response names and events."""

from __future__ import annotations

import asyncio

from actions.karmashree import ActionKarmashreeStatus, ValidateKarmashreeForm
from tests.support.trackers import DOMAIN, run, slot_events, tracker


def card(portal, index=0):
    return portal.demo_ids["job_cards"][index]


def test_owner_gets_days_and_wages_then_a_new_session(portal):
    record = card(portal)
    t = tracker(
        "",
        slots={"job_card": record["job_card"], "language": "bn", "karmashree_topic": "work"},
        sender=record["mobile"],
    )
    names, events, dispatcher = run(ActionKarmashreeStatus(), t)
    assert names[0] in ("utter_karmashree_days", "utter_karmashree_days_complete")
    assert any(
        n.startswith("utter_karmashree_wages") or n == "utter_karmashree_no_wages_yet"
        for n in names
    )
    days = dispatcher.messages[0]["days"]
    assert all(ch in "০১২৩৪৫৬৭৮৯" for ch in days), "Bengali reply must use Bengali digits"
    kinds = [e["event"] for e in events]
    assert "session_started" in kinds and kinds[-1] == "followup"
    assert slot_events(events)["language"] == "bn"


def test_wage_question_answers_wages_first(portal):
    record = card(portal)
    t = tracker(
        "",
        slots={"job_card": record["job_card"], "language": "en", "karmashree_topic": "wage"},
        sender=record["mobile"],
    )
    names, _, _ = run(ActionKarmashreeStatus(), t)
    assert (
        names[0].startswith("utter_karmashree_wages") or names[0] == "utter_karmashree_no_wages_yet"
    )


def test_stranger_is_refused_and_the_card_forgotten(portal):
    record = card(portal)
    stranger = portal.demo_ids["strangers"][0]
    t = tracker("", slots={"job_card": record["job_card"]}, sender=stranger)
    names, events, dispatcher = run(ActionKarmashreeStatus(), t)
    assert names == ["utter_job_card_not_yours"]
    assert record["head"] not in str(dispatcher.messages)
    assert slot_events(events).get("job_card") is None


def test_unverified_sender_is_not_answered(portal):
    record = card(portal)
    t = tracker("", slots={"job_card": record["job_card"]}, sender="not-a-phone")
    names, _, _ = run(ActionKarmashreeStatus(), t)
    assert names == ["utter_need_registered_number"]


def test_portal_down_is_said_within_the_deadline(monkeypatch):
    monkeypatch.setenv("SATHI_PORTAL_URL", "http://127.0.0.1:9/api/v1")  # nothing listens
    monkeypatch.setenv("SATHI_PORTAL_SERVICE_KEY", "k")
    t = tracker("", slots={"job_card": "WB-08-012-002-002/270"})
    names, _, _ = run(ActionKarmashreeStatus(), t)
    assert names == ["utter_portal_down"]


def validate(text, sender, slots=None):
    t = tracker(
        text,
        intent="inform",
        sender=sender,
        requested_slot="job_card",
        active_loop="karmashree_form",
        slots=slots,
    )
    return run(ValidateKarmashreeForm(), t)


def test_form_accepts_both_shapes_and_bengali_digits(portal):
    record = card(portal)
    for typed in (
        record["job_card"].lower(),
        record["karmashree_id"].replace("-", " "),
        "ডব্লিউবি "
        + record["karmashree_id"][3:].translate(str.maketrans("0123456789", "০১২৩৪৫৬৭৮৯")),
    ):
        names, events, _ = validate(typed, record["mobile"])
        assert slot_events(events)["job_card"] == record["job_card"], typed
        assert names == []


def test_form_rejects_malformed_then_explains(portal):
    record = card(portal)
    names, events, _ = validate("WB-08-012", record["mobile"])
    assert names == ["utter_invalid_job_card"]
    assert slot_events(events)["job_card"] is None
    names, _, _ = validate("12345", record["mobile"], slots={"failed_attempts": 1})
    assert names == ["utter_invalid_job_card", "utter_explain_job_card", "utter_offer_stop"]


def test_form_rejects_unknown_card(portal):
    record = card(portal)
    names, events, _ = validate("WB-08-012-002-099/999", record["mobile"])
    assert names == ["utter_job_card_not_found"]


def test_form_lets_control_messages_through():
    t = tracker("thak", intent="cancel", requested_slot="job_card", active_loop="karmashree_form")
    assert asyncio.run(ValidateKarmashreeForm().extract_job_card(None, t, DOMAIN)) == {}


def test_many_different_cards_from_one_number_are_slowed(portal, monkeypatch):
    monkeypatch.setenv("SATHI_ENUMERATION_MAX_IDS", "3")
    owner = card(portal)
    asked = []
    for record in portal.demo_ids["job_cards"][1:6]:
        t = tracker("", slots={"job_card": record["job_card"]}, sender=owner["mobile"])
        names, _, _ = run(ActionKarmashreeStatus(), t)
        asked.append(names[0])
    assert asked[:3] == ["utter_job_card_not_yours"] * 3
    assert asked[3:] == ["utter_too_many_lookups"] * 2
    # the validation step gives a blocked number no existence oracle either
    names, events, _ = validate("WB-08-012-002-099/999", owner["mobile"])
    assert names == [] and slot_events(events)["job_card"] == "WB-08-012-002-099/999"
