"""What every action needs: the reply language, the requester's verified mobile, the portal
client (one per process) and a way to call it without blocking the event loop."""
from __future__ import annotations

import asyncio
import functools
import os
import threading
import time
from typing import Any, Callable, TypeVar

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, FollowupAction, SessionStarted, SlotSet

from sathi import trust
from sathi.identifiers import parse_mobile

T = TypeVar("T")
_client_lock = threading.Lock()
_client = None

# Slots that outlive a finished task when the conversation session is renewed.
CARRIED_OVER_SLOTS = ("language", "verified_mobile", "job_card")


def language(tracker: Tracker) -> str:
    """Reply language: the `language` slot; Bengali until the user shows otherwise."""
    return "en" if tracker.get_slot("language") == "en" else "bn"


def helpline() -> str:
    return os.environ.get("SATHI_HELPLINE", "1800-345-3444")


def requester_mobile(tracker: Tracker) -> str | None:
    """The sender's phone number if our own server verified it (WhatsApp proof, a channel the
    profile trusts, or a one-time code), else None."""
    message = tracker.latest_message or {}
    metadata = message.get("metadata") or {}
    input_channel = tracker.get_latest_input_channel()
    if trust.sender_is_trusted(metadata, tracker.sender_id, input_channel):
        mobile = parse_mobile(tracker.sender_id)
        if mobile:
            return mobile
    verified = tracker.get_slot("verified_mobile")
    return parse_mobile(verified) if verified else None


def portal():
    """The process-wide portal client (connection pool, circuit breakers)."""
    global _client
    with _client_lock:
        if _client is None:
            from portal_client import PortalClient

            _client = PortalClient.from_env()
        return _client


def portal_deadline() -> float:
    return float(os.environ.get("SATHI_PORTAL_DEADLINE_SECONDS", "4.5"))


async def call_portal(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run a blocking portal call in a worker thread — one slow portal never freezes the other
    conversations on this action server — and give up after the deadline (retries included),
    so the user hears "the portal is not answering" within 5 seconds, never silence."""
    from bot_store import portal_calls
    from portal_client import PortalUnavailable

    started, outcome = time.monotonic(), portal_calls.OK
    try:
        return await asyncio.wait_for(asyncio.to_thread(functools.partial(fn, *args, **kwargs)),
                                      timeout=portal_deadline())
    except asyncio.TimeoutError:
        outcome = portal_calls.TIMEOUT
        raise PortalUnavailable("portal call exceeded the deadline") from None
    except Exception as exc:
        outcome = portal_calls.outcome_of(exc)
        raise
    finally:  # timings and breaker openings for the officials' dashboard
        await portal_calls.observe(getattr(fn, "__name__", "portal"), started, outcome,
                                   getattr(getattr(fn, "__self__", None), "breakers", None) and
                                   fn.__self__.breakers.states())


def renew_session(tracker: Tracker, **overrides: Any) -> list[EventType]:
    """Events that close a finished task: a new conversation session that carries over the
    language and identity. The SQL tracker store loads only the latest session, so a turn's
    cost stays flat however long the conversation goes on. `overrides` replace carried values
    (e.g. `job_card=None` to forget a card that was not the user's)."""
    events: list[EventType] = [SessionStarted()]
    for name in CARRIED_OVER_SLOTS:
        value = overrides[name] if name in overrides else tracker.get_slot(name)
        if value is not None:
            events.append(SlotSet(name, value))
    events.append(FollowupAction("action_listen"))
    return events
