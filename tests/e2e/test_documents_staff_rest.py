"""End to end over REST (the real rasa server, action server and portal backend): panchayat
staff ask for their pay slip, salary statement, a GP's Form 26 and a block's cash analysis;
the owner / registered official gets a link to a real PDF whose contents match what the
portal API says for that record; anyone else gets a refusal that reveals nothing. Each test
uses its own demo number: the reply language is remembered per number."""

from __future__ import annotations

import io
import re

import pytest
import requests
from pypdf import PdfReader

from sathi import formatting
from sathi.formatting import group_indian

pytestmark = pytest.mark.stack
LINK = re.compile(r"(https?://\S+/documents/[A-Za-z0-9_\-]+)")
DOGACHI, DOGACHHI_NADIA, UDAYNARAYANPUR = "3208012002", "3214009002", "3208012"


def texts(replies: list) -> str:
    return "\n".join(r.get("text", "") for r in replies)


def links(replies: list) -> list:
    return LINK.findall(texts(replies))


def payloads(replies: list) -> list:
    return [b["payload"] for r in replies for b in r.get("buttons", [])]


def pdf_text(url: str) -> str:
    answer = requests.get(url, timeout=10)
    assert answer.status_code == 200 and answer.headers["Content-Type"] == "application/pdf"
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(answer.content)).pages)


def rs(amount) -> str:
    return f"Rs. {group_indian(int(amount))}"


def official(stack, predicate):
    return next(p for p in stack.demo_ids["officials"] if predicate(p))


def test_payslip_in_english_everything_in_the_first_message(stack):
    employee = stack.demo_ids["employees"][0]
    slip = stack.portal(
        f"/payroll/employees/{employee['employee_id']}/payslips/2026-10", mobile=employee["mobile"]
    ).json()
    assert slip["status"] == "paid"
    sender = stack.new_sender(employee["mobile"])
    replies = stack.say(sender, "payslip for last month")
    found = links(replies)
    assert len(found) == 1, texts(replies)
    assert "October 2026" in texts(replies)
    assert formatting.money(slip["net"], "en") in texts(replies)
    text = pdf_text(found[0])
    assert f"Net pay: {rs(slip['net'])}" in text
    assert employee["employee_id"] in text and "2026-10" in text and employee["name"] in text


def test_payslip_in_bengali_with_a_month_name(stack):
    employee = next(
        e
        for e in stack.demo_ids["employees"][1:]
        if stack.portal(
            f"/payroll/employees/{e['employee_id']}/payslips/2026-09", mobile=e["mobile"]
        ).json()["status"]
        == "paid"
    )
    slip = stack.portal(
        f"/payroll/employees/{employee['employee_id']}/payslips/2026-09", mobile=employee["mobile"]
    ).json()
    sender = stack.new_sender(employee["mobile"])
    replies = stack.say(sender, "সেপ্টেম্বরের পে স্লিপটা পাঠান")
    found = links(replies)
    assert len(found) == 1, texts(replies)
    assert "সেপ্টেম্বর ২০২৬" in texts(replies)
    assert formatting.money(slip["net"], "bn") in texts(replies)
    assert f"Net pay: {rs(slip['net'])}" in pdf_text(found[0])


def test_salary_statement_in_romanized_bengali_year_asked(stack):
    employee = stack.demo_ids["employees"][2]
    statement = stack.portal(
        f"/payroll/employees/{employee['employee_id']}/salary-statements/2025-26",
        mobile=employee["mobile"],
    ).json()
    sender = stack.new_sender(employee["mobile"])
    asked = texts(stack.say(sender, "amar salary statement ta pathan"))
    assert "আর্থিক বছর" in asked
    replies = stack.say(sender, "2025-26")
    found = links(replies)
    assert len(found) == 1, texts(replies)
    text = pdf_text(found[0])
    assert employee["employee_id"] in text and "2025-26" in text
    assert group_indian(int(statement["net"])) in text


def test_form26_for_the_registered_official_in_one_message(stack):
    person = official(stack, lambda p: [g["code"] for g in p["gram_panchayats"]] == [DOGACHI])
    form26 = stack.portal(
        f"/accounts/gram-panchayats/{DOGACHI}/form26/2026-10", mobile=person["mobile"]
    ).json()
    sender = stack.new_sender(person["mobile"])
    replies = stack.say(sender, "form 26 of Dogachi GP for October")
    found = links(replies)
    assert len(found) == 1, texts(replies)
    assert formatting.money(form26["closing_balance"], "en") in texts(replies)
    text = pdf_text(found[0])
    assert f"GP code {DOGACHI}" in text and "October 2026" in text
    assert f"Opening balance: {rs(form26['opening_balance'])}" in text
    assert f"Total receipts {rs(form26['receipts'])}" in text


def test_form26_namesake_choice_then_refusal_for_a_stranger(stack):
    stranger = stack.new_sender(stack.demo_ids["strangers"][2])
    stack.say(stranger, "I need form 26")
    choice = stack.say(stranger, "Dogachi")
    assert f'/inform{{"gp_name":"{DOGACHHI_NADIA}"}}' in payloads(choice), choice
    assert "month" in texts(stack.say(stranger, f'/inform{{"gp_name":"{DOGACHHI_NADIA}"}}'))
    replies = stack.say(stranger, "last month")
    answer = texts(replies)
    assert not links(replies) and "BDO" in answer and "registered" in answer


def test_official_of_another_gp_is_refused_without_details(stack):
    other = official(
        stack,
        lambda p: (
            p["gram_panchayats"]
            and not p["panchayat_samitis"]
            and not p["districts"]
            and p["gram_panchayats"][0]["code"] != DOGACHI
            and not p["gram_panchayats"][0]["code"].startswith("3208")
        ),
    )
    form26 = stack.portal(
        f"/accounts/gram-panchayats/{DOGACHI}/form26/2026-10",
        mobile=official(
            stack, lambda p: p["gram_panchayats"] and p["gram_panchayats"][0]["code"] == DOGACHI
        )["mobile"],
    ).json()
    sender = stack.new_sender(other["mobile"])
    replies = stack.say(sender, "form 26 of Dogachi, Howrah for October 2026")
    answer = texts(replies)
    assert not links(replies), answer
    assert "BDO" in answer
    for amount in (form26["closing_balance"], form26["receipts"], form26["payments"]):
        assert formatting.money(amount, "en") not in answer


def test_cash_analysis_in_bengali_for_the_block_official(stack):
    person = official(
        stack,
        lambda p: (
            [s["code"] for s in p["panchayat_samitis"]] == [UDAYNARAYANPUR]
            and not p["gram_panchayats"]
        ),
    )
    report = stack.portal(
        f"/accounts/panchayat-samitis/{UDAYNARAYANPUR}/cash-analysis/2026-10",
        mobile=person["mobile"],
    ).json()
    sender = stack.new_sender(person["mobile"])
    replies = stack.say(sender, "উদয়নারায়ণপুর ব্লকের গত মাসের ক্যাশ অ্যানালিসিস রিপোর্ট চাই")
    found = links(replies)
    assert len(found) == 1, texts(replies)
    assert "অক্টোবর ২০২৬" in texts(replies)
    text = pdf_text(found[0])
    assert f"block code {UDAYNARAYANPUR}" in text
    assert f"Cash book balance: {rs(report['cash_book_balance'])}" in text


def test_stranger_asking_for_an_employees_payslip_learns_nothing(stack):
    employee = stack.demo_ids["employees"][0]
    slip = stack.portal(
        f"/payroll/employees/{employee['employee_id']}/payslips/2026-10", mobile=employee["mobile"]
    ).json()
    stranger = stack.new_sender(stack.demo_ids["strangers"][3])
    replies = stack.say(stranger, f"pay slip of {employee['employee_id']} for October 2026")
    answer = texts(replies)
    assert not links(replies), answer
    assert "DDO" in answer
    assert employee["name"] not in answer
    assert formatting.money(slip["net"], "en") not in answer
