"""The user's own records as a list to choose from, by number and name: each row's title is
the record number, its description what the record is (the trade and its state, the Gram
Panchayat and state of a building plan, the guest house and check-in day of a booking), in
the reply's language (each service's `describe_choice`). A record the portal does not
describe (an error) keeps its number alone. Records come from `/me/records` of the verified
number (`my_record_ids`)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.base import call_portal, language, requester_mobile
from actions.document_delivery import my_record_ids, record_buttons
from portal_client import PortalError

logger = logging.getLogger(__name__)


# (the portal's status call bound to the client, describe(record, language)) — from the
# service's spec (actions/record_documents.py)
Describer = tuple[Callable[..., Any], Callable[[Any, str], str | None]]


async def described_buttons(
    tracker: Tracker, entity: str, ids: list[str], describe: Describer | None
) -> list[dict[str, str]]:
    buttons = record_buttons(ids, entity)
    mobile = requester_mobile(tracker)
    if describe is None or mobile is None:
        return buttons
    lookup, describe_record = describe
    lang = language(tracker)
    for button in buttons:
        number = button["title"]
        try:
            record = await call_portal(lookup, number, mobile=mobile)
        except PortalError as error:
            logger.info("no description for a %s choice: %s", entity, type(error).__name__)
            continue
        description = describe_record(record, lang)
        if description:
            button["description"] = description
    return buttons


async def ask_for_my_record(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    *,
    field: str,
    entity: str,
    ask_response: str,
    choose_response: str,
    describe: Describer | None = None,
) -> list[EventType]:
    """The question for a record number: the user's records as a described list when the
    portal lists any (the user may still type another number), else the plain question."""
    ids = await my_record_ids(tracker, field)
    if ids:
        buttons = await described_buttons(tracker, entity, ids, describe)
        dispatcher.utter_message(response=choose_response, buttons=buttons)
    else:
        dispatcher.utter_message(response=ask_response)
    return []


# records field -> (English, Bengali): what the one record used is called
RECORD_NAMES = {
    "trade_nocs": ("Trade NOC application", "ট্রেড লাইসেন্সের আবেদন"),
    "building_plans": ("Building plan application", "বাড়ির প্ল্যানের আবেদন"),
    "bookings": ("Guest house booking", "গেস্ট হাউস বুকিং"),
}


async def say_using_record(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    field: str,
    entity: str,
    number: str,
    describe: Describer | None = None,
) -> None:
    """The number holds exactly one record of this kind and it is used: say which
    (`utter_using_record`: its kind, number and, with `describe`, what it is)."""
    english, bengali = RECORD_NAMES.get(field, ("Record", "নথি"))
    lang = language(tracker)
    described = (await described_buttons(tracker, entity, [number], describe))[0]
    details = described.get("description")
    dispatcher.utter_message(
        response="utter_using_record",
        number=number,
        kind=bengali if lang == "bn" else english,
        details=f" ({details})" if details else "",
    )
