import io
import re

import pypdf
import pytest

from sathi import formatting
from tests.portal_backend.conftest import error_code


def pdf_text(response) -> str:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert re.match(
        r'attachment; filename="[\w.\-]+\.pdf"', response.headers["content-disposition"]
    )
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def rupees(amount) -> str:
    return "Rs. " + formatting.group_indian(amount)


def day(iso) -> str:
    from datetime import date

    return formatting.day(date.fromisoformat(iso), "en")


def first_with(items, status):
    return next(i for i in items if i["status"] == status)


def test_statuses_cover_every_state(api):
    assert {t["status"] for t in api.ids["trade_nocs"]} == {
        "submitted",
        "under_verification",
        "approved",
        "rejected",
    }
    assert {b["status"] for b in api.ids["building_plans"]} == {
        "submitted",
        "site_inspection",
        "approved",
        "rejected",
    }
    assert {b["status"] for b in api.ids["bookings"]} == {
        "confirmed",
        "payment_pending",
        "cancelled",
    }
    for key in ("trade_nocs", "building_plans", "bookings"):
        first_two = {api.ids[key][0]["status"], api.ids[key][1]["status"]}
        assert len(first_two) == 2


def test_trade_noc_pdf_carries_every_field(api):
    noc = first_with(api.ids["trade_nocs"], "approved")
    data = api.get(f"/trade-nocs/{noc['certificate_no']}", mobile=noc["mobile"]).json()
    assert data == api.get(f"/trade-nocs/{noc['application_no']}", mobile=noc["mobile"]).json()
    text = pdf_text(api.get(f"/trade-nocs/{noc['application_no']}/pdf", mobile=noc["mobile"]))
    for value in (
        data["trade_name"],
        data["owner_name"],
        data["address"],
        data["gp_name_en"],
        data["certificate_no"],
        day(data["issued_on"]),
        day(data["valid_until"]),
        "Form 10A",
    ):
        assert value in text, value


@pytest.mark.parametrize("status", ["submitted", "under_verification", "rejected"])
def test_trade_noc_not_ready(api, status):
    noc = first_with(api.ids["trade_nocs"], status)
    assert (
        api.get(f"/trade-nocs/{noc['application_no']}", mobile=noc["mobile"]).json()["status"]
        == status
    )
    r = api.get(f"/trade-nocs/{noc['application_no']}/pdf", mobile=noc["mobile"])
    assert r.status_code == 409 and error_code(r) == "not_ready"
    assert r.json()["error"]["status"] == status


def test_building_plan_pdf(api):
    plan = first_with(api.ids["building_plans"], "approved")
    data = api.get(f"/building-plans/{plan['application_no']}", mobile=plan["mobile"]).json()
    text = pdf_text(api.get(f"/building-plans/{plan['application_no']}/pdf", mobile=plan["mobile"]))
    for value in (
        data["applicant_name"],
        data["mouza"],
        data["khatian_no"],
        data["plot_no"],
        data["approval_no"],
        day(data["approved_on"]),
        "Conditions",
        data["conditions"][0][:40],
    ):
        assert value in text, value
    pending = first_with(api.ids["building_plans"], "site_inspection")
    r = api.get(f"/building-plans/{pending['application_no']}/pdf", mobile=pending["mobile"])
    assert r.status_code == 409


def test_reservation_slip_pdf(api):
    booking = first_with(api.ids["bookings"], "confirmed")
    data = api.get(f"/tourism/bookings/{booking['booking_no']}", mobile=booking["mobile"]).json()
    text = pdf_text(
        api.get(f"/tourism/bookings/{booking['booking_no']}/pdf", mobile=booking["mobile"])
    )
    for value in (
        data["booking_no"],
        day(data["booked_on"]),
        data["guest_name"],
        data["property_name"],
        data["district_name_en"],
        day(data["check_in"]) + ", 09:00",
        day(data["check_out"]) + ", 08:00",
        rupees(data["amount_paid"]),
        data["payment_ref"],
        data["id_type"],
        "must be shown at check-in",
    ):
        assert value in text, value
    for status in ("payment_pending", "cancelled"):
        other = first_with(api.ids["bookings"], status)
        r = api.get(f"/tourism/bookings/{other['booking_no']}/pdf", mobile=other["mobile"])
        assert r.status_code == 409 and r.json()["error"]["status"] == status


def test_documents_refuse_strangers(api):
    stranger = api.ids["strangers"][1]
    noc, plan, booking = (
        api.ids["trade_nocs"][0],
        api.ids["building_plans"][0],
        api.ids["bookings"][0],
    )
    for path in (
        f"/trade-nocs/{noc['application_no']}/pdf",
        f"/building-plans/{plan['application_no']}",
        f"/tourism/bookings/{booking['booking_no']}/pdf",
        f"/payroll/employees/{api.ids['employees'][0]['employee_id']}/payslips/2026-10/pdf",
    ):
        r = api.get(path, mobile=stranger)
        assert r.status_code == 403 and error_code(r) == "not_yours", path


def test_payslip_pdf(api):
    emp = api.ids["employees"][0]
    base = f"/payroll/employees/{emp['employee_id']}"
    assert api.get(base, mobile=emp["mobile"]).json()["name"] == emp["name"]
    slip = api.get(f"{base}/payslips/2026-10", mobile=emp["mobile"]).json()
    assert slip["status"] == "paid" and slip["net"] == slip["gross"] - slip["deductions"]
    text = pdf_text(api.get(f"{base}/payslips/202610/pdf", mobile=emp["mobile"]))
    for key, value in slip["components"].items():
        assert rupees(value) in text, key
    for label in (
        "Basic pay",
        "Dearness allowance",
        "House rent",
        "Medical allowance",
        "CPF / PF",
        "Professional tax",
        "Income tax",
        "GSLI",
        "Loan",
        "Net pay",
        slip["bank_ref"],
        day(slip["credited_on"]),
        "October 2026",
    ):
        assert label in text, label
    current = api.get(f"{base}/payslips/2026-11", mobile=emp["mobile"]).json()
    assert current["status"] == "not_generated"
    assert api.get(f"{base}/payslips/2026-11/pdf", mobile=emp["mobile"]).status_code == 409


def test_some_last_months_are_processing(api):
    statuses = [
        api.get(
            f"/payroll/employees/{e['employee_id']}/payslips/2026-10", mobile=e["mobile"]
        ).json()["status"]
        for e in api.ids["employees"]
    ]
    assert statuses[0] == "paid" and "processing" in statuses


def test_salary_statement_pdf(api):
    emp = api.ids["employees"][0]
    base = f"/payroll/employees/{emp['employee_id']}/salary-statements"
    full = api.get(f"{base}/2025-26", mobile=emp["mobile"]).json()
    assert full["status"] == "complete" and full["months_paid"] == 12
    text = pdf_text(api.get(f"{base}/2025-26/pdf", mobile=emp["mobile"]))
    for value in (
        rupees(full["gross"]),
        rupees(full["deductions"]),
        rupees(full["net"]),
        "Apr 2025",
        "Mar 2026",
        "Basic",
        "DA",
        "HRA",
        "GSLI",
    ):
        assert value in text, value
    partial = api.get(f"{base}/2026-27", mobile=emp["mobile"]).json()
    assert partial["status"] == "partial" and partial["months_paid"] == 7
    assert "PARTIAL" in pdf_text(api.get(f"{base}/2026-27/pdf", mobile=emp["mobile"]))
    empty = api.get(f"{base}/2030-31", mobile=emp["mobile"]).json()
    assert empty["status"] == "not_available"
    assert api.get(f"{base}/2030-31/pdf", mobile=emp["mobile"]).status_code == 409


def test_form26_pdf_and_access(api):
    official = api.ids["officials"][0]
    gp = official["gram_panchayats"][0]["code"]
    data = api.get(
        f"/accounts/gram-panchayats/{gp}/form26/2026-10", mobile=official["mobile"]
    ).json()
    assert data["status"] == "closed"
    assert data["closing_balance"] == data["opening_balance"] + data["receipts"] - data["payments"]
    text = pdf_text(
        api.get(f"/accounts/gram-panchayats/{gp}/form26/2026-10/pdf", mobile=official["mobile"])
    )
    for value in (
        "FORM 26",
        "October 2026",
        rupees(data["opening_balance"]),
        rupees(data["receipts"]),
        rupees(data["payments"]),
        rupees(data["closing_balance"]),
        data["receipt_heads"][0]["head"],
    ):
        assert value in text, value
    r = api.get(f"/accounts/gram-panchayats/{gp}/form26/2026-11/pdf", mobile=official["mobile"])
    assert r.status_code == 409 and r.json()["error"]["status"] == "not_closed"
    r = api.get(
        f"/accounts/gram-panchayats/{gp}/form26/2026-10", mobile=api.ids["officials"][1]["mobile"]
    )
    assert r.status_code == 403
    district_official = next(o for o in api.ids["officials"] if o["districts"])
    code = district_official["districts"][0]["code"]
    gps = api.get("/geo/gram-panchayats", params={"district": code}).json()
    r = api.get(
        f"/accounts/gram-panchayats/{gps[0]['code']}/form26/2026-10",
        mobile=district_official["mobile"],
    )
    assert r.status_code == 200


def test_cash_analysis_pdf(api):
    official = api.ids["officials"][0]
    ps = official["panchayat_samitis"][0]["code"]
    data = api.get(
        f"/accounts/panchayat-samitis/{ps}/cash-analysis/2026-10", mobile=official["mobile"]
    ).json()
    assert data["cash_book_balance"] == sum(f["balance"] for f in data["funds"])
    text = pdf_text(
        api.get(
            f"/accounts/panchayat-samitis/{ps}/cash-analysis/2026-10/pdf", mobile=official["mobile"]
        )
    )
    for value in (
        "Fund-wise",
        "Scheme-wise",
        "Head-wise",
        rupees(data["cash_book_balance"]),
        data["funds"][0]["fund"],
        data["funds"][0]["scheme"],
        data["funds"][0]["head"],
    ):
        assert value in text, value
    r = api.get(
        f"/accounts/panchayat-samitis/{ps}/cash-analysis/2026-11/pdf", mobile=official["mobile"]
    )
    assert r.status_code == 409


def test_pdfs_are_deterministic(api):
    noc = api.ids["trade_nocs"][0]
    first = api.get(f"/trade-nocs/{noc['application_no']}/pdf", mobile=noc["mobile"]).content
    second = api.get(f"/trade-nocs/{noc['application_no']}/pdf", mobile=noc["mobile"]).content
    assert first == second


def test_me_records(api):
    official = api.ids["officials"][0]
    me = api.get("/me/records", mobile=official["mobile"]).json()
    assert me["official_of"]["gram_panchayats"] == [official["gram_panchayats"][0]["code"]]
    assert me["official_of"]["panchayat_samitis"] == [official["panchayat_samitis"][0]["code"]]
    stranger = api.get("/me/records", mobile=api.ids["strangers"][0]).json()
    assert not any(
        stranger[k] for k in ("job_cards", "employees", "trade_nocs", "building_plans", "bookings")
    )
    assert not any(stranger["official_of"].values())
