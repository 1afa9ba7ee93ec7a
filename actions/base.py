"""What every action needs: the reply language, the requester's verified mobile, the portal
client (one per process) and a way to call it without blocking the event loop."""

from __future__ import annotations

import asyncio
import functools
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, FollowupAction, SessionStarted, SlotSet

from sathi import trust
from sathi.identifiers import parse_mobile, whatsapp_indian_mobile
from sathi.settings import settings

T = TypeVar("T")
_client_lock = threading.Lock()
_client = None

# Slots that outlive a finished task when the conversation session is renewed.
CARRIED_OVER_SLOTS = ("language", "verified_mobile", "job_card")


def language(tracker: Tracker) -> str:
    """Reply language: the `language` slot; Bengali until the user shows otherwise."""
    return "en" if tracker.get_slot("language") == "en" else "bn"


def helpline() -> str:
    return settings().helpline


def requester_mobile(tracker: Tracker) -> str | None:
    """THE answer to "whom does this request act for?": the sender's phone number when our own
    server verified it, else None. Every action that reads, changes or deletes anything
    personal asks this function (tests/actions/test_authorization.py holds every action to it).

    - a WhatsApp message whose signature our connector checked (`sathi.trust` proof): the
      `wa_id` itself, and only when it is an Indian mobile (`91` + 10 digits, 6-9 first) —
      a foreign number is a stranger, never "completed" into an Indian one;
    - an unproven channel the profile trusts (trainers' `rest` / `cmdline`): the sender id as
      a phone number (channels/rest_guard.py has already normalised it);
    - otherwise a mobile proven by a one-time code in this very conversation (the sealed
      `verified_mobile` slot, see sathi/trust.py); never on WhatsApp, whose sender is known.
    """
    message = tracker.latest_message or {}
    metadata = message.get("metadata") or {}
    proven = trust.verified_channel(metadata, tracker.sender_id)
    if proven == "whatsapp":
        if "whatsapp" not in trust.trusted_channels():
            return None
        return whatsapp_indian_mobile(tracker.sender_id)
    if proven is None and trust.sender_is_trusted(
        metadata, tracker.sender_id, tracker.get_latest_input_channel()
    ):
        mobile = parse_mobile(tracker.sender_id)
        if mobile:
            return mobile
    return trust.open_verified_mobile(tracker.sender_id, tracker.get_slot("verified_mobile"))


def own_conversation_id(tracker: Tracker) -> str | None:
    """The conversation id when it is certainly this sender's own — a WhatsApp number our
    connector proved (foreign ones too), a REST id (namespaced `rest:` unless the profile
    trusts REST, see channels/rest_guard.py) or a channel the profile trusts — else None (an
    unproven id that could be somebody else's number). Settings and erasure of "this
    conversation" use it; nothing is changed on the strength of a raw sender id."""
    metadata = (tracker.latest_message or {}).get("metadata") or {}
    channel = tracker.get_latest_input_channel()
    if trust.verified_channel(metadata, tracker.sender_id) is not None:
        return tracker.sender_id
    if channel == "rest" and tracker.sender_id.startswith(trust.UNTRUSTED_REST_PREFIX):
        return tracker.sender_id
    if trust.sender_is_trusted(metadata, tracker.sender_id, channel):
        return tracker.sender_id
    return None


def settings_key(tracker: Tracker) -> str:
    """Where this conversation's own settings (reply language, privacy notice shown) are
    kept: its own conversation id, or a namespaced key for an unproven one, so that it can
    never change a real number's settings."""
    return own_conversation_id(tracker) or f"unverified:{tracker.sender_id}"[:64]


def is_foreign_whatsapp_sender(tracker: Tracker) -> bool:
    """A WhatsApp sender (proven by our connector) whose number is not an Indian mobile."""
    metadata = (tracker.latest_message or {}).get("metadata") or {}
    return (
        trust.verified_channel(metadata, tracker.sender_id) == "whatsapp"
        and whatsapp_indian_mobile(tracker.sender_id) is None
    )


def may_prove_by_code(tracker: Tracker) -> bool:
    """Whether a one-time code may prove the sender's mobile: not on WhatsApp, where the sender
    is the verified number itself (a foreign number gets general answers only)."""
    metadata = (tracker.latest_message or {}).get("metadata") or {}
    return trust.verified_channel(metadata, tracker.sender_id) != "whatsapp"


def unverified_response(tracker: Tracker) -> str:
    """What to say when nothing personal can be given to this sender."""
    return (
        "utter_foreign_number"
        if is_foreign_whatsapp_sender(tracker)
        else "utter_need_registered_number"
    )


def portal():
    """The process-wide portal client (connection pool, circuit breakers)."""
    global _client
    with _client_lock:
        if _client is None:
            from portal_client import PortalClient

            _client = PortalClient.from_env()
        return _client


def portal_deadline() -> float:
    return settings().portal_deadline_seconds


async def call_portal(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run a blocking portal call in a worker thread — one slow portal never freezes the other
    conversations on this action server — and give up after the deadline (retries included),
    so the user hears "the portal is not answering" within 5 seconds, never silence."""
    from bot_store import portal_calls
    from portal_client import PortalUnavailable

    started, outcome = time.monotonic(), portal_calls.OK
    try:
        return await asyncio.wait_for(
            asyncio.to_thread(functools.partial(fn, *args, **kwargs)), timeout=portal_deadline()
        )
    except asyncio.TimeoutError:
        outcome = portal_calls.TIMEOUT
        raise PortalUnavailable("portal call exceeded the deadline") from None
    except Exception as exc:
        outcome = portal_calls.outcome_of(exc)
        raise
    finally:  # timings and breaker openings for the officials' dashboard
        breakers = getattr(getattr(fn, "__self__", None), "breakers", None)
        portal_calls.observe(  # written by a task of its own: the answer does not wait
            getattr(fn, "__name__", "portal"), started, outcome, breakers and breakers.states()
        )


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
