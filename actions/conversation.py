"""Conversation basics: greeting (with the language choice on first contact), not
understood (menu, then the helpline after two misses), cancel, and a bare identifier."""
from __future__ import annotations

from typing import List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import helpline

MISSES_BEFORE_HELPLINE = 2
# Slots a cancelled request leaves behind (service forms add theirs here).
REQUEST_SLOTS = ("requested_slot", "failed_attempts", "karmashree_topic")


class ActionGreet(Action):
    def name(self) -> Text:
        return "action_greet"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        if tracker.get_slot("language") is None:
            dispatcher.utter_message(response="utter_welcome_choose_language")
        else:
            dispatcher.utter_message(response="utter_greet")
        return []


class ActionNotUnderstood(Action):
    def name(self) -> Text:
        return "action_not_understood"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        if (tracker.get_slot("misses") or 0) >= MISSES_BEFORE_HELPLINE:
            dispatcher.utter_message(response="utter_offer_helpline", helpline=helpline())
            return [SlotSet("misses", 0)]
        dispatcher.utter_message(response="utter_not_understood")
        return []


class ActionCancelRequest(Action):
    def name(self) -> Text:
        return "action_cancel_request"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        if tracker.active_loop_name:
            dispatcher.utter_message(response="utter_cancelled")
        else:
            dispatcher.utter_message(response="utter_nothing_to_cancel")
        return [ActiveLoop(None)] + [SlotSet(name, None) for name in REQUEST_SLOTS]


class ActionRouteInform(Action):
    """A value sent with no request in progress: a job card starts the Karmashree status;
    anything else asks what the user wants to do with it."""

    def name(self) -> Text:
        return "action_route_inform"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        entities = {e.get("entity") for e in tracker.latest_message.get("entities") or []}
        if "job_card" in entities or tracker.get_slot("job_card"):
            return [SlotSet("karmashree_topic", "work"), FollowupAction("karmashree_form")]
        dispatcher.utter_message(response="utter_ask_what_for_number")
        return []


class ActionHumanHandoff(Action):
    def name(self) -> Text:
        return "action_human_handoff"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        dispatcher.utter_message(response="utter_human_handoff", helpline=helpline())
        return []
