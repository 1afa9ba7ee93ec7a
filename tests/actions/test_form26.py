"""Form 26 against the real reference portal (tracker fixtures, in-process actions): the GP
is found from what people type, namesakes get a short choice, the PDF reaches only officials
of that GP / its block / its district."""

from __future__ import annotations

from actions.form26 import ActionDeliverForm26, ValidateForm26Form
from actions.staff_slots import ActionAskGpName
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

FORM = "form26_form"
DOGACHI = "3208012002"  # Udaynarayanpur, Howrah
DOGACHHI_NADIA = "3214009002"  # Krishnanagar-I, Nadia
MONTH = "2026-10"


def official(portal, *, gp=None, district=None, gp_only=False):
    for person in portal.demo_ids["officials"]:
        gps = [g["code"] for g in person["gram_panchayats"]]
        districts = [d["code"] for d in person["districts"]]
        if gp and gp in gps and (not gp_only or not person["panchayat_samitis"]):
            return person
        if district and district in districts:
            return person
    raise AssertionError("no such demo official")


def deliver(code, month, sender, language="en"):
    t = tracker(
        "/form26",
        intent="form26",
        sender=sender,
        slots={"gp_name": code, "month": month, "language": language},
    )
    return run(ActionDeliverForm26(), t)


def validate_gp(text, sender, language="en", **more):
    t = form_tracker(
        text, form=FORM, sender=sender, requested_slot="gp_name", language=language, **more
    )
    return run(ValidateForm26Form(), t)


def test_gp_official_gets_form26_as_a_stored_pdf(portal):
    person = official(portal, gp=DOGACHI)
    expected = portal_json(
        portal, f"/accounts/gram-panchayats/{DOGACHI}/form26/{MONTH}", person["mobile"]
    )
    names, events, dispatcher = deliver(DOGACHI, MONTH, person["mobile"])
    assert names == ["utter_document", "utter_ask_feedback"]
    message = dispatcher.messages[0]
    assert message["filename"] == "form26-Dogachi-2026-10.pdf"
    assert "Dogachi" in message["caption"] and "October 2026" in message["caption"]
    assert formatting.money(expected["closing_balance"], "en") in message["caption"]
    stored, text = stored_pdf_text(message["document_id"])
    assert stored.owner_mobile == person["mobile"] and stored.service == "form26"
    assert f"GP code {DOGACHI}" in text and "October 2026" in text
    assert rupees(expected["opening_balance"]) in text
    entry = audit.entries(mobile=person["mobile"], service="form26")[0]
    assert (entry.outcome, entry.record_ref) == (audit.DELIVERED, f"{DOGACHI}/{MONTH}")
    assert "session_started" in event_names(events)


def test_district_official_gets_it_too(portal):
    person = official(portal, district="3208")  # Howrah
    names, _, dispatcher = deliver(DOGACHI, MONTH, person["mobile"], "bn")
    assert names == ["utter_document", "utter_ask_feedback"]
    assert normalize("দোগাছি") in dispatcher.messages[0]["caption"]
    assert "অক্টোবর ২০২৬" in dispatcher.messages[0]["caption"]


def test_official_of_another_gp_and_a_stranger_are_refused(portal):
    other = next(
        p
        for p in portal.demo_ids["officials"]
        if p["gram_panchayats"]
        and p["gram_panchayats"][0]["code"] != DOGACHI
        and not p["panchayat_samitis"]
        and not p["districts"]
    )
    for mobile in (other["mobile"], portal.demo_ids["strangers"][1]):
        names, events, dispatcher = deliver(DOGACHI, MONTH, mobile)
        assert names == ["utter_form26_not_yours"]
        assert "document_id" not in dispatcher.messages[0]
        assert audit.entries(mobile=mobile, service="form26")[0].outcome == audit.NOT_YOURS


def test_books_not_closed_and_month_without_books(portal):
    person = official(portal, gp=DOGACHI)
    names, _, dispatcher = deliver(DOGACHI, "2026-11", person["mobile"])
    assert names == ["utter_form26_not_closed"]
    assert dispatcher.messages[0]["month"] == "November 2026"
    names, _, _ = deliver(DOGACHI, "2019-04", person["mobile"])
    assert names == ["utter_form26_no_accounts"]


def ask_choice(events, sender, language="en"):
    """What the form asks next after a validation run that left a choice."""
    pending = slot_events(events)["place_choice"]
    return run(
        ActionAskGpName(),
        tracker("", sender=sender, slots={"place_choice": pending, "language": language}),
    )


def test_namesakes_get_a_short_choice_by_code(portal):
    person = {"mobile": portal.demo_ids["strangers"][0]}
    names, events, _ = validate_gp("Dogachi", person["mobile"])
    assert names == []  # the question that follows is the choice
    assert slot_events(events)["gp_name"] is None
    names, ask_events, dispatcher = ask_choice(events, person["mobile"])
    assert names == ["utter_choose_gp"]
    assert dispatcher.messages[0]["name"] == "Dogachi"
    buttons = dispatcher.messages[0]["buttons"]
    assert [b["payload"] for b in buttons] == [
        f'/inform{{"gp_name":"{DOGACHI}"}}',
        f'/inform{{"gp_name":"{DOGACHHI_NADIA}"}}',
    ]
    assert all(len(b["title"]) <= 20 for b in buttons)
    # the name is the title, where it is the description (WhatsApp shows it under the name)
    assert "Howrah" in buttons[0]["description"] and "Nadia" in buttons[1]["description"]
    assert slot_events(ask_events) == {"place_choice": None}
    _, events, _ = validate_gp("দোগাছি গ্রাম পঞ্চায়েতের", person["mobile"], "bn")
    names, _, dispatcher = ask_choice(events, person["mobile"], "bn")
    assert names == ["utter_choose_gp"]
    first = dispatcher.messages[0]["buttons"][0]
    assert normalize("হাওড়া") in first["description"] and first["title"].startswith(
        normalize("দোগাছি")
    )


def test_many_namesakes_become_a_list_with_districts(portal):
    person = {"mobile": portal.demo_ids["strangers"][0]}
    _, events, _ = validate_gp("Rampur", person["mobile"])
    _, _, dispatcher = ask_choice(events, person["mobile"])
    buttons = dispatcher.messages[0]["buttons"]
    assert 3 < len(buttons) <= 10 and all(len(b["title"]) <= 24 for b in buttons)
    assert len({b["title"] for b in buttons}) == len(buttons)


def test_a_place_name_typed_when_the_month_was_asked_is_not_a_bad_month(portal):
    person = official(portal, gp=DOGACHI)
    t = form_tracker(
        "Dogachi",
        form=FORM,
        sender=person["mobile"],
        requested_slot="month",
        slots={"gp_name": DOGACHHI_NADIA},
        this_turn={"gp_name": "Dogachi"},
        entities=[{"entity": "gp_name", "value": "Dogachi"}],
    )
    names, events, _ = run(ValidateForm26Form(), t)
    assert names == []
    assert "month" not in slot_events(events)
    assert slot_events(events)["gp_name"] == DOGACHI  # the official's own namesake


def test_the_namesake_the_official_is_registered_for_settles_it(portal):
    person = official(portal, district="3208")  # Howrah: Dogachi is theirs, Dogachhi is not
    names, events, _ = validate_gp("Dogachi", person["mobile"])
    assert names == []
    assert slot_events(events)["gp_name"] == DOGACHI


def test_block_or_district_next_to_the_name_settles_it(portal):
    person = official(portal, gp=DOGACHI)
    _, events, _ = validate_gp("Dogachi, Nadia", person["mobile"])
    assert slot_events(events)["gp_name"] == DOGACHHI_NADIA
    _, events, _ = validate_gp("dogachi gp udaynarayanpur", person["mobile"])
    assert slot_events(events)["gp_name"] == DOGACHI
    # the NLU gave the name as an entity: the district elsewhere in the message still counts
    t = form_tracker(
        "Dogachi, Nadia",
        form=FORM,
        sender=person["mobile"],
        requested_slot="gp_name",
        this_turn={"gp_name": "Dogachi"},
    )
    _, events, _ = run(ValidateForm26Form(), t)
    assert slot_events(events)["gp_name"] == DOGACHHI_NADIA


def test_code_and_button_payload_are_accepted(portal):
    person = official(portal, gp=DOGACHI)
    _, events, _ = validate_gp(DOGACHI, person["mobile"])
    assert slot_events(events)["gp_name"] == DOGACHI
    t = form_tracker(
        f'/inform{{"gp_name":"{DOGACHHI_NADIA}"}}',
        form=FORM,
        sender=person["mobile"],
        requested_slot="gp_name",
        this_turn={"gp_name": DOGACHHI_NADIA},
    )
    _, events, _ = run(ValidateForm26Form(), t)
    assert slot_events(events)["gp_name"] == DOGACHHI_NADIA


def test_unknown_gp_is_rejected_with_a_hint(portal):
    person = official(portal, gp=DOGACHI)
    names, events, dispatcher = validate_gp("Xyzpur Kalan", person["mobile"])
    assert names == ["utter_gp_not_found"]
    assert dispatcher.messages[0]["name"] == "Xyzpur Kalan"
    assert slot_events(events)["gp_name"] is None


def test_official_of_one_gp_has_it_prefilled(portal):
    person = official(portal, gp=DOGACHI)
    t = form_tracker(
        "form 26 for October",
        form=FORM,
        sender=person["mobile"],
        intent="form26",
        this_turn={"month": "October"},
    )
    names, events, _ = run(ValidateForm26Form(), t)
    assert names == []
    assert slot_events(events)["gp_name"] == DOGACHI
    assert slot_events(events)["month"] == MONTH


def test_block_official_is_offered_the_gps_of_the_block(portal):
    block_official = next(
        p
        for p in portal.demo_ids["officials"]
        if p["panchayat_samitis"]
        and not p["gram_panchayats"]
        and p["panchayat_samitis"][0]["code"] == DOGACHI[:7]
    )
    names, _, dispatcher = run(ActionAskGpName(), tracker("", sender=block_official["mobile"]))
    assert names == ["utter_ask_gp_name_choice"]
    buttons = dispatcher.messages[0]["buttons"]
    assert f'/inform{{"gp_name":"{DOGACHI}"}}' in [b["payload"] for b in buttons]
    assert len(buttons) <= 10 and all(len(b["title"]) <= 24 for b in buttons)
    names, _, _ = run(ActionAskGpName(), tracker("", sender=portal.demo_ids["strangers"][0]))
    assert names == ["utter_ask_gp_name"]
