"""The pieces of the prediction-states memo (prediction_states.py): Rasa 3.6's applied-events
fold and its states loop, one event at a time; checkpoints of the replayed tracker; copies of
states for the caller."""

from __future__ import annotations

import copy
import operator
from collections.abc import Sequence
from typing import Any

from rasa.shared.core.constants import ACTIVE_LOOP, PREVIOUS_ACTION, SLOTS, USER
from rasa.shared.core.domain import Domain, State
from rasa.shared.core.events import (
    ActionExecuted,
    ActionReverted,
    ActiveLoop,
    Event,
    Restarted,
    SessionStarted,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

# Checkpoints kept per sender (one before each of the last actions): a form's next step rewinds
# one or two actions, a fallback's UserUtteranceReverted two or three.
CHECKPOINTS = 8
# Flag combinations kept per sender (RulePolicy uses one, MemoizationPolicy another).
MAX_STREAMS = 4

StreamKey = tuple[bool, bool, Any]


def rule_only_key(rule_only_data: dict[str, Any] | None) -> Any:
    """The content of `rule_only_data` as a hashable key (None when it removes nothing)."""
    if not rule_only_data:
        return None
    return tuple(
        sorted(
            (name, tuple(sorted(value)) if isinstance(value, set | frozenset) else tuple(value))
            for name, value in rule_only_data.items()
        )
    )


def opens_with(prefix: Sequence[Event], events: Sequence[Event]) -> bool:
    """`events` starts with the very objects of `prefix` (identity, every one): what the
    caches of a conversation's events check before they only take the events that are new."""
    return len(events) >= len(prefix) and all(map(operator.is_, prefix, events))


class AppliedEvents:
    """`DialogueStateTracker.applied_events` as a left fold that can take more events."""

    def __init__(self) -> None:
        self.events: list[Event] = []  # the tracker's events folded so far
        self.applied: list[Event] = []
        self.loop_names: set[str] = set()
        self.executed: set[str | None] = set()  # action names of the folded ActionExecuted

    def extend(self, tracker: DialogueStateTracker, new_events: list[Event]) -> None:
        new_loops = {e.name for e in new_events if isinstance(e, ActiveLoop) and e.name}
        if (new_loops - self.loop_names) & self.executed:
            # Rasa names the loops of the whole tracker first: an earlier execution of that
            # action becomes a loop execution, so the fold starts again.
            events = self.events + new_events
            self.__init__()  # type: ignore[misc]
            self.loop_names = {e.name for e in events if isinstance(e, ActiveLoop) and e.name}
            self._fold(tracker, events)
        else:
            self.loop_names |= new_loops
            self._fold(tracker, new_events)

    def _fold(self, tracker: DialogueStateTracker, events: list[Event]) -> None:
        applied, loop_names = self.applied, self.loop_names
        for event in events:
            if isinstance(event, ActionExecuted):
                self.executed.add(event.action_name)
            if isinstance(event, Restarted | SessionStarted):
                applied.clear()
            elif isinstance(event, ActionReverted):
                DialogueStateTracker._undo_till_previous(ActionExecuted, applied)
            elif isinstance(event, UserUtteranceReverted):
                DialogueStateTracker._undo_till_previous(UserUttered, applied)
                DialogueStateTracker._undo_till_previous(ActionExecuted, applied)
            elif (
                isinstance(event, ActionExecuted)
                and event.action_name in loop_names
                and not tracker._first_loop_execution_or_unhappy_path(event.action_name, applied)
            ):
                DialogueStateTracker._undo_till_previous_loop_execution(event.action_name, applied)
            else:
                applied.append(event)
        self.events.extend(events)


class StateStream:
    """The states of one flag combination: the body of `Domain.states_for_tracker_history`'s
    loop, one prior tracker at a time."""

    def __init__(
        self,
        omit_unset_slots: bool,
        ignore_rule_only_turns: bool,
        rule_only_data: dict[str, Any] | None,
    ) -> None:
        self.omit_unset_slots = omit_unset_slots
        self.ignore_rule_only_turns = ignore_rule_only_turns
        self.rule_only_data = rule_only_data
        self.states: list[State] = []
        self.turn_was_hidden = False
        self.last_ml_action_sub_state: dict[str, str] | None = None

    def reset(self) -> None:
        self.states = []
        self.turn_was_hidden = False
        self.last_ml_action_sub_state = None

    def step(
        self, domain: Domain, tr: DialogueStateTracker, hide_rule_turn: bool, commit: bool
    ) -> State | None:
        turn_was_hidden, last_ml = self.turn_was_hidden, self.last_ml_action_sub_state
        ignore = self.ignore_rule_only_turns
        if ignore:
            if not turn_was_hidden:
                last_ml = domain._get_prev_action_sub_state(tr)
            if not tr.followup_action and not tr.latest_action_name == tr.active_loop_name:
                turn_was_hidden = hide_rule_turn
        state = None
        if not (ignore and turn_was_hidden):
            state = domain.get_active_state(tr, omit_unset_slots=self.omit_unset_slots)
            if ignore:
                domain._remove_rule_only_features(state, self.rule_only_data)
                if self.states:
                    domain._substitute_rule_only_user_input(state, self.states[-1])
                if last_ml:
                    state[PREVIOUS_ACTION] = last_ml
            state = domain._clean_state(state)
        if commit:
            self.turn_was_hidden, self.last_ml_action_sub_state = turn_was_hidden, last_ml
            if state is not None:
                self._share_equal_sub_states(state)
                self.states.append(state)
        return state

    def _share_equal_sub_states(self, state: State) -> None:
        """Memory: a sub-state equal to the previous state's is kept once. Callers get copies;
        only the user sub-states of the ignore-rule-only-turns stream keep their identity,
        which the copies reproduce (Rasa shares them there)."""
        if not self.states:
            return
        previous = self.states[-1]
        keys = (SLOTS, PREVIOUS_ACTION, ACTIVE_LOOP) if self.ignore_rule_only_turns else None
        for key, sub in state.items():
            if keys is not None and key not in keys:
                continue
            before = previous.get(key)
            if before is not None and before is not sub and before == sub:
                state[key] = before


def copied_states(states: list[State], keep_user_sharing: bool) -> list[State]:
    """Fresh states (every sub-state a new dict); with `keep_user_sharing`, a user sub-state
    that is the previous state's object stays shared in the copies."""
    out: list[State] = []
    source_user: Any = None
    copy_user: Any = None
    for state in states:
        new: dict[str, Any] = {}
        for key, sub in state.items():
            if key == USER and keep_user_sharing and sub is source_user:
                new[key] = copy_user
            else:
                new[key] = dict(sub)
        source_user = state.get(USER)
        copy_user = new.get(USER)
        out.append(new)
    return out


def _message_reading(message: Any) -> tuple[Any, ...]:
    """What a state reads of a user message, as far as Rasa mutates it after logging."""
    return (
        message.text,
        message.intent_name,
        message.use_text_for_featurization,
        message.entities,
        len(message.entities),
    )


def _same_reading(a: tuple[Any, ...], b: tuple[Any, ...]) -> bool:
    return a[0] == b[0] and a[1] == b[1] and a[2] == b[2] and a[3] is b[3] and a[4] == b[4]


def slot_spec(tracker: DialogueStateTracker) -> tuple[Any, ...]:
    """What the replay's fresh tracker (`init_copy`) takes from the tracker's slots."""
    return tuple(
        (
            name,
            type(slot),
            slot.initial_value,
            slot.influence_conversation,
            getattr(slot, "values", None),
            getattr(slot, "min_value", None),
            getattr(slot, "max_value", None),
        )
        for name, slot in tracker.slots.items()
    ) + (tracker.is_rule_tracker,)


class Checkpoint:
    """The replay just before the applied event at `position` (an ActionExecuted)."""

    __slots__ = ("position", "attributes", "slot_values", "slot_set", "streams", "readings")

    def __init__(
        self, position: int, tr: DialogueStateTracker, streams: list[StateStream], readings: int
    ) -> None:
        self.position = position
        attributes = dict(tr.__dict__)
        del attributes["events"], attributes["slots"]
        attributes["active_loop"] = copy.copy(tr.active_loop)
        self.attributes = attributes
        self.slot_values = tuple(slot._value for slot in tr.slots.values())
        self.slot_set = tuple(slot._has_been_set for slot in tr.slots.values())
        self.streams = [
            (len(s.states), s.turn_was_hidden, s.last_ml_action_sub_state) for s in streams
        ]
        self.readings = readings

    def restore(self, tr: DialogueStateTracker, streams: list[StateStream]) -> None:
        tr.__dict__.update(self.attributes)
        tr.active_loop = copy.copy(self.attributes["active_loop"])
        for slot, value, was_set in zip(tr.slots.values(), self.slot_values, self.slot_set):
            slot._value = value
            slot._has_been_set = was_set
        for stream, (length, hidden, last_ml) in zip(streams, self.streams):
            del stream.states[length:]
            stream.turn_was_hidden, stream.last_ml_action_sub_state = hidden, last_ml
