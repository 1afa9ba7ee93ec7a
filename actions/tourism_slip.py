"""Panchayat Tourism booking slip, the "Electronic Reservation Slip" (intent `tourism_slip`):
the booking number, then the slip PDF — only to the mobile the booking was made with."""

from __future__ import annotations

from typing import Any

from actions.record_documents import RecordDocumentSpec, record_document_actions
from portal_client import PortalClient, TourismBooking
from sathi import formatting
from sathi.identifiers import parse_booking_number
from sathi.wording import pick


def status_details(booking: TourismBooking | None, number: str, lang: str) -> dict[str, Any] | None:
    """No slip: the payment is not complete (what to do) or the booking is cancelled."""
    place = (pick(lang, booking.property_name, booking.property_name_bn) if booking else None) or (
        "পঞ্চায়েত পর্যটন" if lang == "bn" else "Panchayat Tourism"
    )
    return {"number": number, "property": place}


def choice(booking: TourismBooking, lang: str) -> str:
    place = pick(lang, booking.property_name, booking.property_name_bn)
    day = formatting.day(booking.check_in, lang) if booking.check_in else None
    return " · ".join(p for p in (place, day) if p)


SPEC = RecordDocumentSpec(
    service="tourism_slip",
    slot="booking_no",
    parse=parse_booking_number,
    records_field="bookings",
    status_call=PortalClient.tourism_booking,
    pdf_call=PortalClient.tourism_slip_pdf,
    filename="tourism-booking-slip-{number}.pdf",
    caption={
        "en": "Booking slip {number}. Show it at check-in (check-in 9 am, check-out 8 am).",
        "bn": ("বুকিং স্লিপ {number}। চেক-ইনের সময় এটা দেখাবেন (চেক-ইন সকাল ৯টা, চেক-আউট সকাল ৮টা)।"),
    },
    status_replies={
        "payment_pending": "utter_booking_payment_pending",
        "cancelled": "utter_booking_cancelled",
    },
    reply_details=status_details,
    describe_choice=choice,
    not_found_response="utter_booking_not_found",
    not_yours_response="utter_booking_not_yours",
)

ValidateTourismSlipForm, ActionAskBookingNo, ActionDeliverTourismSlip = record_document_actions(
    SPEC, module=__name__
)
