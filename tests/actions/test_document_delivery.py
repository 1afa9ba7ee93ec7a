"""The shared document delivery (actions/document_delivery.py) for every outcome, with fake
portal calls: what the user is told (response names), what is stored (owner!) and what the
audit log says. The services' tests run the same code against the real reference portal."""

from __future__ import annotations

import asyncio
import logging

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.document_delivery import (
    Delivery,
    DocumentRequest,
    Replies,
    ask_for_record,
    deliver_document,
    finish_request,
    record_buttons,
)
from bot_store import audit
from bot_store.documents import load_document
from portal_client import (
    BadDocument,
    CircuitOpen,
    NotFound,
    NotReady,
    NotYours,
    PdfDocument,
    Unauthorized,
)
from tests.portal_client.conftest import make_pdf
from tests.support.trackers import slot_events, tracker

OWNER = "919800300001"


@pytest.fixture(autouse=True)
def trainer_profile(monkeypatch):
    """(The empty bot store and the clock come from tests/actions/conftest.py.)"""
    monkeypatch.setenv("SATHI_PROFILE", "trainer")
    monkeypatch.delenv("SATHI_TRUSTED_CHANNELS", raising=False)


def fetch_returning(pdf):
    calls = []

    def fetch(number, *, mobile):
        calls.append((number, mobile))
        return pdf

    fetch.calls = calls
    return fetch


def fetch_raising(error):
    def fetch(number, *, mobile):
        raise error

    return fetch


def deliver(fetch, t=None, *, filename="trade-noc-TN-2026-004500.pdf", on_not_ready=None):
    dispatcher = CollectingDispatcher()
    request = DocumentRequest(
        service="trade_noc",
        record_ref="TN-2026-004500",
        fetch=fetch,
        fetch_args=("TN-2026-004500",),
        filename=filename,
        caption="Your Trade NOC",
        replies=Replies(
            not_yours="utter_trade_noc_not_yours",
            not_found="utter_trade_noc_not_found",
            kwargs={"number": "TN-2026-004500"},
            on_not_ready=on_not_ready,
        ),
    )
    delivery = asyncio.run(
        deliver_document(dispatcher, t or tracker("trade licence", sender=OWNER), request)
    )
    return delivery, [m.get("response") for m in dispatcher.messages], dispatcher.messages


def last_audit():
    return audit.entries(service="trade_noc")[0]


def test_delivered_pdf_is_stored_for_the_requester_and_audited():
    content = make_pdf("Trade NOC TNC-2026-002100")
    fetch = fetch_returning(PdfDocument("portal-name.pdf", content, 1, "x"))
    delivery, names, messages = deliver(fetch)
    assert delivery.delivered and names == ["utter_document"]
    assert fetch.calls == [("TN-2026-004500", OWNER)]  # the requester's mobile is sent
    stored = load_document(messages[0]["document_id"])
    assert stored.owner_mobile == OWNER and stored.content == content
    assert messages[0]["filename"] == "trade-noc-TN-2026-004500.pdf" == stored.filename
    assert messages[0]["caption"] == "Your Trade NOC"
    entry = last_audit()
    assert (entry.mobile, entry.channel, entry.record_ref, entry.outcome) == (
        OWNER,
        "rest",
        "TN-2026-004500",
        audit.DELIVERED,
    )


def test_portal_file_name_is_used_without_one():
    fetch = fetch_returning(PdfDocument("portal-name.pdf", make_pdf("x"), 1, "x"))
    _, _, messages = deliver(fetch, filename=None)
    assert messages[0]["filename"] == "portal-name.pdf"


@pytest.mark.parametrize(
    "error, response, outcome",
    [
        (NotYours("no"), "utter_trade_noc_not_yours", audit.NOT_YOURS),
        (NotFound("no"), "utter_trade_noc_not_found", audit.NOT_FOUND),
        (NotReady("no", status="submitted"), "utter_document_not_ready", audit.NOT_READY),
        (BadDocument("the PDF has no pages"), "utter_document_bad", audit.BAD_DOCUMENT),
        (CircuitOpen("open"), "utter_portal_down", audit.UNAVAILABLE),
        (Unauthorized("key"), "utter_portal_down", audit.ERROR),
    ],
)
def test_every_refusal_is_answered_nothing_stored_and_audited(error, response, outcome):
    delivery, names, messages = deliver(fetch_raising(error))
    offer = (
        ["utter_offer_updates"] if outcome == audit.NOT_READY else []
    )  # the offer of a status push follows a "not yet" (issue 13)
    assert names == [response] + offer and delivery.outcome == outcome
    assert not any(m.get("document_id") for m in messages)
    assert last_audit().outcome == outcome
    if response != "utter_document_bad" and response != "utter_portal_down":
        assert all(m.get("number") == "TN-2026-004500" for m in messages if "number" in m)


def test_not_ready_hook_answers_with_the_status():
    seen = []

    async def explain(dispatcher, t, not_ready):
        seen.append(not_ready.status)
        dispatcher.utter_message(response="utter_trade_noc_under_verification")
        return "status=under_verification"

    delivery, names, _ = deliver(
        fetch_raising(NotReady("no", status="under_verification")), on_not_ready=explain
    )
    assert names == ["utter_trade_noc_under_verification", "utter_offer_updates"]
    assert seen == ["under_verification"]
    assert delivery.status == "under_verification"
    assert last_audit().detail == "status=under_verification"


def test_bad_document_is_an_incident_without_contents(caplog):
    caplog.set_level(logging.INFO)
    deliver(fetch_raising(BadDocument("page 1 of the PDF has no extractable text")))
    incident = [r for r in caplog.records if "INCIDENT" in r.getMessage()]
    assert incident and OWNER not in incident[0].getMessage()  # masked
    assert "0001" in incident[0].getMessage()


def test_unverified_sender_is_not_served(monkeypatch):
    monkeypatch.setenv("SATHI_PROFILE", "production")
    fetch = fetch_returning(PdfDocument("x.pdf", make_pdf("x"), 1, "x"))
    delivery, names, _ = deliver(fetch)
    assert names == ["utter_need_registered_number"] and fetch.calls == []
    assert last_audit().outcome == audit.NO_IDENTITY and last_audit().mobile == "unverified"


def test_finish_clears_the_service_slots_and_renews_the_session_unless_portal_down():
    t = tracker("x", sender=OWNER, slots={"trade_noc_no": "TN-2026-004500", "language": "bn"})
    events = finish_request(t, Delivery(audit.DELIVERED, "id"), ["trade_noc_no"])
    assert {"event": "session_started"} in [{"event": e["event"]} for e in events]
    assert slot_events(events)["trade_noc_no"] is None
    assert slot_events(events)["language"] == "bn"  # carried over
    kept = finish_request(t, Delivery(audit.UNAVAILABLE), ["trade_noc_no"])
    assert "trade_noc_no" not in slot_events(kept)
    assert "session_started" not in [e["event"] for e in kept]
    assert {"event": "active_loop", "name": None} in [
        {k: e.get(k) for k in ("event", "name")} for e in kept
    ]


def test_record_buttons_are_intent_messages_at_most_ten():
    buttons = record_buttons([f"TN-2026-{i:06d}" for i in range(12)], "trade_noc_no")
    assert len(buttons) == 10
    assert buttons[0] == {
        "title": "TN-2026-000000",
        "payload": '/inform{"trade_noc_no":"TN-2026-000000"}',
    }


def test_ask_for_record_without_identity_asks_plainly(monkeypatch):
    monkeypatch.setenv("SATHI_PROFILE", "production")
    dispatcher = CollectingDispatcher()
    asyncio.run(
        ask_for_record(
            dispatcher,
            tracker("x", sender="test-abc"),
            field="trade_nocs",
            entity="trade_noc_no",
            ask_response="utter_ask_trade_noc_no",
            choose_response="utter_choose_trade_noc_no",
        )
    )
    assert [m["response"] for m in dispatcher.messages] == ["utter_ask_trade_noc_no"]
