"""Form 26 of a Gram Panchayat for a month (intent `form26`): the GP's monthly receipts and
payments from the GP accounting system. Only officials registered for that GP, its block or
its district get it (the portal decides). The form asks for the GP (name, spelling variant or
code; prefilled when the sender is registered for exactly one) and the month."""
from __future__ import annotations

import re
from typing import List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import places
from actions.base import call_portal, language, portal, requester_mobile
from actions.document_delivery import (DocumentRequest, Replies, deliver_document,
                                       finish_request)
from actions.forms import SathiFormValidation
from actions.staff_slots import GramPanchayatSlot, MonthSlot
from portal_client import NotReady, PortalError
from sathi import formatting

SERVICE = "form26"
SLOTS = ("gp_name", "month")
CAPTION = {
    "en": "Form 26 (receipts and payments) of {gp} Gram Panchayat for {month}.",
    "bn": "{gp} গ্রাম পঞ্চায়েতের {month}-এর ফর্ম ২৬ (প্রাপ্তি ও প্রদানের হিসাব)।",
}
CLOSING = {"en": " Closing balance: {amount}.", "bn": " মাসের শেষে হাতে থাকা (ক্লোজিং ব্যালান্স): {amount}।"}


class ValidateForm26Form(GramPanchayatSlot, MonthSlot, SathiFormValidation):
    own_intents = frozenset({"form26", "inform"})

    def name(self) -> Text:
        return "validate_form26_form"


def file_label(place: Optional[places.Place], code: str) -> str:
    """`Dogachi` for a file name (ASCII letters, digits and dashes), else the code."""
    label = re.sub(r"[^A-Za-z0-9]+", "-", place.name_en).strip("-") if place else ""
    return label or code


async def place_or_none(find, code: str) -> Optional[places.Place]:
    try:
        return await find(code)
    except PortalError:
        return None


async def closing_line(fetch, code: str, month: str, lang: str, tracker: Tracker,
                       field: str, template: dict = CLOSING) -> str:
    """The month's closing amount for the caption, when the portal says it ('' otherwise: the
    delivery answers every error itself)."""
    mobile = requester_mobile(tracker)
    if mobile is None:
        return ""
    try:
        status = await call_portal(fetch, code, month, mobile=mobile)
    except PortalError:
        return ""
    amount = getattr(status, field, None)
    if not status.is_ready or amount is None:
        return ""
    return template[lang].format(amount=formatting.money(amount, lang))


class ActionDeliverForm26(Action):
    def name(self) -> Text:
        return "action_deliver_form26"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        lang = language(tracker)
        code = tracker.get_slot("gp_name")
        month = tracker.get_slot("month")
        place = await place_or_none(places.gram_panchayat_by_code, code)
        gp = place.name(lang) if place else code
        month_text = formatting.month(month, lang)
        kwargs = {"gp": gp, "month": month_text}

        async def not_ready(dispatcher: CollectingDispatcher, tracker: Tracker,
                            error: NotReady) -> Optional[str]:
            dispatcher.utter_message(response="utter_form26_not_closed", **kwargs)
            return f"status={error.status}"

        caption = CAPTION[lang].format(**kwargs) + await closing_line(
            portal().form26, code, month, lang, tracker, "closing_balance")
        request = DocumentRequest(
            service=SERVICE, record_ref=f"{code}/{month}",
            fetch=portal().form26_pdf, fetch_args=(code, month),
            filename=f"form26-{file_label(place, code)}-{month}.pdf",
            caption=caption,
            replies=Replies(not_yours="utter_form26_not_yours",
                            not_found="utter_form26_no_accounts",
                            kwargs=kwargs, on_not_ready=not_ready))
        delivery = await deliver_document(dispatcher, tracker, request)
        return finish_request(tracker, delivery, SLOTS, dispatcher=dispatcher)
