"""Runs `action_validate_slot_mappings` (actions/slot_mappings.py: language, misses, answer,
the privacy notice) inside the rasa server process instead of over HTTP to the action server.

Why: Rasa runs that action on every user message, before the policies. As a remote action it
cost, every turn, a replay of the whole session into a second tracker, the tracker and the
full domain serialized to JSON, a new HTTP connection to the action server, the action
server's parse, and a JSON-schema check of the answer (docs/performance.md has the figures).
Here the same class runs on the same tracker state (with this turn's events only, not the
whole session: `turn_events`) and the same domain dictionary, and its
events and messages go through the same Rasa code as a remote answer would
(`deserialise_events`, `RemoteAction._utter_responses`), so behaviour does not change. The
action runs on the server's event loop; its blocking bot-store calls, on the few turns that
make one, go to a worker thread (actions/slot_mappings.py), never on the loop: a hop for the
whole action on every turn cost more CPU than the action (docs/performance.md, round 11).

Installed by `install()` (called from channels/document_nlg.py, which every rasa process
loads through endpoints.yml). SATHI_SLOT_MAPPINGS_IN_PROCESS=0 turns it off (the remote call
again), for A/B measurements.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa.core.actions.action import ActionExtractSlots, RemoteAction
from rasa.shared.core.constants import ACTION_VALIDATE_SLOT_MAPPINGS
from rasa.shared.core.events import Event, Restarted, SlotSet, UserUttered, deserialise_events
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity

from sathi.settings import settings

logger = logging.getLogger(__name__)

_original = ActionExtractSlots._execute_validation_action
_domain_cache: dict[str, Any] = {"domain": None, "dict": None}


def enabled() -> bool:
    return settings().slot_mappings_in_process


def _domain_dict(domain) -> dict[str, Any]:
    """domain.as_dict(), once per loaded domain (a model reload brings a new object)."""
    if _domain_cache["domain"] is not domain:
        _domain_cache["dict"] = domain.as_dict()
        _domain_cache["domain"] = domain
    return _domain_cache["dict"]


def turn_events(tracker: DialogueStateTracker) -> list[Event]:
    """The events of the turn being processed: from the latest user message on (the whole
    session after the latest restart if there is none). Everything the slot mappings read
    from `tracker.events` lies there: rasa_sdk's `slots_to_validate` (the trailing slot
    events), `get_latest_input_channel` (the latest user message); the rest of what they read
    (slots, latest message, active loop) is in the state itself."""
    turn: list[Event] = []
    for event in reversed(tracker.events):
        if isinstance(event, Restarted):
            break
        turn.append(event)
        if isinstance(event, UserUttered):
            break
    turn.reverse()
    return turn


def tracker_state(tracker: DialogueStateTracker, slot_events: list[SlotSet]) -> dict[str, Any]:
    """What the action server would receive, with the events of this turn only (see
    `turn_events`: serializing the whole session, every turn, cost time that grew with the
    conversation), plus the extracted slot events appended and applied (as Rasa's own
    `from_events` copy has them)."""
    state = tracker.current_state(EventVerbosity.NONE)
    state["events"] = [e.as_dict() for e in turn_events(tracker)]
    if slot_events:
        state["events"] += [e.as_dict() for e in slot_events]
        state["slots"] = dict(state.get("slots") or {})
        state["slots"].update({e.key: e.value for e in slot_events})
    return state


async def run_action(state: dict[str, Any], domain: dict[str, Any]) -> dict[str, Any]:
    """The action server's part, on the running loop: {"events": [...], "responses": [...]}.
    The action hops to a worker thread itself for its store calls (actions/slot_mappings.py)."""
    from rasa_sdk import Tracker
    from rasa_sdk.executor import ActionExecutor, CollectingDispatcher

    from actions.slot_mappings import GlobalSlotMappings

    action = GlobalSlotMappings()
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, Tracker.from_dict(state), domain) or []
    return {
        "events": ActionExecutor.validate_events(events, action.name()),
        "responses": dispatcher.messages,
    }


async def _execute_validation_action(
    self, extraction_events: list[Event], output_channel, nlg, tracker: DialogueStateTracker, domain
) -> list[Event]:
    if not enabled() or ACTION_VALIDATE_SLOT_MAPPINGS not in domain.user_actions:
        return await _original(self, extraction_events, output_channel, nlg, tracker, domain)
    slot_events = [e for e in extraction_events if isinstance(e, SlotSet)]
    try:
        answer = await run_action(tracker_state(tracker, slot_events), _domain_dict(domain))
        validate_events: list[Event] = []
        if answer["responses"]:  # rendered on the tracker with the new slots, as Rasa does
            with_slots = DialogueStateTracker.from_events(
                tracker.sender_id,
                tracker.events_after_latest_restart() + list(slot_events),
                slots=domain.slots,
            )
            validate_events += await RemoteAction._utter_responses(
                answer["responses"], output_channel, nlg, with_slots
            )
        validate_events += deserialise_events(answer["events"])
    except Exception:  # as Rasa does when the action server fails: the turn goes on
        logger.exception("slot mappings (in process) failed; no custom slot filled this turn")
        validate_events = []
    allowed = [e for e in validate_events if isinstance(e, SlotSet) or e.type_name == "bot"]
    validated = {e.key for e in allowed if isinstance(e, SlotSet)}
    return allowed + [e for e in slot_events if e.key not in validated]


def install() -> None:
    """Idempotent."""
    if ActionExtractSlots._execute_validation_action is not _execute_validation_action:
        ActionExtractSlots._execute_validation_action = _execute_validation_action


def uninstall() -> None:
    ActionExtractSlots._execute_validation_action = _original


__all__ = [
    "install",
    "uninstall",
    "enabled",
    "run_action",
    "tracker_state",
]
