"""Stop and start (intents opt_out / opt_in): "STOP", "unsubscribe", "আর মেসেজ পাঠাবেন না"
stops every message the bot would send first (deferred documents, reminders) until "START" /
"চালু করুন". Stored per number in the bot store (`preferences.opted_out`), so it survives
restarts; whatever sends first checks `bot_store.preferences.is_opted_out(mobile)`.
Direct questions are still answered. Inside a form, STOP also ends the request."""

from __future__ import annotations

import logging

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import own_conversation_id, requester_mobile
from actions.conversation import REQUEST_SLOTS
from bot_store import preferences
from sathi.privacy import mask_phone

logger = logging.getLogger(__name__)


def numbers_of(tracker: Tracker) -> list[str]:
    """Whose settings and data this sender may change: the verified requester's mobile and the
    conversation id when it is the sender's own (actions/base.py) — never a raw sender id."""
    numbers: list[str] = []
    for number in (own_conversation_id(tracker), requester_mobile(tracker)):
        if number and number not in numbers:
            numbers.append(number)
    return numbers


class ActionOptOut(Action):
    def name(self) -> str:
        return "action_opt_out"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        numbers = numbers_of(tracker)
        for number in numbers:
            preferences.set_opted_out(number, True)
        logger.info("opted out: %s", ", ".join(mask_phone(n) for n in numbers) or "nobody")
        dispatcher.utter_message(response="utter_opted_out")
        events: list[EventType] = []
        if tracker.active_loop_name:
            events.append(ActiveLoop(None))
        return (
            events
            + [SlotSet(name, None) for name in REQUEST_SLOTS]
            + [SlotSet("feedback_for", None), SlotSet("feedback_id", None)]
        )


class ActionOptIn(Action):
    def name(self) -> str:
        return "action_opt_in"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        numbers = numbers_of(tracker)
        for number in numbers:
            preferences.set_opted_out(number, False)
        logger.info("opted in: %s", ", ".join(mask_phone(n) for n in numbers) or "nobody")
        dispatcher.utter_message(response="utter_opted_in")
        return []
