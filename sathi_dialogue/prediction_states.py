"""An exact, incremental memo of the dialogue states Rasa's policies predict from.

Rasa 3.6 computes a tracker's states (`Domain.states_for_tracker_history`) by replaying the
whole session (`generate_all_prior_trackers`) on every call, and a user turn makes 6-9 such
calls (RulePolicy twice per prediction, MemoizationPolicy once, 2-3 predictions per turn): the
policies' cost grew with the length of the conversation. This memo keeps, per sender, what the
replay had reached (the events folded so far, by identity, Rasa's applied-events list, the
replayed tracker, the states of each flag combination, checkpoints of the last few actions) and
replays only the events that are new.

Exactness: the loops below are Rasa 3.6's own (`DialogueStateTracker.applied_events`,
`Domain.states_for_tracker_history`), run one event at a time with Rasa's helpers, and
anything the memo cannot prove unchanged is recomputed from scratch:
- the tracker's events must start with the cached events (object identity, every one);
- events that rewind (UserUtteranceReverted, ActionReverted, restarts, a loop running again)
  change Rasa's applied events: the replay goes back to the last checkpoint at or before the
  first changed event, or to the start;
- a loop name seen for the first time that an earlier action already had: fold again;
- the user messages the cached states were computed from must still read the same (Rasa's own
  replay mutates them: `DefinePrevUserUtteredFeaturization`, `EntitiesAdded`);
- another domain object or other slots (type, initial value, featurization): a new entry.
The caller gets fresh copies (Rasa's featurizer deletes keys of the user sub-states in place),
with the user sub-states shared between consecutive states exactly where Rasa shares them.
tests/dialogue checks the states against Rasa's for every flag combination.
"""

from __future__ import annotations

import threading
from collections import OrderedDict, deque
from collections.abc import Callable
from itertools import islice
from typing import Any

from rasa.core.featurizers.tracker_featurizers import _is_prev_action_unlikely_intent_in_state
from rasa.shared.core.domain import Domain, State
from rasa.shared.core.events import ActionExecuted
from rasa.shared.core.trackers import DialogueStateTracker

from sathi_dialogue.state_replay import (
    CHECKPOINTS,
    MAX_STREAMS,
    AppliedEvents,
    Checkpoint,
    StateStream,
    StreamKey,
    _message_reading,
    _same_reading,
    copied_states,
    opens_with,
    rule_only_key,
    slot_spec,
)


class SenderReplay:
    """One sender's replay: the fold of its events, the replayed tracker, the states of each
    flag combination asked for, checkpoints and the user messages the states read."""

    def __init__(self, tracker: DialogueStateTracker, domain: Domain) -> None:
        self.domain = domain
        self.slot_spec = slot_spec(tracker)
        self.streams: dict[StreamKey, StateStream] = {}
        self._start(tracker)

    def _start(self, tracker: DialogueStateTracker) -> None:
        self.fold = AppliedEvents()
        self._restart_replay(tracker)

    def _restart_replay(self, tracker: DialogueStateTracker) -> None:
        self.tracker = tracker.init_copy()
        self.replayed: list[Any] = []  # applied events replayed into self.tracker
        self.checkpoints: deque[Checkpoint] = deque(maxlen=CHECKPOINTS)
        # (message, reading) of the states computed so far, consecutive repeats once
        self.readings: list[tuple[Any, tuple[Any, ...]]] = []
        for stream in self.streams.values():
            stream.reset()

    def fits(self, tracker: DialogueStateTracker, domain: Domain) -> bool:
        return domain is self.domain and slot_spec(tracker) == self.slot_spec

    def stream(
        self, tracker: DialogueStateTracker, key: StreamKey, make: Callable[[], StateStream]
    ) -> StateStream:
        stream = self.streams.get(key)
        if stream is None:
            # a new flag combination needs the prior trackers from the start: replay again
            if len(self.streams) >= MAX_STREAMS:
                self.streams.clear()
            stream = self.streams[key] = make()
            self._start(tracker)
        return stream

    def catch_up(self, tracker: DialogueStateTracker) -> str:
        """Brings the replay to the tracker's events; says how ("extended", "same", "again")."""
        events = tracker.events
        folded = self.fold.events
        if not opens_with(folded, events) or not self._readings_hold():
            self._start(tracker)
            how = "again"
            new = list(events)
        else:
            new = list(islice(events, len(folded), None))
            how = "extended" if new else "same"
        if new:
            self.fold.extend(tracker, new)
            self._replay_applied(tracker)
        return how

    def _readings_hold(self) -> bool:
        """Every message still reads as when its states were computed: `_same_reading(
        _message_reading(message), reading)` for each, without building the tuples (this
        runs on every call, over every user message of the session)."""
        for message, (text, intent_name, use_text, entities, count) in self.readings:
            now = message.entities
            if (
                now is not entities
                or len(now) != count
                or message.text != text
                or message.use_text_for_featurization != use_text
                or message.intent_name != intent_name
            ):
                return False
        return True

    def _replay_applied(self, tracker: DialogueStateTracker) -> None:
        applied, replayed = self.fold.applied, self.replayed
        common = 0
        for common, (a, b) in enumerate(zip(replayed, applied), 1):  # noqa: B007
            if a is not b:
                common -= 1
                break
        if common < len(replayed):
            self._rewind(tracker, common)
        streams = list(self.streams.values())
        tr, domain = self.tracker, self.domain
        for position in range(len(self.replayed), len(applied)):
            event = applied[position]
            if isinstance(event, ActionExecuted):
                self.checkpoints.append(Checkpoint(position, tr, streams, len(self.readings)))
                self._note_reading(tr)
                for stream in streams:
                    stream.step(domain, tr, event.hide_rule_turn, commit=True)
            tr.update(event)
        self.replayed.extend(applied[len(self.replayed) :])
        tr.events.clear()  # the replay never reads them back; the memo holds the list

    def _rewind(self, tracker: DialogueStateTracker, common: int) -> None:
        while self.checkpoints and self.checkpoints[-1].position > common:
            self.checkpoints.pop()
        if not self.checkpoints:
            self._restart_replay(tracker)
            return
        checkpoint = self.checkpoints.pop()  # taken again when its action is replayed
        checkpoint.restore(self.tracker, list(self.streams.values()))
        del self.replayed[checkpoint.position :]
        del self.readings[checkpoint.readings :]

    def _note_reading(self, tr: DialogueStateTracker) -> None:
        message = tr.latest_message
        reading = _message_reading(message)
        if self.readings:
            last_message, last_reading = self.readings[-1]
            if last_message is message and _same_reading(last_reading, reading):
                return
        self.readings.append((message, reading))

    def final_state(self, stream: StateStream) -> State | None:
        """The state after the last event (Rasa's last prior tracker), not kept."""
        return stream.step(self.domain, self.tracker, False, commit=False)


class PredictionStatesMemo:
    """The memo of every sender (least recently used first out, `max_senders` kept)."""

    def __init__(self, max_senders: int) -> None:
        self.max_senders = max_senders
        self._senders: OrderedDict[str, SenderReplay] = OrderedDict()
        self._lock = threading.Lock()
        self.counts = {"extended": 0, "same": 0, "again": 0, "new": 0, "stock": 0}

    @staticmethod
    def handles(tracker: DialogueStateTracker, domain: Domain) -> bool:
        """Plain Rasa trackers and domains only: subclasses (training's
        TrackerWithCachedStates) may compute their states otherwise."""
        return (
            type(tracker) is DialogueStateTracker
            and type(domain) is Domain
            and tracker.sender_id is not None
        )

    def prediction_states(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        *,
        omit_unset_slots: bool = False,
        ignore_rule_only_turns: bool = False,
        rule_only_data: dict[str, Any] | None = None,
        max_history: int | None = None,
        ignore_action_unlikely_intent: bool = False,
    ) -> list[State]:
        """Fresh copies of what Rasa computes as
        `domain.states_for_tracker_history(tracker, omit_unset_slots, ignore_rule_only_turns,
        rule_only_data)`, without the `action_unlikely_intent` states when asked, the last
        `max_history` of them (all when None or 0)."""
        if not self.handles(tracker, domain):
            self.counts["stock"] += 1
            states = tracker.past_states(
                domain, omit_unset_slots, ignore_rule_only_turns, rule_only_data
            )
            return _selected(states, max_history, ignore_action_unlikely_intent)
        key: StreamKey = (
            omit_unset_slots,
            ignore_rule_only_turns,
            rule_only_key(rule_only_data) if ignore_rule_only_turns else None,
        )

        def new_stream() -> StateStream:
            return StateStream(
                omit_unset_slots,
                ignore_rule_only_turns,
                rule_only_data if ignore_rule_only_turns else None,
            )

        with self._lock:
            try:
                replay = self._replay_of(tracker, domain)
                stream = replay.stream(tracker, key, new_stream)
                self.counts[replay.catch_up(tracker)] += 1
                states = list(stream.states)
                final = replay.final_state(stream)
            except BaseException:
                # a replay stopped half-way must not answer the next call
                self._senders.pop(tracker.sender_id, None)
                raise
        if final is not None:
            states.append(final)
        states = _selected(states, max_history, ignore_action_unlikely_intent)
        return copied_states(states, keep_user_sharing=ignore_rule_only_turns)

    def _replay_of(self, tracker: DialogueStateTracker, domain: Domain) -> SenderReplay:
        replay = self._senders.get(tracker.sender_id)
        if replay is not None and replay.fits(tracker, domain):
            self._senders.move_to_end(tracker.sender_id)
            return replay
        replay = self._senders[tracker.sender_id] = SenderReplay(tracker, domain)
        while len(self._senders) > self.max_senders:
            self._senders.popitem(last=False)
        self.counts["new"] += 1
        return replay

    def forget(self, sender_id: str) -> None:
        with self._lock:
            self._senders.pop(sender_id, None)

    def __len__(self) -> int:
        return len(self._senders)


def _selected(
    states: list[State], max_history: int | None, ignore_action_unlikely_intent: bool
) -> list[State]:
    """Rasa's `_remove_action_unlikely_intent_from_states` then `slice_state_history`, read
    from the end so that only the states kept are looked at."""
    if not ignore_action_unlikely_intent:
        return states[-max_history:] if max_history else states
    if not max_history:
        return [s for s in states if not _is_prev_action_unlikely_intent_in_state(s)]
    kept: list[State] = []
    for state in reversed(states):
        if not _is_prev_action_unlikely_intent_in_state(state):
            kept.append(state)
            if len(kept) == max_history:
                break
    kept.reverse()
    return kept
