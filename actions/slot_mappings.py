"""Slots filled from every user message (custom slot mappings), in one call per turn:
- `language`: set from the first message's script/register, or the stored preference; after
  that only an explicit request changes it (ARCHITECTURE.md, Language);
- `misses`: consecutive messages the bot did not understand.
Filled by slot mapping so that every action of the same turn already speaks the new language.
"""
from __future__ import annotations

import logging
from typing import Any, Dict, Text

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import ValidationAction
from rasa_sdk.types import DomainDict

from bot_store import preferences
from sathi.language import reply_language
from sathi.text import normalize

logger = logging.getLogger(__name__)
NOT_UNDERSTOOD_INTENTS = {"nlu_fallback", "out_of_scope"}
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


class GlobalSlotMappings(ValidationAction):
    def name(self) -> Text:
        return "action_validate_slot_mappings"

    async def extract_language(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                               domain: DomainDict) -> Dict[Text, Any]:
        current = tracker.get_slot("language")
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if intent == "set_language":
            wanted = requested_language(tracker)
            if wanted:
                if wanted != current:
                    preferences.save(tracker.sender_id, language=wanted)
                return {"language": wanted}
            return {}
        if current:
            return {}
        stored = preferences.get(tracker.sender_id).language
        if stored:
            return {"language": stored}
        detected = reply_language(tracker.latest_message.get("text"))
        if detected:
            preferences.save(tracker.sender_id, language=detected)
            return {"language": detected}
        return {}

    async def extract_misses(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                             domain: DomainDict) -> Dict[Text, Any]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        previous = tracker.get_slot("misses") or 0
        misses = previous + 1 if intent in NOT_UNDERSTOOD_INTENTS else 0
        return {"misses": misses} if misses != previous else {}
