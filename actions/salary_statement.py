"""Annual salary statement of a PRI employee for a financial year, April-March (intent
`salary_statement`): the form (employee id, financial year) and the payroll portal's PDF, to
the employee's registered mobile only (actions/staff_documents.py). A year with some months
paid (joined mid-year, the current year) is a partial statement, marked so by the portal and
said so in the caption."""

from __future__ import annotations

from rasa_sdk import Tracker

from actions.base import call_portal, portal, requester_mobile
from actions.staff_documents import StaffDocument, StaffDocumentSpec, staff_document_actions
from actions.staff_slots import EmployeeIdSlot, FinancialYearSlot
from portal_client import PortalClient, PortalError
from sathi import formatting

CAPTION = {
    "en": "Annual salary statement {fy} (April–March) — {employee_id}.",
    "bn": "{fy} আর্থিক বছরের (এপ্রিল–মার্চ) বেতনের বিবরণী — {employee_id}।",
}
COMPLETE = {"en": " Net pay for the year: {net}.", "bn": " সারা বছরে হাতে পেয়েছেন (নিট বেতন): {net}।"}
PARTIAL = {
    "en": " Salary was paid for {months} of the 12 months so far; net {net}.",
    "bn": " এখনও পর্যন্ত ১২ মাসের মধ্যে {months} মাসের বেতন হয়েছে; নিট বেতন {net}।",
}


async def salary_statement_caption(tracker: Tracker, employee_id: str, fy: str, lang: str) -> str:
    caption = CAPTION[lang].format(fy=formatting.financial_year(fy, lang), employee_id=employee_id)
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
        return caption + PARTIAL[lang].format(
            months=formatting.number(status.months_paid, lang), net=net
        )
    if status.status == "complete":
        return caption + COMPLETE[lang].format(net=net)
    return caption


async def describe(tracker: Tracker, employee_id: str, fy: str, lang: str) -> StaffDocument:
    fy_text = {"fy": formatting.financial_year(fy, lang)}
    return StaffDocument(
        filename=f"salary-statement-{fy}.pdf",
        caption=await salary_statement_caption(tracker, employee_id, fy, lang),
        not_ready=lambda error: ("utter_salary_statement_not_available", fy_text),
        kwargs={"employee_id": employee_id},
    )


SPEC = StaffDocumentSpec(
    service="salary_statement",
    slots=("employee_id", "fin_year"),
    slot_mixins=(EmployeeIdSlot, FinancialYearSlot),
    pdf_call=PortalClient.salary_statement_pdf,
    describe=describe,
    not_yours_response="utter_employee_record_not_yours",
    not_found_response="utter_employee_not_found",
)

ValidateSalaryStatementForm, ActionDeliverSalaryStatement = staff_document_actions(
    SPEC, module=__name__
)
