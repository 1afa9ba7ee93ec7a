"""Panchayat Samiti month-end cash analysis: fund-wise, scheme-wise and head-wise balances
(ZP & PS Accounts and Financial Rules 2003)."""

from portal_backend.pdfs.base import Document, both, day, month_name, rupees


def _grouped(funds: list[dict], key: str) -> list[tuple[str, int]]:
    totals: dict[str, int] = {}
    for row in funds:
        totals[row[key]] = totals.get(row[key], 0) + row["balance"]
    return list(totals.items())


def render(d: dict) -> bytes:
    pdf = Document(
        f"{d['ps_name_en']} Panchayat Samiti, District {d['district_name_en']}",
        "Cash analysis",
        f"{d['ps_code']} {d['month']}",
        d["closed_on"],
    )
    pdf.title_block("ANALYSIS OF CASH BOOK BALANCE", f"Month ending {month_name(d['month'])}")
    pdf.fields(
        [
            (
                "Panchayat Samiti",
                f"{both(d['ps_name_en'], d.get('ps_name_bn'))} (block code {d['ps_code']})",
            ),
            ("Month", month_name(d["month"])),
            ("Books closed on", day(d["closed_on"])),
            ("Cash book balance", rupees(d["cash_book_balance"])),
            ("Cash in hand", rupees(d["cash_in_hand"])),
            ("Balance in bank", rupees(d["bank_balance"])),
            ("Balance in treasury", rupees(d["treasury_balance"])),
        ],
        label_width=50,
    )
    for title, key in (("Fund-wise", "fund"), ("Scheme-wise", "scheme")):
        pdf.heading(f"{title} balances")
        rows = [[name, rupees(amount)] for name, amount in _grouped(d["funds"], key)]
        rows.append(["Total", rupees(d["cash_book_balance"])])
        pdf.grid([key.title(), "Balance"], rows, [130, 50], bold_last=True)
    pdf.heading("Head-wise balances")
    rows = [[r["fund"], r["scheme"], r["head"], rupees(r["balance"])] for r in d["funds"]]
    rows.append(["Total", "", "", rupees(d["cash_book_balance"])])
    pdf.grid(
        ["Fund", "Scheme", "Head", "Balance"],
        rows,
        [45, 55, 50, 30],
        align_right_from=3,
        bold_last=True,
        size=8,
    )
    pdf.signature("Executive Officer, Panchayat Samiti", f"Date: {day(d['closed_on'])}")
    return pdf.verify_with(d.get("verification")).to_bytes()
