"""The prediction-states memo (sathi_dialogue/prediction_states.py) gives exactly the states
Rasa's `Domain.states_for_tracker_history` gives, for every flag combination, on trackers that
grow one event at a time (as in a conversation), on every story and rule of the project, on
random event sequences with rewinds, restarts and forms, and on trackers that are not an
extension of the last one (copies back in time, other events)."""

from __future__ import annotations

import random
from typing import Any

import pytest
from rasa.shared.core.constants import USER
from rasa.shared.core.events import (
    ActionExecuted,
    ActionExecutionRejected,
    ActionReverted,
    ActiveLoop,
    AllSlotsReset,
    BotUttered,
    ConversationPaused,
    ConversationResumed,
    DefinePrevUserUtteredFeaturization,
    EntitiesAdded,
    FollowupAction,
    LoopInterrupted,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from sathi_dialogue.prediction_states import PredictionStatesMemo

RULE_ONLY = {"rule_only_slots": ["answer"], "rule_only_loops": ["karmashree_form"]}
# (omit_unset_slots, ignore_rule_only_turns, rule_only_data)
COMBINATIONS = [
    (False, False, None),
    (True, False, None),
    (False, True, None),
    (False, True, RULE_ONLY),
    (True, True, RULE_ONLY),
]


def _user_messages(events: Any) -> list[tuple[Any, Any, list]]:
    return [
        (e, e.use_text_for_featurization, list(e.entities))
        for e in events
        if isinstance(e, UserUttered)
    ]


def _put_back(messages: list[tuple[Any, Any, list]]) -> None:
    for event, use_text, entities in messages:
        event.use_text_for_featurization = use_text
        event.entities[:] = entities


def _sharing(states: list[dict]) -> list[bool]:
    """Which states share their user sub-state (object) with the previous state."""
    return [bool(a.get(USER)) and a.get(USER) is b.get(USER) for a, b in zip(states[1:], states)]


def check(memo: PredictionStatesMemo, tracker: DialogueStateTracker, domain, combination) -> None:
    omit, ignore, rule_only = combination
    before = _user_messages(tracker.events)
    got = memo.prediction_states(
        tracker,
        domain,
        omit_unset_slots=omit,
        ignore_rule_only_turns=ignore,
        rule_only_data=rule_only,
    )
    _put_back(before)  # Rasa's replay reads the messages as they were before the call
    expected = domain.states_for_tracker_history(tracker, omit, ignore, rule_only)
    assert got == expected, f"{tracker.sender_id} {combination} after {len(tracker.events)}"
    assert _sharing(got) == _sharing(expected)
    for h in (1, 4):
        ignore_unlikely = ignore
        sliced = memo.prediction_states(
            tracker,
            domain,
            omit_unset_slots=omit,
            ignore_rule_only_turns=ignore,
            rule_only_data=rule_only,
            max_history=h,
            ignore_action_unlikely_intent=ignore_unlikely,
        )
        assert sliced == expected[-h:]


def grow(sender: str, events: list, domain, memo, combinations, every: int = 1) -> None:
    """Feeds the events one by one into a tracker and checks the states along the way."""
    tracker = DialogueStateTracker(sender, domain.slots)
    for i, event in enumerate(events, 1):
        tracker.update(event)
        if i % every == 0 or i == len(events):
            for combination in combinations:
                check(memo, tracker, domain, combination)


def test_every_story_and_rule_as_it_grows(story_event_lists, domain):
    for combination in COMBINATIONS:
        memo = PredictionStatesMemo(max_senders=50)
        for name, events in story_event_lists:
            grow(name, events, domain, memo, [combination])
        assert memo.counts["extended"] > memo.counts["again"]


def test_the_policies_two_combinations_share_one_replay(story_event_lists, domain):
    memo = PredictionStatesMemo(max_senders=50)
    production = [(False, False, None), (False, True, RULE_ONLY)]
    for name, events in story_event_lists:
        grow(name, events, domain, memo, production)
    assert memo.counts["extended"] > 10 * memo.counts["again"]


def test_stories_one_after_another_in_one_session(story_event_lists, domain):
    """A long conversation (every story in a row, restarts between some): flat, still exact."""
    events: list = []
    for i, (_, story) in enumerate(story_event_lists[:80]):
        events.extend(story)
        if i % 17 == 16:
            events.append(Restarted())
    memo = PredictionStatesMemo(max_senders=5)
    grow("long", events, domain, memo, [(False, False, None), (False, True, RULE_ONLY)], every=7)


def random_events(rng: random.Random, domain, n: int) -> list:
    forms = list(domain.form_names)[:3]
    actions = ["action_listen", "utter_greet", "action_default_fallback", *forms]
    intents = ["greet", "inform", "deny", "affirm", "stop", "nlu_fallback"]
    made: list = []
    for _ in range(n):
        r = rng.random()
        if r < 0.3:
            made.append(ActionExecuted(rng.choice(actions), hide_rule_turn=rng.random() < 0.2))
        elif r < 0.5:
            entities = [{"entity": "job_card", "value": "x"}] if rng.random() < 0.3 else []
            made.append(
                UserUttered(
                    rng.choice(["hello", "ok", None]),
                    {"name": rng.choice(intents), "confidence": 1.0},
                    entities,
                )
            )
        elif r < 0.6:
            slot = rng.choice(["answer", "requested_slot", "job_card", "demand_members"])
            value = rng.choice([None, "yes", "no", "job_card", ["a"], "should_not_be_set"])
            made.append(SlotSet(slot, value))
        elif r < 0.68:
            made.append(ActiveLoop(rng.choice([None, *forms])))
        else:
            made.append(
                rng.choice(
                    [
                        lambda: UserUtteranceReverted(),
                        lambda: ActionReverted(),
                        lambda: Restarted(),
                        lambda: SessionStarted(),
                        lambda: LoopInterrupted(rng.random() < 0.5),
                        lambda: ActionExecutionRejected(rng.choice(actions)),
                        lambda: FollowupAction(rng.choice(actions)),
                        lambda: DefinePrevUserUtteredFeaturization(rng.random() < 0.3),
                        lambda: EntitiesAdded([{"entity": "gp_name", "value": "y"}]),
                        lambda: AllSlotsReset(),
                        lambda: ConversationPaused(),
                        lambda: ConversationResumed(),
                        lambda: BotUttered("hi"),
                    ]
                )()
            )
    return made


@pytest.mark.parametrize("seed", range(40))
def test_random_events_with_rewinds_restarts_and_forms(seed, domain):
    rng = random.Random(seed)
    events = random_events(rng, domain, 160)
    memo = PredictionStatesMemo(max_senders=3)
    combinations = [rng.choice(COMBINATIONS), (False, False, None)]
    grow(f"random-{seed}", events, domain, memo, combinations)
    assert memo.counts["extended"] > 0


def maybe_another_tracker(rng: random.Random, tracker, domain, story_event_lists):
    """Mostly the tracker itself; sometimes one that does not extend it, for the same sender:
    a copy back in time, a copy, another story's events."""
    choice = rng.random()
    if choice < 0.15 and len(tracker.events) > 2:
        cut = tracker.events[rng.randrange(len(tracker.events))].timestamp
        return tracker.travel_back_in_time(cut)
    if choice < 0.25:
        return tracker.copy()
    if choice < 0.3:
        _, story = rng.choice(story_event_lists)
        return DialogueStateTracker.from_events(tracker.sender_id, story, domain.slots)
    return tracker


@pytest.mark.parametrize("seed", range(12))
def test_trackers_that_do_not_extend_the_last_one(seed, domain, story_event_lists):
    """Copies back in time, a shorter tracker, other events for the same sender, a tracker
    with the same events after a different one: recomputed, never a stale answer."""
    rng = random.Random(100 + seed)
    memo = PredictionStatesMemo(max_senders=2)
    events = random_events(rng, domain, 120)
    tracker = DialogueStateTracker("same-sender", domain.slots)
    for event in events:
        tracker.update(event)
        candidate = maybe_another_tracker(rng, tracker, domain, story_event_lists)
        for combination in (rng.choice(COMBINATIONS), (False, True, RULE_ONLY)):
            check(memo, candidate, domain, combination)
            check(memo, tracker, domain, combination)


def test_the_oldest_sender_goes_first(domain, story_event_lists):
    memo = PredictionStatesMemo(max_senders=3)
    for i, (_, events) in enumerate(story_event_lists[:5]):
        tracker = DialogueStateTracker.from_events(f"s{i}", events, domain.slots)
        check(memo, tracker, domain, (False, False, None))
    assert len(memo) == 3
