"""Cash analysis report of a Panchayat Samiti (block) for a month (intent `cash_analysis`):
the month-end cash book balance analysed fund-, scheme- and head-wise. Only officials
registered for that Panchayat Samiti or its district get it (the portal decides). The form
asks for the block (name, spelling variant or code; prefilled when the sender is registered
for exactly one) and the month (actions/staff_documents.py)."""

from __future__ import annotations

from rasa_sdk import Tracker

from actions import places
from actions.base import portal
from actions.form26 import closing_line, file_label, place_or_none
from actions.staff_documents import StaffDocument, StaffDocumentSpec, staff_document_actions
from actions.staff_slots import MonthSlot, PanchayatSamitiSlot
from portal_client import PortalClient
from sathi import formatting

CAPTION = {
    "en": "Cash analysis report of {ps} Panchayat Samiti for {month}.",
    "bn": "{ps} পঞ্চায়েত সমিতির {month}-এর ক্যাশ অ্যানালিসিস রিপোর্ট।",
}
CASH_BOOK = {
    "en": " Cash book balance at the end of the month: {amount}.",
    "bn": " মাসের শেষে ক্যাশ বইয়ের ব্যালান্স: {amount}।",
}


async def describe(tracker: Tracker, code: str, month: str, lang: str) -> StaffDocument:
    place = await place_or_none(places.panchayat_samiti_by_code, code)
    kwargs = {"ps": place.name(lang) if place else code, "month": formatting.month(month, lang)}
    caption = CAPTION[lang].format(**kwargs) + await closing_line(
        portal().cash_analysis, code, month, lang, tracker, "cash_book_balance", CASH_BOOK
    )
    return StaffDocument(
        filename=f"cash-analysis-{file_label(place, code)}-{month}.pdf",
        caption=caption,
        kwargs=kwargs,
        not_ready=lambda error: ("utter_cash_analysis_not_closed", kwargs),
    )


SPEC = StaffDocumentSpec(
    service="cash_analysis",
    slots=("ps_name", "month"),
    slot_mixins=(PanchayatSamitiSlot, MonthSlot),
    pdf_call=PortalClient.cash_analysis_pdf,
    describe=describe,
    not_yours_response="utter_cash_analysis_not_yours",
    not_found_response="utter_cash_analysis_no_accounts",
)

ValidateCashAnalysisForm, ActionDeliverCashAnalysis = staff_document_actions(SPEC, module=__name__)
