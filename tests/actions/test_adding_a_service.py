"""A record-document service added the spec way (docs/adding-a-service.md), in-process: a
made-up "kiosk permit" with its own id parser, portal calls and replies, against a portal
double. The generic form, ask and deliver actions must work for it unchanged."""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass

import pytest
from rasa_sdk.executor import CollectingDispatcher

import actions.base
from actions.forms import SERVICE_INTENTS
from actions.record_documents import RecordDocumentSpec, record_document_actions
from bot_store import audit
from bot_store.documents import load_document
from portal_client import MyRecords, NotFound, NotReady, NotYours, PdfDocument
from tests.portal_client.conftest import make_pdf
from tests.support.trackers import DOMAIN, run, slot_events, tracker

OWNER, STRANGER = "919800300001", "919800300002"


@dataclass(frozen=True)
class KioskPermit:
    permit_no: str
    status: str
    market: str | None = None


PERMITS = {
    "KP-2026-000001": KioskPermit("KP-2026-000001", "issued", "Haat Tala"),
    "KP-2026-000002": KioskPermit("KP-2026-000002", "fee_due", "Station Road"),
    "KP-2026-000003": KioskPermit("KP-2026-000003", "on_hold"),
}


class KioskPortal:
    """The portal double: every permit belongs to OWNER; it lists them in /me/records."""

    def __init__(self):
        self.pdf_calls = []

    def my_records(self, *, mobile):
        return MyRecords(trade_nocs=tuple(PERMITS) if mobile == OWNER else ())


def _owned(number: str, mobile: str) -> KioskPermit:
    if number not in PERMITS:
        raise NotFound("no such permit")
    if mobile != OWNER:
        raise NotYours("not yours")
    return PERMITS[number]


# The service's portal calls: plain functions taking the client first, as PortalClient's are.
def kiosk_permit(client, number: str, *, mobile: str) -> KioskPermit:
    return _owned(number, mobile)


def kiosk_permit_pdf(client, number: str, *, mobile: str) -> PdfDocument:
    permit = _owned(number, mobile)
    client.pdf_calls.append(number)
    if permit.status != "issued":
        raise NotReady("not issued", status=permit.status)
    return PdfDocument(filename="permit.pdf", content=make_pdf(f"Kiosk permit {number}"))


def parse_kiosk_permit_number(text: str | None) -> str | None:
    match = re.fullmatch(r"\s*kp[\s-]*(\d{4})[\s-]*(\d{1,6})\s*", text or "", re.I)
    return f"KP-{match.group(1)}-{int(match.group(2)):06d}" if match else None


def fee_due_details(permit: KioskPermit | None, number: str, lang: str):
    return {"number": number, "market": permit.market} if permit else None


SPEC = RecordDocumentSpec(
    service="kiosk_permit",
    slot="kiosk_permit_no",
    parse=parse_kiosk_permit_number,
    records_field="trade_nocs",
    status_call=kiosk_permit,
    pdf_call=kiosk_permit_pdf,
    filename="kiosk-permit-{number}.pdf",
    caption={"en": "Your kiosk permit {number}.", "bn": "আপনার কিয়স্ক পারমিট {number}।"},
    status_replies={"fee_due": "utter_kiosk_permit_fee_due"},
    reply_details=fee_due_details,
    describe_choice=lambda permit, lang: permit.market,
    not_found_response="utter_kiosk_permit_not_found",
    not_yours_response="utter_kiosk_permit_not_yours",
)

ValidateKioskPermitForm, ActionAskKioskPermitNo, ActionDeliverKioskPermit = record_document_actions(
    SPEC, module=__name__
)


@pytest.fixture(autouse=True)
def kiosk_portal(monkeypatch):
    monkeypatch.setenv("SATHI_PROFILE", "trainer")
    monkeypatch.delenv("SATHI_TRUSTED_CHANNELS", raising=False)
    double = KioskPortal()
    monkeypatch.setattr(actions.base, "_client", double)
    return double


# What the service's domain file (domain/kiosk_permit.yml) would add to the domain.
KIOSK_DOMAIN = {
    **DOMAIN,
    "slots": {
        **DOMAIN["slots"],
        "kiosk_permit_no": {
            "type": "text",
            "influence_conversation": False,
            "mappings": [{"type": "from_entity", "entity": "kiosk_permit_no"}, {"type": "custom"}],
        },
    },
    "forms": {**DOMAIN["forms"], "kiosk_permit_form": {"required_slots": ["kiosk_permit_no"]}},
}


def validate(text, sender=OWNER):
    """The number typed while the form asks for it (the raw text is the candidate)."""
    t = tracker(
        text,
        intent="inform",
        sender=sender,
        active_loop="kiosk_permit_form",
        requested_slot="kiosk_permit_no",
        slots={"kiosk_permit_no": None},
    )
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ValidateKioskPermitForm().run(dispatcher, t, KIOSK_DOMAIN))
    return [m.get("response") for m in dispatcher.messages], slot_events(events)


def deliver(number, sender=OWNER, language="en"):
    t = tracker(
        "/kiosk_permit",
        intent="kiosk_permit",
        sender=sender,
        slots={"kiosk_permit_no": number, "language": language},
    )
    return run(ActionDeliverKioskPermit(), t)


def test_the_spec_names_its_actions_like_hand_written_ones():
    assert (
        ValidateKioskPermitForm().name(),
        ActionAskKioskPermitNo().name(),
        ActionDeliverKioskPermit().name(),
    ) == ("validate_kiosk_permit_form", "action_ask_kiosk_permit_no", "action_deliver_kiosk_permit")
    assert ValidateKioskPermitForm.__module__ == __name__
    assert "kiosk_permit" in SERVICE_INTENTS  # other forms let its intent break out


def test_form_accepts_a_sloppy_number_in_canonical_form():
    names, slots = validate("kp 2026 1")
    assert names == [] and slots["kiosk_permit_no"] == "KP-2026-000001"


def test_form_rejects_a_malformed_number():
    names, slots = validate("my permit")
    assert names == ["utter_invalid_kiosk_permit_no"] and slots["kiosk_permit_no"] is None


@pytest.mark.parametrize("sender", [OWNER, STRANGER])
def test_unknown_and_someone_elses_number_get_the_same_answer(sender):
    number = "KP-2026-000999" if sender == OWNER else "KP-2026-000001"
    names, slots = validate(number, sender=sender)
    assert names == ["utter_kiosk_permit_not_found"] and slots["kiosk_permit_no"] is None


def test_owner_gets_the_pdf_stored_and_audited():
    names, events, dispatcher = deliver("KP-2026-000001")
    assert names[0] == "utter_document"
    message = dispatcher.messages[0]
    assert message["filename"] == "kiosk-permit-KP-2026-000001.pdf"
    assert message["caption"] == "Your kiosk permit KP-2026-000001."
    stored = load_document(message["document_id"])
    assert (stored.owner_mobile, stored.service) == (OWNER, "kiosk_permit")
    entry = audit.entries(mobile=OWNER, service="kiosk_permit")[0]
    assert (entry.outcome, entry.record_ref) == (audit.DELIVERED, "KP-2026-000001")
    assert slot_events(events)["kiosk_permit_no"] is None


def test_stranger_is_refused():
    names, _, _ = deliver("KP-2026-000001", sender=STRANGER)
    assert names == ["utter_kiosk_permit_not_yours"]


def test_not_ready_status_gets_its_reply_with_details():
    names, _, dispatcher = deliver("KP-2026-000002")
    assert names == ["utter_kiosk_permit_fee_due"]
    assert dispatcher.messages[0]["market"] == "Station Road"
    assert audit.entries(service="kiosk_permit")[0].outcome == audit.NOT_READY


def test_a_status_without_a_reply_gets_the_generic_not_ready_answer():
    names, _, _ = deliver("KP-2026-000003")
    assert names == ["utter_document_not_ready"]


def test_ask_offers_the_owners_permits_described():
    names, _, dispatcher = run(ActionAskKioskPermitNo(), tracker("kiosk permit", sender=OWNER))
    assert names == ["utter_choose_kiosk_permit_no"]
    buttons = dispatcher.messages[0]["buttons"]
    assert [b["title"] for b in buttons] == list(PERMITS)
    assert buttons[0]["description"] == "Haat Tala"
    assert buttons[0]["payload"] == '/inform{"kiosk_permit_no":"KP-2026-000001"}'


def test_ask_without_records_asks_plainly():
    names, _, _ = run(ActionAskKioskPermitNo(), tracker("kiosk permit", sender=STRANGER))
    assert names == ["utter_ask_kiosk_permit_no"]
