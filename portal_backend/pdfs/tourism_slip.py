"""Panchayat Tourism Electronic Reservation Slip."""

from portal_backend.pdfs.base import Document, both, day, rupees


def render(d: dict) -> bytes:
    pdf = Document(
        "Panchayat Tourism, West Bengal",
        "Electronic Reservation Slip",
        d["booking_no"],
        d["booked_on"],
    )
    pdf.title_block("ELECTRONIC RESERVATION SLIP", d["property_name"])
    pdf.fields(
        [
            ("Booking No.", d["booking_no"]),
            ("Booking date", day(d["booked_on"])),
            ("Booking status", d["status"].replace("_", " ").title()),
            ("Guest name", d["guest_name"]),
            ("Property", both(d["property_name"], d.get("property_name_bn"))),
            ("Address", d["property_address"]),
            ("District", both(d["district_name_en"], d.get("district_name_bn"))),
            ("Property phone", d["property_phone"]),
            ("Check-in", f"{day(d['check_in'])}, 09:00"),
            ("Check-out", f"{day(d['check_out'])}, 08:00"),
            ("Rooms", str(d["rooms"])),
            ("Guests", str(d["guests"])),
            ("Amount paid", rupees(d["amount_paid"])),
            ("Payment reference", d["payment_ref"] or "-"),
            ("Guests' ID type", d["id_type"]),
        ]
    )
    pdf.paragraph(
        "This slip must be shown at check-in, with the original photo identity "
        f"document ({d['id_type']}) of the guest named above. Check-in time is 09:00 "
        "and check-out time is 08:00.",
        style="B",
    )
    pdf.paragraph(
        "Cancellation and refund follow the rules of Panchayat Tourism.", size=8, style="I"
    )
    return pdf.verify_with(d.get("verification")).to_bytes()
