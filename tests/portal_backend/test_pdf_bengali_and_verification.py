"""Bengali in the portal's PDFs (shipped Noto fonts + HarfBuzz shaping, checked by extracting
the text with pypdf) and the verification code + QR every issued PDF carries."""

import io
import re
from urllib.parse import unquote

import pypdf
import pytest

from portal_backend import verification
from tests.portal_backend.conftest import error_code
from tests.portal_backend.test_documents_and_pdfs import first_with


def pdf_of(response) -> pypdf.PdfReader:
    assert response.status_code == 200, response.text
    return pypdf.PdfReader(io.BytesIO(response.content))


def text_of(reader) -> str:
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def code_in(text: str) -> str:
    match = re.search(r"Verification code: ([0-9A-Z]{5}-[0-9A-Z]{5})", text)
    assert match, text[-400:]
    return match.group(1)


def approved_noc(api):
    noc = first_with(api.ids["trade_nocs"], "approved")
    return noc, api.get(f"/trade-nocs/{noc['application_no']}", mobile=noc["mobile"]).json()


def test_bengali_place_names_are_shaped_and_extractable(api):
    noc, data = approved_noc(api)
    reader = pdf_of(api.get(f"/trade-nocs/{noc['application_no']}/pdf", mobile=noc["mobile"]))
    text = text_of(reader)
    for bengali in (
        data["gp_name_bn"],
        data["block_name_bn"],
        data["district_name_bn"],
        "পঞ্চায়েত ও গ্রামোন্নয়ন দপ্তর",
    ):
        assert bengali in text, bengali
    assert data["gp_name_en"] in text  # English stays beside it
    fonts = {
        str(font.get("/BaseFont"))
        for page in reader.pages
        for font in (page["/Resources"]["/Font"].values())
    }
    assert any("NotoSansBengali" in f for f in fonts), fonts  # embedded, not a "?" fallback


def test_bengali_in_every_kind_of_place_document(api):
    plan = first_with(api.ids["building_plans"], "approved")
    data = api.get(f"/building-plans/{plan['application_no']}", mobile=plan["mobile"]).json()
    text = text_of(
        pdf_of(api.get(f"/building-plans/{plan['application_no']}/pdf", mobile=plan["mobile"]))
    )
    assert data["gp_name_bn"] in text
    booking = first_with(api.ids["bookings"], "confirmed")
    data = api.get(f"/tourism/bookings/{booking['booking_no']}", mobile=booking["mobile"]).json()
    text = text_of(
        pdf_of(api.get(f"/tourism/bookings/{booking['booking_no']}/pdf", mobile=booking["mobile"]))
    )
    assert data["property_name_bn"] in text and data["district_name_bn"] in text


def test_every_issued_pdf_carries_a_code_and_a_qr_that_opens_sathi(api):
    noc, _ = approved_noc(api)
    reader = pdf_of(api.get(f"/trade-nocs/{noc['application_no']}/pdf", mobile=noc["mobile"]))
    text = text_of(reader)
    code = code_in(text)
    assert f"verify {code}" in text and f"যাচাই {code}" in text
    images = [image for page in reader.pages for image in page.images]
    assert images, "no QR image on the document"
    link = verification.verify_link(code.replace("-", ""))
    assert link.startswith("https://wa.me/") and unquote(link).endswith(f"text=verify {code}")
    # the same document downloaded again keeps its code
    again = text_of(
        pdf_of(api.get(f"/trade-nocs/{noc['certificate_no']}/pdf", mobile=noc["mobile"]))
    )
    assert code_in(again) == code


def test_a_genuine_code_tells_kind_office_date_and_nothing_personal(api):
    noc, data = approved_noc(api)
    text = text_of(
        pdf_of(api.get(f"/trade-nocs/{noc['application_no']}/pdf", mobile=noc["mobile"]))
    )
    code = code_in(text)
    for typed in (code, code.lower(), code.replace("-", " "), code.replace("-", "")):
        r = api.get(f"/verifications/{typed}")  # public: no requester mobile
        assert r.status_code == 200, r.text
        found = r.json()
        assert found["genuine"] is True and found["kind"] == "trade_noc"
        assert found["status"] == "valid" and found["issued_on"] == data["issued_on"]
        assert found["issuing_office_en"] == f"{data['gp_name_en']} Gram Panchayat"
        assert found["issuing_office_bn"] == f"{data['gp_name_bn']} গ্রাম পঞ্চায়েত"
    body = r.text
    for personal in (
        data["owner_name"],
        data["trade_name"],
        data["application_no"],
        noc["mobile"],
        data["address"],
    ):
        assert personal not in body


def test_altered_and_unknown_codes_are_not_the_departments(api):
    noc, _ = approved_noc(api)
    code = code_in(
        text_of(pdf_of(api.get(f"/trade-nocs/{noc['application_no']}/pdf", mobile=noc["mobile"])))
    ).replace("-", "")
    altered = code[:-1] + ("0" if code[-1] != "0" else "1")
    for typed in (altered, "ZZZZZ-ZZZZZ", "ABC", "'; drop table x --", "০১২৩৪৫৬৭৮৯"):
        r = api.get(f"/verifications/{typed}")
        assert r.status_code == 404 and error_code(r) == "not_found", typed


def test_a_cancelled_booking_slip_is_withdrawn_and_changed_data_supersedes(api, portal):
    from portal_backend import db
    from portal_backend.models import Booking, IssuedDocument

    booking = first_with(api.ids["bookings"], "confirmed")
    path = f"/tourism/bookings/{booking['booking_no']}/pdf"
    code = code_in(text_of(pdf_of(api.get(path, mobile=booking["mobile"]))))
    assert api.get(f"/verifications/{code}").json()["status"] == "valid"
    engine = db.engine_for(portal.env["SATHI_PORTAL_DB_URL"])
    with db.session_scope(engine) as session:  # the booking is cancelled at the source
        session.get(Booking, booking["booking_no"]).status = "cancelled"
    try:
        assert api.get(f"/verifications/{code}").json()["status"] == "withdrawn"
    finally:
        with db.session_scope(engine) as session:
            session.get(Booking, booking["booking_no"]).status = "confirmed"
    with db.session_scope(engine) as session:  # the guests change: a new slip
        session.get(Booking, booking["booking_no"]).guests += 1
    try:
        newer = code_in(text_of(pdf_of(api.get(path, mobile=booking["mobile"]))))
        assert newer != code
        old = api.get(f"/verifications/{code}").json()
        assert old["status"] == "superseded" and old["changed_on"]
        assert api.get(f"/verifications/{newer}").json()["status"] == "valid"
        with db.session_scope(engine) as session:
            assert session.get(IssuedDocument, newer.replace("-", "")).kind == "tourism_slip"
    finally:
        with db.session_scope(engine) as session:
            session.get(Booking, booking["booking_no"]).guests -= 1
    # back to what the first slip says: its code is valid again, the newer one superseded
    assert code_in(text_of(pdf_of(api.get(path, mobile=booking["mobile"])))) == code
    assert api.get(f"/verifications/{code}").json()["status"] == "valid"
    assert api.get(f"/verifications/{newer}").json()["status"] == "superseded"


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("abcde-fghjk", "ABCDEFGHJK"),
        ("O1IL0 22222", "0111022222"),
        ("ABCDEFGHJ", None),
        ("ABCDEFGHJU", None),
        (None, None),
    ],
)
def test_code_normalization(raw, expected):
    assert verification.normalize_code(raw) == expected


def test_pay_slip_and_salary_statement_carry_the_bengali_name(api):
    emp = api.ids["employees"][0]
    base = f"/payroll/employees/{emp['employee_id']}"
    employee = api.get(base, mobile=emp["mobile"]).json()
    assert employee["name_bn"] and employee["designation_bn"]
    for path in (f"{base}/payslips/2026-10/pdf", f"{base}/salary-statements/2025-26/pdf"):
        text = text_of(pdf_of(api.get(path, mobile=emp["mobile"])))
        assert f"{employee['name']} / {employee['name_bn']}" in text, (path, text[:600])
        assert f"{employee['designation']} / {employee['designation_bn']}" in text, path
