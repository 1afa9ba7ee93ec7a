"""Running an action without first copying the whole conversation (docs/performance.md,
round 4).

Rasa 3.6 (`MessageProcessor._run_action`) runs every action on `tracker.copy()`, a replay
of the whole session into a new tracker, so that the events a policy attached to its
prediction can be dropped if the action rejects itself. Most actions of a turn are
`action_listen`, an `utter_*` response or a call to the action server: none of them changes
the tracker it is given, and their predictions carry no policy events. For exactly those
(`READ_ONLY`, no prediction events) Rasa's copy is the tracker itself; every other action
(forms, which do change it, the session start, the default actions) gets Rasa's copy as
before. Rasa's own `_run_action` runs in every case: only its first `tracker.copy()` call
is answered with the tracker.

Installed by `install()` (channels/document_nlg.py, loaded by every rasa process).
"""

from __future__ import annotations

from typing import Any

from rasa.core.actions.action import ActionBotResponse, ActionListen, RemoteAction
from rasa.core.processor import MessageProcessor

_original = MessageProcessor._run_action
# exact types: a subclass may override `run` and change the tracker
READ_ONLY = (ActionListen, ActionBotResponse, RemoteAction)


def runs_on_the_tracker_itself(action: Any, prediction: Any) -> bool:
    return type(action) in READ_ONLY and not prediction.events


class _TheTrackerOnce:
    """Stands in for `tracker.copy` for one call, then gives the method back."""

    def __init__(self, tracker: Any) -> None:
        self.tracker = tracker

    def __call__(self) -> Any:
        self.tracker.__dict__.pop("copy", None)
        return self.tracker


async def _run_action(self, action, tracker, output_channel, nlg, prediction) -> bool:
    if not runs_on_the_tracker_itself(action, prediction):
        return await _original(self, action, tracker, output_channel, nlg, prediction)
    tracker.copy = _TheTrackerOnce(tracker)
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
