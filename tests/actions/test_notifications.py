"""Status pushes, opt-in: follow, stop and list — only the verified owner's own records
(against the real reference portal; the bot store of the test)."""

from __future__ import annotations

from actions.notifications import (
    ActionListSubscriptions,
    ActionSubscribeUpdates,
    ActionUnsubscribeUpdates,
)
from bot_store import preferences, subscriptions
from tests.support.trackers import run, slot_events, tracker


def test_after_a_wage_answer_the_job_card_of_that_answer_is_followed(portal):
    card = portal.demo_ids["job_cards"][0]
    t = tracker(
        "টাকা ঢুকলে জানাবেন",
        intent="subscribe_updates",
        sender=card["mobile"],
        slots={"job_card": card["job_card"], "language": "bn"},
    )
    names, _, dispatcher = run(ActionSubscribeUpdates(), t)
    assert names == ["utter_subscribed"]
    assert dispatcher.messages[0]["records"] == f"• জব কার্ড {card['job_card']}"
    followed = subscriptions.of(card["mobile"])
    assert [(s.record_kind, s.record_id, s.language) for s in followed] == [
        ("job_card", card["job_card"], "bn")
    ]


def test_from_the_menu_every_record_of_the_number_is_followed(portal):
    noc = portal.demo_ids["trade_nocs"][1]
    t = tracker(
        "notify me", intent="subscribe_updates", sender=noc["mobile"], slots={"language": "en"}
    )
    names, _, dispatcher = run(ActionSubscribeUpdates(), t)
    assert names == ["utter_subscribed"]
    assert noc["application_no"] in dispatcher.messages[0]["records"]
    assert ("trade_noc", noc["application_no"]) in [
        (s.record_kind, s.record_id) for s in subscriptions.of(noc["mobile"])
    ]


def test_a_typed_record_of_somebody_else_is_never_followed(portal):
    mine, theirs = portal.demo_ids["job_cards"][0], portal.demo_ids["job_cards"][1]
    t = tracker(
        "notify me",
        intent="subscribe_updates",
        sender=mine["mobile"],
        slots={"job_card": theirs["job_card"], "language": "en"},
    )
    run(ActionSubscribeUpdates(), t)
    followed = [s.record_id for s in subscriptions.of(mine["mobile"])]
    assert theirs["job_card"] not in followed and mine["job_card"] in followed


def test_a_number_without_records_is_told_so(portal):
    t = tracker(
        "notify me", intent="subscribe_updates", sender="919812345678", slots={"language": "en"}
    )
    names, _, _ = run(ActionSubscribeUpdates(), t)
    assert names == ["utter_subscribe_no_records"]


def test_opted_out_number_is_told_that_nothing_comes_until_start(portal):
    card = portal.demo_ids["job_cards"][0]
    preferences.set_opted_out(card["mobile"], True)
    t = tracker(
        "janaben", intent="subscribe_updates", sender=card["mobile"], slots={"language": "bn"}
    )
    names, _, _ = run(ActionSubscribeUpdates(), t)
    assert names == ["utter_subscribed", "utter_subscribed_but_opted_out"]


def test_stop_and_list(portal):
    card = portal.demo_ids["job_cards"][0]
    mobile = card["mobile"]
    list_action, stop = ActionListSubscriptions(), ActionUnsubscribeUpdates()
    assert run(list_action, tracker("", sender=mobile))[0] == ["utter_no_subscriptions"]
    subscriptions.subscribe(mobile, [("job_card", card["job_card"])], "bn")
    names, _, dispatcher = run(list_action, tracker("", sender=mobile))
    assert (
        names == ["utter_subscriptions_list"]
        and card["job_card"] in dispatcher.messages[0]["records"]
    )
    stop_message = tracker("আর জানাবেন না", intent="unsubscribe_updates", sender=mobile)
    assert run(stop, stop_message)[0] == ["utter_unsubscribed"]
    assert subscriptions.of(mobile) == []


def _unsure(text: str, confidence: float, **kwargs):
    t = tracker(text, intent="unsubscribe_updates", **kwargs)
    t.latest_message["intent"]["confidence"] = confidence
    return t


def _following(portal, lang: str) -> str:
    """The first demo job card's mobile, following that card."""
    card = portal.demo_ids["job_cards"][0]
    subscriptions.subscribe(card["mobile"], [("job_card", card["job_card"])], lang)
    return card["mobile"]


def _answer(mobile: str, text: str, intent: str):
    """The reply to "shall I stop?": the `answer` the slot mapping reads from it, then what
    action_unsubscribe_updates does with that answer (its responses and events)."""
    from actions.slot_mappings import GlobalSlotMappings

    asked = {"awaiting_confirmation": "unsubscribe"}
    _, events, _ = run(
        GlobalSlotMappings(), tracker(text, intent=intent, sender=mobile, slots=asked)
    )
    answer = slot_events(events)["answer"]
    names, events, _ = run(
        ActionUnsubscribeUpdates(),
        tracker(text, intent=intent, sender=mobile, slots={"answer": answer}),
    )
    return answer, names, events


def test_an_unsure_reading_asks_before_stopping_and_no_keeps_the_updates(portal):
    mobile = _following(portal, "bn")
    misread = "প্লান পাসের কাগজ টা লাগবে ব্যাঙ্ক লোন দিচ্ছে না ওটা ছাড়া"
    names, events, _ = run(ActionUnsubscribeUpdates(), _unsure(misread, 0.49, sender=mobile))
    assert names == ["utter_confirm_unsubscribe"]
    assert slot_events(events) == {"answer": None, "awaiting_confirmation": "unsubscribe"}
    assert len(subscriptions.of(mobile)) == 1  # nothing stopped yet
    answer, names, events = _answer(mobile, "/deny", "deny")
    assert answer == "unsubscribe_no"
    assert names == ["utter_unsubscribe_kept"] and slot_events(events) == {"answer": None}
    assert len(subscriptions.of(mobile)) == 1


def test_an_unsure_reading_confirmed_stops_the_updates(portal):
    mobile = _following(portal, "en")
    names, _, _ = run(ActionUnsubscribeUpdates(), _unsure("no more msgs pls", 0.66, sender=mobile))
    assert names == ["utter_confirm_unsubscribe"]
    answer, names, events = _answer(mobile, "yes", "affirm")
    assert answer == "unsubscribe_yes"
    assert names == ["utter_unsubscribed"] and slot_events(events) == {"answer": None}
    assert subscriptions.of(mobile) == []


def test_a_sure_reading_stops_at_once(portal):
    mobile = _following(portal, "en")
    names, events, _ = run(ActionUnsubscribeUpdates(), _unsure("stop updates", 0.7, sender=mobile))
    assert names == ["utter_unsubscribed"] and slot_events(events) == {"answer": None}
    assert subscriptions.of(mobile) == []


def test_unverified_sender_gets_nothing_and_changes_nothing(portal, monkeypatch):
    card = portal.demo_ids["job_cards"][0]
    monkeypatch.setenv("SATHI_PROFILE", "production")
    t = tracker(
        "notify me",
        intent="subscribe_updates",
        sender=card["mobile"],
        slots={"job_card": card["job_card"]},
    )
    names, _, _ = run(ActionSubscribeUpdates(), t)
    assert names == ["utter_need_registered_number"]
    assert subscriptions.of(card["mobile"]) == []


def test_the_offer_follows_a_wage_answer_until_the_card_is_followed(portal):
    from actions.karmashree import ActionKarmashreeStatus

    card = portal.demo_ids["job_cards"][0]

    def answer():
        t = tracker(
            "wages",
            intent="wage_status",
            sender=card["mobile"],
            slots={"job_card": card["job_card"], "karmashree_topic": "wage"},
        )
        return run(ActionKarmashreeStatus(), t)[0]

    assert "utter_offer_updates" in answer()
    subscriptions.subscribe(card["mobile"], [("job_card", card["job_card"])], "bn")
    names = answer()
    assert "utter_offer_updates" not in names and "utter_ask_feedback" in names
