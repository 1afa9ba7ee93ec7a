"""Slots filled from every user message (custom slot mappings), in one call per turn:
- `language`: set from the first message's script/register, or the stored preference; after
  that only an explicit request changes it (the design brief, Language);
- `misses`: consecutive messages the bot did not understand;
- `answer`: the user's answer to what the bot asked last outside a form — a 👍 / 👎 on
  "was this helpful?" (stored here, before the policies run: actions/feedback.py), a yes / no
  to erasing the data (actions/privacy.py), to a callback (actions/human_handoff.py) or to
  stopping the status updates when the bot was not sure (actions/notifications.py). The
  rules in data/services/ (feedback, privacy, human_handoff, notifications) react to it; any
  other message drops the question.
Filled by slot mapping so that every action of the same turn already speaks the new language.
The privacy notice is sent from here too, once per number, before the turn's answer. The
stored flag (bot_store/preferences.py) is the truth; the slot `privacy_notice_shown` only
saves reading it on every turn once the conversation has seen it (docs/performance.md, round
8). Erasing the data restarts the conversation (slots reset) and deletes the flag, so the
notice comes again on the next message.
Only the turns that read or write the store hop to a worker thread for it (`asyncio.to_thread`
at each store call): the action itself runs on the event loop of the rasa process
(channels/slot_mappings_in_process.py), where a hop on every turn cost more CPU than the
action (docs/performance.md, round 11).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import ValidationAction
from rasa_sdk.types import DomainDict

from actions import feedback, privacy
from actions.base import settings_key
from bot_store import preferences
from sathi.language import reply_language
from sathi.text import normalize

logger = logging.getLogger(__name__)
NOT_UNDERSTOOD_INTENTS = {"nlu_fallback", "out_of_scope"}
# what the bot asked to confirm (slot `awaiting_confirmation`) -> prefix of the `answer` value
CONFIRMATIONS = {"erase_data": "erase", "callback": "callback", "unsubscribe": "unsubscribe"}
NO_NOTICE_INTENTS = {"restart", "session_start"}  # control payloads, not a person writing
NOTICE_SLOT = "privacy_notice_shown"
_LANGUAGE_WORDS = {
    "bn": ("bangla", "bengali", "বাংলা", "bangali", "bangla te", "banglay", "বাংলায়"),
    "en": ("english", "ইংরেজি", "ingreji", "inglish", "ইংলিশ"),
}


def requested_language(tracker: Tracker) -> str | None:
    """bn / en from a set_language message (entity first, then the words themselves)."""
    for entity in tracker.latest_message.get("entities") or []:
        if entity.get("entity") == "language":
            value = str(entity.get("value") or "").strip().lower()
            if value in ("bn", "en"):
                return value
            for code, words in _LANGUAGE_WORDS.items():
                if any(w in value for w in words):
                    return code
    text = normalize(tracker.latest_message.get("text") or "").lower()
    for code, words in _LANGUAGE_WORDS.items():
        if any(w in text for w in words):
            return code
    return None


# The last domain seen and its slots without a form condition (see `domain_slots`).
_domain_slots_memo: list[Any] = [None, []]


class GlobalSlotMappings(ValidationAction):
    def name(self) -> str:
        return "action_validate_slot_mappings"

    def domain_slots(self, domain: DomainDict) -> list[str]:
        """rasa_sdk's answer (every slot without an `active_loop` condition), worked out once
        per domain: rasa_sdk asks for it again for every slot of every turn, a walk of all
        the slots' mappings each time (3% of the rasa process; docs/performance.md, round
        11). The rasa process hands the same domain dictionary every turn; a new one (another
        model, the action server's per-request copy) is worked out again."""
        if _domain_slots_memo[0] is not domain:
            _domain_slots_memo[:] = [domain, super().domain_slots(domain)]
        return list(_domain_slots_memo[1])

    async def extract_language(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        current = tracker.get_slot("language")
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if intent == "set_language":
            wanted = requested_language(tracker)
            if wanted:
                if wanted != current:
                    await asyncio.to_thread(
                        preferences.save, settings_key(tracker), language=wanted
                    )
                return {"language": wanted}
            return {}
        if current:
            return {}
        stored = (await asyncio.to_thread(preferences.get, settings_key(tracker))).language
        if stored:
            return {"language": stored}
        detected = reply_language(tracker.latest_message.get("text"))
        if detected:
            await asyncio.to_thread(preferences.save, settings_key(tracker), language=detected)
            return {"language": detected}
        return {}

    async def extract_misses(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        previous = tracker.get_slot("misses") or 0
        misses = previous + 1 if intent in NOT_UNDERSTOOD_INTENTS else 0
        return {"misses": misses} if misses != previous else {}

    async def extract_answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        values: dict[str, Any] = {}
        if tracker.get_slot("answer") and "answer" not in tracker.slots_to_validate():
            values["answer"] = None  # left over from an earlier turn
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        awaiting = tracker.get_slot("awaiting_confirmation")
        if awaiting in CONFIRMATIONS:
            prefix = CONFIRMATIONS[awaiting]
            if intent in ("affirm", "deny"):
                values["answer"] = f"{prefix}_{'yes' if intent == 'affirm' else 'no'}"
            values.update({"awaiting_confirmation": None, "feedback_for": None})
            return values
        if tracker.get_slot("feedback_for") or tracker.get_slot("feedback_id"):  # else {}
            values.update(await asyncio.to_thread(feedback.read_feedback_answer, tracker))
        return values

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict):
        events = await super().run(dispatcher, tracker, domain)
        if tracker.get_slot(NOTICE_SLOT):
            return events
        try:
            if await asyncio.to_thread(self.privacy_notice, dispatcher, tracker, domain):
                events.append(SlotSet(NOTICE_SLOT, True))
        except Exception:  # the notice must never cost the user the answer
            logger.exception("privacy notice check failed")
        return events

    @staticmethod
    def privacy_notice(
        dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> bool:
        """First contact of a number: the two-line notice, in the language just set. True
        when this number has had the notice (now or before)."""
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        text = tracker.latest_message.get("text") or ""
        if intent in NO_NOTICE_INTENTS or text.startswith("/restart"):
            return False
        if not preferences.claim_privacy_notice(settings_key(tracker)):
            return True
        lang = "en" if tracker.get_slot("language") == "en" else "bn"
        notice = privacy.notice_text(domain, lang)
        if notice:
            dispatcher.utter_message(text=notice)
        else:
            dispatcher.utter_message(response=privacy.NOTICE_RESPONSE)
        return True
