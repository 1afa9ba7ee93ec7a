"""Running an action without replaying the whole conversation first (docs/performance.md,
rounds 4 and 8).

Rasa 3.6 (`MessageProcessor._run_action`) runs every action on `tracker.copy()`, a replay
of the whole session into a new tracker, so that the events a policy attached to its
prediction can be dropped if the action rejects itself. Both costs grow with the session:
- Most actions of a turn are `action_listen`, an `utter_*` response or a call to the action
  server: none of them changes the tracker it is given, and their predictions carry no policy
  events. For exactly those (`READ_ONLY`, no prediction events) the copy is the tracker itself.
- Every other action (forms, which do change the tracker they get, the session start, the
  default actions) gets `state_copy`: the tracker Rasa's replay would build, made from the
  tracker's current state instead (its events list copied, its slots' values, its state
  attributes; what `init_copy` resets stays reset). tests/dialogue compares it with Rasa's
  copy attribute by attribute on real conversations.
Rasa's own `_run_action` runs in every case: only its first `tracker.copy()` call is
answered here.

Installed by `install()` (channels/document_nlg.py, loaded by every rasa process).
"""

from __future__ import annotations

import copy
from typing import Any

from rasa.core.actions.action import ActionBotResponse, ActionListen, RemoteAction
from rasa.core.processor import MessageProcessor
from rasa.shared.constants import DEFAULT_SENDER_ID
from rasa.shared.core.trackers import DialogueStateTracker

from channels.tracker_snapshot import clone

_original = MessageProcessor._run_action
# exact types: a subclass may override `run` and change the tracker
READ_ONLY = (ActionListen, ActionBotResponse, RemoteAction)


def runs_on_the_tracker_itself(action: Any, prediction: Any) -> bool:
    return type(action) in READ_ONLY and not prediction.events


def state_copy(tracker: DialogueStateTracker) -> DialogueStateTracker:
    """What `tracker.copy()` returns, without the replay: the tracker's state attributes, its
    slots (new objects, the same values), a new events list of the same events; what
    `init_copy` does not carry over (sender source, model and assistant id) reset as there.
    Plain trackers with their whole history only (a tracker cut by `max_event_history`
    differs from its replay)."""
    if (
        type(tracker) is not DialogueStateTracker
        or tracker._max_event_history is not None
        or type(tracker.slots) is not dict
    ):
        return DialogueStateTracker.copy(tracker)
    new: DialogueStateTracker = object.__new__(DialogueStateTracker)
    new.__dict__.update(tracker.__dict__)
    new.__dict__.pop("copy", None)  # ours (_CopyOnce), not the tracker's
    new.sender_id = tracker.sender_id or DEFAULT_SENDER_ID
    new.sender_source = new.model_id = new.assistant_id = None
    # the mutable parts a replay builds afresh (the events themselves are shared, as there)
    new.events = new._create_events(list(tracker.events))
    new.slots = {name: clone(slot) for name, slot in tracker.slots.items()}
    new.active_loop = copy.copy(tracker.active_loop)
    new.latest_action = copy.copy(tracker.latest_action)
    return new


class _CopyOnce:
    """Stands in for `tracker.copy` for one call, then gives the method back."""

    def __init__(self, tracker: Any, itself: bool) -> None:
        self.tracker = tracker
        self.itself = itself

    def __call__(self) -> Any:
        self.tracker.__dict__.pop("copy", None)
        return self.tracker if self.itself else state_copy(self.tracker)


async def _run_action(self, action, tracker, output_channel, nlg, prediction) -> bool:
    tracker.copy = _CopyOnce(tracker, runs_on_the_tracker_itself(action, prediction))
    try:
        return await _original(self, action, tracker, output_channel, nlg, prediction)
    finally:
        tracker.__dict__.pop("copy", None)


def installed() -> bool:
    return MessageProcessor._run_action is _run_action


def install() -> None:
    """Idempotent."""
    MessageProcessor._run_action = _run_action


def uninstall() -> None:
    MessageProcessor._run_action = _original
