"""Cash analysis report of a Panchayat Samiti (block) for a month (intent `cash_analysis`):
the month-end cash book balance analysed fund-, scheme- and head-wise. Only officials
registered for that Panchayat Samiti or its district get it (the portal decides). The form
asks for the block (name, spelling variant or code; prefilled when the sender is registered
for exactly one) and the month."""
from __future__ import annotations

from typing import List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import places
from actions.base import language, portal
from actions.document_delivery import (DocumentRequest, Replies, deliver_document,
                                       finish_request)
from actions.form26 import closing_line, file_label, place_or_none
from actions.forms import SathiFormValidation
from actions.staff_slots import MonthSlot, PanchayatSamitiSlot
from portal_client import NotReady
from sathi import formatting

SERVICE = "cash_analysis"
SLOTS = ("ps_name", "month")
CAPTION = {
    "en": "Cash analysis report of {ps} Panchayat Samiti for {month}.",
    "bn": "{ps} পঞ্চায়েত সমিতির {month}-এর ক্যাশ অ্যানালিসিস রিপোর্ট।",
}
CASH_BOOK = {"en": " Cash book balance at the end of the month: {amount}.",
             "bn": " মাসের শেষে ক্যাশ বইয়ের ব্যালান্স: {amount}।"}


class ValidateCashAnalysisForm(PanchayatSamitiSlot, MonthSlot, SathiFormValidation):
    own_intents = frozenset({"cash_analysis", "inform"})

    def name(self) -> Text:
        return "validate_cash_analysis_form"


class ActionDeliverCashAnalysis(Action):
    def name(self) -> Text:
        return "action_deliver_cash_analysis"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        lang = language(tracker)
        code = tracker.get_slot("ps_name")
        month = tracker.get_slot("month")
        place = await place_or_none(places.panchayat_samiti_by_code, code)
        kwargs = {"ps": place.name(lang) if place else code,
                  "month": formatting.month(month, lang)}

        async def not_ready(dispatcher: CollectingDispatcher, tracker: Tracker,
                            error: NotReady) -> Optional[str]:
            dispatcher.utter_message(response="utter_cash_analysis_not_closed", **kwargs)
            return f"status={error.status}"

        caption = CAPTION[lang].format(**kwargs) + await closing_line(
            portal().cash_analysis, code, month, lang, tracker, "cash_book_balance", CASH_BOOK)
        request = DocumentRequest(
            service=SERVICE, record_ref=f"{code}/{month}",
            fetch=portal().cash_analysis_pdf, fetch_args=(code, month),
            filename=f"cash-analysis-{file_label(place, code)}-{month}.pdf",
            caption=caption,
            replies=Replies(not_yours="utter_cash_analysis_not_yours",
                            not_found="utter_cash_analysis_no_accounts",
                            kwargs=kwargs, on_not_ready=not_ready))
        delivery = await deliver_document(dispatcher, tracker, request)
        return finish_request(tracker, delivery, SLOTS, dispatcher=dispatcher)
