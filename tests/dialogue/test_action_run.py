"""channels/action_run.py: read-only actions run on the tracker itself, with the same result
as Rasa's `_run_action` on its copy; every other action gets `state_copy`, which is Rasa's
copy (attribute by attribute, on every story and rule and on random event sequences) without
the replay."""

from __future__ import annotations

import asyncio
import random

import pytest
from rasa.core.actions.action import ActionBotResponse, ActionListen, RemoteAction
from rasa.core.actions.forms import FormAction
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.core.policies.policy import PolicyPrediction
from rasa.core.processor import MessageProcessor
from rasa.shared.core.events import ActionExecuted, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from channels import action_run
from tests.dialogue.test_prediction_states import _put_back, _user_messages, random_events
from tests.support.tracker_state import assert_same_state


def _tracker(domain) -> DialogueStateTracker:
    events = [ActionExecuted("action_session_start"), SessionStarted()]
    for i in range(30):
        events += [
            ActionExecuted("action_listen"),
            UserUttered(f"hello {i}", intent={"name": "greet", "confidence": 0.9}),
            SlotSet("language", "en"),
        ]
    return DialogueStateTracker.from_events("919800000001", events, slots=domain.slots)


def _processor(domain) -> MessageProcessor:
    processor = MessageProcessor.__new__(MessageProcessor)  # only what _run_action uses
    processor.domain = domain
    processor.action_endpoint = None
    return processor


def _run(domain, action, prediction, installed: bool, monkeypatch):
    copies = []
    real_copy = DialogueStateTracker.copy

    def counting_copy(self):
        copies.append(1)
        return real_copy(self)

    monkeypatch.setattr(DialogueStateTracker, "copy", counting_copy)
    run = action_run._run_action if installed else action_run._original
    tracker = _tracker(domain)
    channel = CollectingOutputChannel()
    nlg = TemplatedNaturalLanguageGenerator(domain.responses)
    again = asyncio.run(run(_processor(domain), action, tracker, channel, nlg, prediction))
    assert "copy" not in tracker.__dict__
    events = [{k: v for k, v in e.as_dict().items() if k != "timestamp"} for e in tracker.events]
    return again, events, channel.messages, len(copies)


def _utter(domain) -> str:
    return next(name for name in domain.responses if name.startswith("utter_"))


@pytest.mark.parametrize("kind", ["listen", "utter", "remote-unreachable"])
def test_read_only_actions_run_on_the_tracker_itself_with_the_same_result(
    kind, domain, monkeypatch
):
    action = {
        "listen": lambda: ActionListen(),
        "utter": lambda: ActionBotResponse(_utter(domain)),
        "remote-unreachable": lambda: RemoteAction(
            "action_no_such_thing", EndpointConfig("http://127.0.0.1:9/webhook")
        ),
    }[kind]()
    prediction = PolicyPrediction([1.0], "RulePolicy")
    ours = _run(domain, action, prediction, True, monkeypatch)
    rasas = _run(domain, action, prediction, False, monkeypatch)
    assert rasas[3] == 1 and ours[3] == 0
    assert ours[:3] == rasas[:3]
    if kind == "utter":
        assert ours[2], "the response was sent"


def test_actions_with_policy_events_or_other_types_get_a_copy(domain, monkeypatch):
    with_events = PolicyPrediction([1.0], "RulePolicy", events=[SlotSet("language", "bn")])
    ours = _run(domain, ActionListen(), with_events, True, monkeypatch)
    rasas = _run(domain, ActionListen(), with_events, False, monkeypatch)
    assert rasas[3] == 1 and ours[3] == 0, "ours is the state copy, not Rasa's replay"
    assert ours[:3] == rasas[:3]
    form = FormAction(next(iter(domain.forms)), None)
    assert not action_run.runs_on_the_tracker_itself(form, PolicyPrediction([1.0], "x"))


def test_installed_by_the_assistants_nlg_and_undone():
    from channels.document_nlg import DocumentAwareNLG

    action_run.uninstall()
    try:
        DocumentAwareNLG()
        assert action_run.installed()
    finally:
        action_run.install()


def assert_same_as_rasas_copy(tracker: DialogueStateTracker) -> None:
    before = _user_messages(tracker.events)
    ours = action_run.state_copy(tracker)
    rasas = DialogueStateTracker.copy(tracker)
    _put_back(before)  # Rasa's replay applies EntitiesAdded to the shared messages again
    where = f"{tracker.sender_id} after {len(tracker.events)} events"
    assert ours is not tracker and ours.events is not tracker.events
    assert_same_state(ours, rasas, where)
    for name in ("active_loop", "latest_action"):
        mine = getattr(ours, name)
        assert mine is None or mine is not getattr(tracker, name), f"{name} shared: {where}"
    assert all(ours.slots[n] is not s for n, s in tracker.slots.items())
    # the copy is the caller's to change: the tracker it came from stays as it was
    ours.update(SlotSet("language", "bn"))
    assert len(tracker.events) == len(rasas.events)


def test_the_state_copy_is_rasas_copy_on_every_story_and_rule(story_event_lists, domain):
    checked = 0
    for name, events in story_event_lists:
        tracker = DialogueStateTracker(name, domain.slots)
        for event in events:
            tracker.update(event)
            assert_same_as_rasas_copy(tracker)
            checked += 1
    assert checked > 500


@pytest.mark.parametrize("seed", range(30))
def test_the_state_copy_is_rasas_copy_on_random_events(seed, domain):
    """Rewinds, restarts, sessions, forms, pauses, slot resets, followups."""
    rng = random.Random(seed)
    tracker = DialogueStateTracker(f"random-{seed}", domain.slots)
    for event in random_events(rng, domain, 160):
        tracker.update(event)
        assert_same_as_rasas_copy(tracker)


def test_trackers_rasa_must_copy_itself(domain):
    """A tracker cut by max_event_history, or another tracker type: Rasa's replay."""
    events = [ActionExecuted("action_listen"), UserUttered("hi", {"name": "greet"})] * 5
    cut = DialogueStateTracker.from_events("cut", events, domain.slots, max_event_history=4)
    copied = action_run.state_copy(cut)
    assert copied.latest_message is cut.events[-1] and len(copied.events) == 4

    class Other(DialogueStateTracker):
        pass

    other = Other.from_events("other", events, domain.slots)
    replays = []
    real_copy = DialogueStateTracker.copy
    DialogueStateTracker.copy = lambda self: replays.append(1) or real_copy(self)
    try:
        action_run.state_copy(other)
        action_run.state_copy(cut)
        action_run.state_copy(DialogueStateTracker.from_events("plain", events, domain.slots))
    finally:
        DialogueStateTracker.copy = real_copy
    assert len(replays) == 2


def _run_form(domain, installed: bool, monkeypatch) -> tuple[list, int, DialogueStateTracker]:
    form_name = next(iter(domain.forms))

    async def nothing(*args, **kwargs):  # the action server's part (validation, questions)
        return []

    monkeypatch.setattr(FormAction, "validate_slots", nothing)
    monkeypatch.setattr(FormAction, "_ask_for_slot", nothing)
    replays = []
    real_copy = DialogueStateTracker.copy
    monkeypatch.setattr(
        DialogueStateTracker, "copy", lambda self: replays.append(1) or real_copy(self)
    )
    tracker = _tracker(domain)
    before = len(tracker.events)
    run = action_run._run_action if installed else action_run._original
    channel = CollectingOutputChannel()
    nlg = TemplatedNaturalLanguageGenerator(domain.responses)
    prediction = PolicyPrediction([1.0], "RulePolicy")
    asyncio.run(
        run(_processor(domain), FormAction(form_name, None), tracker, channel, nlg, prediction)
    )
    logged = [
        {k: v for k, v in e.as_dict().items() if k != "timestamp"}
        for e in list(tracker.events)[before:]
    ]
    return logged, len(replays), tracker


def test_a_form_runs_on_the_state_copy_with_rasas_result(domain, monkeypatch):
    """A form activation changes the tracker it is given: the events logged are those of
    Rasa's own run, with one replay fewer (the form's own copy at activation stays Rasa's)."""
    ours, our_replays, tracker = _run_form(domain, True, monkeypatch)
    rasas, rasa_replays, _ = _run_form(domain, False, monkeypatch)
    assert ours == rasas
    assert any(e["event"] == "active_loop" for e in ours), ours
    assert tracker.active_loop_name == next(iter(domain.forms))
    assert our_replays == rasa_replays - 1
