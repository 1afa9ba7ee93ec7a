from actions.conversation import (
    ActionCancelRequest,
    ActionGreet,
    ActionNotUnderstood,
    ActionRouteInform,
)
from tests.support.trackers import run, slot_events, tracker


def test_first_greeting_offers_language_choice():
    names, _, _ = run(ActionGreet(), tracker("hi", intent="greet"))
    assert names == ["utter_welcome_choose_language"]
    names, _, _ = run(ActionGreet(), tracker("hi", intent="greet", slots={"language": "en"}))
    assert names == ["utter_greet"]


def test_second_miss_offers_helpline():
    names, _, _ = run(
        ActionNotUnderstood(), tracker("xyz", intent="nlu_fallback", slots={"misses": 1})
    )
    assert names == ["utter_not_understood"]
    names, events, dispatcher = run(
        ActionNotUnderstood(), tracker("xyz", intent="nlu_fallback", slots={"misses": 2})
    )
    assert names == ["utter_offer_helpline"]
    assert dispatcher.messages[0]["helpline"]
    assert slot_events(events)["misses"] == 0


def test_cancel_inside_and_outside_a_form():
    names, events, _ = run(
        ActionCancelRequest(), tracker("thak", intent="cancel", active_loop="karmashree_form")
    )
    assert names == ["utter_cancelled"]
    assert {"event": "active_loop", "name": None} in [
        {k: e.get(k) for k in ("event", "name")} for e in events
    ]
    cleared = slot_events(events)
    assert "language" not in cleared and "verified_mobile" not in cleared
    assert "otp_code" in cleared and "requested_slot" in cleared
    names, _, _ = run(ActionCancelRequest(), tracker("thak", intent="cancel"))
    assert names == ["utter_nothing_to_cancel"]


def test_bare_job_card_starts_karmashree_status():
    t = tracker(
        "WB-08-012-002-002/270",
        intent="inform",
        entities=[{"entity": "job_card", "value": "WB-08-012-002-002/270"}],
    )
    names, events, _ = run(ActionRouteInform(), t)
    assert names == []
    assert {"event": "followup", "name": "karmashree_form"} in [
        {k: e.get(k) for k in ("event", "name")} for e in events
    ]
    names, _, _ = run(
        ActionRouteInform(),
        tracker("12345", intent="inform", slots={"job_card": "WB-08-012-002-002/270"}),
    )
    assert names == ["utter_ask_what_for_number"], "a card from earlier must not hijack a new value"
    t = tracker(
        "TN-2026-004512",
        intent="inform",
        entities=[{"entity": "trade_noc_no", "value": "TN-2026-004512"}],
    )
    _, events, _ = run(ActionRouteInform(), t)
    assert {"event": "followup", "name": "trade_noc_form"} in [
        {k: e.get(k) for k in ("event", "name")} for e in events
    ]


def test_karmashree_form_finds_a_card_inside_the_request(portal):
    import asyncio

    from actions.karmashree import ValidateKarmashreeForm
    from tests.support.trackers import DOMAIN

    t = tracker("amar job card wb 08 012 002 002 270 e koto din kaj holo", intent="work_status")
    found = asyncio.run(ValidateKarmashreeForm().extract_job_card(None, t, DOMAIN))
    assert found == {"job_card": "WB-08-012-002-002/270"}
    # no card in the text and none on the number (its only card would be used: test_my_job_cards)
    t = tracker("koto din kaj holo", intent="work_status", sender=portal.demo_ids["strangers"][0])
    assert asyncio.run(ValidateKarmashreeForm().extract_job_card(None, t, DOMAIN)) == {}
