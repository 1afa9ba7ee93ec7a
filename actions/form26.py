"""Form 26 of a Gram Panchayat for a month (intent `form26`): the GP's monthly receipts and
payments from the GP accounting system. Only officials registered for that GP, its block or
its district get it (the portal decides). The form asks for the GP (name, spelling variant or
code; prefilled when the sender is registered for exactly one) and the month
(actions/staff_documents.py)."""

from __future__ import annotations

import re

from rasa_sdk import Tracker

from actions import places
from actions.base import call_portal, portal, requester_mobile
from actions.staff_documents import StaffDocument, StaffDocumentSpec, staff_document_actions
from actions.staff_slots import GramPanchayatSlot, MonthSlot
from portal_client import PortalClient, PortalError
from sathi import formatting

CAPTION = {
    "en": "Form 26 (receipts and payments) of {gp} Gram Panchayat for {month}.",
    "bn": "{gp} গ্রাম পঞ্চায়েতের {month}-এর ফর্ম ২৬ (প্রাপ্তি ও প্রদানের হিসাব)।",
}
CLOSING = {"en": " Closing balance: {amount}.", "bn": " মাসের শেষে হাতে থাকা (ক্লোজিং ব্যালান্স): {amount}।"}


def file_label(place: places.Place | None, code: str) -> str:
    """`Dogachi` for a file name (ASCII letters, digits and dashes), else the code."""
    label = re.sub(r"[^A-Za-z0-9]+", "-", place.name_en).strip("-") if place else ""
    return label or code


async def place_or_none(find, code: str) -> places.Place | None:
    try:
        return await find(code)
    except PortalError:
        return None


async def closing_line(
    fetch, code: str, month: str, lang: str, tracker: Tracker, field: str, template: dict = CLOSING
) -> str:
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


async def describe(tracker: Tracker, code: str, month: str, lang: str) -> StaffDocument:
    place = await place_or_none(places.gram_panchayat_by_code, code)
    kwargs = {"gp": place.name(lang) if place else code, "month": formatting.month(month, lang)}
    caption = CAPTION[lang].format(**kwargs) + await closing_line(
        portal().form26, code, month, lang, tracker, "closing_balance"
    )
    return StaffDocument(
        filename=f"form26-{file_label(place, code)}-{month}.pdf",
        caption=caption,
        kwargs=kwargs,
        not_ready=lambda error: ("utter_form26_not_closed", kwargs),
    )


SPEC = StaffDocumentSpec(
    service="form26",
    slots=("gp_name", "month"),
    slot_mixins=(GramPanchayatSlot, MonthSlot),
    pdf_call=PortalClient.form26_pdf,
    describe=describe,
    not_yours_response="utter_form26_not_yours",
    not_found_response="utter_form26_no_accounts",
)

ValidateForm26Form, ActionDeliverForm26 = staff_document_actions(SPEC, module=__name__)
