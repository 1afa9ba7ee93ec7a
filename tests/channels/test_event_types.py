"""channels/event_types.py: the O(1) event type lookup gives Rasa's answer for every event."""

from __future__ import annotations

import gc

import pytest
import rasa.shared.utils.common
from rasa.shared.core import events as ev
from rasa.shared.core.events import Event, deserialise_events

from channels import event_types

RASA_RESOLVE = event_types._rasa_resolve_by_type.__func__

USER = ev.UserUttered(
    "আমার জব কার্ড",
    intent={"name": "ask_job_card", "confidence": 0.91},
    entities=[{"entity": "card", "value": "WB-01", "start": 0, "end": 4}],
    parse_data={"text": "আমার জব কার্ড", "intent_ranking": [{"name": "ask_job_card"}]},
    input_channel="whatsapp",
    message_id="m1",
    metadata={"k": "v"},
    timestamp=10.5,
)
EXAMPLES: list[Event] = [
    USER,
    ev.SlotSet("language", "bn", timestamp=11),
    ev.ReminderScheduled("EXTERNAL_x", ev.datetime(2030, 1, 2, 3, 4, 5), name="r", timestamp=12),
    ev.ReminderCancelled(name="r", intent="EXTERNAL_x", entities=[{"entity": "a"}], timestamp=13),
    ev.StoryExported("stories.yml", timestamp=14),
    ev.FollowupAction("action_listen", timestamp=15),
    ev.ActionExecuted("utter_greet", policy="RulePolicy", confidence=1.0, timestamp=16),
    ev.ActiveLoop("some_form", timestamp=17),
    ev.Restarted(timestamp=18),
    ev.UserUtteranceReverted(timestamp=19),
    ev.AllSlotsReset(timestamp=20),
    ev.ActionReverted(timestamp=21),
    ev.ConversationPaused(timestamp=22),
    ev.ConversationResumed(timestamp=23),
    ev.SessionStarted(timestamp=24),
    ev.DefinePrevUserUtteredFeaturization(True, timestamp=25),
    ev.EntitiesAdded([{"entity": "card", "value": "WB-02"}], timestamp=26),
    ev.BotUttered("নমস্কার / Hello", {"buttons": [{"title": "OK"}]}, {"m": 1}, timestamp=27),
    ev.AgentUttered("agent text", {"x": 1}, timestamp=28),
    ev.LoopInterrupted(True, timestamp=29),
    ev.ActionExecutionRejected("action_x", policy="p", confidence=0.5, timestamp=30),
    ev.LegacyFormValidation(False, timestamp=31),
    ev.LegacyForm("old_form", timestamp=32),
]


@pytest.fixture(autouse=True)
def installed_lookup():
    event_types.install()
    yield
    event_types.uninstall()
    event_types.install()  # as the rest of the process has it (channels.tracker_store imports)


def rasa_type_names() -> list[str]:
    return [cls.type_name for cls in rasa.shared.utils.common.all_subclasses(Event)]


def test_examples_cover_every_rasa_event_type():
    # the conversation events of rasa.shared (rasa.core.test adds its own evaluation-only
    # types when a test imports it: they are resolved by the test below, not exemplified)
    shared = {
        cls.type_name
        for cls in rasa.shared.utils.common.all_subclasses(Event)
        if cls.__module__.startswith("rasa.shared.")
    }
    assert {e.type_name for e in EXAMPLES} == shared


@pytest.mark.parametrize("type_name", sorted(set(rasa_type_names())))
def test_same_class_as_rasa_for_every_type_name(type_name):
    assert event_types.resolve_by_type(type_name) is RASA_RESOLVE(type_name)
    assert Event.resolve_by_type(type_name) is RASA_RESOLVE(type_name)


@pytest.mark.parametrize("event", EXAMPLES, ids=lambda e: e.type_name)
def test_every_event_type_round_trips_identically(event):
    data = event.as_dict()
    ours = Event.from_parameters(data)
    event_types.uninstall()
    theirs = Event.from_parameters(data)
    event_types.install()
    assert type(ours) is type(theirs)  # the legacy form events come back as their successors
    assert ours == theirs
    assert ours.as_dict() == theirs.as_dict()
    assert deserialise_events([data])[0].as_dict() == theirs.as_dict()
    if not isinstance(event, (ev.LegacyForm, ev.LegacyFormValidation)):
        assert type(ours) is type(event) and ours.as_dict() == data


def test_installed_for_every_caller_once():
    event_types.install()
    assert event_types.installed()
    assert Event.resolve_by_type is event_types.resolve_by_type
    event_types.uninstall()
    assert not event_types.installed()
    assert Event.resolve_by_type("slot") is ev.SlotSet


def test_unknown_names_behave_as_in_rasa():
    with pytest.raises(ValueError, match="Unknown event name 'no_such_event'"):
        Event.resolve_by_type("no_such_event")
    assert Event.resolve_by_type("topic") is None
    assert Event.resolve_by_type("no_such_event", default=ev.SlotSet) is ev.SlotSet
    assert Event.from_parameters({"event": "no_such_event"}, default=ev.SlotSet) is not None
    assert Event.from_parameters({"no": "event"}) is None


def test_a_subclass_defined_later_resolves():
    assert "sathi_test_late" not in event_types.event_classes()

    class LateEvent(ev.AlwaysEqualEventMixin):
        type_name = "sathi_test_late"

        def as_story_string(self) -> str:
            return self.type_name

    assert Event.resolve_by_type("sathi_test_late") is LateEvent
    restored = Event.from_parameters(LateEvent(timestamp=3).as_dict())
    assert isinstance(restored, LateEvent) and restored.timestamp == 3
    del LateEvent, restored
    gc.collect()
