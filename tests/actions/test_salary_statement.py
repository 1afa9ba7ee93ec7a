"""Annual salary statement against the real reference portal (tracker fixtures, in-process
actions): complete and partial years as PDFs to the employee only; a year without pay, a
future year and an unreadable year each get their own answer."""

from __future__ import annotations

from actions.salary_statement import ActionDeliverSalaryStatement, ValidateSalaryStatementForm
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

FORM = "salary_statement_form"


def deliver(employee_id, fy, sender, language="en"):
    t = tracker(
        "/salary_statement",
        intent="salary_statement",
        sender=sender,
        slots={"employee_id": employee_id, "fin_year": fy, "language": language},
    )
    return run(ActionDeliverSalaryStatement(), t)


def showcase(portal):
    employee = portal.demo_ids["employees"][0]
    return employee


def statement(portal, employee, fy):
    return portal_json(
        portal,
        f"/payroll/employees/{employee['employee_id']}/salary-statements/{fy}",
        employee["mobile"],
    )


def test_complete_year_as_a_stored_pdf(portal):
    employee = showcase(portal)
    expected = statement(portal, employee, "2025-26")
    assert expected["status"] == "complete"
    names, events, dispatcher = deliver(employee["employee_id"], "2025-26", employee["mobile"])
    assert names == ["utter_document", "utter_ask_feedback"]
    message = dispatcher.messages[0]
    assert message["filename"] == "salary-statement-2025-26.pdf"
    assert "2025-26" in message["caption"]
    assert formatting.money(expected["net"], "en") in message["caption"]
    stored, text = stored_pdf_text(message["document_id"])
    assert stored.owner_mobile == employee["mobile"] and stored.service == "salary_statement"
    assert employee["employee_id"] in text and "2025-26" in text
    assert rupees(expected["net"]).replace("Rs. ", "") in text
    assert (
        audit.entries(mobile=employee["mobile"], service="salary_statement")[0].outcome
        == audit.DELIVERED
    )
    assert "session_started" in event_names(events)


def test_current_year_is_partial_and_the_caption_says_so(portal):
    employee = showcase(portal)
    expected = statement(portal, employee, "2026-27")
    assert expected["status"] == "partial"
    names, _, dispatcher = deliver(employee["employee_id"], "2026-27", employee["mobile"], "bn")
    assert names == ["utter_document", "utter_ask_feedback"]
    caption = dispatcher.messages[0]["caption"]
    assert "২০২৬-২৭" in caption
    assert formatting.number(expected["months_paid"], "bn") in caption
    _, text = stored_pdf_text(dispatcher.messages[0]["document_id"])
    assert "PARTIAL" in text


def test_year_without_pay_is_not_available(portal):
    employee = showcase(portal)
    names, _, dispatcher = deliver(employee["employee_id"], "2019-20", employee["mobile"])
    assert names == ["utter_salary_statement_not_available"]
    assert dispatcher.messages[0]["fy"] == "2019-20"


def test_someone_else_is_refused(portal):
    employee = showcase(portal)
    other = portal.demo_ids["employees"][1]["mobile"]
    names, _, dispatcher = deliver(employee["employee_id"], "2025-26", other)
    assert names == ["utter_employee_record_not_yours"]
    assert employee["name"] not in str(dispatcher.messages)


def test_years_in_every_register(portal):
    employee = showcase(portal)
    for said, expected in [
        ("২০২৪-২৫", "2024-25"),
        ("last year", "2025-26"),
        ("gato bochor", "2025-26"),
        ("FY 2023-24", "2023-24"),
        ("এই বছর", "2026-27"),
    ]:
        t = form_tracker(
            said,
            form=FORM,
            sender=employee["mobile"],
            requested_slot="fin_year",
            slots={"employee_id": employee["employee_id"]},
        )
        _, events, _ = run(ValidateSalaryStatementForm(), t)
        assert slot_events(events)["fin_year"] == expected, said


def test_future_and_unreadable_years_are_rejected(portal):
    employee = showcase(portal)
    t = form_tracker(
        "2027-28",
        form=FORM,
        sender=employee["mobile"],
        requested_slot="fin_year",
        slots={"employee_id": employee["employee_id"]},
    )
    names, events, dispatcher = run(ValidateSalaryStatementForm(), t)
    assert names == ["utter_fin_year_in_future"]
    assert dispatcher.messages[0]["fy"] == "2027-28"
    assert slot_events(events)["fin_year"] is None
    t = form_tracker(
        "salary",
        form=FORM,
        sender=employee["mobile"],
        requested_slot="fin_year",
        slots={"employee_id": employee["employee_id"]},
    )
    names, _, _ = run(ValidateSalaryStatementForm(), t)
    assert names == ["utter_invalid_fin_year"]
