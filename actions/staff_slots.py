"""Slots shared by the staff document forms (pay slip, salary statement, Form 26, cash
analysis): the employee id, the month, the financial year, the Gram Panchayat and the
Panchayat Samiti — extraction from the raw text, validation, and prefilling from what the
portal says the sender is registered for (`/me/records`).

Mixins for `SathiFormValidation` subclasses (actions/forms.py); every method returns the
slot dict the form expects (`self.accept` / `self.reject`).
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import places
from actions.base import call_portal, language, portal, requester_mobile
from actions.form_mixin import FormMixin
from actions.record_lookup import EMPLOYEE, UNAVAILABLE, look_up
from portal_client import Employee, PortalError, PortalUnavailable
from sathi import clock, formatting
from sathi.dates import parse_financial_year, parse_month
from sathi.graphemes import clip
from sathi.identifiers import parse_employee_id
from sathi.privacy import mask_phone
from sathi.wording import pick

logger = logging.getLogger(__name__)
ECHO_MAX = 40  # how much of the user's own text a reply quotes back


async def my_records(tracker: Tracker):
    """The sender's `MyRecords`, or None (not verified, or the portal did not answer)."""
    mobile = requester_mobile(tracker)
    if mobile is None:
        return None
    try:
        return await call_portal(portal().my_records, mobile=mobile)
    except PortalError as error:
        logger.info("my records unavailable (%s) for %s", type(error).__name__, mask_phone(mobile))
        return None


def _first_asking(tracker: Tracker, slot: str) -> bool:
    """True while the form has not asked for `slot` yet and nothing filled it: the moment to
    prefill it from the sender's records."""
    return (
        tracker.get_slot(slot) is None
        and tracker.get_slot("requested_slot") != slot
        and slot not in tracker.slots_to_validate()
    )


def raw_text_for(form, slot: str, tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
    """The message text as a candidate for `slot` (SathiFormValidation.raw_value_for), unless
    the message carried an entity for another slot of the same form: "Rampur" typed when the
    month was asked is a Gram Panchayat, not a bad month."""
    form_slots = set(form.domain_slots(domain)) - {slot}
    entities = {e.get("entity") for e in tracker.latest_message.get("entities") or []}
    if entities & form_slots:
        return {}
    return form.raw_value_for(slot, tracker)


def employee_described(employee: Employee, lang: str) -> str:
    """'Uttam Saha · Secretary' — in Bengali as the office writes it, when it does."""
    parts = (
        pick(lang, employee.name, employee.name_bn),
        pick(lang, employee.designation, employee.designation_bn),
    )
    return " · ".join(p for p in parts if p)


async def _say_using_employee(
    dispatcher: CollectingDispatcher, tracker: Tracker, employee_id: str
) -> None:
    """The number holds one employee record and it is used: say whose."""
    details = ""
    try:
        employee = await call_portal(
            portal().employee, employee_id, mobile=requester_mobile(tracker)
        )
        details = employee_described(employee, language(tracker))
    except PortalError as error:
        logger.info("no details for the employee used: %s", type(error).__name__)
    dispatcher.utter_message(
        response="utter_using_employee",
        employee_id=employee_id,
        details=f" ({details})" if details else "",
    )


class EmployeeIdSlot(FormMixin):
    async def extract_employee_id(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if _first_asking(tracker, "employee_id") and requester_mobile(tracker):
            records = await my_records(tracker)
            if records is not None and len(records.employees) == 1:
                await _say_using_employee(dispatcher, tracker, records.employees[0])
                return {"employee_id": records.employees[0]}
            return {}
        return raw_text_for(self, "employee_id", tracker, domain)

    async def validate_employee_id(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        employee_id = parse_employee_id(str(value or ""))
        if employee_id is None:
            return self.reject("employee_id", dispatcher, tracker, "utter_invalid_employee_id")
        outcome, _ = await look_up(tracker, EMPLOYEE, employee_id, portal().employee)
        if outcome == UNAVAILABLE:  # not found and not yours: one answer, a second chance
            return self.reject(
                "employee_id",
                dispatcher,
                tracker,
                "utter_employee_not_found",
                employee_id=employee_id,
            )
        return self.accept("employee_id", employee_id)  # the delivery says why not, if not


class MonthSlot(FormMixin):
    async def extract_month(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return raw_text_for(self, "month", tracker, domain)

    async def validate_month(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        today = clock.today()
        month = parse_month(str(value or ""), today)
        if month is None:
            return self.reject("month", dispatcher, tracker, "utter_invalid_month")
        if month > clock.month_key(today):
            return self.reject(
                "month",
                dispatcher,
                tracker,
                "utter_month_in_future",
                month=formatting.month(month, language(tracker)),
            )
        return self.accept("month", month)


class FinancialYearSlot(FormMixin):
    async def extract_fin_year(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return raw_text_for(self, "fin_year", tracker, domain)

    async def validate_fin_year(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        today = clock.today()
        fy = parse_financial_year(str(value or ""), today)
        if fy is None:
            return self.reject("fin_year", dispatcher, tracker, "utter_invalid_fin_year")
        if fy > clock.FinancialYear.containing(today):
            return self.reject(
                "fin_year",
                dispatcher,
                tracker,
                "utter_fin_year_in_future",
                fy=formatting.financial_year(fy.label, language(tracker)),
            )
        return self.accept("fin_year", fy.label)


async def _registered_first(
    tracker: Tracker, found: list[places.Place], kind: str
) -> list[places.Place]:
    """Of several namesakes, the one place the sender is registered for (directly, or through
    its block / district) settles it; otherwise all of them stay a choice."""
    records = await my_records(tracker)
    if records is None:
        return found
    official = records.official_of

    def registered(place: places.Place) -> bool:
        if kind == "gp" and (
            place.code in official.gram_panchayats or place.code[:7] in official.panchayat_samitis
        ):
            return True
        if kind == "ps" and place.code in official.panchayat_samitis:
            return True
        return place.code[:4] in official.districts

    mine = [p for p in found if registered(p)]
    return mine if len(mine) == 1 else found


async def _resolve_place(
    form, slot: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, find, kind: str
) -> dict[str, Any]:
    """One match -> accepted (the code); namesakes -> a short choice; none / too many ->
    rejected with a hint. `kind` is `gp` or `ps` (response names)."""
    text = str(value or "").strip()
    message = str(tracker.latest_message.get("text") or "")
    context = "" if message.startswith("/") else message[:200]
    try:
        found = await find(text, context)
    except PortalUnavailable:
        dispatcher.utter_message(response="utter_portal_down")
        return {slot: None}
    said = clip(text, ECHO_MAX)
    if len(found) > 1:
        found = await _registered_first(tracker, found, kind)
    if len(found) == 1:
        return form.accept(slot, found[0].code)
    if len(found) > places.MAX_CHOICES:
        return form.reject(slot, dispatcher, tracker, f"utter_{kind}_too_many", name=said)
    if found:
        # the form asks for the slot next: action_ask_<slot> shows this choice as its question
        buttons = await places.choice_buttons(found, slot, language(tracker))
        return {slot: None, "place_choice": {"slot": slot, "name": said, "buttons": buttons}}
    return form.reject(slot, dispatcher, tracker, f"utter_{kind}_not_found", name=said)


class GramPanchayatSlot(FormMixin):
    async def extract_gp_name(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if _first_asking(tracker, "gp_name") and requester_mobile(tracker):
            records = await my_records(tracker)
            if records is not None and len(records.official_of.gram_panchayats) == 1:
                return {"gp_name": records.official_of.gram_panchayats[0]}
            return {}
        return raw_text_for(self, "gp_name", tracker, domain)

    async def validate_gp_name(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return await _resolve_place(
            self, "gp_name", value, dispatcher, tracker, places.find_gram_panchayats, "gp"
        )


class PanchayatSamitiSlot(FormMixin):
    async def extract_ps_name(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if _first_asking(tracker, "ps_name") and requester_mobile(tracker):
            records = await my_records(tracker)
            if records is not None and len(records.official_of.panchayat_samitis) == 1:
                return {"ps_name": records.official_of.panchayat_samitis[0]}
            return {}
        return raw_text_for(self, "ps_name", tracker, domain)

    async def validate_ps_name(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return await _resolve_place(
            self, "ps_name", value, dispatcher, tracker, places.find_panchayat_samitis, "ps"
        )


# --- asking, with the sender's own records as a short choice -----------------------------------
async def _official_places(tracker: Tracker, kind: str) -> list[places.Place]:
    """The GPs (kind `gp`) or blocks (`ps`) the sender is registered for — directly, or under
    the one block / district they are registered for — when that is a short list."""
    records = await my_records(tracker)
    if records is None:
        return []
    official = records.official_of
    try:
        if kind == "gp":
            found = [
                p
                for p in [
                    await places.gram_panchayat_by_code(c)
                    for c in official.gram_panchayats[: places.MAX_CHOICES]
                ]
                if p
            ]
            if not found and len(official.panchayat_samitis) == 1:
                found = await places.gram_panchayats_of_block(official.panchayat_samitis[0])
        else:
            found = [
                p
                for p in [
                    await places.panchayat_samiti_by_code(c)
                    for c in official.panchayat_samitis[: places.MAX_CHOICES]
                ]
                if p
            ]
            if not found and len(official.districts) == 1:
                found = await places.panchayat_samitis_of_district(official.districts[0])
    except PortalError:
        return []
    return found if len(found) <= places.MAX_CHOICES else []


class AskWithChoice(Action, ABC):
    """`action_ask_<slot>`: the plain question, or the same question with the sender's own
    records as buttons (the user may still type another value)."""

    slot: str = ""
    kind: str = ""

    @abstractmethod
    def name(self) -> str:
        """action_ask_<slot>"""

    async def choices(self, tracker: Tracker) -> list[dict[str, str]]:
        found = await _official_places(tracker, self.kind)
        return await places.choice_buttons(found, self.slot, language(tracker)) if found else []

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        pending = tracker.get_slot("place_choice")
        if (
            isinstance(pending, dict)
            and pending.get("slot") == self.slot
            and pending.get("buttons")
        ):
            dispatcher.utter_message(
                response=f"utter_choose_{self.kind}",
                name=pending.get("name", ""),
                buttons=pending["buttons"],
            )
            return [SlotSet("place_choice", None)]
        buttons: list[dict[str, str]] | None = None
        if requester_mobile(tracker):
            buttons = await self.choices(tracker)
        if buttons:
            dispatcher.utter_message(response=f"utter_ask_{self.slot}_choice", buttons=buttons)
        else:
            dispatcher.utter_message(response=f"utter_ask_{self.slot}")
        return []


class ActionAskEmployeeId(AskWithChoice):
    slot = "employee_id"

    def name(self) -> str:
        return "action_ask_employee_id"

    async def choices(self, tracker: Tracker) -> list[dict[str, str]]:
        """The number's employee records, each described by name and designation (one
        phone may hold several: a husband and wife both in service, a transfer)."""
        records = await my_records(tracker)
        ids = list(records.employees)[: places.MAX_CHOICES] if records else []
        buttons = [{"title": i, "payload": f'/inform{{"employee_id":"{i}"}}'} for i in ids]
        mobile, lang = requester_mobile(tracker), language(tracker)
        for button in buttons if len(buttons) > 1 and mobile else ():
            try:
                employee = await call_portal(portal().employee, button["title"], mobile=mobile)
            except PortalError as error:
                logger.info("no description for an employee choice: %s", type(error).__name__)
                continue
            button["description"] = employee_described(employee, lang)
        return buttons


class ActionAskGpName(AskWithChoice):
    slot = "gp_name"
    kind = "gp"

    def name(self) -> str:
        return "action_ask_gp_name"


class ActionAskPsName(AskWithChoice):
    slot = "ps_name"
    kind = "ps"

    def name(self) -> str:
        return "action_ask_ps_name"
