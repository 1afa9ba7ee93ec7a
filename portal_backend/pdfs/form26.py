"""GP Form 26 as the reference backend models it: the monthly receipts & payments statement
(the real GPMS form is not public; see docs/portal-backend.md)."""

from portal_backend.pdfs.base import Document, both, day, month_name, rupees


def render(d: dict) -> bytes:
    pdf = Document(
        f"{d['gp_name_en']} Gram Panchayat, Block {d['block_name_en']}, "
        f"District {d['district_name_en']}",
        "Form 26",
        f"{d['gp_code']} {d['month']}",
        d["closed_on"],
    )
    pdf.title_block(
        "FORM 26 - MONTHLY STATEMENT OF RECEIPTS AND PAYMENTS",
        "West Bengal Panchayat (Gram Panchayat Accounts, Audit and Budget) Rules, "
        "2007 - reference layout",
    )
    pdf.fields(
        [
            (
                "Gram Panchayat",
                f"{both(d['gp_name_en'], d.get('gp_name_bn'))} (GP code {d['gp_code']})",
            ),
            ("Month", month_name(d["month"])),
            ("Books closed on", day(d["closed_on"])),
            ("Opening balance", rupees(d["opening_balance"])),
        ],
        label_width=45,
    )
    pdf.heading("Receipts")
    rows = [[r["head"], rupees(r["amount"])] for r in d["receipt_heads"]]
    rows.append(["Total receipts", rupees(d["receipts"])])
    pdf.grid(["Head of account", "Amount"], rows, [130, 50], bold_last=True)
    pdf.heading("Payments")
    rows = [[p["head"], rupees(p["amount"])] for p in d["payment_heads"]]
    rows.append(["Total payments", rupees(d["payments"])])
    pdf.grid(["Head of account", "Amount"], rows, [130, 50], bold_last=True)
    pdf.fields(
        [
            ("Opening balance", rupees(d["opening_balance"])),
            ("Add: total receipts", rupees(d["receipts"])),
            ("Less: total payments", rupees(d["payments"])),
            ("Closing balance", rupees(d["closing_balance"])),
        ],
        label_width=45,
    )
    pdf.signature("Pradhan / Secretary", f"Date: {day(d['closed_on'])}")
    return pdf.verify_with(d.get("verification")).to_bytes()
