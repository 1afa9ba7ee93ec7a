"""Pay slip of a PRI employee for a month (intent `payslip`): the form (employee id, month)
and the payroll portal's PDF, to the employee's registered mobile only
(actions/staff_documents.py)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rasa_sdk import Tracker

from actions.base import call_portal, portal, requester_mobile
from actions.staff_documents import StaffDocument, StaffDocumentSpec, staff_document_actions
from actions.staff_slots import EmployeeIdSlot, MonthSlot
from portal_client import NotReady, PortalClient, PortalError
from sathi import clock, formatting

CAPTION = {
    "en": "Pay slip for {month} — {employee_id}.",
    "bn": "{month}-এর পে স্লিপ — {employee_id}।",
}
NET_PAY = {"en": " Net pay: {net}.", "bn": " হাতে পাবেন (নিট বেতন): {net}।"}


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


async def describe(tracker: Tracker, employee_id: str, month: str, lang: str) -> StaffDocument:
    month_text = {"month": formatting.month(month, lang)}

    def not_ready(error: NotReady) -> tuple[str, Mapping[str, Any]]:
        if error.status == "processing":
            return "utter_payslip_processing", month_text
        if month >= clock.month_key(clock.today()):
            return "utter_payslip_month_not_over", month_text
        return "utter_payslip_not_on_record", month_text

    return StaffDocument(
        filename=f"payslip-{month}.pdf",
        caption=await payslip_caption(tracker, employee_id, month, lang),
        not_ready=not_ready,
        kwargs={"employee_id": employee_id},
    )


SPEC = StaffDocumentSpec(
    service="payslip",
    slots=("employee_id", "month"),
    slot_mixins=(EmployeeIdSlot, MonthSlot),
    pdf_call=PortalClient.payslip_pdf,
    describe=describe,
    not_yours_response="utter_employee_record_not_yours",
    not_found_response="utter_employee_not_found",
)

ValidatePayslipForm, ActionDeliverPayslip = staff_document_actions(SPEC, module=__name__)
