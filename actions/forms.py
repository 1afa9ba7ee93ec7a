"""The shared base of every Sathi form (after RasaHQ/financial-demo's custom_forms):

- the requested slot is extracted from the raw message text when no entity filled it, so a
  bare "wb 08 012 002 002 270" or "অক্টোবর" works;
- control messages (cancel, help, another service, a person...) are not taken as values:
  the form rejects them and the rules answer them;
- failed tries at a slot are counted; after two, the bot explains what it needs with an
  example and offers to stop.
"""

from __future__ import annotations

from abc import abstractmethod
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions.base import may_prove_by_code, requester_mobile
from actions.identity import IDENTITY_SLOTS, MobileVerification

SERVICE_INTENTS = {
    "trade_noc",
    "building_plan",
    "tourism_slip",
    "payslip",
    "salary_statement",
    "form26",
    "cash_analysis",
    "work_status",
    "wage_status",
    "demand_work",
    "karmashree_info",
    "verify_document",
}
CONTROL_INTENTS = {
    "cancel",
    "help",
    "human_handoff",
    "opt_out",
    "opt_in",
    "set_language",
    "goodbye",
    "bot_challenge",
    "greet",
    "thank",
    "erase_data",
}
MAX_FAILED_ATTEMPTS = 2


class SathiFormValidation(MobileVerification, FormValidationAction):
    """Subclasses set `own_intents` (intents that belong to this form's service) and
    implement `validate_<slot>` using `self.reject(...)` / `self.accept(...)`.
    Forms of personal services (`needs_identity`) first prove the sender's mobile with a
    one-time code when our server could not verify it (actions/identity.py)."""

    own_intents: frozenset = frozenset()
    needs_identity: bool = True

    @abstractmethod
    def name(self) -> str:
        """validate_<form name>"""

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        if self.needs_identity and requester_mobile(tracker) is None:
            if not may_prove_by_code(tracker):
                return []  # a foreign WhatsApp number: the submit action says why not
            return IDENTITY_SLOTS + list(domain_slots)
        return list(domain_slots)

    def latest_intent(self, tracker: Tracker) -> str | None:
        return (tracker.latest_message.get("intent") or {}).get("name")

    def is_breakout(self, tracker: Tracker) -> bool:
        intent = self.latest_intent(tracker)
        return intent in CONTROL_INTENTS or (
            intent in SERVICE_INTENTS and intent not in self.own_intents
        )

    def raw_value_for(self, slot: str, tracker: Tracker) -> dict[str, Any]:
        """The message text as a candidate for `slot`, when it is the slot being asked for,
        no entity already filled it this turn, and the message is not a control message."""
        if tracker.get_slot("requested_slot") != slot or self.is_breakout(tracker):
            return {}
        if slot in tracker.slots_to_validate():
            return {}
        text = (tracker.latest_message.get("text") or "").strip()
        if not text or text.startswith("/"):
            return {}
        return {slot: text[:200]}

    @staticmethod
    def accept(slot: str, value: Any, **more: Any) -> dict[str, Any]:
        return {slot: value, "failed_attempts": 0, **more}

    @staticmethod
    def reject(
        slot: str, dispatcher: CollectingDispatcher, tracker: Tracker, response: str, **kwargs: Any
    ) -> dict[str, Any]:
        """Say what was wrong; after the second failed try explain with an example and offer
        to stop."""
        attempts = int(tracker.get_slot("failed_attempts") or 0) + 1
        dispatcher.utter_message(response=response, **kwargs)
        if attempts >= MAX_FAILED_ATTEMPTS:
            dispatcher.utter_message(response=f"utter_explain_{slot}")
            dispatcher.utter_message(response="utter_offer_stop")
            attempts = 0
        return {slot: None, "failed_attempts": attempts}

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        if self.latest_intent(tracker) == "affirm" and tracker.get_slot("requested_slot"):
            # "try again" after the offer to stop: the form asks for the slot again.
            return [SlotSet("failed_attempts", 0)]
        return await super().run(dispatcher, tracker, domain)
