"""Trade NOC against the real reference portal (tracker fixtures, in-process actions):
the certificate reaches only the applicant's registered mobile, as a real PDF."""

from __future__ import annotations

import asyncio
import io

import pytest
from pypdf import PdfReader
from rasa_sdk.executor import CollectingDispatcher

from actions.trade_noc import ActionAskTradeNocNo, ActionDeliverTradeNoc, ValidateTradeNocForm
from bot_store import audit
from bot_store.documents import load_document
from tests.support.records import demo_record, portal_json
from tests.support.trackers import run, slot_events, tracker

FORM = "trade_noc_form"


def noc_with(portal, status, single_owner=False):
    return demo_record(portal, "trade_nocs", status, single_owner)


def portal_view(portal, number, mobile):
    return portal_json(portal, f"/trade-nocs/{number}", mobile)


def deliver(number, sender, language="en"):
    t = tracker(
        "/trade_noc",
        intent="trade_noc",
        sender=sender,
        slots={"trade_noc_no": number, "language": language},
    )
    return run(ActionDeliverTradeNoc(), t)


def test_owner_gets_the_certificate_as_a_stored_pdf(portal):
    noc = noc_with(portal, "approved")
    names, events, dispatcher = deliver(noc["application_no"], noc["mobile"])
    assert names == ["utter_document", "utter_ask_feedback"]
    message = dispatcher.messages[0]
    assert message["filename"] == f"trade-noc-{noc['application_no']}.pdf"
    assert noc["application_no"] in message["caption"]
    stored = load_document(message["document_id"])
    assert stored.owner_mobile == noc["mobile"] and stored.service == "trade_noc"
    text = PdfReader(io.BytesIO(stored.content)).pages[0].extract_text()
    record = portal_view(portal, noc["application_no"], noc["mobile"])
    assert record["certificate_no"] in text and record["owner_name"] in text
    entry = audit.entries(mobile=noc["mobile"], service="trade_noc")[0]
    assert (entry.outcome, entry.record_ref) == (audit.DELIVERED, noc["application_no"])
    assert slot_events(events)["trade_noc_no"] is None
    assert "session_started" in [e["event"] for e in events]


def test_certificate_number_works_too_and_bengali_caption(portal):
    noc = noc_with(portal, "approved")
    names, _, dispatcher = deliver(noc["certificate_no"], noc["mobile"], language="bn")
    assert names == ["utter_document", "utter_ask_feedback"]
    assert "ট্রেড লাইসেন্স" in dispatcher.messages[0]["caption"]


def test_stranger_is_refused_without_owner_details(portal):
    noc = noc_with(portal, "approved")
    stranger = portal.demo_ids["strangers"][0]
    names, events, dispatcher = deliver(noc["application_no"], stranger)
    assert names == ["utter_trade_noc_not_yours"]
    assert not any("document_id" in m for m in dispatcher.messages)
    record = portal_view(portal, noc["application_no"], noc["mobile"])
    assert record["owner_name"] not in str(dispatcher.messages)
    assert noc["mobile"] not in str(dispatcher.messages)
    assert audit.entries(mobile=stranger, service="trade_noc")[0].outcome == audit.NOT_YOURS
    assert "session_started" in [e["event"] for e in events]


@pytest.mark.parametrize(
    "status, response",
    [
        ("submitted", "utter_trade_noc_submitted"),
        ("under_verification", "utter_trade_noc_under_verification"),
        ("rejected", "utter_trade_noc_rejected"),
    ],
)
def test_not_issued_yet_says_where_it_stands(portal, status, response):
    noc = noc_with(portal, status)
    names, _, dispatcher = deliver(noc["application_no"], noc["mobile"])
    assert names == [response] + (
        ["utter_offer_updates"] if status != "rejected" else []
    )  # the offer of a status push follows a "not yet" (issue 13)
    record = portal_view(portal, noc["application_no"], noc["mobile"])
    assert dispatcher.messages[0]["gp"] == record["gp_name_en"]
    if status == "rejected":
        # the official's remark, quoted inside the sentence without its own full stop
        assert dispatcher.messages[0]["remarks"] == record["remarks"].rstrip(".")
    assert audit.entries(mobile=noc["mobile"], service="trade_noc")[0].outcome == audit.NOT_READY


def validate(text, sender, failed_attempts=0, intent="inform"):
    t = tracker(
        text,
        intent=intent,
        sender=sender,
        requested_slot="trade_noc_no",
        active_loop=FORM,
        slots={"failed_attempts": failed_attempts},
    )
    return run(ValidateTradeNocForm(), t)


def test_loosely_typed_number_is_accepted(portal):
    noc = noc_with(portal, "approved")
    loose = noc["application_no"].lower().replace("-", " ")
    names, events, _ = validate(loose, noc["mobile"])
    assert names == []
    assert slot_events(events)["trade_noc_no"] == noc["application_no"]


def test_unknown_number_gets_a_second_chance(portal):
    noc = noc_with(portal, "approved")
    names, events, _ = validate("TN-2026-999999", noc["mobile"])
    assert names == ["utter_trade_noc_not_found"]
    assert slot_events(events)["trade_noc_no"] is None
    assert slot_events(events)["failed_attempts"] == 1


def test_malformed_number_rejected_then_explained(portal):
    noc = noc_with(portal, "approved")
    names, events, _ = validate("TN 20", noc["mobile"])
    assert names == ["utter_invalid_trade_noc_no"]
    assert slot_events(events) == {"trade_noc_no": None, "failed_attempts": 1}
    names, _, _ = validate("licence", noc["mobile"], failed_attempts=1)
    assert names == ["utter_invalid_trade_noc_no", "utter_explain_trade_noc_no", "utter_offer_stop"]


def test_cancel_is_not_taken_as_a_number(portal):
    noc = noc_with(portal, "approved")
    names, events, _ = validate("na thak", noc["mobile"], intent="cancel")
    assert names == [] and "trade_noc_no" not in slot_events(events)


def test_only_record_is_prefilled_at_activation(portal):
    noc = noc_with(portal, "approved", single_owner=True)
    t = tracker("amar trade licence ta pathan", intent="trade_noc", sender=noc["mobile"])
    names, events, dispatcher = run(ValidateTradeNocForm(), t)
    assert names == ["utter_using_record"]  # says which one it uses (issue 13)
    said = dispatcher.messages[0]
    assert said["number"] == noc["application_no"] and said["kind"] == "ট্রেড লাইসেন্সের আবেদন"
    assert said["details"].startswith(" (") and "মঞ্জুর হয়েছে" in said["details"]
    assert slot_events(events)["trade_noc_no"] == noc["application_no"]


def test_several_records_become_buttons(portal):
    mobiles = [n["mobile"] for n in portal.demo_ids["trade_nocs"]]
    owner = next(m for m in mobiles if mobiles.count(m) > 1)
    owned = [n["application_no"] for n in portal.demo_ids["trade_nocs"] if n["mobile"] == owner]
    names, _, dispatcher = run(ActionAskTradeNocNo(), tracker("trade licence", sender=owner))
    assert names == ["utter_choose_trade_noc_no"]
    payloads = [b["payload"] for b in dispatcher.messages[0]["buttons"]]
    assert sorted(payloads) == sorted(f'/inform{{"trade_noc_no":"{n}"}}' for n in owned)


def test_stranger_is_just_asked(portal):
    stranger = portal.demo_ids["strangers"][1]
    names, _, _ = run(ActionAskTradeNocNo(), tracker("trade licence", sender=stranger))
    assert names == ["utter_ask_trade_noc_no"]


def test_untrusted_channel_proves_the_number_first(portal, monkeypatch):
    monkeypatch.setenv("SATHI_PROFILE", "production")
    noc = noc_with(portal, "approved")
    t = tracker(
        f"trade licence {noc['application_no']} pathan", intent="trade_noc", sender=noc["mobile"]
    )
    slots = asyncio.run(
        ValidateTradeNocForm().required_slots(["trade_noc_no"], CollectingDispatcher(), t, {})
    )
    assert slots == ["otp_mobile", "otp_code", "trade_noc_no"]


def test_a_bengali_reply_gets_the_bengali_gp_name_and_remark(portal):
    noc = noc_with(portal, "rejected")
    names, _, dispatcher = deliver(noc["application_no"], noc["mobile"], language="bn")
    assert names == ["utter_trade_noc_rejected"]
    record = portal_view(portal, noc["application_no"], noc["mobile"])
    said = dispatcher.messages[0]
    assert said["gp"] == record["gp_name_bn"] and said["remarks"] == record["remarks_bn"].rstrip(
        "।"
    )
