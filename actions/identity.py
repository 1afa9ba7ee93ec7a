"""Proving the sender's mobile number on channels our server cannot verify (the production
profile's REST, a sender id that is not a phone): a one-time code sent by the portal to the
registered mobile (6 digits, 5 minutes, 3 tries, then a cool-down — the portal enforces it).

Forms of personal services ask for `otp_mobile` and `otp_code` first when
`requester_mobile()` is None (see actions/forms.py); success fills `verified_mobile` with a
value sealed for this conversation (sathi/trust.py). The code itself is never stored in a slot.
Guessing is bounded per number being proven, whatever the sender: at most
SATHI_OTP_MAX_WRONG_PER_DAY (10) wrong codes a day, then no code is sent or checked for that
number until the next day (`utter_otp_locked_today` says so).
"""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.base import call_portal, language, portal
from actions.form_mixin import FormMixin
from bot_store import rate_limits
from portal_client import OtpExpired, PortalUnavailable, TooManyAttempts
from sathi import formatting, trust
from sathi.identifiers import parse_mobile
from sathi.privacy import mask_phone
from sathi.text import normalize

logger = logging.getLogger(__name__)
IDENTITY_SLOTS = ["otp_mobile", "otp_code"]
_CODE = re.compile(r"(?<!\d)(\d{6})(?!\d)")


def masked_for_user(mobile: str) -> str:
    return "xxxxxx" + mobile[-4:]


class MobileVerification(FormMixin):
    """Mixin for SathiFormValidation: extraction and validation of the identity slots."""

    async def extract_otp_mobile(self, dispatcher, tracker, domain) -> dict[str, Any]:
        return self.raw_value_for("otp_mobile", tracker)

    async def extract_otp_code(self, dispatcher, tracker, domain) -> dict[str, Any]:
        return self.raw_value_for("otp_code", tracker)

    async def validate_otp_mobile(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain
    ) -> dict[str, Any]:
        mobile = parse_mobile(str(value or ""))
        if mobile is None:
            return self.reject("otp_mobile", dispatcher, tracker, "utter_invalid_mobile")
        if await asyncio.to_thread(rate_limits.codes_locked_today, mobile):
            dispatcher.utter_message(response="utter_otp_locked_today")
            return {"otp_mobile": None, "otp_id": None}
        if not await asyncio.to_thread(rate_limits.allow_otp, tracker.sender_id, mobile):
            dispatcher.utter_message(
                response="utter_otp_locked",  # bot-side code limit
                minutes=formatting.number(15, language(tracker)),
            )
            return {"otp_mobile": None, "otp_id": None}
        try:
            challenge = await call_portal(portal().send_otp, mobile, self.name())
        except TooManyAttempts as locked:
            minutes = max(1, int((locked.retry_after_seconds or 900) // 60))
            dispatcher.utter_message(
                response="utter_otp_locked", minutes=formatting.number(minutes, language(tracker))
            )
            return {"otp_mobile": None, "otp_id": None}
        except PortalUnavailable:
            dispatcher.utter_message(response="utter_portal_down")
            return {"otp_mobile": None, "otp_id": None}
        logger.info("one-time code requested for %s", mask_phone(mobile))
        dispatcher.utter_message(response="utter_otp_sent", mobile=masked_for_user(mobile))
        return {"otp_mobile": mobile, "otp_id": challenge.otp_id, "failed_attempts": 0}

    async def validate_otp_code(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain
    ) -> dict[str, Any]:
        match = _CODE.search(normalize(str(value or "")))
        otp_id = tracker.get_slot("otp_id")
        if not otp_id:
            return {"otp_code": None, "otp_mobile": None}
        if match is None:
            return self.reject("otp_code", dispatcher, tracker, "utter_otp_format")
        target = tracker.get_slot("otp_mobile")
        if target and await asyncio.to_thread(rate_limits.codes_locked_today, target):
            dispatcher.utter_message(response="utter_otp_locked_today")
            return {"otp_code": None, "otp_mobile": None, "otp_id": None}
        try:
            result = await call_portal(portal().verify_otp, otp_id, match.group(1))
        except OtpExpired:
            dispatcher.utter_message(response="utter_otp_expired")
            return {"otp_code": None, "otp_mobile": None, "otp_id": None}
        except TooManyAttempts as locked:
            minutes = max(1, int((locked.retry_after_seconds or 900) // 60))
            dispatcher.utter_message(
                response="utter_otp_locked", minutes=formatting.number(minutes, language(tracker))
            )
            return {"otp_code": None, "otp_mobile": None, "otp_id": None}
        except PortalUnavailable:
            dispatcher.utter_message(response="utter_portal_down")
            return {"otp_code": None}
        if not result.verified:
            if target and await asyncio.to_thread(rate_limits.note_wrong_code, target):
                dispatcher.utter_message(response="utter_otp_locked_today")
                return {"otp_code": None, "otp_mobile": None, "otp_id": None}
            tries = formatting.number(result.tries_left or 0, language(tracker))
            dispatcher.utter_message(response="utter_otp_wrong", tries_left=tries)
            return {"otp_code": None}
        mobile = tracker.get_slot("otp_mobile")
        logger.info("mobile %s verified by one-time code", mask_phone(mobile))
        sealed = trust.seal_verified_mobile(tracker.sender_id, mobile)
        if sealed is None:  # no channel secret configured: nothing can be proven
            logger.error("one-time code accepted but SATHI_CHANNEL_SECRET is not set")
            dispatcher.utter_message(response="utter_portal_down")
            return {"otp_code": None, "otp_mobile": None}
        dispatcher.utter_message(response="utter_otp_verified")
        return {
            "otp_code": "verified",
            "verified_mobile": sealed,
            "otp_id": None,
            "failed_attempts": 0,
        }
