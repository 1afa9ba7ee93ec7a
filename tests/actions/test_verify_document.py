"""Is this document genuine? The code printed on a real PDF of the reference portal is checked
through the action: genuine, withdrawn, altered and unknown codes, in English and Bengali,
nothing personal in the answer, the lookup limit."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from actions.tourism_slip import ActionDeliverTourismSlip
from actions.trade_noc import ActionDeliverTradeNoc
from actions.verify_document import ActionVerifyDocument, find_code
from bot_store.documents import load_document
from tests.support.records import demo_record, portal_json
from tests.support.trackers import run, tracker


def issued_code(portal, action, slot, number, mobile) -> str:
    t = tracker("", sender=mobile, slots={slot: number, "language": "en"})
    _, _, dispatcher = run(action, t)
    stored = load_document(dispatcher.messages[0]["document_id"])
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(stored.content)).pages)
    return re.search(r"Verification code: ([0-9A-Z]{5}-[0-9A-Z]{5})", text).group(1)


def verify(text, sender, language="en"):
    return run(
        ActionVerifyDocument(),
        tracker(text, intent="verify_document", sender=sender, slots={"language": language}),
    )


@pytest.fixture
def noc_code(portal):
    noc = demo_record(portal, "trade_nocs", "approved")
    return noc, issued_code(
        portal, ActionDeliverTradeNoc(), "trade_noc_no", noc["application_no"], noc["mobile"]
    )


def test_a_genuine_code_in_english_and_bengali(portal, noc_code):
    noc, code = noc_code
    record = portal_json(portal, f"/trade-nocs/{noc['application_no']}", noc["mobile"])
    someone = portal.demo_ids["strangers"][1]  # anyone holding the paper may check it
    names, events, dispatcher = verify(f"verify {code}", someone)
    assert names == ["utter_verify_genuine"] and events == []
    said = dispatcher.messages[0]
    assert said["kind"] == "Trade NOC (trade licence)" and said["code"] == code
    assert said["office"] == f"{record['gp_name_en']} Gram Panchayat"
    names, _, dispatcher = verify(f"যাচাই {code.lower().replace('-', ' ')}", someone, "bn")
    assert names == ["utter_verify_genuine"]
    said = dispatcher.messages[0]
    assert said["office"] == f"{record['gp_name_bn']} গ্রাম পঞ্চায়েত"
    assert said["kind"] == "ট্রেড লাইসেন্স (ট্রেড এনওসি)"
    assert re.fullmatch(r"[০-৯]+ \S+ [০-৯]{4}", said["date"])  # a Bengali date
    everything = " ".join(str(v) for v in said.values())
    for personal in (
        record["owner_name"],
        record["trade_name"],
        noc["application_no"],
        noc["mobile"],
    ):
        assert personal not in everything


def test_altered_and_unknown_codes_are_not_the_departments(portal, noc_code):
    _, code = noc_code
    plain = code.replace("-", "")
    altered = plain[:3] + ("7" if plain[3] != "7" else "8") + plain[4:]
    for typed in (altered, "ZZ9ZZ-ZZZZZ"):
        names, _, dispatcher = verify(f"verify {typed}", portal.demo_ids["strangers"][1])
        assert names == ["utter_verify_unknown"], typed
        assert dispatcher.messages[0]["code"].replace("-", "") == typed.replace("-", "")


def test_no_code_asks_for_it(portal):
    names, _, _ = verify("is this certificate genuine?", portal.demo_ids["strangers"][1])
    assert names == ["utter_ask_verification_code"]


def test_a_withdrawn_slip(portal):
    from portal_backend import db
    from portal_backend.models import Booking

    booking = demo_record(portal, "bookings", "confirmed")
    code = issued_code(
        portal, ActionDeliverTourismSlip(), "booking_no", booking["booking_no"], booking["mobile"]
    )
    engine = db.engine_for(portal.env["SATHI_PORTAL_DB_URL"])
    with db.session_scope(engine) as session:
        session.get(Booking, booking["booking_no"]).status = "cancelled"
    try:
        names, _, dispatcher = verify(f"verify {code}", portal.demo_ids["strangers"][1], "bn")
    finally:
        with db.session_scope(engine) as session:
            session.get(Booking, booking["booking_no"]).status = "confirmed"
    assert names == ["utter_verify_withdrawn"]
    assert dispatcher.messages[0]["kind"] == "গেস্ট হাউসের বুকিং স্লিপ"


def test_many_different_codes_are_slowed_like_other_lookups(portal, monkeypatch):
    monkeypatch.setenv("SATHI_ENUMERATION_MAX_IDS", "2")
    sender = portal.demo_ids["strangers"][2]
    answers = [verify(f"verify AB{n}DE-FGHJK", sender)[0] for n in range(2, 6)]
    assert answers[0] == ["utter_verify_unknown"]
    assert ["utter_too_many_lookups"] in answers


@pytest.mark.parametrize(
    "text,code",
    [
        ("verify HDVG7-6WFJA", "HDVG7-6WFJA"),
        ("যাচাই hdvg7 6wfja", "HDVG7-6WFJA"),
        ("verify HDVG76WFJA please", "HDVG7-6WFJA"),
        ("যাচাই ০১২৩৪-ABCDE", "01234-ABCDE"),
        ("verify government", None),
        ("call 9800012345", None),
        ("WBP-1002300", None),
        ("WB-08-012-002-002/270", None),
        ("", None),
    ],
)
def test_find_code(text, code):
    assert find_code(text) == code
