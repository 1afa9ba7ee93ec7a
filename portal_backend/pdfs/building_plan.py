"""Building plan approval letter (Panchayat Act 1973 s.23; application on Form 4 / 4A)."""

from portal_backend.pdfs.base import Document, both, day


def render(d: dict) -> bytes:
    pdf = Document(
        f"Office of the {d['gp_name_en']} Gram Panchayat, Block {d['block_name_en']}, "
        f"District {d['district_name_en']}",
        "Building plan approval",
        d["approval_no"],
        d["approved_on"],
    )
    pdf.title_block(
        "PERMISSION FOR CONSTRUCTION OF BUILDING",
        "Under section 23 of the West Bengal Panchayat Act, 1973",
    )
    pdf.fields(
        [
            ("Approval No.", d["approval_no"]),
            ("Date of approval", day(d["approved_on"])),
            ("Application No.", d["application_no"]),
            ("Applicant", d["applicant_name"]),
            ("Address", d["address"]),
            (
                "Gram Panchayat",
                f"{both(d['gp_name_en'], d.get('gp_name_bn'))} (GP code {d['gp_code']})",
            ),
            (
                "Block, District",
                f"{both(d['block_name_en'], d.get('block_name_bn'))}, "
                f"{both(d['district_name_en'], d.get('district_name_bn'))}",
            ),
            ("Mouza", d["mouza"]),
            ("J.L. No.", d["jl_no"]),
            ("Khatian No.", d["khatian_no"]),
            ("Plot No.", d["plot_no"]),
            ("Plot area", f"{d['plot_area_sqm']} sq. m"),
            ("Floors permitted", str(d["floors"])),
            ("Valid until", day(d["valid_until"])),
        ]
    )
    pdf.paragraph(
        f"With reference to the application No. {d['application_no']} dated "
        f"{day(d['applied_on'])}, permission is granted to {d['applicant_name']} to "
        f"construct the building on the plot described above as per the plan "
        f"approved by the Gram Panchayat, subject to the following conditions:"
    )
    pdf.heading("Conditions")
    for n, condition in enumerate(d["conditions"], start=1):
        pdf.paragraph(f"{n}. {condition}", size=9)
    pdf.signature(
        "Pradhan, " + d["gp_name_en"] + " Gram Panchayat", f"Date: {day(d['approved_on'])}"
    )
    return pdf.verify_with(d.get("verification")).to_bytes()
