"""Every client call against the real reference backend and its demo data
(tests/support/portal_server.py starts it on a free port with SATHI_CLOCK=2026-11-28)."""

from __future__ import annotations

import importlib.util
import io
import re
from datetime import date, timedelta

import pytest
import requests
from pypdf import PdfReader

from portal_client import (
    BadRequest,
    DemandOverlap,
    NotFound,
    NotReady,
    NotYours,
    OtpExpired,
    PdfDocument,
    PortalClient,
    PortalUnavailable,
    TooManyAttempts,
    Unauthorized,
)
from sathi.clock import FinancialYear, month_key, previous_month

CLOCK = date(2026, 11, 28)

for _needed in ("portal_backend.app", "tests.support.portal_server"):
    if importlib.util.find_spec(_needed) is None:  # pragma: no cover
        pytest.skip(
            f"REFERENCE PORTAL MISSING: no module {_needed}; the portal client's "
            "integration tests cannot run",
            allow_module_level=True,
        )


@pytest.fixture(scope="module")
def portal(tmp_path_factory):
    from tests.support.portal_server import running_portal

    with running_portal(tmp_path_factory.mktemp("portal"), clock=CLOCK.isoformat()) as server:
        yield server


@pytest.fixture(scope="module")
def client(portal):
    with PortalClient(
        portal.base_url, portal.service_key, read_timeout=15.0, retries=0, breaker_failures=1000
    ) as made:
        yield made


@pytest.fixture(scope="module")
def ids(portal):
    return portal.demo_ids


@pytest.fixture(scope="module")
def stranger(ids):
    return ids["strangers"][0]


def assert_pdf_mentions(doc: PdfDocument, *identifiers: str) -> None:
    assert isinstance(doc, PdfDocument)
    assert doc.pages >= 1 and doc.content.startswith(b"%PDF-")
    assert doc.filename.endswith(".pdf") and "/" not in doc.filename
    text = doc.text_excerpt or ""
    full = " ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(doc.content)).pages)
    for identifier in identifiers:
        assert identifier in text or identifier in full, (identifier, doc.filename)


def with_status(records, status):
    found = [r for r in records if r.get("status") == status]
    assert found, f"demo data has no record with status {status!r}"
    return found[0]


# --- identity, health, geography ---------------------------------------------------------
def test_health(client):
    health = client.health()
    assert health.status == "ok"
    assert health.clock is None or health.clock.date() == CLOCK


def test_my_records_owner_official_stranger(client, ids, stranger):
    card = ids["job_cards"][0]
    records = client.my_records(mobile=card["mobile"])
    assert card["job_card"] in records.job_cards
    employee = ids["employees"][0]
    assert employee["employee_id"] in client.my_records(mobile=employee["mobile"]).employees
    official = ids["officials"][0]
    official_of = client.my_records(mobile=official["mobile"]).official_of
    assert official_of.is_official
    assert official["gram_panchayats"][0]["code"] in official_of.gram_panchayats
    assert client.my_records(mobile=stranger).is_empty


def test_geography(client, ids):
    districts = client.districts()
    assert districts and all(d.code and d.name_en for d in districts)
    card = client.job_card(ids["job_cards"][0]["job_card"], mobile=ids["job_cards"][0]["mobile"])
    gps = client.gram_panchayats(card.gp_name_en)
    assert card.gp_code in [gp.code for gp in gps]
    gp = next(gp for gp in gps if gp.code == card.gp_code)
    blocks = client.panchayat_samitis(gp.block_name_en)
    assert gp.block_code in [b.code for b in blocks]
    assert card.gp_code in [g.code for g in client.gram_panchayats(block=gp.block_code)]
    if card.gp_name_bn:
        assert card.gp_code in [g.code for g in client.gram_panchayats(card.gp_name_bn)]
    office = client.gp_office(card.gp_code)
    assert office.gp_code == card.gp_code and office.name_en
    with pytest.raises(NotFound):
        client.gp_office("3299999999")


# --- Karmashree ----------------------------------------------------------------------------
def test_job_card_both_shapes(client, ids, stranger):
    demo = ids["job_cards"][0]
    by_nrega = client.job_card(demo["job_card"], mobile=demo["mobile"])
    by_karmashree = client.job_card(demo["karmashree_id"], mobile=demo["mobile"])
    assert by_nrega == by_karmashree
    assert by_nrega.job_card == demo["job_card"] and by_nrega.members
    with pytest.raises(NotYours):
        client.job_card(demo["job_card"], mobile=stranger)
    with pytest.raises(NotFound):
        client.job_card("WB-08-012-002-999/999", mobile=demo["mobile"])


def test_karmashree_status(client, ids, stranger):
    demo = ids["job_cards"][0]
    status = client.karmashree_status(demo["karmashree_id"], mobile=demo["mobile"])
    assert status.fy == FinancialYear.containing(CLOCK).label
    assert status.job_card == demo["job_card"]
    assert status.entitlement_days == 50
    assert status.days_provided + status.days_remaining == status.entitlement_days
    assert status.last_payment_date is None or isinstance(status.last_payment_date, date)
    last_year = client.karmashree_status(
        demo["job_card"], mobile=demo["mobile"], fy=FinancialYear(2025)
    )
    assert last_year.fy == "2025-26"
    with pytest.raises(NotYours):
        client.karmashree_status(demo["job_card"], mobile=stranger)


def test_work_demands_create_is_idempotent_and_overlap_is_typed(client, ids, stranger):
    demo = ids["job_cards"][-1]
    card = client.job_card(demo["job_card"], mobile=demo["mobile"])
    worker = card.members[-1].worker_id
    before = client.work_demands(demo["job_card"], mobile=demo["mobile"])
    start = CLOCK + timedelta(days=45)
    demand = client.create_work_demand(
        demo["job_card"], mobile=demo["mobile"], worker_id=worker, days=3, from_date=start
    )
    assert demand.created is True and demand.status == "open" and demand.from_date == start
    again = client.create_work_demand(
        demo["karmashree_id"],
        mobile=demo["mobile"],
        worker_id=worker,
        days=3,
        from_date=start.isoformat(),
    )
    assert again.created is False and again.receipt_no == demand.receipt_no
    after = client.work_demands(demo["job_card"], mobile=demo["mobile"])
    assert len(after) == len(before) + 1
    with pytest.raises(DemandOverlap) as caught:
        client.create_work_demand(
            demo["job_card"],
            mobile=demo["mobile"],
            worker_id=worker,
            days=5,
            from_date=start + timedelta(days=1),
        )
    assert caught.value.open_demand.receipt_no == demand.receipt_no
    with pytest.raises(BadRequest):
        client.create_work_demand(
            demo["job_card"],
            mobile=demo["mobile"],
            worker_id=worker,
            days=3,
            from_date=CLOCK - timedelta(days=10),
        )
    with pytest.raises(NotYours):
        client.work_demands(demo["job_card"], mobile=stranger)


# --- certificates --------------------------------------------------------------------------
def test_trade_noc(client, ids, stranger):
    approved = with_status(ids["trade_nocs"], "approved")
    noc = client.trade_noc(approved["application_no"], mobile=approved["mobile"])
    assert noc.is_ready and noc.certificate_no == approved["certificate_no"]
    assert client.trade_noc(approved["certificate_no"], mobile=approved["mobile"]) == noc
    doc = client.trade_noc_pdf(approved["certificate_no"], mobile=approved["mobile"])
    assert_pdf_mentions(doc, approved["certificate_no"])
    pending = with_status(ids["trade_nocs"], "under_verification")
    assert not client.trade_noc(pending["application_no"], mobile=pending["mobile"]).is_ready
    with pytest.raises(NotReady) as caught:
        client.trade_noc_pdf(pending["application_no"], mobile=pending["mobile"])
    assert caught.value.status == "under_verification"
    with pytest.raises(NotYours):
        client.trade_noc_pdf(approved["application_no"], mobile=stranger)
    with pytest.raises(NotFound):
        client.trade_noc("TN-2026-999999", mobile=approved["mobile"])


def test_building_plan(client, ids, stranger):
    approved = with_status(ids["building_plans"], "approved")
    plan = client.building_plan(approved["application_no"], mobile=approved["mobile"])
    assert plan.is_ready and plan.approved_on is not None
    doc = client.building_plan_pdf(approved["application_no"], mobile=approved["mobile"])
    assert_pdf_mentions(doc, approved["application_no"])
    waiting = with_status(ids["building_plans"], "site_inspection")
    with pytest.raises(NotReady):
        client.building_plan_pdf(waiting["application_no"], mobile=waiting["mobile"])
    with pytest.raises(NotYours):
        client.building_plan(approved["application_no"], mobile=stranger)
    with pytest.raises(NotFound):
        client.building_plan_pdf("BP-2026-999999", mobile=approved["mobile"])


def test_tourism_booking(client, ids, stranger):
    confirmed = with_status(ids["bookings"], "confirmed")
    booking = client.tourism_booking(confirmed["booking_no"], mobile=confirmed["mobile"])
    assert booking.is_ready and booking.check_in < booking.check_out
    doc = client.tourism_slip_pdf(confirmed["booking_no"], mobile=confirmed["mobile"])
    assert_pdf_mentions(doc, confirmed["booking_no"])
    for status in ("cancelled", "payment_pending"):
        other = with_status(ids["bookings"], status)
        with pytest.raises(NotReady):
            client.tourism_slip_pdf(other["booking_no"], mobile=other["mobile"])
    with pytest.raises(NotYours):
        client.tourism_slip_pdf(confirmed["booking_no"], mobile=stranger)
    with pytest.raises(NotFound):
        client.tourism_booking("PTB-2026-999999", mobile=confirmed["mobile"])


# --- payroll -------------------------------------------------------------------------------
def test_payroll(client, ids, stranger):
    demo = ids["employees"][0]
    emp_id, mobile = demo["employee_id"], demo["mobile"]
    employee = client.employee(emp_id, mobile=mobile)
    assert employee.employee_id == emp_id and employee.level in ("GP", "PS", "ZP")
    last_month = previous_month(CLOCK)
    slip = client.payslip(emp_id, last_month, mobile=mobile)
    assert slip.month == last_month and slip.is_ready and slip.credited_on is not None
    doc = client.payslip_pdf(emp_id, last_month, mobile=mobile)
    assert_pdf_mentions(doc, emp_id)
    this_month = client.payslip(emp_id, month_key(CLOCK), mobile=mobile)
    assert not this_month.is_ready  # November's pay is not credited on the 28th
    with pytest.raises(NotReady) as caught:
        client.payslip_pdf(emp_id, CLOCK, mobile=mobile)
    assert caught.value.status == this_month.status
    last_fy = FinancialYear.containing(CLOCK).start_year - 1
    statement = client.salary_statement(emp_id, FinancialYear(last_fy), mobile=mobile)
    assert statement.is_ready and statement.fy == FinancialYear(last_fy).label
    doc = client.salary_statement_pdf(emp_id, FinancialYear(last_fy).label, mobile=mobile)
    assert_pdf_mentions(doc, emp_id)
    with pytest.raises(NotReady):
        client.salary_statement_pdf(emp_id, "2030-31", mobile=mobile)
    with pytest.raises(NotYours):
        client.payslip_pdf(emp_id, last_month, mobile=stranger)
    with pytest.raises(NotFound):
        client.employee("WBP-9999999", mobile=mobile)


# --- accounts (officials) ------------------------------------------------------------------
def _closed_and_open_months(fetch):
    """(a closed month, a not closed month or None) among the last 14 months."""
    closed = not_closed = None
    day = CLOCK
    for _ in range(14):
        key = month_key(day)
        status = fetch(key)
        if status.is_ready and closed is None:
            closed = key
        if not status.is_ready and not_closed is None:
            not_closed = key
        if closed and not_closed:
            break
        day = day.replace(day=1) - timedelta(days=1)
    assert closed and not_closed, "demo data should have closed and open months"
    return closed, not_closed


def test_form26(client, ids, stranger):
    official = ids["officials"][0]
    gp = official["gram_panchayats"][0]["code"]
    mobile = official["mobile"]
    closed, not_closed = _closed_and_open_months(lambda m: client.form26(gp, m, mobile=mobile))
    doc = client.form26_pdf(gp, closed, mobile=mobile)
    assert_pdf_mentions(doc, gp)
    with pytest.raises(NotReady):
        client.form26_pdf(gp, not_closed, mobile=mobile)
    with pytest.raises(NotYours):
        client.form26(gp, closed, mobile=stranger)


def test_cash_analysis(client, ids, stranger):
    official = ids["officials"][0]
    ps = official["panchayat_samitis"][0]["code"]
    mobile = official["mobile"]
    closed, not_closed = _closed_and_open_months(
        lambda m: client.cash_analysis(ps, m, mobile=mobile)
    )
    status = client.cash_analysis(ps, closed, mobile=mobile)
    assert status.ps_code == ps and status.funds
    doc = client.cash_analysis_pdf(ps, closed, mobile=mobile)
    assert_pdf_mentions(doc, ps)
    with pytest.raises(NotReady):
        client.cash_analysis_pdf(ps, not_closed, mobile=mobile)
    with pytest.raises(NotYours):
        client.cash_analysis_pdf(ps, closed, mobile=stranger)


# --- OTP, callbacks, key, faults -----------------------------------------------------------
def _outbox_code(portal, mobile: str) -> str:
    answer = requests.get(
        f"{portal.base_url}/dev/outbox",
        params={"mobile": mobile},
        headers={"X-Service-Key": portal.service_key},
        timeout=10,
    )
    answer.raise_for_status()
    body = answer.json()
    messages = body.get("messages", body) if isinstance(body, dict) else body
    text = str(messages[0])
    return re.search(r"(?<!\d)\d{6}(?!\d)", text).group(0)


def test_otp_round_trip(client, portal, ids):
    mobile = ids["job_cards"][0]["mobile"]
    challenge = client.send_otp(mobile, "verify_identity")
    assert challenge.otp_id
    code = _outbox_code(portal, mobile)
    wrong = "000000" if code != "000000" else "111111"
    result = client.verify_otp(challenge.otp_id, wrong)
    assert result.verified is False and result.tries_left == 2
    assert client.verify_otp(challenge.otp_id, code).verified is True
    with pytest.raises(OtpExpired):  # a code works once
        client.verify_otp(challenge.otp_id, code)


def test_otp_tries_run_out(client, ids):
    mobile = ids["employees"][1]["mobile"]
    challenge = client.send_otp(mobile, "verify_identity")
    with pytest.raises(TooManyAttempts) as caught:
        for _ in range(4):
            client.verify_otp(challenge.otp_id, "000001")
    assert caught.value.retry_after_seconds > 0


def test_callback(client, ids):
    ticket = client.request_callback(
        ids["job_cards"][0]["mobile"], "karmashree", {"job_card": ids["job_cards"][0]["job_card"]}
    )
    assert ticket.ticket_no


def test_wrong_service_key_is_unauthorized(portal, ids):
    with PortalClient(portal.base_url, "not-the-key", retries=0) as wrong:
        with pytest.raises(Unauthorized):
            wrong.districts()
        assert wrong.health().status == "ok"  # health needs no key


def test_portal_fault_trips_the_breaker(portal, ids):
    fault = f"{portal.base_url}/dev/fault"
    headers = {"X-Service-Key": portal.service_key}
    with PortalClient(
        portal.base_url, portal.service_key, retries=0, breaker_failures=2, breaker_cooldown=60
    ) as fragile:
        requests.post(
            fault, json={"mode": "unavailable"}, headers=headers, timeout=10
        ).raise_for_status()
        try:
            for _ in range(2):
                with pytest.raises(PortalUnavailable):
                    fragile.districts()
            assert fragile.breakers.states()["geo"] == "open"
        finally:
            requests.post(
                fault, json={"mode": "none"}, headers=headers, timeout=10
            ).raise_for_status()
