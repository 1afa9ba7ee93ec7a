"""Karmashree work demand against the real reference portal: the form's validation, the
confirmation, the receipt (idempotent), the overlap refusal and a stranger's card."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

import pytest
import requests
from rasa_sdk.executor import CollectingDispatcher

from actions.demand_work import (
    ActionAskDemandStart,
    ActionAskDemandWorker,
    ActionDemandWork,
    next_monday,
)
from actions.demand_work_form import ValidateDemandWorkForm, find_member
from tests.support.trackers import DOMAIN, run, slot_events, tracker

TODAY = date(2026, 11, 28)  # the clock of the test portal (a Saturday)


def card(portal, index=0):
    return portal.demo_ids["job_cards"][index]


def portal_get(portal, path, mobile):
    answer = requests.get(portal.base_url + path, headers=portal.headers(mobile), timeout=10)
    answer.raise_for_status()
    return answer.json()


def card_details(portal, record):
    return portal_get(
        portal, f"/karmashree/job-cards/{record['job_card'].replace('/', '%2F')}", record["mobile"]
    )


def validate(slot, value, sender="919800000001", slots=None, requested=None):
    form = ValidateDemandWorkForm()
    t = tracker(
        str(value),
        intent="inform",
        sender=sender,
        slots=slots or {},
        requested_slot=requested or slot,
        active_loop="demand_work_form",
    )
    dispatcher = CollectingDispatcher()
    method = getattr(form, f"validate_{slot}")
    result = asyncio.run(method(value, dispatcher, t, DOMAIN))
    dispatcher_names = [m.get("response") for m in dispatcher.messages]
    return result, dispatcher_names


def test_owner_card_is_looked_up_and_its_members_offered(portal):
    record = card(portal)
    result, names = validate(
        "job_card", record["job_card"].lower().replace("-", " "), sender=record["mobile"]
    )
    assert names == []
    assert result["job_card"] == record["job_card"]
    members = card_details(portal, record)["members"]
    assert [m["id"] for m in result["demand_members"]] == [m["worker_id"] for m in members]
    if len(members) == 1:
        assert result["demand_worker"] == members[0]["worker_id"]
    t = tracker(
        "",
        slots={"demand_members": result["demand_members"], "language": "en"},
        sender=record["mobile"],
    )
    names, _, dispatcher = run(ActionAskDemandWorker(), t)
    assert names == ["utter_ask_demand_worker"]
    payloads = [b["payload"] for b in dispatcher.messages[0]["buttons"]]
    assert payloads == [f'/inform{{"demand_worker":"{m["worker_id"]}"}}' for m in members]


def test_strangers_card_gets_the_same_answer_as_a_card_that_does_not_exist(portal):
    """A stranger learns nothing from a real card: the same reply as for a card that does not
    exist, a second chance, and no member names (issue 10: no existence leak)."""
    record = card(portal)
    stranger = portal.demo_ids["strangers"][0]
    result, names = validate("job_card", record["job_card"], sender=stranger)
    missing, missing_names = validate("job_card", "WB-08-012-002-002/999", sender=stranger)
    assert names == missing_names == ["utter_job_card_not_found"]
    assert result["job_card"] is None and missing["job_card"] is None
    assert "demand_members" not in result and "demand_blocked" not in result


def test_a_demand_the_portal_refuses_as_not_yours_ends_with_the_way_to_apply_at_the_gp(portal):
    record = card(portal)
    stranger = portal.demo_ids["strangers"][0]
    t = tracker(
        "", sender=stranger, slots={"job_card": record["job_card"], "demand_blocked": "not_yours"}
    )
    names, events, dispatcher = run(ActionDemandWork(), t)
    assert names == ["utter_demand_not_yours", "utter_handoff_gp_office"]
    assert record["head"] not in str(dispatcher.messages)
    # the card that is not the sender's is not carried into the new session
    assert "job_card" not in [
        e.get("name") for e in events if e.get("event") == "slot" and e.get("value")
    ]


def test_unknown_card_is_asked_again(portal):
    _, names = validate("job_card", "WB-08-012-002-002/999", sender=card(portal)["mobile"])
    assert names == ["utter_job_card_not_found"]
    _, names = validate("job_card", "12345")
    assert names == ["utter_invalid_job_card"]


@pytest.mark.parametrize(
    "text,expected", [("ek soptaho", 7.0), ("১০ দিন", 10.0), ("14", 14.0), ("panch din", 5.0)]
)
def test_days_in_any_register(text, expected):
    result, names = validate("demand_days", text)
    assert names == [] and result["demand_days"] == expected


def test_days_out_of_range_or_unreadable_then_explained():
    result, names = validate("demand_days", "20 din")
    assert names == ["utter_demand_days_range"] and result["demand_days"] is None
    _, names = validate("demand_days", "onek", slots={"failed_attempts": 1})
    assert names == ["utter_demand_days_invalid", "utter_explain_demand_days", "utter_offer_stop"]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("kal theke", TODAY + timedelta(days=1)),
        ("from 1st December", date(2026, 12, 1)),
        ("১ তারিখ থেকে", date(2026, 12, 1)),
        ("next monday", next_monday(TODAY)),
    ],
)
def test_start_date_loose(text, expected):
    result, names = validate("demand_start", text)
    assert names == [] and result["demand_start"] == expected.isoformat()


def test_start_date_in_the_past_or_too_far_is_refused():
    _, names = validate("demand_start", "1/11/2026")
    assert names == ["utter_demand_start_past"]
    _, names = validate("demand_start", "1/6/2027")
    assert names == ["utter_demand_start_too_far"]


def test_next_monday_is_offered_with_its_date():
    assert next_monday(TODAY) == date(2026, 11, 30)
    assert next_monday(date(2026, 11, 30)) == date(2026, 12, 7)
    names, _, dispatcher = run(ActionAskDemandStart(), tracker("", slots={"language": "bn"}))
    assert (
        names == ["utter_ask_demand_start"] and dispatcher.messages[0]["monday"] == "৩০ নভেম্বর ২০২৬"
    )


def test_member_by_id_serial_or_name():
    members = [
        {"id": "KW-08012002002270-01", "name": "Ratan Mondal"},
        {"id": "KW-08012002002270-02", "name": "Sima Mondal"},
    ]
    assert find_member(members, "KW-08012002002270-02")["name"] == "Sima Mondal"
    assert find_member(members, "২")["name"] == "Sima Mondal"
    assert find_member(members, "sima")["name"] == "Sima Mondal"
    assert find_member(members, "Mondal") is None  # ambiguous
    assert find_member(members, "Kalu") is None


def test_yes_to_the_summary_is_the_confirmation_not_try_again():
    form = ValidateDemandWorkForm()
    slots = {
        "job_card": "WB-08-012-002-002/270",
        "demand_worker": "KW-08012002002270-01",
        "demand_days": 7.0,
        "demand_start": "2026-11-30",
    }
    t = tracker(
        "/affirm",
        intent="affirm",
        slots=slots,
        requested_slot="demand_confirmed",
        active_loop="demand_work_form",
    )
    names, events, _ = run(form, t)
    assert slot_events(events).get("demand_confirmed") is True


def demand_tracker(record, worker, days, start, confirmed=True, lang="en"):
    members = [{"id": m["worker_id"], "name": m["name"]} for m in record["members"]]
    return tracker(
        "/affirm",
        intent="affirm",
        sender=record["mobile"],
        slots={
            "job_card": record["job_card"],
            "demand_members": members,
            "demand_worker": worker,
            "demand_days": float(days),
            "demand_start": start.isoformat(),
            "demand_confirmed": confirmed,
            "language": lang,
        },
    )


def test_demand_is_filed_once_with_a_dated_receipt(portal):
    record = dict(card(portal, 1))
    record["members"] = card_details(portal, record)["members"]
    worker = record["members"][0]["worker_id"]
    start = TODAY + timedelta(days=40)
    names, events, dispatcher = run(ActionDemandWork(), demand_tracker(record, worker, 5, start))
    assert names[0] == "utter_demand_receipt"
    assert names[1] in ("utter_demand_next_steps", "utter_demand_next_steps_generic")
    receipt = dispatcher.messages[0]["receipt_no"]
    assert receipt.startswith("KD-2026-")
    assert dispatcher.messages[0]["demanded_on"] == "28 November 2026"
    assert "session_started" in [e["event"] for e in events]
    again, _, dispatcher2 = run(
        ActionDemandWork(), demand_tracker(record, worker, 5, start, lang="bn")
    )
    assert again[0] == "utter_demand_already_filed"
    assert dispatcher2.messages[0]["receipt_no"] == receipt
    assert dispatcher2.messages[0]["days"] == "৫"
    demands = portal_get(
        portal,
        f"/karmashree/job-cards/{record['job_card'].replace('/', '%2F')}/demands",
        record["mobile"],
    )
    assert [d["receipt_no"] for d in demands].count(receipt) == 1
    mine = next(d for d in demands if d["receipt_no"] == receipt)
    assert (mine["worker_id"], mine["days"], mine["from_date"]) == (worker, 5, start.isoformat())


def test_overlapping_demand_is_refused_with_the_open_one(portal):
    record = dict(card(portal, 2))  # the demo data gives this household an open demand
    record["members"] = card_details(portal, record)["members"]
    status = portal_get(
        portal,
        f"/karmashree/job-cards/{record['job_card'].replace('/', '%2F')}/status",
        record["mobile"],
    )
    open_demand = status["open_demands"][0]
    start = date.fromisoformat(open_demand["from_date"]) + timedelta(days=1)
    names, _, dispatcher = run(
        ActionDemandWork(), demand_tracker(record, open_demand["worker_id"], 3, start)
    )
    assert names == ["utter_demand_overlap"]
    assert dispatcher.messages[0]["receipt_no"] == open_demand["receipt_no"]


def test_no_to_the_summary_sends_nothing(portal):
    record = dict(card(portal, 1))
    record["members"] = card_details(portal, record)["members"]
    names, events, _ = run(
        ActionDemandWork(),
        demand_tracker(
            record,
            record["members"][0]["worker_id"],
            3,
            TODAY + timedelta(days=60),
            confirmed=False,
        ),
    )
    assert names == ["utter_demand_not_sent"]
    assert slot_events(events)["demand_days"] is None
