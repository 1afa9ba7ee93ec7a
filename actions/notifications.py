"""Status pushes, opt-in (issue 13; docs/notifications.md): "টাকা ঢুকলে জানাবেন" / "notify me"
subscribes the verified number to its own records, "আর জানাবেন না" / "stop updates" ends
that, and "what updates will you send me" lists them. The push worker
(channels/push_worker.py) does the telling.

Only records the portal lists for the verified requester (`/me/records` of
`requester_mobile`, never a raw sender id) can be followed. After an answer the record of
that answer is followed (the record slots of the conversation, when they are the
requester's own); asked from the menu, all of the number's records are.

Stopping asks first when the classifier was not sure of it (confidence under
`STOP_WITHOUT_ASKING`): a setting should not change on a misread ("প্লান পাসের কাগজ টা লাগবে
ব্যাঙ্ক লোন দিচ্ছে না" was read as a request to stop at 0.49). The answer (yes / no, typed or
a button) comes back in the slot `answer` (actions/slot_mappings.py).
"""

from __future__ import annotations

import asyncio
import logging

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import call_portal, language, portal, requester_mobile, unverified_response
from bot_store import preferences, subscriptions
from portal_client import PortalError
from sathi.privacy import mask_phone

logger = logging.getLogger(__name__)
MAX_FOLLOWED = 10
# Below this NLU confidence "stop the updates" is asked back before anything stops. The
# genuine requests of the held-out sets score 0.64-0.98, most above 0.85; the two other
# messages that were read as one scored 0.49 and 0.66 (docs/notifications.md).
STOP_WITHOUT_ASKING = 0.7

# record kind -> (field of MyRecords, slot holding a record of that kind, English, Bengali)
KINDS = {
    "job_card": ("job_cards", "job_card", "Job card", "জব কার্ড"),
    "trade_noc": ("trade_nocs", "trade_noc_no", "Trade NOC application", "ট্রেড লাইসেন্সের আবেদন"),
    "building_plan": (
        "building_plans",
        "building_plan_no",
        "Building plan application",
        "বাড়ির প্ল্যানের আবেদন",
    ),
    "booking": ("bookings", "booking_no", "Guest house booking", "গেস্ট হাউস বুকিং"),
    "employee": ("employees", "employee_id", "Salary of employee", "কর্মীর বেতন"),
}

Record = tuple[str, str]


def record_lines(records: list[Record], lang: str) -> str:
    lines = []
    for kind, record_id in records:
        _, _, english, bengali = KINDS[kind]
        lines.append(f"• {bengali if lang == 'bn' else english} {record_id}")
    return "\n".join(lines)


def offer_updates(
    dispatcher: CollectingDispatcher, tracker: Tracker, record: Record | None = None
) -> None:
    """After an answer about a record of the requester's: offer to tell of changes (not
    when that record is followed already)."""
    mobile = requester_mobile(tracker)
    if mobile is None:
        return
    if record is not None and record[1] and subscriptions.is_subscribed(mobile, *record):
        return
    dispatcher.utter_message(response="utter_offer_updates")


async def owned_records(mobile: str) -> list[Record] | None:
    """Every record the portal lists for `mobile`, or None when it does not answer."""
    try:
        mine = await call_portal(portal().my_records, mobile=mobile)
    except PortalError as error:
        logger.info("my records unavailable (%s) for %s", type(error).__name__, mask_phone(mobile))
        return None
    owned: list[Record] = []
    for kind, (field, _, _, _) in KINDS.items():
        owned += [(kind, str(record_id)) for record_id in getattr(mine, field, ()) or ()]
    return owned


def records_of_this_conversation(tracker: Tracker, owned: list[Record]) -> list[Record]:
    wanted = []
    for kind, (_, slot, _, _) in KINDS.items():
        value = tracker.get_slot(slot)
        if isinstance(value, str) and (kind, value) in owned:
            wanted.append((kind, value))
    return wanted


class ActionSubscribeUpdates(Action):
    def name(self) -> str:
        return "action_subscribe_updates"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        mobile = requester_mobile(tracker)
        if mobile is None:
            dispatcher.utter_message(response=unverified_response(tracker))
            return []
        owned = await owned_records(mobile)
        if owned is None:
            dispatcher.utter_message(response="utter_portal_down")
            return []
        wanted = records_of_this_conversation(tracker, owned) or owned[:MAX_FOLLOWED]
        if not wanted:
            dispatcher.utter_message(response="utter_subscribe_no_records")
            return []
        lang = language(tracker)
        await asyncio.to_thread(subscriptions.subscribe, mobile, wanted, lang)
        logger.info("status pushes: %s follows %d record(s)", mask_phone(mobile), len(wanted))
        dispatcher.utter_message(response="utter_subscribed", records=record_lines(wanted, lang))
        if await asyncio.to_thread(preferences.is_opted_out, mobile):
            dispatcher.utter_message(response="utter_subscribed_but_opted_out")
        return []


class ActionUnsubscribeUpdates(Action):
    def name(self) -> str:
        return "action_unsubscribe_updates"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        mobile = requester_mobile(tracker)
        if mobile is None:
            dispatcher.utter_message(response=unverified_response(tracker))
            return []
        answer = tracker.get_slot("answer")
        if answer == "unsubscribe_no":
            dispatcher.utter_message(response="utter_unsubscribe_kept")
            return [SlotSet("answer", None)]
        if answer != "unsubscribe_yes" and _not_sure(tracker):
            dispatcher.utter_message(response="utter_confirm_unsubscribe")
            return [SlotSet("answer", None), SlotSet("awaiting_confirmation", "unsubscribe")]
        ended = await asyncio.to_thread(subscriptions.unsubscribe, mobile)
        logger.info("status pushes: %s stopped %d subscription(s)", mask_phone(mobile), ended)
        dispatcher.utter_message(response="utter_unsubscribed")
        return [SlotSet("answer", None)]  # every path: the rules expect it (rules' check)


def _not_sure(tracker: Tracker) -> bool:
    """Whether the message was read as "stop the updates" with less confidence than
    `STOP_WITHOUT_ASKING` (a button's payload, or no NLU reading at all, is sure)."""
    confidence = (tracker.latest_message.get("intent") or {}).get("confidence")
    return confidence is not None and float(confidence) < STOP_WITHOUT_ASKING


class ActionListSubscriptions(Action):
    def name(self) -> str:
        return "action_list_subscriptions"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        mobile = requester_mobile(tracker)
        if mobile is None:
            dispatcher.utter_message(response=unverified_response(tracker))
            return []
        followed = await asyncio.to_thread(subscriptions.of, mobile)
        if not followed:
            dispatcher.utter_message(response="utter_no_subscriptions")
            return []
        records = [(s.record_kind, s.record_id) for s in followed]
        dispatcher.utter_message(
            response="utter_subscriptions_list", records=record_lines(records, language(tracker))
        )
        return []
