"""Karmashree work demand (intent demand_work): the form, its validation and the receipt.

The household's registered mobile asks for work: the job card (prefilled when known in this
conversation), which member (a choice from the card's members), how many days (1-14) and
from which day (next Monday offered; "kal theke", "from 1st December", "১ তারিখ থেকে").
The bot reads the demand back, asks to confirm, files it (`create_work_demand`, idempotent:
the same demand twice is one receipt) and gives the dated receipt the law requires, what
happens next (work within 15 days) and the GP office to contact. A demand overlapping an
open one is refused with the open one's details; a card registered to another mobile gets
the way to apply at the GP office.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions.base import (
    call_portal,
    language,
    portal,
    renew_session,
    requester_mobile,
    unverified_response,
)
from actions.forms import SathiFormValidation
from actions.my_job_cards import use_sole_job_card
from actions.record_lookup import KARMASHREE as KARMASHREE_KIND
from actions.record_lookup import PORTAL_DOWN, TOO_MANY, UNAVAILABLE, UNVERIFIED, look_up
from portal_client import (
    BadRequest,
    DemandOverlap,
    NotYours,
    PortalError,
    PortalUnavailable,
)
from sathi import clock, formatting
from sathi.dates import parse_days, parse_start_date
from sathi.graphemes import shorten
from sathi.identifiers import parse_job_card
from sathi.privacy import mask_phone
from sathi.text import normalize
from sathi.wording import pick

logger = logging.getLogger(__name__)
MIN_DAYS, MAX_DAYS = 1, 14
MAX_DAYS_AHEAD = 90  # the portal refuses a start further ahead
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


def entity_value(tracker: Tracker, entity: str) -> str | None:
    for found in tracker.latest_message.get("entities") or []:
        if found.get("entity") == entity and found.get("value") not in (None, ""):
            return str(found["value"])
    return None


def member_name(tracker: Tracker, worker_id: str | None, lang: str = "en") -> str:
    """The member's name as the card has it in the reply's language."""
    for member in tracker.get_slot("demand_members") or []:
        if member.get("id") == worker_id:
            return pick(lang, member.get("name"), member.get("name_bn")) or worker_id or "—"
    return worker_id or "—"


def find_member(members: list[dict[str, str]], value: str) -> dict[str, str] | None:
    """A member by worker id, serial number ("2", "২") or (part of) the name."""
    text = normalize(value).strip().lower()
    if not text:
        return None
    for member in members:
        if member["id"].lower() == text:
            return member
    digits = "".join(ch for ch in text if ch.isdigit())
    if digits and len(digits) <= 2 and len(text) <= 12:
        for member in members:
            if int(member["id"].rsplit("-", 1)[-1]) == int(digits):
                return member
    matches = [
        m
        for m in members
        if any(
            text in name or name.split()[0] in text.split()
            for name in (normalize(m.get(key) or "").lower() for key in ("name", "name_bn"))
            if name
        )
    ]
    return matches[0] if len(matches) == 1 else None


def next_monday(today: date) -> date:
    return today + timedelta(days=(7 - today.weekday()) or 7)


class ValidateDemandWorkForm(SathiFormValidation):
    own_intents = frozenset({"demand_work"})

    def name(self) -> str:
        return "validate_demand_work_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        slots = await super().required_slots(domain_slots, dispatcher, tracker, domain)
        if tracker.get_slot("demand_blocked"):
            # nothing more to ask: action_demand_work explains
            return [s for s in slots if s == "job_card"]
        return slots

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        if tracker.get_slot("requested_slot") == "demand_confirmed":
            # "yes" here is the confirmation, not "try again" (SathiFormValidation.run)
            return await FormValidationAction.run(self, dispatcher, tracker, domain)
        return await super().run(dispatcher, tracker, domain)

    # --- extraction ----------------------------------------------------------------
    async def extract_job_card(self, dispatcher, tracker, domain) -> dict[str, Any]:
        raw = self.raw_value_for("job_card", tracker)
        if raw or "job_card" in tracker.slots_to_validate():
            return raw
        if (
            tracker.get_slot("job_card") is None
            and tracker.get_slot("requested_slot") is None
            and not self.is_breakout(tracker)
        ):
            return await use_sole_job_card(dispatcher, tracker)  # the number's only card
        return {}

    async def extract_demand_worker(self, dispatcher, tracker, domain) -> dict[str, Any]:
        chosen = entity_value(tracker, "demand_worker")
        if chosen and tracker.get_slot("requested_slot") == "demand_worker":
            return {"demand_worker": chosen}
        return self.raw_value_for("demand_worker", tracker)

    async def extract_demand_days(self, dispatcher, tracker, domain) -> dict[str, Any]:
        said = entity_value(tracker, "days")
        if said and not self.is_breakout(tracker):
            return {"demand_days": said}
        return self.raw_value_for("demand_days", tracker)

    async def extract_demand_start(self, dispatcher, tracker, domain) -> dict[str, Any]:
        said = entity_value(tracker, "start_date")
        if said and not self.is_breakout(tracker):
            return {"demand_start": said}
        return self.raw_value_for("demand_start", tracker)

    async def extract_demand_confirmed(self, dispatcher, tracker, domain) -> dict[str, Any]:
        if tracker.get_slot("requested_slot") != "demand_confirmed":
            return {}
        intent = self.latest_intent(tracker)
        if intent in ("affirm", "deny"):
            return {"demand_confirmed": intent == "affirm"}
        return {}

    # --- validation ----------------------------------------------------------------
    async def validate_job_card(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        card = parse_job_card(str(value or ""))
        if card is None:
            return self.reject("job_card", dispatcher, tracker, "utter_invalid_job_card")
        # The same lookup, limit and one answer for "not found" and "not yours" as the status
        # questions (actions/record_lookup.py); the job card counts under the same limit.
        outcome, details = await look_up(tracker, KARMASHREE_KIND, card.nrega, portal().job_card)
        if outcome == UNAVAILABLE:
            return self.reject(
                "job_card", dispatcher, tracker, "utter_job_card_not_found", job_card=card.nrega
            )
        if outcome == TOO_MANY:
            return self.accept("job_card", card.nrega, demand_blocked="too_many")
        if outcome == PORTAL_DOWN:
            return self.accept("job_card", card.nrega, demand_blocked="portal_down")
        if outcome == UNVERIFIED:
            return self.accept("job_card", card.nrega)
        assert details is not None  # FOUND carries the portal's answer
        members = [
            {"id": m.worker_id, "name": m.name, "name_bn": m.name_bn} for m in details.members
        ]
        more: dict[str, Any] = {"demand_members": members, "demand_blocked": None}
        chosen = tracker.get_slot("demand_worker")
        if len(members) == 1:
            more["demand_worker"] = members[0]["id"]
        elif chosen and chosen not in {m["id"] for m in members}:
            more["demand_worker"] = None
        return self.accept("job_card", card.nrega, **more)

    async def validate_demand_worker(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        members = tracker.get_slot("demand_members") or []
        if not members:  # the card was not looked up (no verified mobile)
            return {"demand_worker": str(value)[:40]}
        member = find_member(members, str(value or ""))
        if member is None:
            return self.reject("demand_worker", dispatcher, tracker, "utter_demand_worker_unknown")
        return self.accept("demand_worker", member["id"])

    async def validate_demand_days(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        days = value if isinstance(value, (int, float)) else parse_days(str(value or ""))
        if days is None:
            return self.reject("demand_days", dispatcher, tracker, "utter_demand_days_invalid")
        if not MIN_DAYS <= int(days) <= MAX_DAYS:
            return self.reject("demand_days", dispatcher, tracker, "utter_demand_days_range")
        return self.accept("demand_days", float(int(days)), demand_confirmed=None)

    async def validate_demand_start(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        today = clock.today()
        start = parse_start_date(str(value or ""), today)
        if start is None:
            return self.reject("demand_start", dispatcher, tracker, "utter_demand_start_invalid")
        if start < today:
            return self.reject("demand_start", dispatcher, tracker, "utter_demand_start_past")
        if start > today + timedelta(days=MAX_DAYS_AHEAD):
            return self.reject(
                "demand_start",
                dispatcher,
                tracker,
                "utter_demand_start_too_far",
                days=formatting.number(MAX_DAYS_AHEAD, language(tracker)),
            )
        return self.accept("demand_start", start.isoformat(), demand_confirmed=None)

    async def validate_demand_confirmed(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return {"demand_confirmed": bool(value)}


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
