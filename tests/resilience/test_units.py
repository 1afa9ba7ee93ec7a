"""Action- and store-level checks of the reliability pieces, with a bot store of their own and
fake portal calls: portal down -> an answer within 5 s (and, on WhatsApp, a kept request);
the deferred action delivers once, respects opt-out, uses the template outside the 24-hour
window and never sends a bad PDF; rate limits; enumeration; download links."""

from __future__ import annotations

import asyncio
import time

import pytest
from rasa_sdk.executor import CollectingDispatcher

import actions.base
import actions.deferred as deferred_action
from actions.document_delivery import DocumentRequest, Replies, deliver_document
from bot_store import audit, deferred, documents, inbox, preferences, rate_limits
from portal_client import BadDocument, CircuitOpen, PdfDocument, PortalUnavailable
from sathi import trust
from sathi.trust import stamp
from tests.portal_client.conftest import make_pdf
from tests.support.trackers import DOMAIN, tracker

OWNER = "919800300001"


@pytest.fixture(autouse=True)
def store(empty_bot_store, monkeypatch):
    monkeypatch.setenv("SATHI_CLOCK", "2026-11-28")
    monkeypatch.setenv("SATHI_PROFILE", "trainer")
    monkeypatch.setenv("SATHI_CHANNEL_SECRET", "unit-test-secret")
    monkeypatch.delenv("SATHI_TRUSTED_CHANNELS", raising=False)


def wa_tracker(text="x", sender=OWNER, **kw):
    return tracker(
        text,
        sender=sender,
        channel="whatsapp",
        metadata=stamp({}, "whatsapp", sender, "wamid.1"),
        **kw,
    )


class FakePortal:
    def __init__(self, outcome):
        self.outcome, self.calls = outcome, []

    def trade_noc_pdf(self, number, *, mobile):
        self.calls.append((number, mobile))
        if isinstance(self.outcome, Exception):
            raise self.outcome
        return self.outcome


def good_pdf():
    return PdfDocument(filename="trade-noc.pdf", content=make_pdf("NOC TN-2026-004500"), pages=1)


def deliver(t, fake, dispatcher=None):
    dispatcher = dispatcher or CollectingDispatcher()
    result = asyncio.run(
        deliver_document(
            dispatcher,
            t,
            DocumentRequest(
                service="trade_noc",
                record_ref="TN-2026-004500",
                fetch=fake.trade_noc_pdf,
                fetch_args=("TN-2026-004500",),
                caption="Trade NOC",
                replies=Replies(
                    not_yours="utter_trade_noc_not_yours", not_found="utter_trade_noc_not_found"
                ),
            ),
        )
    )
    return result, [m.get("response") for m in dispatcher.messages]


def trigger(sender=OWNER, proof_for=None):
    """The external event as our deferred-delivery worker sends it: signed for the conversation."""
    proof = trust.deferred_trigger_proof(proof_for or sender)
    return tracker(
        "EXTERNAL_deliver_deferred",
        sender=sender,
        channel="whatsapp",
        intent="EXTERNAL_deliver_deferred",
        entities=[{"entity": trust.DEFERRED_PROOF_ENTITY, "value": proof}],
    )


def run_deferred(t):
    dispatcher = CollectingDispatcher()
    asyncio.run(deferred_action.ActionDeliverDeferred().run(dispatcher, t, DOMAIN))
    return dispatcher.messages


@pytest.fixture
def fake(monkeypatch):
    portal = FakePortal(good_pdf())
    monkeypatch.setattr(actions.base, "_client", portal)
    return portal


# --- portal down ------------------------------------------------------------------------------
def test_a_hanging_portal_is_answered_within_five_seconds(monkeypatch, fake):
    monkeypatch.setenv("SATHI_PORTAL_DEADLINE_SECONDS", "1.5")

    def hang(number, *, mobile):
        time.sleep(6)

    hang.__name__ = "trade_noc_pdf"
    dispatcher = CollectingDispatcher()

    async def ask() -> float:
        started = time.monotonic()
        await deliver_document(
            dispatcher,
            tracker("x", sender=OWNER),
            DocumentRequest(
                service="trade_noc",
                record_ref="TN-1",
                fetch=hang,
                fetch_args=("TN-1",),
                caption="c",
                replies=Replies(not_yours="a", not_found="b"),
            ),
        )
        return time.monotonic() - started

    assert asyncio.run(ask()) < 5  # (asyncio.run then waits for the abandoned thread)
    assert [m["response"] for m in dispatcher.messages] == ["utter_portal_down"]


def test_open_circuit_on_whatsapp_keeps_the_request_once(fake):
    fake.outcome = CircuitOpen("portal breaker open")
    result, said = deliver(wa_tracker(), fake)
    assert said == ["utter_portal_down_deferred"] and result.outcome == audit.UNAVAILABLE
    deliver(wa_tracker(), fake)  # asked again: same request
    rows = deferred.rows(OWNER)
    assert len(rows) == 1 and rows[0].state == deferred.WAITING
    assert rows[0].request["method"] == "trade_noc_pdf" and rows[0].request["args"] == [
        "TN-2026-004500"
    ]


def test_rest_and_opted_out_numbers_are_not_deferred(fake):
    fake.outcome = PortalUnavailable("down")
    assert deliver(tracker("x", sender=OWNER), fake)[1] == ["utter_portal_down"]
    preferences.set_opted_out(OWNER, True)
    assert deliver(wa_tracker(), fake)[1] == ["utter_portal_down"]
    assert deferred.rows(OWNER) == []


# --- the deferred action ----------------------------------------------------------------------
def keep_request(fake):
    fake.outcome = PortalUnavailable("down")
    deliver(wa_tracker(), fake)
    fake.outcome = good_pdf()
    return deferred.rows(OWNER)[0].id


def test_deferred_action_delivers_once(fake):
    row_id = keep_request(fake)
    inbox.add("wamid.recent", OWNER, {"type": "text"}, None)  # the user wrote recently
    messages = run_deferred(trigger())
    assert [m.get("response") for m in messages] == ["utter_deferred_ready", "utter_document"]
    assert documents.load_document(messages[1]["document_id"]).owner_mobile == OWNER
    assert deferred.get(row_id).state == deferred.DELIVERED
    assert run_deferred(trigger()) == []  # a second trigger: nothing
    assert len(fake.calls) == 2  # one failed, one delivered


def test_deferred_action_keeps_the_row_when_the_portal_is_still_down(fake):
    row_id = keep_request(fake)
    fake.outcome = PortalUnavailable("still down")
    assert run_deferred(trigger()) == []
    assert deferred.get(row_id).state == deferred.WAITING


def test_deferred_action_respects_opt_out(fake):
    row_id = keep_request(fake)
    preferences.set_opted_out(OWNER, True)
    assert run_deferred(trigger()) == []
    assert deferred.get(row_id).state == deferred.CANCELLED


def test_deferred_action_never_sends_a_bad_pdf(fake, caplog):
    row_id = keep_request(fake)
    fake.outcome = BadDocument("not a PDF")
    messages = run_deferred(trigger())
    assert [m.get("response") for m in messages] == ["utter_document_bad"]
    assert deferred.get(row_id).state == deferred.FAILED
    assert "INCIDENT" in caplog.text


def test_outside_the_window_the_document_goes_as_a_template(fake, monkeypatch):
    keep_request(fake)
    monkeypatch.setenv("SATHI_WA_WINDOW_SECONDS", "0")
    inbox.add("wamid.old", OWNER, {"type": "text"}, None)
    time.sleep(0.01)
    messages = run_deferred(trigger())
    assert len(messages) == 1
    document = messages[0]["custom"]["document"]
    assert document["template"]["name"] == "sathi_document_ready"
    assert documents.load_document(document["id"]).owner_mobile == OWNER
    assert "link" not in str(document), "no public link: the channel uploads the PDF as media"


def test_a_row_is_only_delivered_into_its_own_conversation(fake):
    row_id = keep_request(fake)
    other = "919800300099"
    assert run_deferred(trigger(sender=other)) == []
    assert deferred.get(row_id).state == deferred.WAITING


def test_a_typed_or_forged_trigger_delivers_nothing(fake):
    """A user who types `/EXTERNAL_deliver_deferred` (no proof), a proof made for another
    conversation, or a non-Indian WhatsApp id: nothing is claimed or sent."""
    row_id = keep_request(fake)
    typed = wa_tracker("/EXTERNAL_deliver_deferred", intent="EXTERNAL_deliver_deferred")
    assert run_deferred(typed) == []
    assert run_deferred(trigger(sender="rest:" + OWNER, proof_for="rest:" + OWNER)) == []
    assert run_deferred(trigger(sender=OWNER, proof_for="919800300099")) == []
    assert run_deferred(trigger(sender=OWNER[2:])) == []  # 10 digits: not a wa_id of ours
    assert deferred.get(row_id).state == deferred.WAITING
    assert len(fake.calls) == 1  # only the first, failed call


def test_a_dead_claim_is_taken_again_after_the_lease(monkeypatch):
    row_id, _ = deferred.defer(OWNER, "whatsapp", "trade_noc", {"method": "trade_noc_pdf"})
    assert deferred.claim(row_id) is not None
    assert deferred.claim(row_id) is None  # taken
    monkeypatch.setenv("SATHI_DEFERRED_LEASE_SECONDS", "0")
    assert deferred.claim(row_id) is not None  # its owner died


def test_overdue_requests_expire(monkeypatch):
    monkeypatch.setenv("SATHI_DEFERRED_HOURS", "0")
    deferred.defer(OWNER, "whatsapp", "trade_noc", {"method": "trade_noc_pdf"})
    assert deferred.expire_overdue() == 1 and deferred.due() == []


# --- rate limits and enumeration ----------------------------------------------------------------
def test_message_rate_limit_warns_once_then_stays_quiet(monkeypatch):
    monkeypatch.setenv("SATHI_RATE_MESSAGES", "3")
    verdicts = [rate_limits.check_message("919800000001") for _ in range(6)]
    assert verdicts == ["allow"] * 3 + ["warn", "silent", "silent"]
    assert rate_limits.check_message("919800000002") == "allow"  # per sender


def test_message_window_passes(monkeypatch):
    monkeypatch.setenv("SATHI_RATE_MESSAGES", "1")
    monkeypatch.setenv("SATHI_RATE_WINDOW_SECONDS", "1")
    assert [rate_limits.check_message("a") for _ in range(2)] == ["allow", "warn"]
    time.sleep(1.1)
    assert rate_limits.check_message("a") == "allow"


def test_one_time_codes_are_limited_per_sender_and_target(monkeypatch):
    monkeypatch.setenv("SATHI_RATE_OTP", "2")
    assert [rate_limits.allow_otp("s1", "919800000001") for _ in range(3)] == [True, True, False]
    assert rate_limits.allow_otp("s2", "919800000001") is False  # the target is protected too


def test_enumeration_of_ids_is_refused_and_logged(monkeypatch, caplog, fake):
    monkeypatch.setenv("SATHI_ENUMERATION_MAX_IDS", "3")
    asked = [rate_limits.note_lookup(OWNER, "trade_noc", f"TN-2026-00460{i}") for i in range(5)]
    assert asked == [True, True, True, False, False]
    assert rate_limits.note_lookup(OWNER, "trade_noc", "TN-2026-004601")  # known one: fine
    assert "enumeration" in caplog.text and OWNER not in caplog.text
    result, said = deliver(tracker("x", sender=OWNER), fake)  # a new id through the action
    assert said == ["utter_too_many_lookups"] and fake.calls == []


def test_too_many_messages_text_is_bilingual_when_the_language_is_unknown():
    both = rate_limits.too_many_messages_text(None)
    assert "অপেক্ষা" in both and "wait a minute" in both
    assert "wait" not in rate_limits.too_many_messages_text("bn")


# --- download links ---------------------------------------------------------------------------
def test_download_links_are_single_owner_and_expire(monkeypatch):
    doc = documents.store_document(
        owner_mobile=OWNER,
        service="trade_noc",
        record_ref="TN",
        filename="a.pdf",
        content=make_pdf("x"),
        pages=1,
    )
    token = documents.create_download_token(doc, OWNER)
    found = documents.document_for_token(token)
    assert found.owner_mobile == OWNER and found.id == doc
    assert documents.document_for_token(token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    monkeypatch.setenv("SATHI_LINK_TTL_SECONDS", "0")
    expired = documents.create_download_token(doc, OWNER)
    time.sleep(0.01)
    assert documents.document_for_token(expired) is None
