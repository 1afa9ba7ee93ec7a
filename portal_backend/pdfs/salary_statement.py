"""Annual salary statement: April-March, per component, per month."""

from portal_backend.pdfs.base import Document, both, month_name, rupees
from sathi import formatting

COLUMNS = [
    ("basic", "Basic"),
    ("da", "DA"),
    ("hra", "HRA"),
    ("ma", "MA"),
    ("gross", "Gross"),
    ("cpf", "CPF/PF"),
    ("professional_tax", "P.Tax"),
    ("income_tax", "I.Tax"),
    ("gsli", "GSLI"),
    ("loan", "Loan"),
    ("deductions", "Deduct."),
    ("net", "Net"),
]


def _n(value) -> str:
    return formatting.group_indian(int(value))


def render(d: dict) -> bytes:
    pdf = Document(d["office"], "Annual salary statement", f"{d['employee_id']} FY {d['fy']}", None)
    subtitle = f"Financial year {d['fy']} (April-March)"
    if d["status"] == "partial":
        subtitle += f" - PARTIAL: {d['months_paid']} of 12 months paid"
    pdf.title_block("ANNUAL SALARY STATEMENT", subtitle)
    pdf.fields(
        [
            ("Employee ID", d["employee_id"]),
            ("Name", both(d["name"], d.get("name_bn"))),
            ("Designation", both(d["designation"], d.get("designation_bn"))),
            ("Office", d["office"]),
            ("Financial year", d["fy"]),
            ("Months paid", f"{d['months_paid']} of 12"),
            ("Statement status", d["status"]),
        ],
        label_width=40,
    )
    widths = [22] + [13.1] * len(COLUMNS)
    rows = []
    for m in d["months"]:
        if m["status"] == "paid":
            rows.append(
                [month_name(m["month"])[:3] + " " + m["month"][:4]]
                + [_n(m[key]) for key, _ in COLUMNS]
            )
        else:
            label = "not paid" if m["status"] == "not_generated" else m["status"]
            rows.append(
                [month_name(m["month"])[:3] + " " + m["month"][:4], label]
                + [""] * (len(COLUMNS) - 1)
            )
    rows.append(["Total"] + [_n(d["totals"][key]) for key, _ in COLUMNS])
    pdf.grid(["Month"] + [label for _, label in COLUMNS], rows, widths, bold_last=True, size=7)
    pdf.fields(
        [
            ("Total gross", rupees(d["gross"])),
            ("Total deductions", rupees(d["deductions"])),
            ("Total net", rupees(d["net"])),
        ],
        label_width=40,
    )
    if d["status"] == "partial":
        pdf.paragraph(
            "PARTIAL STATEMENT: months marked 'not paid' or 'processing' are not "
            "included in the totals.",
            size=9,
            style="B",
        )
    pdf.paragraph(
        "Amounts in rupees. Computer-generated statement; needs no signature.", size=8, style="I"
    )
    return pdf.verify_with(d.get("verification")).to_bytes()
