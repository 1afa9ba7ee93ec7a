"""channels/session_check.py: the session check from a fold kept between messages decides
exactly as Rasa's `_update_tracker_session` does, on every story and rule of the project and on
random event sequences with rewinds, restarts and forms, growing one event at a time, and on
trackers that are not an extension of the last one."""

from __future__ import annotations

import asyncio
import random
import time
from types import SimpleNamespace

import pytest
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.processor import MessageProcessor
from rasa.shared.core.domain import SessionConfig
from rasa.shared.core.events import ActionExecuted, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from channels import session_check
from channels.session_check import SessionFolds, session_goes_on
from tests.dialogue.test_prediction_states import maybe_another_tracker, random_events

EXPIRY_MINUTES = 60


def _rasa_starts_a_session(tracker: DialogueStateTracker, now: float, monkeypatch) -> bool:
    """Rasa's own condition (`_update_tracker_session`), at the time `now`."""
    processor = SimpleNamespace(
        domain=SimpleNamespace(session_config=SessionConfig(EXPIRY_MINUTES, True))
    )
    monkeypatch.setattr(time, "time", lambda: now)
    try:
        return not tracker.applied_events() or MessageProcessor._has_session_expired(
            processor, tracker
        )
    finally:
        monkeypatch.undo()


def _times_to_try(tracker: DialogueStateTracker) -> list[float]:
    users = [e.timestamp for e in tracker.events if isinstance(e, UserUttered)]
    last = max(users) if users else time.time()
    return [last + 1, last + EXPIRY_MINUTES * 60 - 1, last + EXPIRY_MINUTES * 60 + 1]


def check(folds: SessionFolds, tracker: DialogueStateTracker, monkeypatch) -> None:
    applied = folds.applied_events(tracker)
    expected = tracker.applied_events()
    assert len(applied) == len(expected) and all(map(lambda a, b: a is b, applied, expected))
    domain = SimpleNamespace(session_config=SessionConfig(EXPIRY_MINUTES, True))
    for now in _times_to_try(tracker):
        rasa_starts = _rasa_starts_a_session(tracker, now, monkeypatch)
        assert session_goes_on(applied, domain, now) is not rasa_starts, (
            f"{tracker.sender_id} after {len(tracker.events)} events at +{now}"
        )
    no_sessions = SimpleNamespace(session_config=SessionConfig(0, True))
    assert session_goes_on(applied, no_sessions, time.time()) is bool(expected)


def grow(sender: str, events: list, domain, folds: SessionFolds, monkeypatch) -> None:
    tracker = DialogueStateTracker(sender, domain.slots)
    for event in events:
        tracker.update(event)
        check(folds, tracker, monkeypatch)


def test_every_story_and_rule_as_it_grows(story_event_lists, domain, monkeypatch):
    folds = SessionFolds(max_senders=50)
    for name, events in story_event_lists:
        grow(name, events, domain, folds, monkeypatch)
    # each conversation folded from its first event once, then only its new events
    assert folds.counts["again"] == len(story_event_lists)
    assert folds.counts["extended"] > 5 * folds.counts["again"]


@pytest.mark.parametrize("seed", range(30))
def test_random_events_with_rewinds_restarts_and_forms(seed, domain, monkeypatch):
    rng = random.Random(seed)
    folds = SessionFolds(max_senders=3)
    grow(f"random-{seed}", random_events(rng, domain, 160), domain, folds, monkeypatch)
    assert folds.counts["extended"] > 0


@pytest.mark.parametrize("seed", range(8))
def test_trackers_that_do_not_extend_the_last_one(seed, domain, story_event_lists, monkeypatch):
    """A copy back in time, a copy, another conversation under the same id: folded again."""
    rng = random.Random(200 + seed)
    folds = SessionFolds(max_senders=2)
    tracker = DialogueStateTracker("same-sender", domain.slots)
    for event in random_events(rng, domain, 100):
        tracker.update(event)
        candidate = maybe_another_tracker(rng, tracker, domain, story_event_lists)
        check(folds, candidate, monkeypatch)
        check(folds, tracker, monkeypatch)
    assert folds.counts["again"] > 1


def test_the_oldest_sender_goes_first(domain, story_event_lists):
    folds = SessionFolds(max_senders=3)
    for i, (_, events) in enumerate(story_event_lists[:5]):
        folds.applied_events(DialogueStateTracker.from_events(f"s{i}", events, domain.slots))
    assert len(folds) == 3


class _Processor:
    """What `_update_tracker_session` uses of a MessageProcessor: the domain and `_run_action`
    (which records the session starts instead of running them)."""

    def __init__(self, domain) -> None:
        self.domain = domain
        self.starts: list[str] = []

    def _get_action(self, name):
        return name

    async def _run_action(self, action, tracker, **_):
        self.starts.append(tracker.sender_id)

    _has_session_expired = MessageProcessor._has_session_expired
    nlg = None


def _conversation(sender: str, minutes_ago: float, domain) -> DialogueStateTracker:
    stamp = time.time() - minutes_ago * 60
    events = [
        ActionExecuted("action_session_start", timestamp=stamp - 5),
        SessionStarted(timestamp=stamp - 4),
        ActionExecuted("action_listen", timestamp=stamp - 3),
        UserUttered("hi", {"name": "greet", "confidence": 1.0}, timestamp=stamp),
        ActionExecuted("action_listen", timestamp=stamp + 1),
    ]
    return DialogueStateTracker.from_events(sender, events, domain.slots)


@pytest.mark.parametrize("installed", [True, False])
def test_the_installed_check_starts_sessions_where_rasa_does(installed, domain, monkeypatch):
    monkeypatch.setattr(domain, "session_config", SessionConfig(30, True))
    session_check.uninstall()
    if installed:
        session_check.install()
    try:
        processor = _Processor(domain)
        update = MessageProcessor._update_tracker_session
        channel = CollectingOutputChannel()
        cases = {
            "fresh": DialogueStateTracker("fresh", domain.slots),
            "recent": _conversation("recent", 5, domain),
            "expired": _conversation("expired", 45, domain),
        }
        for _ in range(2):  # the second time from the kept fold
            for tracker in cases.values():
                asyncio.run(update(processor, tracker, channel))
        assert processor.starts == ["fresh", "expired"] * 2
        assert session_check.installed() is installed
    finally:
        session_check.install()


def test_installed_by_the_assistants_nlg_and_undone():
    from channels.document_nlg import DocumentAwareNLG

    session_check.uninstall()
    try:
        DocumentAwareNLG()
        assert session_check.installed()
    finally:
        session_check.install()
