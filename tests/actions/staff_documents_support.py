"""Helpers shared by the staff document action tests (pay slip, salary statement, Form 26,
cash analysis): form trackers with slots set this turn, the portal's own view of a record,
and the stored PDF's text."""

from __future__ import annotations

import io

import requests
from pypdf import PdfReader

from bot_store.documents import load_document
from tests.support.trackers import tracker


def form_tracker(
    text: str = "",
    *,
    form: str,
    sender: str,
    intent: str | None = "inform",
    slots: dict | None = None,
    this_turn: dict | None = None,
    requested_slot: str | None = None,
    language: str = "en",
    entities: list | None = None,
):
    """A tracker inside `form`; `this_turn` are slots set by this message (what the form
    hands its validation action as candidates)."""
    values = {"language": language, **(slots or {}), **(this_turn or {})}
    t = tracker(
        text,
        intent=intent,
        sender=sender,
        slots=values,
        active_loop=form,
        requested_slot=requested_slot,
        entities=entities,
    )
    for name, value in (this_turn or {}).items():
        t.events.append({"event": "slot", "name": name, "value": value})
    return t


def portal_json(portal, path: str, mobile: str) -> dict:
    answer = requests.get(f"{portal.base_url}{path}", headers=portal.headers(mobile), timeout=10)
    answer.raise_for_status()
    return answer.json()


def stored_pdf_text(document_id: str):
    """(StoredDocument, text of every page)."""
    stored = load_document(document_id)
    assert stored is not None, "the delivered document is not in the bot store"
    reader = PdfReader(io.BytesIO(stored.content))
    return stored, "\n".join(page.extract_text() for page in reader.pages)


def event_names(events: list) -> list:
    return [e.get("event") for e in events]


def rupees(amount) -> str:
    """How the portal's PDFs print an amount: `Rs. 51,503`."""
    from sathi.formatting import group_indian

    return f"Rs. {group_indian(int(amount))}"
