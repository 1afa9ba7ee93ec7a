"""Pay slip against the real reference portal (tracker fixtures, in-process actions): the
PDF reaches only the employee's registered mobile; every other answer says why."""

from __future__ import annotations

import re

from actions.payslip import ActionDeliverPayslip, ValidatePayslipForm
from actions.staff_slots import ActionAskEmployeeId
from bot_store import audit
from sathi import formatting
from tests.actions.staff_documents_support import (
    event_names,
    form_tracker,
    portal_json,
    rupees,
    stored_pdf_text,
)
from tests.support.trackers import run, slot_events, tracker

FORM = "payslip_form"
LAST_MONTH = "2026-10"  # the clock is 2026-11-28


def deliver(employee_id, month, sender, language="en"):
    t = tracker(
        "/payslip",
        intent="payslip",
        sender=sender,
        slots={"employee_id": employee_id, "month": month, "language": language},
    )
    return run(ActionDeliverPayslip(), t)


def employee_with(portal, status):
    for employee in portal.demo_ids["employees"]:
        slip = portal_json(
            portal,
            f"/payroll/employees/{employee['employee_id']}/payslips/{LAST_MONTH}",
            employee["mobile"],
        )
        if slip["status"] == status:
            return employee, slip
    raise AssertionError(f"no demo employee whose {LAST_MONTH} pay is {status}")


def test_employee_gets_the_pay_slip_as_a_stored_pdf(portal):
    employee, slip = employee_with(portal, "paid")
    names, events, dispatcher = deliver(employee["employee_id"], LAST_MONTH, employee["mobile"])
    assert names == ["utter_document", "utter_ask_feedback"]
    message = dispatcher.messages[0]
    assert message["filename"] == "payslip-2026-10.pdf"
    assert "October 2026" in message["caption"]
    assert formatting.money(slip["net"], "en") in message["caption"]
    stored, text = stored_pdf_text(message["document_id"])
    assert stored.owner_mobile == employee["mobile"] and stored.service == "payslip"
    assert employee["employee_id"] in text and employee["name"] in text
    assert f"Net pay: {rupees(slip['net'])}" in text
    entry = audit.entries(mobile=employee["mobile"], service="payslip")[0]
    assert (entry.outcome, entry.record_ref) == (
        audit.DELIVERED,
        f"{employee['employee_id']}/{LAST_MONTH}",
    )
    assert slot_events(events)["employee_id"] is None
    assert "session_started" in event_names(events)


def test_bengali_caption_has_bengali_month_and_digits(portal):
    employee, slip = employee_with(portal, "paid")
    names, _, dispatcher = deliver(employee["employee_id"], LAST_MONTH, employee["mobile"], "bn")
    assert names == ["utter_document", "utter_ask_feedback"]
    caption = dispatcher.messages[0]["caption"]
    assert "অক্টোবর ২০২৬" in caption and formatting.money(slip["net"], "bn") in caption


def test_someone_else_gets_a_refusal_that_reveals_nothing(portal):
    employee, slip = employee_with(portal, "paid")
    stranger = portal.demo_ids["strangers"][0]
    names, events, dispatcher = deliver(employee["employee_id"], LAST_MONTH, stranger)
    assert names == ["utter_employee_record_not_yours"]
    assert all(
        employee["name"] not in str(m) and str(slip["net"]) not in str(m)
        for m in dispatcher.messages
    )
    assert audit.entries(mobile=stranger, service="payslip")[0].outcome == audit.NOT_YOURS
    assert "session_started" in event_names(events)


def test_pay_still_processing_says_so(portal):
    employee, _ = employee_with(portal, "processing")
    names, events, _ = deliver(employee["employee_id"], LAST_MONTH, employee["mobile"])
    assert names == [
        "utter_payslip_processing",
        "utter_offer_updates",
    ]  # the offer of a status push follows a "not yet" (issue 13)
    assert audit.entries(mobile=employee["mobile"], service="payslip")[0].outcome == audit.NOT_READY


def test_current_month_and_month_without_pay(portal):
    employee, _ = employee_with(portal, "paid")
    names, _, _ = deliver(employee["employee_id"], "2026-11", employee["mobile"])
    assert names == ["utter_payslip_month_not_over"]
    names, _, _ = deliver(employee["employee_id"], "2019-06", employee["mobile"])
    assert names == ["utter_payslip_not_on_record"]


def test_first_message_month_and_own_employee_id_are_prefilled(portal):
    employee, _ = employee_with(portal, "paid")
    t = form_tracker(
        "payslip for last month",
        form=FORM,
        sender=employee["mobile"],
        intent="payslip",
        this_turn={"month": "last month"},
    )
    names, events, dispatcher = run(ValidatePayslipForm(), t)
    assert names == ["utter_using_employee"]  # says whose record it uses (issue 13)
    assert dispatcher.messages[0]["employee_id"] == employee["employee_id"]
    assert employee["name"] in dispatcher.messages[0]["details"]
    assert slot_events(events) == {
        "employee_id": employee["employee_id"],
        "month": LAST_MONTH,
        "failed_attempts": 0,
    }


def test_bad_month_then_second_chance_with_explanation(portal):
    employee, _ = employee_with(portal, "paid")
    slots = {"employee_id": employee["employee_id"]}
    t = form_tracker(
        "kal", form=FORM, sender=employee["mobile"], slots=slots, requested_slot="month"
    )
    names, events, _ = run(ValidatePayslipForm(), t)
    assert names == ["utter_invalid_month"]
    assert slot_events(events)["month"] is None
    t = form_tracker(
        "kichu na",
        form=FORM,
        sender=employee["mobile"],
        slots={**slots, "failed_attempts": 1},
        requested_slot="month",
    )
    names, _, _ = run(ValidatePayslipForm(), t)
    assert names == ["utter_invalid_month", "utter_explain_month", "utter_offer_stop"]


def test_future_month_is_refused_with_the_month_named(portal):
    employee, _ = employee_with(portal, "paid")
    t = form_tracker(
        "next month",
        form=FORM,
        sender=employee["mobile"],
        language="bn",
        slots={"employee_id": employee["employee_id"]},
        requested_slot="month",
    )
    names, events, dispatcher = run(ValidatePayslipForm(), t)
    assert names == ["utter_month_in_future"]
    assert dispatcher.messages[0]["month"] == "ডিসেম্বর ২০২৬"
    assert slot_events(events)["month"] is None


def test_bengali_month_with_bengali_digits_is_understood(portal):
    employee, _ = employee_with(portal, "paid")
    t = form_tracker(
        "১০/২০২৫",
        form=FORM,
        sender=employee["mobile"],
        language="bn",
        slots={"employee_id": employee["employee_id"]},
        requested_slot="month",
    )
    _, events, _ = run(ValidatePayslipForm(), t)
    assert slot_events(events)["month"] == "2025-10"


def test_typed_employee_id_is_checked(portal):
    employee, _ = employee_with(portal, "paid")
    t = form_tracker(
        "wbp 9999999", form=FORM, sender=employee["mobile"], requested_slot="employee_id"
    )
    names, events, _ = run(ValidatePayslipForm(), t)
    assert names == ["utter_employee_not_found"]
    assert slot_events(events)["employee_id"] is None
    t = form_tracker(
        "my id is 12345", form=FORM, sender=employee["mobile"], requested_slot="employee_id"
    )
    names, _, _ = run(ValidatePayslipForm(), t)
    assert names == ["utter_invalid_employee_id"]
    lower = employee["employee_id"].lower().replace("-", " ")
    t = form_tracker(lower, form=FORM, sender=employee["mobile"], requested_slot="employee_id")
    _, events, _ = run(ValidatePayslipForm(), t)
    assert slot_events(events)["employee_id"] == employee["employee_id"]


def test_ask_for_employee_id_offers_own_records(portal):
    employee, _ = employee_with(portal, "paid")
    names, _, dispatcher = run(ActionAskEmployeeId(), tracker("", sender=employee["mobile"]))
    assert names == ["utter_ask_employee_id_choice"]
    assert dispatcher.messages[0]["buttons"] == [
        {
            "title": employee["employee_id"],
            "payload": f'/inform{{"employee_id":"{employee["employee_id"]}"}}',
        }
    ]
    names, _, _ = run(ActionAskEmployeeId(), tracker("", sender=portal.demo_ids["strangers"][0]))
    assert names == ["utter_ask_employee_id"]


def offered_two_records(portal, monkeypatch, language="en"):
    """One phone, two employee records (the demo has none such: the portal's list is
    widened here; the names and designations come from the real portal)."""
    import actions.staff_slots as staff_slots
    from portal_client import MyRecords

    first, second = portal.demo_ids["employees"][0], portal.demo_ids["employees"][1]

    async def both(tracker):
        return MyRecords(employees=(first["employee_id"], second["employee_id"]))

    real_employee = staff_slots.portal().employee
    monkeypatch.setattr(staff_slots, "my_records", both)
    monkeypatch.setattr(
        type(staff_slots.portal()),
        "employee",
        lambda self, employee_id, mobile: real_employee(
            employee_id,
            mobile={first["employee_id"]: first["mobile"], second["employee_id"]: second["mobile"]}[
                employee_id
            ],
        ),
    )
    t = tracker("", sender=first["mobile"], slots={"language": language})
    names, _, dispatcher = run(ActionAskEmployeeId(), t)
    assert names == ["utter_ask_employee_id_choice"]
    buttons = dispatcher.messages[0]["buttons"]
    assert [b["title"] for b in buttons] == [first["employee_id"], second["employee_id"]]
    return first, second, buttons


def test_several_employee_records_are_offered_by_name_and_designation(portal, monkeypatch):
    first, second, buttons = offered_two_records(portal, monkeypatch)
    assert buttons[0]["description"].startswith(first["name"] + " · ")
    assert buttons[1]["description"].startswith(second["name"] + " · ")


def test_a_bengali_user_sees_the_records_described_in_bengali(portal, monkeypatch):
    first, second, buttons = offered_two_records(portal, monkeypatch, language="bn")
    for employee, button in zip((first, second), buttons):
        record = portal_json(
            portal, f"/payroll/employees/{employee['employee_id']}", employee["mobile"]
        )
        assert button["description"] == f"{record['name_bn']} · {record['designation_bn']}"
        assert not re.search("[A-Za-z]", button["description"]), button


def test_the_record_used_is_named_in_bengali_for_a_bengali_user(portal):
    employee, _ = employee_with(portal, "paid")
    record = portal_json(
        portal, f"/payroll/employees/{employee['employee_id']}", employee["mobile"]
    )
    t = form_tracker(
        "গত মাসের পে স্লিপ",
        form=FORM,
        sender=employee["mobile"],
        intent="payslip",
        this_turn={"month": "last month"},
        language="bn",
    )
    names, _, dispatcher = run(ValidatePayslipForm(), t)
    assert names == ["utter_using_employee"]
    assert dispatcher.messages[0]["details"] == (
        f" ({record['name_bn']} · {record['designation_bn']})"
    )
