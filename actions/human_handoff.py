"""A person (intent human_handoff, and the offer after two messages not understood): the right
human contact for the user's context, and a callback request on a tap.

- The GP office of the user's job card (the `job_card` slot, else the first card the portal
  has for the verified mobile): name, address, phone, hours from `portal().gp_office`.
- The department helpline (`actions.base.helpline()`, SATHI_HELPLINE) and the grievance line:
  the state government's own public grievance system, the Chief Minister's Office grievance
  cell "Sorasori Mukhyomantri" (call centre 9137091370; portal cmo.wb.gov.in, the CMO's Public
  Grievance Monitoring System). SATHI_GRIEVANCE_LINE overrides the number (docs/decisions.md).
- "Call me back" (`/affirm` while `awaiting_confirmation` is `callback`) records a callback
  request with the conversation's context (`portal().request_callback`) and tells the
  ticket number.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import call_portal, helpline, language, portal, requester_mobile
from portal_client import PortalError
from sathi import formatting
from sathi.identifiers import parse_job_card
from sathi.privacy import mask_phone
from sathi.settings import settings

logger = logging.getLogger(__name__)
SERVICE_INTENTS = (
    "trade_noc",
    "building_plan",
    "tourism_slip",
    "payslip",
    "salary_statement",
    "form26",
    "cash_analysis",
    "work_status",
    "wage_status",
    "demand_work",
    "karmashree_info",
)


def grievance_line() -> str:
    return settings().grievance_line


def last_service(tracker: Tracker) -> str | None:
    """The service the user asked about last in this session (or was asked feedback on)."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
            if intent in SERVICE_INTENTS:
                return intent
    return tracker.get_slot("feedback_for")


async def gp_code_for(tracker: Tracker, mobile: str | None) -> str | None:
    card = parse_job_card(tracker.get_slot("job_card") or "")
    if card is not None:
        return card.nrega_gp_code
    if mobile is None:
        return None
    records = await call_portal(portal().my_records, mobile=mobile)
    for raw in records.job_cards:
        found = parse_job_card(str(raw))
        if found is not None:
            return found.nrega_gp_code
    return None


class ActionHumanHandoff(Action):
    def name(self) -> str:
        return "action_human_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        lang = language(tracker)
        mobile = requester_mobile(tracker)
        try:
            gp_code = await gp_code_for(tracker, mobile)
            office = await call_portal(portal().gp_office, gp_code) if gp_code else None
        except PortalError as error:
            logger.info("no GP office for the handoff: %s", type(error).__name__)
            office = None
        if office is not None:
            bengali = lang == "bn"
            dispatcher.utter_message(
                response="utter_handoff_gp_office",
                office=(office.name_bn if bengali and office.name_bn else office.name_en),
                address=(office.address_bn if bengali and office.address_bn else office.address_en)
                or "—",
                phone=office.phone or "—",
                hours=(office.hours_bn if bengali and office.hours_bn else office.hours) or "—",
            )
        dispatcher.utter_message(
            response="utter_human_handoff", helpline=helpline(), grievance=grievance_line()
        )
        if mobile is None:
            return []
        dispatcher.utter_message(response="utter_offer_callback")
        return [SlotSet("awaiting_confirmation", "callback"), SlotSet("feedback_for", None)]


class ActionRequestCallback(Action):
    """Runs after the answer to a callback offer (slot `answer`: callback_yes / callback_no)."""

    def name(self) -> str:
        return "action_request_callback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        done: list[EventType] = [SlotSet("answer", None)]
        if tracker.get_slot("answer") != "callback_yes":
            dispatcher.utter_message(response="utter_callback_declined")
            return done
        mobile = requester_mobile(tracker)
        if mobile is None:
            dispatcher.utter_message(response="utter_callback_need_number", helpline=helpline())
            return done
        topic = last_service(tracker) or "general"
        context: dict[str, Any] = {
            "last_service": topic,
            "language": language(tracker),
            "channel": tracker.get_latest_input_channel() or "",
        }
        if tracker.get_slot("job_card"):
            context["job_card"] = tracker.get_slot("job_card")
        try:
            ticket = await call_portal(portal().request_callback, mobile, topic, context)
        except PortalError as error:
            logger.warning(
                "callback request failed for %s: %s", mask_phone(mobile), type(error).__name__
            )
            dispatcher.utter_message(response="utter_callback_failed", helpline=helpline())
            return done
        logger.info("callback %s requested for %s", ticket.ticket_no, mask_phone(mobile))
        hours = formatting.number(ticket.expected_within_hours or 48, language(tracker))
        dispatcher.utter_message(
            response="utter_callback_booked", ticket_no=ticket.ticket_no, hours=hours
        )
        return done
