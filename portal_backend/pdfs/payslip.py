"""Pay slip of a PRI employee for one salary month."""

from portal_backend.pdfs.base import Document, both, day, month_name, rupees

EARNINGS = [
    ("basic", "Basic pay"),
    ("da", "Dearness allowance (DA)"),
    ("hra", "House rent allowance (HRA)"),
    ("ma", "Medical allowance (MA)"),
]
DEDUCTIONS = [
    ("cpf", "CPF / PF"),
    ("professional_tax", "Professional tax"),
    ("income_tax", "Income tax"),
    ("gsli", "GSLI"),
    ("loan", "Loan recovery"),
]


def render(d: dict) -> bytes:
    pdf = Document(d["office"], "Pay slip", f"{d['employee_id']} {d['month']}", d["credited_on"])
    pdf.title_block(
        "PAY SLIP", f"Salary month {month_name(d['month'])} ({d['month'].replace('-', '')})"
    )
    pdf.fields(
        [
            ("Employee ID", d["employee_id"]),
            ("Name", both(d["name"], d.get("name_bn"))),
            ("Designation", both(d["designation"], d.get("designation_bn"))),
            ("Office", d["office"]),
            ("Salary month", month_name(d["month"])),
            ("Bank account", f"{d['bank_account']} (IFSC {d['ifsc']})"),
            ("PRAN", d["pran"]),
        ],
        label_width=45,
    )
    rows = []
    for i in range(max(len(EARNINGS), len(DEDUCTIONS))):
        earn = EARNINGS[i] if i < len(EARNINGS) else None
        ded = DEDUCTIONS[i] if i < len(DEDUCTIONS) else None
        rows.append(
            [
                earn[1] if earn else "",
                rupees(d[earn[0]]) if earn else "",
                ded[1] if ded else "",
                rupees(d[ded[0]]) if ded else "",
            ]
        )
    rows.append(["Gross earnings", rupees(d["gross"]), "Total deductions", rupees(d["deductions"])])
    pdf.grid(
        ["Earnings", "Amount", "Deductions", "Amount"],
        rows,
        [55, 35, 55, 35],
        align_right_from=9,
        bold_last=True,
    )
    pdf.fields(
        [
            ("Net pay", rupees(d["net"])),
            ("Credited on", day(d["credited_on"])),
            ("Bank credit reference", d["bank_ref"] or "-"),
        ],
        label_width=45,
    )
    pdf.paragraph(
        "This is a computer-generated pay slip and needs no signature.", size=8, style="I"
    )
    return pdf.verify_with(d.get("verification")).to_bytes()
