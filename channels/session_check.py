"""Rasa's per-message session check without walking the session twice (docs/performance.md,
round 8).

On every message Rasa 3.6 (`MessageProcessor._update_tracker_session`) asks whether a new
session must start: `tracker.applied_events()` (a fold of the whole session) must not be empty,
and `_has_session_expired` folds the session again to find the last user message. Both walks
grow with the conversation. Here each conversation's fold (`AppliedEvents`,
sathi_dialogue/state_replay.py) stays in the process between messages, keyed by the identity of
its events: the tracker store hands out the same Event objects from turn to turn
(channels/tracker_event_cache.py), so a message folds only the events that are new; any other
tracker (fewer events, other objects) is folded from its first event.

The decision is Rasa's rule on Rasa's applied events. When it says "start a session", Rasa's
own method runs: it decides the same again and runs `action_session_start` as before.
Off (Rasa's own check on every message) with `SATHI_PREDICTION_STATES_SENDERS=0`.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from itertools import islice

from rasa.core.processor import MessageProcessor
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from sathi.settings import settings
from sathi_dialogue.state_replay import AppliedEvents, opens_with

_original = MessageProcessor._update_tracker_session


class SessionFolds:
    """The applied-events fold of the last `max_senders` conversations (least recently used
    out)."""

    def __init__(self, max_senders: int) -> None:
        self.max_senders = max_senders
        self._folds: OrderedDict[str, AppliedEvents] = OrderedDict()
        self._lock = threading.Lock()
        self.counts = {"extended": 0, "again": 0}

    def applied_events(self, tracker: DialogueStateTracker) -> list[Event]:
        """What `tracker.applied_events()` returns, from the fold kept for its sender; the
        caller must not change the list."""
        sender = tracker.sender_id
        events = tracker.events
        with self._lock:
            fold = self._folds.pop(sender, None)
            if fold is None or not opens_with(fold.events, events):
                fold, new = AppliedEvents(), list(events)
                self.counts["again"] += 1
            else:
                new = list(islice(events, len(fold.events), None))
                self.counts["extended"] += 1
            if new:
                fold.extend(tracker, new)  # raises: the fold is not kept
            self._folds[sender] = fold
            while len(self._folds) > self.max_senders:
                self._folds.popitem(last=False)
            return fold.applied

    def __len__(self) -> int:
        return len(self._folds)


def session_goes_on(applied: list[Event], domain: Domain, now: float) -> bool:
    """Rasa's rule, negated: the tracker has applied events and its session has not expired
    (sessions off, no user message yet, or the last one within the expiration time)."""
    if not applied:
        return False
    config = domain.session_config
    if not config.are_sessions_enabled():
        return True
    last_user = next((e for e in reversed(applied) if isinstance(e, UserUttered)), None)
    if last_user is None:
        return True
    return not ((now - last_user.timestamp) / 60 > config.session_expiration_time)


_folds: SessionFolds | None = None


async def _update_tracker_session(self, tracker, output_channel, metadata=None) -> None:
    if (
        _folds is not None
        and type(tracker) is DialogueStateTracker
        and tracker.sender_id is not None
        and session_goes_on(_folds.applied_events(tracker), self.domain, time.time())
    ):
        return
    await _original(self, tracker, output_channel, metadata)


def installed() -> bool:
    return MessageProcessor._update_tracker_session is _update_tracker_session


def install() -> None:
    """Idempotent; sized by SATHI_PREDICTION_STATES_SENDERS (0: not installed)."""
    global _folds
    senders = settings().prediction_states_senders
    if senders <= 0:
        return
    if _folds is None:
        _folds = SessionFolds(senders)
    MessageProcessor._update_tracker_session = _update_tracker_session


def uninstall() -> None:
    global _folds
    MessageProcessor._update_tracker_session = _original
    _folds = None
