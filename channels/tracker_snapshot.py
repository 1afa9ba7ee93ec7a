"""The tracker the store hands out, from the state it had at the last load instead of a replay
of the whole session (docs/performance.md, round 8; used by channels/tracker_store.py).

Rasa builds a conversation's tracker with `DialogueStateTracker.from_events`: a new tracker
(every slot of the domain copied and reset) and then `update` with every event of the session,
in order, on every message. `update` is a left fold, so the tracker of events `e1..en` is the
tracker of `e1..ek` updated with `ek+1..en`. A snapshot keeps, per conversation, the state
after the events of the last load (attributes, the slots that are not at their initial value,
the events by identity); the next load starts from it when those very events still open the
session (the event cache appends the new rows to the same Event objects,
channels/tracker_event_cache.py) and updates it with the new ones. Anything else (a new
session, a reload, another domain) is `from_events` as before. tests/channels compares the
two attribute by attribute on every story and rule and on random event sequences.
"""

from __future__ import annotations

import copy
from typing import Any

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker

from sathi_dialogue.state_replay import opens_with

_NOT_KEPT = frozenset(("events", "slots", "copy"))
_blank: dict[str, Any] = {"domain": None, "slots": None}


def clone(obj: Any) -> Any:
    """`copy.copy` of a plain object (a slot), without the reduce protocol."""
    cls: Any = type(obj)
    twin = object.__new__(cls)
    twin.__dict__.update(obj.__dict__)
    return twin


def _blank_slots(domain: Domain) -> dict[str, Any]:
    """The slots of a new tracker (copied from the domain and reset), once per domain."""
    if _blank["domain"] is not domain:
        _blank["slots"] = DialogueStateTracker("blank", domain.slots).slots
        _blank["domain"] = domain
    return _blank["slots"]


class TrackerSnapshot:
    __slots__ = ("domain", "events", "attributes", "slot_values")

    def __init__(self, tracker: DialogueStateTracker, domain: Domain) -> None:
        """The state of `tracker`, which `from_events` built (or `restore` made) just now."""
        self.domain = domain
        self.events = list(tracker.events)
        attributes = {k: v for k, v in tracker.__dict__.items() if k not in _NOT_KEPT}
        # changed in place during a turn (form validation, rejection): kept as they are now
        attributes["active_loop"] = copy.copy(tracker.active_loop)
        attributes["latest_action"] = copy.copy(tracker.latest_action)
        self.attributes = attributes
        self.slot_values = tuple(
            (name, slot._value, slot._has_been_set)
            for name, slot in tracker.slots.items()
            if slot._has_been_set or slot._value is not slot.initial_value
        )

    def restore(self, events: list[Event], domain: Domain) -> DialogueStateTracker | None:
        """What `DialogueStateTracker.from_events(sender_id, events, domain.slots)` returns,
        or None when this snapshot's events do not open `events` (or the domain changed)."""
        known = len(self.events)
        if domain is not self.domain or not opens_with(self.events, events):
            return None
        tracker: DialogueStateTracker = object.__new__(DialogueStateTracker)
        tracker.__dict__.update(self.attributes)
        tracker.active_loop = copy.copy(self.attributes["active_loop"])
        tracker.latest_action = copy.copy(self.attributes["latest_action"])
        slots = {name: clone(slot) for name, slot in _blank_slots(domain).items()}
        for name, value, was_set in self.slot_values:
            slots[name]._value = value
            slots[name]._has_been_set = was_set
        tracker.slots = slots
        tracker.events = tracker._create_events(events[:known])
        for event in events[known:]:
            tracker.update(event)
        return tracker


def tracker_from_events(
    sender_id: str, events: list[Event], domain: Domain, snapshot: TrackerSnapshot | None
) -> tuple[DialogueStateTracker, TrackerSnapshot]:
    """The conversation's tracker (from the snapshot when it fits) and the snapshot of it to
    keep for the next load. Plain trackers only: no `max_event_history`, the domain's slots."""
    tracker = None
    if snapshot is not None and snapshot.attributes.get("sender_id") == sender_id:
        tracker = snapshot.restore(events, domain)
    if tracker is None:
        tracker = DialogueStateTracker.from_events(sender_id, events, domain.slots)
    return tracker, TrackerSnapshot(tracker, domain)
