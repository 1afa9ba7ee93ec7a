"""STOP / START: stored per number in the bot store (survives restarts), confirmed in the
user's language, and STOP inside a form ends the form."""

from __future__ import annotations

from actions.opt_out import ActionOptIn, ActionOptOut
from bot_store import db, preferences
from tests.support.trackers import run, slot_events, tracker

NUMBER = "919800000077"


def test_stop_is_stored_and_survives_a_restart():
    assert preferences.is_opted_out(NUMBER) is False
    names, events, _ = run(
        ActionOptOut(), tracker("STOP", intent="opt_out", sender=NUMBER, slots={"language": "en"})
    )
    assert names == ["utter_opted_out"]
    db.reset_for_tests()  # a new process: the engine is created again
    assert preferences.is_opted_out(NUMBER) is True
    names, _, _ = run(ActionOptIn(), tracker("START", intent="opt_in", sender=NUMBER))
    assert names == ["utter_opted_in"]
    assert preferences.is_opted_out(NUMBER) is False


def test_stop_inside_a_form_ends_it():
    t = tracker(
        "STOP",
        intent="opt_out",
        sender=NUMBER,
        active_loop="demand_work_form",
        requested_slot="demand_days",
        slots={"demand_worker": "KW-1"},
    )
    names, events, _ = run(ActionOptOut(), t)
    assert names == ["utter_opted_out"]
    assert {"event": "active_loop", "name": None} in [
        {k: e.get(k) for k in ("event", "name")} for e in events
    ]
    values = slot_events(events)
    assert values["requested_slot"] is None and values["demand_worker"] is None


def test_stop_keeps_the_language_and_an_unknown_number_is_not_opted_out():
    preferences.save(NUMBER, language="bn")
    run(ActionOptOut(), tracker("আর মেসেজ পাঠাবেন না", intent="opt_out", sender=NUMBER))
    assert preferences.get(NUMBER).language == "bn"
    assert preferences.is_opted_out(None) is False
    assert preferences.is_opted_out("919800000078") is False
