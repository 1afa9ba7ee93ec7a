"""Pay slip of a PRI employee for a month (intent `payslip`): the form (employee id, month),
its validation, and the delivery of the payroll portal's PDF to the employee's registered
mobile only."""
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
from actions.staff_slots import EmployeeIdSlot, MonthSlot
from portal_client import NotReady, PortalError
from sathi import clock, formatting

SERVICE = "payslip"
SLOTS = ("employee_id", "month")
CAPTION = {
    "en": "Pay slip for {month} — {employee_id}.",
    "bn": "{month}-এর পে স্লিপ — {employee_id}।",
}
NET_PAY = {"en": " Net pay: {net}.", "bn": " হাতে পাবেন (নিট বেতন): {net}।"}


class ValidatePayslipForm(EmployeeIdSlot, MonthSlot, SathiFormValidation):
    own_intents = frozenset({"payslip", "inform"})

    def name(self) -> Text:
        return "validate_payslip_form"


def payslip_filename(month: str) -> str:
    return f"payslip-{month}.pdf"


async def payslip_caption(tracker: Tracker, employee_id: str, month: str, lang: str) -> str:
    """The caption in the user's language, with the net pay when the portal says it (a failed
    look-up only leaves the amount out: the delivery itself answers every error)."""
    caption = CAPTION[lang].format(month=formatting.month(month, lang), employee_id=employee_id)
    mobile = requester_mobile(tracker)
    if mobile is None:
        return caption
    try:
        status = await call_portal(portal().payslip, employee_id, month, mobile=mobile)
    except PortalError:
        return caption
    if status.is_ready and status.net is not None:
        caption += NET_PAY[lang].format(net=formatting.money(status.net, lang))
    return caption


class ActionDeliverPayslip(Action):
    def name(self) -> Text:
        return "action_deliver_payslip"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        lang = language(tracker)
        employee_id = tracker.get_slot("employee_id")
        month = tracker.get_slot("month")
        month_text = formatting.month(month, lang)

        async def not_ready(dispatcher: CollectingDispatcher, tracker: Tracker,
                            error: NotReady) -> Optional[str]:
            if error.status == "processing":
                dispatcher.utter_message(response="utter_payslip_processing", month=month_text)
            elif month >= clock.month_key(clock.today()):
                dispatcher.utter_message(response="utter_payslip_month_not_over",
                                         month=month_text)
            else:
                dispatcher.utter_message(response="utter_payslip_not_on_record",
                                         month=month_text)
            return f"status={error.status}"

        request = DocumentRequest(
            service=SERVICE, record_ref=f"{employee_id}/{month}",
            fetch=portal().payslip_pdf, fetch_args=(employee_id, month),
            filename=payslip_filename(month),
            caption=await payslip_caption(tracker, employee_id, month, lang),
            replies=Replies(not_yours="utter_employee_record_not_yours",
                            not_found="utter_employee_not_found",
                            kwargs={"employee_id": employee_id}, on_not_ready=not_ready))
        delivery = await deliver_document(dispatcher, tracker, request)
        return finish_request(tracker, delivery, SLOTS, dispatcher=dispatcher)
