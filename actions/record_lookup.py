"""Asking the portal about a record id typed by a user — the one way forms do it.

Every lookup of a record id first counts towards the requester's limit of different records
(`bot_store.rate_limits.note_lookup`: SATHI_ENUMERATION_MAX_IDS per window), then asks the
portal with the verified requester's mobile, and folds the portal's answers so that a user
learns no more than "I could not give you this": a record that does not exist and a record
registered to another mobile give the same outcome, `UNAVAILABLE`, and the forms answer both
with the same words. "Too many" is decided before the portal is asked, so it says nothing
about the record either.

    outcome, found = await look_up(tracker, "job_card", card.nrega, portal().job_card)
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from rasa_sdk import Tracker

from actions.base import call_portal, requester_mobile
from bot_store import rate_limits
from portal_client import NotFound, NotYours, PortalError, PortalUnavailable
from sathi.str_enum import StrEnum

logger = logging.getLogger(__name__)


class LookupOutcome(StrEnum):
    FOUND = "found"  # the requester may have it; `found` is the portal's answer
    UNAVAILABLE = "unavailable"  # not found or not the requester's: the same to the user
    TOO_MANY = "too_many"  # over the limit of different records: portal not asked
    UNVERIFIED = "unverified"  # no verified requester: the portal was not asked
    PORTAL_DOWN = "portal_down"  # the portal did not answer (or erred): decide later


FOUND, UNAVAILABLE = LookupOutcome.FOUND, LookupOutcome.UNAVAILABLE
TOO_MANY, UNVERIFIED = LookupOutcome.TOO_MANY, LookupOutcome.UNVERIFIED
PORTAL_DOWN = LookupOutcome.PORTAL_DOWN

# Kinds of record, one counter each (the same record in validation and delivery counts
# once). Document services count under their service name (the deliver action's `service`).
KARMASHREE = "karmashree"  # job cards: status questions and work demand together
EMPLOYEE = "employee"  # employee ids: pay slip and salary statement forms


async def lookup_allowed(mobile: str, kind: str, record_ref: str) -> bool:
    return await asyncio.to_thread(rate_limits.note_lookup, mobile, kind, record_ref)


async def look_up(
    tracker: Tracker, kind: str, record_ref: str, call: Callable[..., Any]
) -> tuple[LookupOutcome, Any | None]:
    """(outcome, the portal's answer when FOUND) for `call(record_ref, mobile=requester)`."""
    mobile = requester_mobile(tracker)
    if mobile is None:
        return UNVERIFIED, None
    if not await lookup_allowed(mobile, kind, record_ref):
        return TOO_MANY, None
    try:
        return FOUND, await call_portal(call, record_ref, mobile=mobile)
    except (NotFound, NotYours):
        return UNAVAILABLE, None
    except PortalUnavailable:
        return PORTAL_DOWN, None
    except PortalError as error:
        logger.warning("%s lookup: portal error %s", kind, type(error).__name__)
        return PORTAL_DOWN, None
