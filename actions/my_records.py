"""The user's own records as a list to choose from, by number and name: each row's title is
the record number, its description what the record is (the trade and its state, the Gram
Panchayat and state of a building plan, the guest house and check-in day of a booking), in
the reply's language. A record the portal does not describe (an error) keeps its number
alone. Records come from `/me/records` of the verified number (`my_record_ids`)."""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.base import call_portal, language, portal, requester_mobile
from actions.document_delivery import my_record_ids, record_buttons
from portal_client import PortalError
from sathi import formatting
from sathi.wording import pick, status_label

logger = logging.getLogger(__name__)


def _describe(field: str, record: Any, lang: str) -> Optional[str]:
    state = status_label(record.status, lang)
    if field == "trade_nocs":
        return " · ".join(p for p in (record.trade_name, state) if p)
    if field == "building_plans":
        gp = pick(lang, record.gp_name_en, record.gp_name_bn)
        return " · ".join(p for p in (gp, state) if p)
    if field == "bookings":
        place = pick(lang, record.property_name, record.property_name_bn)
        day = formatting.day(record.check_in, lang) if record.check_in else None
        return " · ".join(p for p in (place, day) if p)
    return None


_LOOKUP = {"trade_nocs": "trade_noc", "building_plans": "building_plan",
           "bookings": "tourism_booking"}


async def described_buttons(tracker: Tracker, field: str, entity: str,
                            ids: List[str]) -> List[Dict[str, str]]:
    buttons = record_buttons(ids, entity)
    method = _LOOKUP.get(field)
    mobile = requester_mobile(tracker)
    if method is None or mobile is None:
        return buttons
    lang = language(tracker)
    for button in buttons:
        number = button["title"]
        try:
            record = await call_portal(getattr(portal(), method), number, mobile=mobile)
        except PortalError as error:
            logger.info("no description for a %s choice: %s", field, type(error).__name__)
            continue
        description = _describe(field, record, lang)
        if description:
            button["description"] = description
    return buttons


async def ask_for_my_record(dispatcher: CollectingDispatcher, tracker: Tracker, *, field: str,
                            entity: str, ask_response: str,
                            choose_response: str) -> List[EventType]:
    """The question for a record number: the user's records as a described list when the
    portal lists any (the user may still type another number), else the plain question."""
    ids = await my_record_ids(tracker, field)
    if ids:
        buttons = await described_buttons(tracker, field, entity, ids)
        dispatcher.utter_message(response=choose_response, buttons=buttons)
    else:
        dispatcher.utter_message(response=ask_response)
    return []


# records field -> (English, Bengali): what the one record used is called
RECORD_NAMES = {"trade_nocs": ("Trade NOC application", "ট্রেড লাইসেন্সের আবেদন"),
                "building_plans": ("Building plan application", "বাড়ির প্ল্যানের আবেদন"),
                "bookings": ("Guest house booking", "গেস্ট হাউস বুকিং")}


async def say_using_record(dispatcher: CollectingDispatcher, tracker: Tracker, field: str,
                           entity: str, number: str) -> None:
    """The number holds exactly one record of this kind and it is used: say which
    (`utter_using_record`: its kind, number and what it is)."""
    english, bengali = RECORD_NAMES.get(field, ("Record", "নথি"))
    lang = language(tracker)
    described = (await described_buttons(tracker, field, entity, [number]))[0]
    details = described.get("description")
    dispatcher.utter_message(response="utter_using_record", number=number,
                             kind=bengali if lang == "bn" else english,
                             details=f" ({details})" if details else "")
