"""Is this document genuine? (intent `verify_document`): "verify ABCDE-FGHJK" — the text the
QR code on every PDF of the portal types in — or "যাচাই ABCDE-FGHJK", in any register.

The code is taken from the message itself (`find_code`), asked of the portal
(`portal().verify_document`, `GET /verifications/{code}`) and answered with what the
department may say to anyone holding the paper: its kind, the issuing office, the date, and
whether it was later withdrawn or superseded — nothing personal (no name, amount or record
number). An unknown or altered code: "not issued by the department". Each new code counts as
one lookup of the sender's number (`actions.record_lookup.lookup_allowed`), like any record."""

from __future__ import annotations

import logging
import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.base import call_portal, language, portal, requester_mobile, unverified_response
from actions.record_lookup import lookup_allowed
from portal_client import NotFound, PortalError
from sathi import formatting
from sathi.privacy import mask_phone
from sathi.text import normalize
from sathi.wording import document_kind, pick

logger = logging.getLogger(__name__)
SERVICE = "verify_document"
# 10 code characters, in two groups of five or one run; around them no other letter or digit.
_CODE = re.compile(r"(?<![0-9A-Za-z])([0-9A-Za-z]{5})[\s\-–]?([0-9A-Za-z]{5})(?![0-9A-Za-z])")
_ALPHABET = set("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
_FOLD = str.maketrans({"O": "0", "I": "1", "L": "1"})


def find_code(text: str | None) -> str | None:
    """The verification code in a message, as `ABCDE-FGHJK`; Bengali digits, lower case,
    spaces and O / I / L for 0 / 1 are accepted. A code has both a digit and a letter (the
    portal issues no other), so a word ("government") or a number (a phone) is not one."""
    text = normalize(text or "")
    for match in _CODE.finditer(text):
        typed = (match.group(1) + match.group(2)).upper()
        code = typed.translate(_FOLD)
        if (
            set(code) <= _ALPHABET
            and any(c.isdigit() for c in typed)
            and any(c.isalpha() for c in code)
        ):
            return f"{code[:5]}-{code[5:]}"
    return None


def answer(dispatcher: CollectingDispatcher, found, lang: str) -> str:
    kwargs: dict[str, Any] = {
        "kind": document_kind(found.kind, lang),
        "office": pick(lang, found.issuing_office_en, found.issuing_office_bn) or "—",
        "date": formatting.day(found.issued_on, lang) if found.issued_on else "—",
        "code": found.display,
    }
    if found.status == "superseded":
        kwargs["changed"] = formatting.day(found.changed_on, lang) if found.changed_on else "—"
        dispatcher.utter_message(response="utter_verify_superseded", **kwargs)
    elif found.status == "withdrawn":
        dispatcher.utter_message(response="utter_verify_withdrawn", **kwargs)
    else:
        dispatcher.utter_message(response="utter_verify_genuine", **kwargs)
    return found.status


class ActionVerifyDocument(Action):
    def name(self) -> str:
        return "action_verify_document"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        lang = language(tracker)
        code = find_code(tracker.latest_message.get("text"))
        if code is None:
            dispatcher.utter_message(response="utter_ask_verification_code")
            return []
        mobile = requester_mobile(tracker)
        if mobile is None:  # the lookup limit is counted per verified number
            dispatcher.utter_message(response=unverified_response(tracker))
            return []
        if not await lookup_allowed(mobile, SERVICE, code):
            dispatcher.utter_message(response="utter_too_many_lookups")
            return []
        try:
            found = await call_portal(portal().verify_document, code)
        except NotFound:
            logger.info("verification code not issued (asked by %s)", mask_phone(mobile))
            dispatcher.utter_message(response="utter_verify_unknown", code=code)
            return []
        except PortalError as error:
            logger.warning("verification unavailable: %s", type(error).__name__)
            dispatcher.utter_message(response="utter_portal_down")
            return []
        status = answer(dispatcher, found, lang)
        logger.info("verification %s: %s (asked by %s)", found.kind, status, mask_phone(mobile))
        return []
