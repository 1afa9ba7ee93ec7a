"""Trade NOC certificate (GP Administration Rules 2004, Form 10A style)."""

from portal_backend.pdfs.base import Document, both, day, rupees


def render(d: dict) -> bytes:
    pdf = Document(
        f"Office of the {d['gp_name_en']} Gram Panchayat, Block {d['block_name_en']}, "
        f"District {d['district_name_en']}",
        "Trade NOC",
        d["certificate_no"],
        d["issued_on"],
    )
    pdf.title_block(
        "CERTIFICATE OF ENLISTMENT OF TRADE (TRADE NOC)",
        "Form 10A [see rule 19 of the West Bengal Panchayat (Gram Panchayat "
        "Administration) Rules, 2004]",
    )
    pdf.fields(
        [
            ("Certificate No.", d["certificate_no"]),
            ("Application No.", d["application_no"]),
            ("Trade name", d["trade_name"]),
            ("Nature of trade", d["trade_type"]),
            ("Owner", d["owner_name"]),
            ("Address of trade", d["address"]),
            (
                "Gram Panchayat",
                f"{both(d['gp_name_en'], d.get('gp_name_bn'))} (GP code {d['gp_code']})",
            ),
            (
                "Block, District",
                f"{both(d['block_name_en'], d.get('block_name_bn'))}, "
                f"{both(d['district_name_en'], d.get('district_name_bn'))}",
            ),
            ("Date of issue", day(d["issued_on"])),
            ("Valid from", day(d["issued_on"])),
            ("Valid until", day(d["valid_until"])),
            ("Fee paid", rupees(d["fee"])),
        ]
    )
    pdf.paragraph(
        f"Certified that the trade named above, owned by {d['owner_name']}, is enlisted "
        f"with the {d['gp_name_en']} Gram Panchayat and the Gram Panchayat has no "
        f"objection to its carrying on the trade at the address above until "
        f"{day(d['valid_until'])}, subject to the rules in force."
    )
    pdf.paragraph(
        "This certificate is to be displayed at the place of trade and renewed before "
        "it expires. It is not transferable.",
        size=9,
        style="I",
    )
    pdf.signature("Pradhan, " + d["gp_name_en"] + " Gram Panchayat", f"Date: {day(d['issued_on'])}")
    return pdf.verify_with(d.get("verification")).to_bytes()
