"""channels/tracker_snapshot.py (here for the dialogue fixtures): the tracker built from the last load's snapshot plus the new
events is the tracker `DialogueStateTracker.from_events` builds, attribute by attribute, on
every story and rule (cut after every event) and on random event sequences with rewinds,
restarts and forms; a snapshot that does not fit is not used."""

from __future__ import annotations

import random

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from channels.tracker_snapshot import TrackerSnapshot, tracker_from_events
from tests.dialogue.test_prediction_states import _put_back, _user_messages, random_events
from tests.support.tracker_state import assert_same_state


def _loads(sender: str, events: list, domain, every: int) -> int:
    """Loads the conversation as it grows (a load every `every` events, as the store does
    every message), each from the last load's snapshot; checks each against from_events."""
    snapshot = None
    used = 0
    for end in range(1, len(events) + 1, every):
        shown = events[:end]
        before = _user_messages(shown)
        tracker, new_snapshot = tracker_from_events(sender, shown, domain, snapshot)
        used += snapshot is not None and snapshot.restore(shown, domain) is not None
        _put_back(before)
        expected = DialogueStateTracker.from_events(sender, shown, domain.slots)
        _put_back(before)
        assert_same_state(tracker, expected, f"{sender} after {end} events")
        # what the turn does to the tracker it was handed never reaches the snapshot
        tracker.update(SlotSet("language", "bn"))
        if tracker.active_loop:
            tracker.active_loop.rejected = not tracker.active_loop.rejected
        tracker.latest_action["action_name"] = "changed_in_place"
        snapshot = new_snapshot
    return used


def test_every_story_and_rule_loaded_as_it_grows(story_event_lists, domain):
    used = sum(_loads(name, events, domain, every=1) for name, events in story_event_lists)
    assert used > 500


@pytest.mark.parametrize("seed", range(30))
def test_random_events_with_rewinds_restarts_and_forms(seed, domain):
    rng = random.Random(seed)
    events = random_events(rng, domain, 160)
    assert _loads(f"random-{seed}", events, domain, every=rng.choice([1, 3, 7])) > 0


def _story(domain) -> list:
    return [
        ActionExecuted("action_listen"),
        UserUttered("hi", {"name": "greet", "confidence": 1.0}),
        SlotSet("language", "en"),
        ActiveLoop(next(iter(domain.forms))),
    ]


def test_a_snapshot_that_does_not_fit_is_not_used(domain):
    events = _story(domain)
    snapshot = TrackerSnapshot(DialogueStateTracker.from_events("a", events, domain.slots), domain)
    assert snapshot.restore(events + [SlotSet("language", "bn")], domain) is not None
    assert snapshot.restore(events[:2], domain) is None, "fewer events"
    others = _story(domain)  # equal events, other objects: another load from the database
    assert snapshot.restore(others, domain) is None
    assert snapshot.restore(events, Domain.load("domain")) is None, "another domain"
    tracker, _ = tracker_from_events("b", events, domain, snapshot)
    assert tracker.sender_id == "b", "another conversation's snapshot is not used"
