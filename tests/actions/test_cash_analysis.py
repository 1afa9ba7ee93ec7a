"""Cash analysis report against the real reference portal (tracker fixtures, in-process
actions): the block is found from what people type, namesake blocks get a short choice, the
PDF reaches only officials of that Panchayat Samiti or its district."""

from __future__ import annotations

from actions.cash_analysis import ActionDeliverCashAnalysis, ValidateCashAnalysisForm
from actions.staff_slots import ActionAskPsName
from bot_store import audit
from sathi import formatting
from sathi.text import normalize
from tests.actions.staff_documents_support import (
    event_names,
    form_tracker,
    portal_json,
    rupees,
    stored_pdf_text,
)
from tests.support.trackers import run, slot_events, tracker

FORM = "cash_analysis_form"
UDAYNARAYANPUR = "3208012"
MONTH = "2026-10"


def ps_official(portal, code):
    return next(
        p
        for p in portal.demo_ids["officials"]
        if [s["code"] for s in p["panchayat_samitis"]] == [code] and not p["gram_panchayats"]
    )


def deliver(code, month, sender, language="en"):
    t = tracker(
        "/cash_analysis",
        intent="cash_analysis",
        sender=sender,
        slots={"ps_name": code, "month": month, "language": language},
    )
    return run(ActionDeliverCashAnalysis(), t)


def validate_ps(text, sender, language="en"):
    t = form_tracker(text, form=FORM, sender=sender, requested_slot="ps_name", language=language)
    return run(ValidateCashAnalysisForm(), t)


def test_block_official_gets_the_report_as_a_stored_pdf(portal):
    person = ps_official(portal, UDAYNARAYANPUR)
    expected = portal_json(
        portal,
        f"/accounts/panchayat-samitis/{UDAYNARAYANPUR}/cash-analysis/{MONTH}",
        person["mobile"],
    )
    names, events, dispatcher = deliver(UDAYNARAYANPUR, MONTH, person["mobile"])
    assert names == ["utter_document", "utter_ask_feedback"]
    message = dispatcher.messages[0]
    assert message["filename"] == "cash-analysis-Udaynarayanpur-2026-10.pdf"
    assert "Udaynarayanpur" in message["caption"]
    assert formatting.money(expected["cash_book_balance"], "en") in message["caption"]
    stored, text = stored_pdf_text(message["document_id"])
    assert stored.owner_mobile == person["mobile"] and stored.service == "cash_analysis"
    assert f"block code {UDAYNARAYANPUR}" in text
    assert f"Cash book balance: {rupees(expected['cash_book_balance'])}" in text
    assert (
        audit.entries(mobile=person["mobile"], service="cash_analysis")[0].outcome
        == audit.DELIVERED
    )
    assert "session_started" in event_names(events)


def test_gp_official_of_another_block_is_refused(portal):
    gp_official = next(
        p
        for p in portal.demo_ids["officials"]
        if p["gram_panchayats"]
        and not p["panchayat_samitis"]
        and not p["gram_panchayats"][0]["code"].startswith(UDAYNARAYANPUR)
    )
    names, _, dispatcher = deliver(UDAYNARAYANPUR, MONTH, gp_official["mobile"], "bn")
    assert names == ["utter_cash_analysis_not_yours"]
    assert dispatcher.messages[0]["ps"] == normalize("উদয়নারায়ণপুর")


def test_books_not_closed(portal):
    person = ps_official(portal, UDAYNARAYANPUR)
    names, _, _ = deliver(UDAYNARAYANPUR, "2026-11", person["mobile"])
    assert names == ["utter_cash_analysis_not_closed"]
    names, _, _ = deliver(UDAYNARAYANPUR, "2018-11", person["mobile"])
    assert names == ["utter_cash_analysis_no_accounts"]


def test_namesake_blocks_get_a_choice_and_the_district_settles_it(portal):
    person = {"mobile": portal.demo_ids["strangers"][0]}
    names, events, _ = validate_ps("Sankrail block", person["mobile"])
    assert names == [] and slot_events(events)["ps_name"] is None
    asked = tracker(
        "", sender=person["mobile"], slots={"place_choice": slot_events(events)["place_choice"]}
    )
    names, _, dispatcher = run(ActionAskPsName(), asked)
    assert names == ["utter_choose_ps"]
    titles = [b["title"] for b in dispatcher.messages[0]["buttons"]]
    assert titles == ["Sankrail, Howrah", "Sankrail, Jhargram"]
    _, events, _ = validate_ps("সাঁকরাইল, ঝাড়গ্রাম", person["mobile"], "bn")
    assert slot_events(events)["ps_name"].startswith("3210")


def test_spellings_and_code(portal):
    person = ps_official(portal, UDAYNARAYANPUR)
    for said in ("Udainarayanpur", "উদয়নারায়ণপুর পঞ্চায়েত সমিতি", UDAYNARAYANPUR):
        _, events, _ = validate_ps(said, person["mobile"])
        assert slot_events(events)["ps_name"] == UDAYNARAYANPUR, said
    names, _, _ = validate_ps("Nowhereganj", person["mobile"])
    assert names == ["utter_ps_not_found"]


def test_prefilled_for_the_official_of_one_block(portal):
    person = ps_official(portal, UDAYNARAYANPUR)
    t = form_tracker(
        "cash analysis report last month",
        form=FORM,
        sender=person["mobile"],
        intent="cash_analysis",
        this_turn={"month": "last month"},
    )
    names, events, _ = run(ValidateCashAnalysisForm(), t)
    assert names == []
    assert slot_events(events)["ps_name"] == UDAYNARAYANPUR
    assert slot_events(events)["month"] == MONTH


def test_district_official_is_offered_the_blocks_of_the_district(portal):
    district_official = next(p for p in portal.demo_ids["officials"] if p["districts"])
    names, _, dispatcher = run(ActionAskPsName(), tracker("", sender=district_official["mobile"]))
    assert names == ["utter_ask_ps_name_choice"]
    buttons = dispatcher.messages[0]["buttons"]
    assert buttons and all(b["payload"].startswith('/inform{"ps_name":"32') for b in buttons)
