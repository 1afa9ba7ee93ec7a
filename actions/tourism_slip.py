"""Panchayat Tourism booking slip, the "Electronic Reservation Slip" (intent `tourism_slip`):
the booking number, then the slip PDF — only to the mobile the booking was made with."""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import call_portal, language, portal, requester_mobile
from actions.document_delivery import deliver_document, finish_request
from actions.record_forms import AskForRecordNumber, RecordNumberForm
from portal_client import NotReady, PortalError
from sathi.identifiers import parse_booking_number
from sathi.wording import pick, status_label

SERVICE = "tourism_slip"
SLOT = "booking_no"
CAPTION = {"en": "Booking slip {number}. Show it at check-in (check-in 9 am, check-out 8 am).",
           "bn": ("বুকিং স্লিপ {number}। চেক-ইনের সময় এটা দেখাবেন "
                  "(চেক-ইন সকাল ৯টা, চেক-আউট সকাল ৮টা)।")}
STATUS_RESPONSES = {"payment_pending": "utter_booking_payment_pending",
                    "cancelled": "utter_booking_cancelled"}


class ValidateTourismSlipForm(RecordNumberForm):
    own_intents = frozenset({"tourism_slip", "inform"})
    slot = SLOT
    records_field = "bookings"
    status_call = "tourism_booking"
    lookup_kind = "tourism_slip"
    invalid_response = "utter_invalid_booking_no"
    not_found_response = "utter_booking_not_found"
    parse = staticmethod(parse_booking_number)

    def name(self) -> Text:
        return "validate_tourism_slip_form"

    async def extract_booking_no(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                 domain: DomainDict) -> Dict[Text, Any]:
        return await self.extract_record(tracker, dispatcher)

    async def validate_booking_no(self, value: Any, dispatcher: CollectingDispatcher,
                                  tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        return await self.validate_record(value, dispatcher, tracker)


class ActionAskBookingNo(AskForRecordNumber):
    slot = SLOT
    records_field = "bookings"

    def name(self) -> Text:
        return "action_ask_booking_no"


async def explain_status(dispatcher: CollectingDispatcher, tracker: Tracker,
                         not_ready: NotReady) -> Optional[str]:
    """No slip: the payment is not complete (what to do) or the booking is cancelled."""
    number = tracker.get_slot(SLOT)
    lang = language(tracker)
    try:
        booking = await call_portal(portal().tourism_booking, number,
                                    mobile=requester_mobile(tracker))
    except PortalError:
        booking = None
    status = booking.status if booking else not_ready.status
    response = STATUS_RESPONSES.get(status or "")
    if response is None:
        dispatcher.utter_message(response="utter_document_not_ready",
                                 status=status_label(status, lang))
        return f"status={status}"
    place = (pick(lang, booking.property_name, booking.property_name_bn) if booking
             else None) or (
        "পঞ্চায়েত পর্যটন" if lang == "bn" else "Panchayat Tourism")
    dispatcher.utter_message(response=response, number=number, property=place)
    return f"status={status}"


class ActionDeliverTourismSlip(Action):
    def name(self) -> Text:
        return "action_deliver_tourism_slip"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        number = tracker.get_slot(SLOT)
        delivery = await deliver_document(
            dispatcher, tracker, service=SERVICE, record_ref=number,
            fetch=portal().tourism_slip_pdf, fetch_args=(number,),
            filename=f"tourism-booking-slip-{number}.pdf",
            caption=CAPTION[language(tracker)].format(number=number),
            not_yours_response="utter_booking_not_yours",
            not_found_response="utter_booking_not_found", response_kwargs={"number": number},
            on_not_ready=explain_status)
        return finish_request(tracker, delivery, [SLOT], dispatcher=dispatcher)
