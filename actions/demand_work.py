"""Karmashree work demand (intent demand_work): the form's questions, the filing, the receipt.

The household's registered mobile asks for work: the job card (prefilled when known in this
conversation), which member (a choice from the card's members), how many days (1-14) and
from which day (next Monday offered; "kal theke", "from 1st December", "১ তারিখ থেকে").
The bot reads the demand back, asks to confirm, files it (`create_work_demand`, idempotent:
the same demand twice is one receipt) and gives the dated receipt the law requires, what
happens next (work within 15 days) and the GP office to contact. A demand overlapping an
open one is refused with the open one's details; a card registered to another mobile gets
the way to apply at the GP office.

The form's slot extraction and validation (ValidateDemandWorkForm) are in
actions/demand_work_form.py.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import (
    call_portal,
    language,
    portal,
    renew_session,
    requester_mobile,
    unverified_response,
)
from portal_client import (
    BadRequest,
    DemandOverlap,
    NotYours,
    PortalError,
    PortalUnavailable,
)
from sathi import clock, formatting
from sathi.graphemes import shorten
from sathi.identifiers import parse_job_card
from sathi.privacy import mask_phone
from sathi.wording import pick

logger = logging.getLogger(__name__)
WORK_WITHIN_DAYS = 15  # MGNREGA s.3 / Karmashree: work within 15 days of the demand
MAX_MEMBER_BUTTONS = 10
DEMAND_SLOTS = (
    "demand_worker",
    "demand_days",
    "demand_start",
    "demand_confirmed",
    "demand_members",
    "demand_blocked",
)


def member_name(tracker: Tracker, worker_id: str | None, lang: str = "en") -> str:
    """The member's name as the card has it in the reply's language."""
    for member in tracker.get_slot("demand_members") or []:
        if member.get("id") == worker_id:
            return pick(lang, member.get("name"), member.get("name_bn")) or worker_id or "—"
    return worker_id or "—"


def next_monday(today: date) -> date:
    return today + timedelta(days=(7 - today.weekday()) or 7)


def demand_words(tracker: Tracker, lang: str) -> dict[str, str]:
    """The demand as the replies show it."""
    days = int(tracker.get_slot("demand_days") or 0)
    raw_start = tracker.get_slot("demand_start")
    try:
        start = date.fromisoformat(raw_start) if isinstance(raw_start, str) else clock.today()
    except ValueError:  # never a crash on a slot value: the read-back shows today instead
        start = clock.today()
    return {
        "name": member_name(tracker, tracker.get_slot("demand_worker"), lang),
        "days": formatting.number(days, lang),
        "from_date": formatting.day(start, lang),
        "to_date": formatting.day(start + timedelta(days=max(days, 1) - 1), lang),
        "job_card": tracker.get_slot("job_card") or "—",
    }


class ActionAskDemandWorker(Action):
    def name(self) -> str:
        return "action_ask_demand_worker"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        members = (tracker.get_slot("demand_members") or [])[:MAX_MEMBER_BUTTONS]
        lang = language(tracker)
        buttons = [
            {
                "title": shorten(pick(lang, m["name"], m.get("name_bn")) or "", 24),
                "payload": f'/inform{{"demand_worker":"{m["id"]}"}}',
            }
            for m in members
        ]
        dispatcher.utter_message(response="utter_ask_demand_worker", buttons=buttons)
        return []


class ActionAskDemandStart(Action):
    def name(self) -> str:
        return "action_ask_demand_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        monday = next_monday(clock.today())
        dispatcher.utter_message(
            response="utter_ask_demand_start", monday=formatting.day(monday, language(tracker))
        )
        return []


class ActionAskDemandConfirmed(Action):
    def name(self) -> str:
        return "action_ask_demand_confirmed"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        dispatcher.utter_message(
            response="utter_ask_demand_confirmed", **demand_words(tracker, language(tracker))
        )
        return []


async def utter_gp_office(
    dispatcher: CollectingDispatcher, job_card: str | None, lang: str, response: str
) -> bool:
    """`response` with the GP office of the card (public data); False when unknown."""
    card = parse_job_card(job_card or "")
    if card is None:
        return False
    try:
        office = await call_portal(portal().gp_office, card.nrega_gp_code)
    except PortalError:
        return False
    bengali = lang == "bn"
    dispatcher.utter_message(
        response=response,
        office=office.name_bn if bengali and office.name_bn else office.name_en,
        address=(office.address_bn if bengali and office.address_bn else office.address_en) or "—",
        phone=office.phone or "—",
        hours=(office.hours_bn if bengali and office.hours_bn else office.hours) or "—",
    )
    return True


class ActionDemandWork(Action):
    def name(self) -> str:
        return "action_demand_work"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        lang = language(tracker)
        card = tracker.get_slot("job_card")
        mobile = requester_mobile(tracker)
        done: list[EventType] = [ActiveLoop(None), SlotSet("requested_slot", None)]
        clear = [SlotSet(name, None) for name in DEMAND_SLOTS]
        blocked = tracker.get_slot("demand_blocked")
        if blocked == "not_yours":
            return done + await self.not_yours(dispatcher, tracker, lang)
        if blocked == "portal_down":
            dispatcher.utter_message(response="utter_portal_down")
            return done + clear
        if blocked == "too_many":
            dispatcher.utter_message(response="utter_too_many_lookups")
            return done + clear
        if mobile is None:
            dispatcher.utter_message(response=unverified_response(tracker))
            return done + clear
        if not tracker.get_slot("demand_confirmed"):
            dispatcher.utter_message(response="utter_demand_not_sent")
            return done + clear
        words = demand_words(tracker, lang)
        try:
            receipt = await call_portal(
                portal().create_work_demand,
                card,
                mobile=mobile,
                worker_id=tracker.get_slot("demand_worker"),
                days=int(tracker.get_slot("demand_days")),
                from_date=tracker.get_slot("demand_start"),
            )
        except DemandOverlap as overlap:
            self.utter_overlap(dispatcher, tracker, overlap.open_demand, lang)
            return done + clear
        except NotYours:
            return done + await self.not_yours(dispatcher, tracker, lang)
        except BadRequest:
            dispatcher.utter_message(response="utter_demand_refused")
            return done + clear
        except PortalUnavailable:
            dispatcher.utter_message(response="utter_portal_down")
            return done + [SlotSet("demand_confirmed", None)]  # asked again to confirm
        except PortalError:
            dispatcher.utter_message(response="utter_demand_refused")
            return done + clear
        logger.info(
            "work demand %s %s for %s",
            receipt.receipt_no,
            "filed" if receipt.created else "already filed",
            mask_phone(mobile),
        )
        demanded_on = formatting.day(receipt.demanded_on or clock.today(), lang)
        dispatcher.utter_message(
            response="utter_demand_receipt"
            if receipt.created is not False
            else "utter_demand_already_filed",
            receipt_no=receipt.receipt_no,
            demanded_on=demanded_on,
            **words,
        )
        if not await utter_gp_office(dispatcher, card, lang, "utter_demand_next_steps"):
            dispatcher.utter_message(response="utter_demand_next_steps_generic")
        return done + renew_session(tracker)

    @staticmethod
    async def not_yours(
        dispatcher: CollectingDispatcher, tracker: Tracker, lang: str
    ) -> list[EventType]:
        dispatcher.utter_message(response="utter_demand_not_yours")
        await utter_gp_office(
            dispatcher, tracker.get_slot("job_card"), lang, "utter_handoff_gp_office"
        )
        return [SlotSet(name, None) for name in DEMAND_SLOTS] + renew_session(
            tracker, job_card=None
        )

    @staticmethod
    def utter_overlap(
        dispatcher: CollectingDispatcher, tracker: Tracker, open_demand, lang: str
    ) -> None:
        if open_demand is None or open_demand.from_date is None:
            dispatcher.utter_message(response="utter_demand_overlap_unknown")
            return
        days = open_demand.days or 1
        dispatcher.utter_message(
            response="utter_demand_overlap",
            receipt_no=open_demand.receipt_no,
            name=member_name(tracker, open_demand.worker_id, lang),
            days=formatting.number(days, lang),
            from_date=formatting.day(open_demand.from_date, lang),
            to_date=formatting.day(open_demand.from_date + timedelta(days=days - 1), lang),
        )
