"""Annual salary statement of a PRI employee for a financial year, April-March (intent
`salary_statement`): the form (employee id, financial year), its validation and the delivery
of the payroll portal's PDF to the employee's registered mobile only. A year with some months
paid (joined mid-year, the current year) is a partial statement, marked so by the portal and
said so in the caption."""
from __future__ import annotations

from typing import List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import call_portal, language, portal, requester_mobile
from actions.document_delivery import (DocumentRequest, Replies, deliver_document,
                                       finish_request)
from actions.forms import SathiFormValidation
from actions.staff_slots import EmployeeIdSlot, FinancialYearSlot
from portal_client import NotReady, PortalError
from sathi import formatting

SERVICE = "salary_statement"
SLOTS = ("employee_id", "fin_year")
CAPTION = {
    "en": "Annual salary statement {fy} (April–March) — {employee_id}.",
    "bn": "{fy} আর্থিক বছরের (এপ্রিল–মার্চ) বেতনের বিবরণী — {employee_id}।",
}
COMPLETE = {"en": " Net pay for the year: {net}.", "bn": " সারা বছরে হাতে পেয়েছেন (নিট বেতন): {net}।"}
PARTIAL = {
    "en": " Salary was paid for {months} of the 12 months so far; net {net}.",
    "bn": " এখনও পর্যন্ত ১২ মাসের মধ্যে {months} মাসের বেতন হয়েছে; নিট বেতন {net}।",
}


class ValidateSalaryStatementForm(EmployeeIdSlot, FinancialYearSlot, SathiFormValidation):
    own_intents = frozenset({"salary_statement", "inform"})

    def name(self) -> Text:
        return "validate_salary_statement_form"


def salary_statement_filename(fy: str) -> str:
    return f"salary-statement-{fy}.pdf"


async def salary_statement_caption(tracker: Tracker, employee_id: str, fy: str,
                                   lang: str) -> str:
    caption = CAPTION[lang].format(fy=formatting.financial_year(fy, lang),
                                   employee_id=employee_id)
    mobile = requester_mobile(tracker)
    if mobile is None:
        return caption
    try:
        status = await call_portal(portal().salary_statement, employee_id, fy, mobile=mobile)
    except PortalError:
        return caption
    if status.net is None:
        return caption
    net = formatting.money(status.net, lang)
    if status.status == "partial" and status.months_paid:
        return caption + PARTIAL[lang].format(months=formatting.number(status.months_paid, lang),
                                              net=net)
    if status.status == "complete":
        return caption + COMPLETE[lang].format(net=net)
    return caption


class ActionDeliverSalaryStatement(Action):
    def name(self) -> Text:
        return "action_deliver_salary_statement"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        lang = language(tracker)
        employee_id = tracker.get_slot("employee_id")
        fy = tracker.get_slot("fin_year")
        fy_text = formatting.financial_year(fy, lang)

        async def not_ready(dispatcher: CollectingDispatcher, tracker: Tracker,
                            error: NotReady) -> Optional[str]:
            dispatcher.utter_message(response="utter_salary_statement_not_available", fy=fy_text)
            return f"status={error.status}"

        request = DocumentRequest(
            service=SERVICE, record_ref=f"{employee_id}/{fy}",
            fetch=portal().salary_statement_pdf, fetch_args=(employee_id, fy),
            filename=salary_statement_filename(fy),
            caption=await salary_statement_caption(tracker, employee_id, fy, lang),
            replies=Replies(not_yours="utter_employee_record_not_yours",
                            not_found="utter_employee_not_found",
                            kwargs={"employee_id": employee_id}, on_not_ready=not_ready))
        delivery = await deliver_document(dispatcher, tracker, request)
        return finish_request(tracker, delivery, SLOTS, dispatcher=dispatcher)
