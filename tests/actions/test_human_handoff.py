"""A person: the GP office of the user's job card from the portal, the helpline and the
grievance line, and a callback request with the conversation's context."""

from __future__ import annotations

import requests

from actions.conversation import ActionNotUnderstood
from actions.human_handoff import ActionHumanHandoff, ActionRequestCallback
from actions.slot_mappings import GlobalSlotMappings
from sathi.identifiers import parse_job_card
from tests.support.trackers import run, slot_events, tracker


def office_of(portal, job_card):
    gp = parse_job_card(job_card).nrega_gp_code
    answer = requests.get(
        f"{portal.base_url}/geo/gram-panchayats/{gp}/office", headers=portal.headers(), timeout=10
    )
    answer.raise_for_status()
    return answer.json()


def test_gp_office_of_the_card_in_the_conversation(portal):
    record = portal.demo_ids["job_cards"][0]
    t = tracker(
        "I want to talk to a person",
        intent="human_handoff",
        sender=record["mobile"],
        slots={"job_card": record["job_card"], "language": "en"},
    )
    names, events, dispatcher = run(ActionHumanHandoff(), t)
    assert names == ["utter_handoff_gp_office", "utter_human_handoff", "utter_offer_callback"]
    office = office_of(portal, record["job_card"])
    assert dispatcher.messages[0]["office"] == office["name_en"]
    assert dispatcher.messages[0]["phone"] == office["phone"]
    assert dispatcher.messages[1]["grievance"] == "9137091370"
    assert slot_events(events)["awaiting_confirmation"] == "callback"


def test_gp_office_found_from_the_numbers_records_in_bengali(portal):
    record = portal.demo_ids["job_cards"][1]
    t = tracker(
        "manusher sathe kotha bolte chai",
        intent="human_handoff",
        sender=record["mobile"],
        slots={"language": "bn"},
    )
    names, _, dispatcher = run(ActionHumanHandoff(), t)
    assert names[0] == "utter_handoff_gp_office"
    office = office_of(portal, record["job_card"])
    assert dispatcher.messages[0]["office"] == (office["name_bn"] or office["name_en"])


def test_stranger_gets_helpline_and_unverified_sender_no_callback(portal):
    stranger = portal.demo_ids["strangers"][0]
    names, _, _ = run(
        ActionHumanHandoff(), tracker("helpline", intent="human_handoff", sender=stranger)
    )
    assert names == ["utter_human_handoff", "utter_offer_callback"]
    names, events, _ = run(
        ActionHumanHandoff(), tracker("helpline", intent="human_handoff", sender="test-not-a-phone")
    )
    assert names == ["utter_human_handoff"] and events == []


def test_callback_is_booked_with_context(portal):
    record = portal.demo_ids["job_cards"][0]
    _, events, _ = run(
        GlobalSlotMappings(),
        tracker(
            "/affirm",
            intent="affirm",
            sender=record["mobile"],
            slots={"awaiting_confirmation": "callback", "language": "en"},
        ),
    )
    assert slot_events(events)["answer"] == "callback_yes"
    t = tracker(
        "/affirm",
        intent="affirm",
        sender=record["mobile"],
        slots={"answer": "callback_yes", "job_card": record["job_card"], "language": "en"},
    )
    names, events, dispatcher = run(ActionRequestCallback(), t)
    assert names == ["utter_callback_booked"]
    assert dispatcher.messages[0]["ticket_no"].startswith("CB-2026-")
    assert slot_events(events)["answer"] is None
    names, _, _ = run(
        ActionRequestCallback(), tracker("/deny", intent="deny", slots={"answer": "callback_no"})
    )
    assert names == ["utter_callback_declined"]


def test_second_miss_offers_the_callback_button():
    names, events, _ = run(
        ActionNotUnderstood(), tracker("xyz", intent="nlu_fallback", slots={"misses": 2})
    )
    assert names == ["utter_offer_helpline"]
    assert slot_events(events)["awaiting_confirmation"] == "callback"
