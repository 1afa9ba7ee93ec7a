"""Build rasa_sdk trackers from small dicts and run actions against them (after
RasaHQ/financial-demo's tracker fixtures): tests assert on response names and events."""

from __future__ import annotations

import asyncio
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from tests.support.domain import load_domain

DOMAIN = load_domain()


def tracker(
    text: str = "",
    *,
    intent: str | None = None,
    entities: list | None = None,
    slots: dict | None = None,
    sender: str = "919800000001",
    channel: str = "rest",
    metadata: dict | None = None,
    active_loop: str | None = None,
    requested_slot: str | None = None,
) -> Tracker:
    all_slots = {name: spec.get("initial_value") for name, spec in DOMAIN["slots"].items()}
    all_slots["requested_slot"] = requested_slot
    all_slots.update(slots or {})
    latest = {
        "text": text,
        "intent": {"name": intent, "confidence": 1.0} if intent else {},
        "entities": entities or [],
        "metadata": metadata or {},
    }
    events = [
        {"event": "action", "name": "action_listen"},
        {
            "event": "user",
            "text": text,
            "parse_data": latest,
            "input_channel": channel,
            "metadata": metadata or {},
        },
    ]
    return Tracker(
        sender,
        all_slots,
        latest,
        events,
        False,
        None,
        {"name": active_loop} if active_loop else {},
        "action_listen",
    )


def run(action, t: Tracker) -> tuple[list[str], list[dict], CollectingDispatcher]:
    """(response names uttered, events returned, dispatcher)."""
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, t, DOMAIN))
    names = [m.get("response") for m in dispatcher.messages]
    return names, events, dispatcher


def slot_events(events: list[dict]) -> dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
