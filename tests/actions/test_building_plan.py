"""Building plan approval letter against the real reference portal (tracker fixtures,
in-process actions): the letter reaches only the applicant's registered mobile."""

from __future__ import annotations

import asyncio
import io

import pytest
from pypdf import PdfReader
from rasa_sdk.executor import CollectingDispatcher

from actions.building_plan import (
    ActionAskBuildingPlanNo,
    ActionDeliverBuildingPlan,
    ValidateBuildingPlanForm,
)
from bot_store import audit
from bot_store.documents import load_document
from tests.support.records import demo_record, portal_json
from tests.support.trackers import run, slot_events, tracker

FORM = "building_plan_form"
SLOT = "building_plan_no"


def plan_with(portal, status):
    return demo_record(portal, "building_plans", status)


def portal_view(portal, number, mobile):
    return portal_json(portal, f"/building-plans/{number}", mobile)


def deliver(number, sender, language="en"):
    t = tracker(
        "/building_plan",
        intent="building_plan",
        sender=sender,
        slots={SLOT: number, "language": language},
    )
    return run(ActionDeliverBuildingPlan(), t)


def test_owner_gets_the_approval_letter(portal):
    plan = plan_with(portal, "approved")
    names, events, dispatcher = deliver(plan["application_no"], plan["mobile"], "bn")
    assert names == ["utter_document", "utter_ask_feedback"]
    message = dispatcher.messages[0]
    assert message["filename"] == f"building-plan-approval-{plan['application_no']}.pdf"
    assert "বাড়ির প্ল্যান" in message["caption"]
    stored = load_document(message["document_id"])
    assert stored.owner_mobile == plan["mobile"]
    text = PdfReader(io.BytesIO(stored.content)).pages[0].extract_text()
    record = portal_view(portal, plan["application_no"], plan["mobile"])
    assert record["approval_no"] in text and record["applicant_name"] in text
    entry = audit.entries(mobile=plan["mobile"], service="building_plan")[0]
    assert (entry.outcome, entry.record_ref) == (audit.DELIVERED, plan["application_no"])
    assert slot_events(events)[SLOT] is None
    assert "session_started" in [e["event"] for e in events]


def test_stranger_is_refused_without_owner_details(portal):
    plan = plan_with(portal, "approved")
    stranger = portal.demo_ids["strangers"][0]
    names, _, dispatcher = deliver(plan["application_no"], stranger)
    assert names == ["utter_building_plan_not_yours"]
    record = portal_view(portal, plan["application_no"], plan["mobile"])
    assert record["applicant_name"] not in str(dispatcher.messages)
    assert not any("document_id" in m for m in dispatcher.messages)
    assert audit.entries(mobile=stranger, service="building_plan")[0].outcome == audit.NOT_YOURS


@pytest.mark.parametrize(
    "status, response",
    [
        ("submitted", "utter_building_plan_submitted"),
        ("site_inspection", "utter_building_plan_site_inspection"),
        ("rejected", "utter_building_plan_rejected"),
    ],
)
def test_not_approved_yet_says_where_it_stands(portal, status, response):
    plan = plan_with(portal, status)
    names, _, dispatcher = deliver(plan["application_no"], plan["mobile"])
    assert names == [response] + (
        ["utter_offer_updates"] if status != "rejected" else []
    )  # the offer of a status push follows a "not yet" (issue 13)
    record = portal_view(portal, plan["application_no"], plan["mobile"])
    assert dispatcher.messages[0]["gp"] == record["gp_name_en"]
    if status == "rejected":
        # the official's remark, quoted inside the sentence without its own full stop
        assert dispatcher.messages[0]["remarks"] == record["remarks"].rstrip(".")
    entry = audit.entries(mobile=plan["mobile"], service="building_plan")[0]
    assert entry.outcome == audit.NOT_READY and entry.detail == f"status={status}"


def validate(text, sender, failed_attempts=0, intent="inform"):
    t = tracker(
        text,
        intent=intent,
        sender=sender,
        requested_slot=SLOT,
        active_loop=FORM,
        slots={"failed_attempts": failed_attempts},
    )
    return run(ValidateBuildingPlanForm(), t)


def test_bengali_digits_and_spaces_are_accepted(portal):
    from sathi.text import ascii_digits_to_bengali

    plan = plan_with(portal, "approved")
    typed = ascii_digits_to_bengali(plan["application_no"].replace("-", " "))
    names, events, _ = validate(typed, plan["mobile"])
    assert names == [] and slot_events(events)[SLOT] == plan["application_no"]


def test_unknown_number_gets_a_second_chance(portal):
    plan = plan_with(portal, "approved")
    names, events, _ = validate("BP-2026-999999", plan["mobile"])
    assert names == ["utter_building_plan_not_found"]
    assert slot_events(events) == {SLOT: None, "failed_attempts": 1}


def test_malformed_number_rejected_then_explained(portal):
    plan = plan_with(portal, "approved")
    names, _, _ = validate("amar barir plan", plan["mobile"])
    assert names == ["utter_invalid_building_plan_no"]
    names, _, _ = validate("BP 2026", plan["mobile"], failed_attempts=1)
    assert names == [
        "utter_invalid_building_plan_no",
        "utter_explain_building_plan_no",
        "utter_offer_stop",
    ]


def test_another_service_is_not_taken_as_a_number(portal):
    plan = plan_with(portal, "approved")
    names, events, _ = validate("payslip chai", plan["mobile"], intent="payslip")
    assert names == [] and SLOT not in slot_events(events)


def test_owner_is_offered_own_applications(portal):
    plan = plan_with(portal, "approved")
    names, _, dispatcher = run(
        ActionAskBuildingPlanNo(), tracker("barir plan", sender=plan["mobile"])
    )
    assert names == ["utter_choose_building_plan_no"]
    assert f'/inform{{"{SLOT}":"{plan["application_no"]}"}}' in [
        b["payload"] for b in dispatcher.messages[0]["buttons"]
    ]


def test_untrusted_channel_proves_the_number_first(portal, monkeypatch):
    monkeypatch.setenv("SATHI_PROFILE", "production")
    plan = plan_with(portal, "approved")
    t = tracker("barir plan", intent="building_plan", sender=plan["mobile"])
    slots = asyncio.run(
        ValidateBuildingPlanForm().required_slots([SLOT], CollectingDispatcher(), t, {})
    )
    assert slots == ["otp_mobile", "otp_code", SLOT]
