"""Two Rasa trackers in the same state, attribute by attribute (for the tests of code that
builds a tracker without Rasa's replay: channels/action_run.py, channels/tracker_snapshot.py)."""

from __future__ import annotations

from rasa.shared.core.trackers import DialogueStateTracker


def assert_same_state(ours: DialogueStateTracker, rasas: DialogueStateTracker, where: str) -> None:
    """Same events (the very objects), same attributes, same slot values and flags; the
    mutable parts (events list, slots, active loop, latest action) are not Rasa's objects."""
    assert type(ours) is type(rasas), where
    assert ours.events is not rasas.events
    assert len(ours.events) == len(rasas.events), where
    assert all(a is b for a, b in zip(ours.events, rasas.events)), where
    assert ours.__dict__.keys() == rasas.__dict__.keys(), where
    for name, value in rasas.__dict__.items():
        if name in ("events", "slots"):
            continue
        assert ours.__dict__[name] == value, f"{name}: {where}"
    assert ours.slots.keys() == rasas.slots.keys()
    for name, slot in rasas.slots.items():
        mine = ours.slots[name]
        assert mine is not slot and type(mine) is type(slot)
        assert (mine.value, mine.has_been_set) == (slot.value, slot.has_been_set), (
            f"slot {name}: {where}"
        )
