"""Privacy (DPDP Act 2023): the notice on first contact and erasure on request.

- The notice: a number's first message gets two lines (what Sathi keeps, for how long, how
  to erase) in the user's language. Sent by the global slot mapping (actions/slot_mappings.py)
  so that it comes before the answer, once per number (`preferences.privacy_notice_shown`).
- "delete my data" / "আমার তথ্য মুছে দিন" (intent erase_data) asks to confirm; 👍 erases the
  conversation and the number's bot-store rows (bot_store/erasure.py) and restarts the
  conversation; anything else keeps everything. Retention: docs/privacy.md.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, Restarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import own_conversation_id
from actions.opt_out import numbers_of
from bot_store import erasure
from sathi.privacy import mask_phone

logger = logging.getLogger(__name__)
NOTICE_RESPONSE = "utter_privacy_notice"


def notice_text(domain: dict[str, Any], lang: str) -> str | None:
    """The notice's text in `lang`, read from the domain. The slot mapping that sends it may
    have set the language in the same call, which a response name would not see yet (the
    tracker is rendered as it was before the action)."""
    for variation in (domain.get("responses") or {}).get(NOTICE_RESPONSE) or []:
        condition = variation.get("condition") or []
        is_english = any(c.get("name") == "language" and c.get("value") == "en" for c in condition)
        if is_english == (lang == "en"):
            return variation.get("text")
    return None


class ActionAskEraseData(Action):
    def name(self) -> str:
        return "action_ask_erase_data"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        dispatcher.utter_message(response="utter_confirm_erase")
        events: list[EventType] = [ActiveLoop(None)] if tracker.active_loop_name else []
        return events + [SlotSet("awaiting_confirmation", "erase_data")]


class ActionEraseMyData(Action):
    """Runs after the answer to utter_confirm_erase (slot `answer`: erase_yes / erase_no)."""

    def name(self) -> str:
        return "action_erase_my_data"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if tracker.get_slot("answer") != "erase_yes":
            dispatcher.utter_message(response="utter_erase_cancelled")
            return [SlotSet("answer", None)]
        # Exactly this person: the conversation when it is the sender's own, and the verified
        # mobile's rows (actions/opt_out.numbers_of) — never a raw sender id or a pattern.
        conversation = own_conversation_id(tracker)
        numbers = numbers_of(tracker)
        try:
            report = await asyncio.to_thread(
                erasure.erase_number, conversation, [n for n in numbers if n != conversation]
            )
        except Exception:
            logger.exception("erasure failed for %s", mask_phone(tracker.sender_id))
            dispatcher.utter_message(response="utter_erase_failed")
            return [SlotSet("answer", None)]
        logger.info("erasure for %s: %s", mask_phone(tracker.sender_id), report.deleted)
        dispatcher.utter_message(response="utter_erased")
        return [Restarted(), FollowupAction("action_listen")]
