"""Karmashree work and wage status (intents work_status, wage_status): the job card form,
its validation and the answer from the portal."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import record_lookup
from actions.base import (
    call_portal,
    language,
    portal,
    renew_session,
    requester_mobile,
    unverified_response,
)
from actions.feedback import with_feedback
from actions.forms import SathiFormValidation
from actions.my_job_cards import use_sole_job_card
from actions.notifications import offer_updates
from actions.record_lookup import UNAVAILABLE, look_up
from portal_client import NotFound, NotYours, PortalUnavailable
from sathi import formatting
from sathi.identifiers import find_job_card, parse_job_card
from sathi.privacy import mask_phone
from sathi.wording import pick

logger = logging.getLogger(__name__)
MAX_ALLOCATION_LINES = 5
KIND = record_lookup.KARMASHREE  # one lookup counter for status and work demand


class ValidateKarmashreeForm(SathiFormValidation):
    own_intents = frozenset({"work_status", "wage_status", "inform"})

    def name(self) -> str:
        return "validate_karmashree_form"

    async def extract_job_card(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        raw = self.raw_value_for("job_card", tracker)
        if raw or "job_card" in tracker.slots_to_validate():
            return raw
        # A card written inside the request itself ("amar job card WB 08 ... e koto din?")
        # when the NLU did not mark it as an entity.
        card = find_job_card(tracker.latest_message.get("text"))
        if card:
            return {"job_card": card.nrega}
        if (
            tracker.get_slot("job_card") is None
            and tracker.get_slot("requested_slot") is None
            and not self.is_breakout(tracker)
        ):
            return await use_sole_job_card(dispatcher, tracker)  # the number's only card
        return {}

    async def validate_job_card(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        card = parse_job_card(str(value or ""))
        if card is None:
            return self.reject("job_card", dispatcher, tracker, "utter_invalid_job_card")
        # Not found and not yours: one answer and a second chance. Too many, unverified,
        # portal down: accepted; action_karmashree_status says why not, revealing nothing.
        outcome, _ = await look_up(tracker, KIND, card.nrega, portal().job_card)
        if outcome == UNAVAILABLE:
            return self.reject(
                "job_card", dispatcher, tracker, "utter_job_card_not_found", job_card=card.nrega
            )
        return self.accept("job_card", card.nrega)


async def lookup_allowed(mobile: str, job_card: str) -> bool:
    """Many different job cards from one number in a short time are slowed (and logged)."""
    return await record_lookup.lookup_allowed(mobile, KIND, job_card)


def allocation_lines(status, lang: str) -> str:
    lines = []
    for allocation in status.allocations[:MAX_ALLOCATION_LINES]:
        span = ""
        if allocation.from_date and allocation.to_date:
            span = (
                f"{formatting.day(allocation.from_date, lang)} – "
                f"{formatting.day(allocation.to_date, lang)}"
            )
        days = formatting.number(allocation.days or 0, lang)
        unit = "দিন" if lang == "bn" else ("day" if allocation.days == 1 else "days")
        work = pick(lang, allocation.work_name, allocation.work_name_bn)
        lines.append(f"• {work}" + (f" ({span}, {days} {unit})" if span else f" ({days} {unit})"))
    return "\n".join(lines)


def utter_status(dispatcher: CollectingDispatcher, status, lang: str, topic: str) -> None:
    fy = formatting.financial_year(status.fy, lang)
    days = status.days_provided or 0
    entitlement = status.entitlement_days or 50
    remaining = max(0, entitlement - days)
    paid = status.wages_paid_total or 0
    pending = status.wages_pending_total or 0
    last_paid = (
        formatting.day(status.last_payment_date, lang) if status.last_payment_date else ("—")
    )

    def days_answer() -> None:
        if remaining == 0:
            dispatcher.utter_message(
                response="utter_karmashree_days_complete",
                fy=fy,
                job_card=status.job_card,
                days=formatting.number(days, lang),
            )
        else:
            dispatcher.utter_message(
                response="utter_karmashree_days",
                fy=fy,
                job_card=status.job_card,
                days=formatting.number(days, lang),
                remaining=formatting.number(remaining, lang),
            )
        if status.allocations:
            dispatcher.utter_message(
                response="utter_karmashree_allocations", lines=allocation_lines(status, lang)
            )
        elif remaining:
            dispatcher.utter_message(response="utter_karmashree_no_allocation")

    def wages_answer() -> None:
        if not paid:
            dispatcher.utter_message(
                response="utter_karmashree_no_wages_yet", pending=formatting.money(pending, lang)
            )
        elif pending:
            dispatcher.utter_message(
                response="utter_karmashree_wages",
                paid=formatting.money(paid, lang),
                pending=formatting.money(pending, lang),
                last_paid=last_paid,
            )
        else:
            dispatcher.utter_message(
                response="utter_karmashree_wages_all_paid",
                paid=formatting.money(paid, lang),
                last_paid=last_paid,
            )

    if topic == "wage":
        wages_answer()
        days_answer()
    else:
        days_answer()
        wages_answer()


class ActionKarmashreeStatus(Action):
    def name(self) -> str:
        return "action_karmashree_status"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        lang = language(tracker)
        job_card = tracker.get_slot("job_card")
        topic = tracker.get_slot("karmashree_topic") or "work"
        mobile = requester_mobile(tracker)
        done: list[EventType] = [ActiveLoop(None), SlotSet("requested_slot", None)]
        if mobile is None:
            dispatcher.utter_message(response=unverified_response(tracker))
            return done
        if not await lookup_allowed(mobile, job_card):
            dispatcher.utter_message(response="utter_too_many_lookups")
            return done + renew_session(tracker, job_card=None)
        try:
            status = await call_portal(portal().karmashree_status, job_card, mobile=mobile)
        except (NotYours, NotFound) as refused:  # one answer for both: nothing leaks
            logger.info(
                "karmashree status refused (%s) for %s", type(refused).__name__, mask_phone(mobile)
            )
            dispatcher.utter_message(response="utter_job_card_not_yours")
            return done + renew_session(tracker, job_card=None)
        except PortalUnavailable:
            dispatcher.utter_message(response="utter_portal_down")
            return done
        utter_status(dispatcher, status, lang, topic)
        offer_updates(dispatcher, tracker, ("job_card", status.job_card))
        service = "wage_status" if topic == "wage" else "work_status"
        return done + with_feedback(dispatcher, service, renew_session(tracker))
