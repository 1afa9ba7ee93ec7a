"""Conversation basics: greeting (with the language choice on first contact), not
understood (menu, then the helpline and a callback offer after two misses), cancel, and a bare
identifier. A person: actions/human_handoff.py."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import helpline

MISSES_BEFORE_HELPLINE = 2
# Slots a cancelled request leaves behind (service forms add theirs here).
REQUEST_SLOTS = (
    "requested_slot",
    "failed_attempts",
    "karmashree_topic",
    # demand_work (actions/demand_work.py)
    "demand_worker",
    "demand_days",
    "demand_start",
    "demand_confirmed",
    "demand_members",
    "demand_blocked",
)


class ActionGreet(Action):
    def name(self) -> str:
        return "action_greet"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if tracker.get_slot("language") is None:
            dispatcher.utter_message(response="utter_welcome_choose_language")
        else:
            dispatcher.utter_message(response="utter_greet")
        return []


class ActionNotUnderstood(Action):
    def name(self) -> str:
        return "action_not_understood"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if (tracker.get_slot("misses") or 0) >= MISSES_BEFORE_HELPLINE:
            # with buttons: "call me back" (/affirm, see actions/human_handoff.py) and the menu
            dispatcher.utter_message(response="utter_offer_helpline", helpline=helpline())
            return [
                SlotSet("misses", 0),
                SlotSet("awaiting_confirmation", "callback"),
                SlotSet("feedback_for", None),
            ]
        dispatcher.utter_message(response="utter_not_understood")
        return []


class ActionCancelRequest(Action):
    def name(self) -> str:
        return "action_cancel_request"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if tracker.active_loop_name:
            dispatcher.utter_message(response="utter_cancelled")
        else:
            dispatcher.utter_message(response="utter_nothing_to_cancel")
        return [ActiveLoop(None)] + [SlotSet(name, None) for name in slots_to_clear(domain)]


# A bare identifier with nothing in progress starts the service it can only belong to.
FORM_FOR_BARE_VALUE = (
    ("job_card", "karmashree_form", (SlotSet("karmashree_topic", "work"),)),
    ("trade_noc_no", "trade_noc_form", ()),
    ("building_plan_no", "building_plan_form", ()),
    ("booking_no", "tourism_slip_form", ()),
    ("employee_id", "payslip_form", ()),
)
# Slots that outlive a cancelled request: who the user is and what they speak.
KEPT_ON_CANCEL = {"language", "verified_mobile", "job_card"}


def slots_to_clear(domain: DomainDict) -> list:
    """Every slot a request may have filled: the forms' slots (from the domain) and the
    request bookkeeping, never the language or the verified identity."""
    names = list(REQUEST_SLOTS)
    for form in (domain.get("forms") or {}).values():
        for slot in (form or {}).get("required_slots") or []:
            if slot not in names:
                names.append(slot)
    names += [s for s in ("otp_mobile", "otp_code", "otp_id") if s not in names]
    return [name for name in names if name not in KEPT_ON_CANCEL]


class ActionRouteInform(Action):
    """A value sent with no request in progress: a job card starts the Karmashree status;
    anything else asks what the user wants to do with it."""

    def name(self) -> str:
        return "action_route_inform"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        entities = {e.get("entity") for e in tracker.latest_message.get("entities") or []}
        for entity, form, events in FORM_FOR_BARE_VALUE:
            if entity in entities:
                return list(events) + [FollowupAction(form)]
        dispatcher.utter_message(response="utter_ask_what_for_number")
        return []
