"""Delivering a portal document (a PDF) to exactly the right person — shared by every document
service (trade NOC, building plan, tourism slip, payslip, salary statement, Form 26, cash
analysis).

    request = DocumentRequest(
        service="trade_noc", record_ref=number, fetch=client.trade_noc_pdf,
        fetch_args=(number,), filename=f"trade-noc-{number}.pdf", caption=caption,
        replies=Replies(not_yours="utter_trade_noc_not_yours",
                        not_found="utter_trade_noc_not_found", kwargs={"number": number},
                        on_not_ready=explain_trade_noc_status))
    delivery = await deliver_document(dispatcher, tracker, request)
    return finish_request(tracker, delivery, ["trade_noc_no"])

The portal decides who may have what: the PDF call carries the requester's verified mobile
(`requester_mobile`). A delivered PDF is stored in the bot store owned by that mobile (the
WhatsApp channel refuses to send a document to anyone else) and uttered as `utter_document`
(the NLG makes it a WhatsApp document or an expiring link). Every outcome is written to the
audit log. Logs carry the service, the record reference and the masked mobile — never the
document, a code or a link token.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.base import (
    call_portal,
    language,
    portal,
    renew_session,
    requester_mobile,
    unverified_response,
)
from actions.deferred import defer_on_unavailable  # reliability: deferred delivery
from actions.feedback import with_feedback
from actions.record_lookup import lookup_allowed
from bot_store import audit
from bot_store.documents import store_document
from portal_client import BadDocument, NotFound, NotReady, NotYours, PortalError, PortalUnavailable
from sathi import trust
from sathi.privacy import mask_phone
from sathi.wording import status_label

logger = logging.getLogger(__name__)

# Services whose "not ready" answer is followed by the offer of a status push.
# Not after a final no (rejected, cancelled); a pay slip only while the pay is processing.
OFFER_UPDATES_AFTER = ("trade_noc", "building_plan", "tourism_slip")
FINAL_STATUSES = ("rejected", "cancelled")


def offers_updates(service: str, status: str | None) -> bool:
    if service == "payslip":
        return status == "processing"
    return service in OFFER_UPDATES_AFTER and status not in FINAL_STATUSES


# (dispatcher, tracker, the NotReady error, its status) -> an audit detail (or None): utters
# the service's "not ready, here is what to do" answer.
NotReadyHandler = Callable[[CollectingDispatcher, Tracker, NotReady], Awaitable[str | None]]

# Outcomes after which the request is answered for good: the task ends with a new session.
FINISHED = {
    audit.DELIVERED,
    audit.NOT_YOURS,
    audit.NOT_READY,
    audit.NOT_FOUND,
    audit.BAD_DOCUMENT,
    audit.NO_IDENTITY,
    audit.ERROR,
    audit.REFUSED_RECIPIENT,
}


@dataclass(frozen=True)
class Delivery:
    """What happened: `outcome` is one of bot_store.audit's outcomes; `document_id` is set
    when delivered; `status` is the record's status when not ready."""

    outcome: str
    document_id: str | None = None
    status: str | None = None
    service: str | None = None

    @property
    def delivered(self) -> bool:
        return self.outcome == audit.DELIVERED


def _channel(tracker: Tracker) -> str:
    return tracker.get_latest_input_channel() or "unknown"


def delivered_here(tracker: Tracker, owner_mobile: str) -> bool:
    """Whether this chat's channel will hand a document owned by `owner_mobile` over — the
    same rule the WhatsApp output channel applies when it sends (a document goes only to its
    owner's own WhatsApp number); links on rest / shell go to whoever asked."""
    metadata = (tracker.latest_message or {}).get("metadata") or {}
    if (
        trust.verified_channel(metadata, tracker.sender_id) == "whatsapp"
        or _channel(tracker) == "whatsapp"
    ):
        return owner_mobile == tracker.sender_id
    return True


async def _audit(
    mobile: str | None,
    tracker: Tracker,
    service: str,
    record_ref: str,
    outcome: str,
    detail: str | None = None,
) -> None:
    try:
        await asyncio.to_thread(
            audit.record,
            mobile or "unverified",
            _channel(tracker),
            service,
            record_ref,
            outcome,
            detail,
        )
    except Exception:  # the answer to the user must not depend on the audit table
        logger.exception("audit record failed: service=%s outcome=%s", service, outcome)


@dataclass(frozen=True)
class Replies:
    """What to say when there is no document: `not_yours` / `not_found` with `kwargs` (a
    refusal must not name the owner: no owner data in `kwargs`); when not ready,
    `on_not_ready(dispatcher, tracker, error)` utters the service's status answer and returns
    an audit detail, or without it `not_ready` (`{status}`) is uttered."""

    not_yours: str
    not_found: str
    kwargs: Mapping[str, Any] = field(default_factory=dict)
    on_not_ready: NotReadyHandler | None = None
    not_ready: str = "utter_document_not_ready"


@dataclass(frozen=True)
class DocumentRequest:
    """One document to fetch and hand over: `fetch(*fetch_args, mobile=<requester>,
    **fetch_kwargs)` (a `PortalClient.*_pdf` method), stored as `filename` (default: the
    portal's) with `caption`; `service` and `record_ref` name it in the audit log."""

    service: str
    record_ref: str
    fetch: Callable[..., Any]
    caption: str
    replies: Replies
    fetch_args: Sequence[Any] = ()
    fetch_kwargs: Mapping[str, Any] = field(default_factory=dict)
    filename: str | None = None


async def deliver_document(
    dispatcher: CollectingDispatcher, tracker: Tracker, request: DocumentRequest
) -> Delivery:
    """Fetch the PDF of `request` through `call_portal`, answer the user, audit the outcome.

    - delivered: stored owned by the requester, `utter_document(document_id, filename,
      caption)`;
    - NotYours / NotFound / NotReady: `request.replies`;
    - BadDocument: nothing is sent; `utter_document_bad`; an incident is logged;
    - unavailable (or any other portal error): `utter_portal_down`;
    - no verified mobile: `utter_need_registered_number`, nothing is asked of the portal.
    """
    service, record_ref, replies = request.service, request.record_ref, request.replies
    fetch, fetch_args, fetch_kwargs = request.fetch, request.fetch_args, dict(request.fetch_kwargs)
    filename, caption = request.filename, request.caption
    kwargs = dict(replies.kwargs)
    mobile = requester_mobile(tracker)
    if mobile is None:
        dispatcher.utter_message(response=unverified_response(tracker))
        await _audit(None, tracker, service, record_ref, audit.NO_IDENTITY)
        return Delivery(audit.NO_IDENTITY)
    masked = mask_phone(mobile)
    if not delivered_here(tracker, mobile):  # asked and audited as what will really happen
        dispatcher.utter_message(response="utter_document_wrong_recipient")
        await _audit(mobile, tracker, service, record_ref, audit.REFUSED_RECIPIENT)
        return Delivery(audit.REFUSED_RECIPIENT)
    if not await lookup_allowed(mobile, service, record_ref):
        dispatcher.utter_message(response="utter_too_many_lookups")  # enumeration slowed
        await _audit(mobile, tracker, service, record_ref, "rate_limited")
        return Delivery("rate_limited")
    try:
        pdf = await call_portal(fetch, *fetch_args, mobile=mobile, **fetch_kwargs)
    except NotYours:
        logger.info("%s %s refused: not registered to %s", service, record_ref, masked)
        dispatcher.utter_message(response=replies.not_yours, **kwargs)
        await _audit(mobile, tracker, service, record_ref, audit.NOT_YOURS)
        return Delivery(audit.NOT_YOURS)
    except NotFound:
        logger.info("%s %s not found (asked by %s)", service, record_ref, masked)
        dispatcher.utter_message(response=replies.not_found, **kwargs)
        await _audit(mobile, tracker, service, record_ref, audit.NOT_FOUND)
        return Delivery(audit.NOT_FOUND)
    except NotReady as not_ready:
        logger.info("%s %s not ready (%s) for %s", service, record_ref, not_ready.status, masked)
        detail = None
        if replies.on_not_ready is not None:
            detail = await replies.on_not_ready(dispatcher, tracker, not_ready)
        else:
            dispatcher.utter_message(
                response=replies.not_ready,
                status=status_label(not_ready.status, language(tracker)),
                **kwargs,
            )
        if offers_updates(service, not_ready.status):  # "tell me when it is ready" (issue 13)
            from actions.notifications import offer_updates

            kind = {"tourism_slip": "booking", "payslip": "employee"}.get(service, service)
            offer_updates(dispatcher, tracker, (kind, record_ref.split("/")[0]))
        await _audit(
            mobile,
            tracker,
            service,
            record_ref,
            audit.NOT_READY,
            detail or (f"status={not_ready.status}" if not_ready.status else None),
        )
        return Delivery(audit.NOT_READY, status=not_ready.status)
    except BadDocument as bad:
        # An incident: the portal produced a file that is not a usable PDF. Never sent on.
        logger.error(
            "INCIDENT document failed the PDF check, not sent: service=%s record=%s "
            "requester=%s reason=%s",
            service,
            record_ref,
            masked,
            bad.message,
        )
        dispatcher.utter_message(response="utter_document_bad")
        await _audit(mobile, tracker, service, record_ref, audit.BAD_DOCUMENT, bad.message)
        return Delivery(audit.BAD_DOCUMENT)
    except PortalUnavailable as down:
        logger.warning("%s %s: portal unavailable (%s)", service, record_ref, down)
        kept = await defer_on_unavailable(
            tracker,
            mobile,
            service=service,
            record_ref=record_ref,
            fetch=fetch,
            fetch_args=fetch_args,
            fetch_kwargs=fetch_kwargs,
            filename=filename,
            caption=caption,
        )
        dispatcher.utter_message(
            response="utter_portal_down_deferred" if kept else "utter_portal_down"
        )
        await _audit(mobile, tracker, service, record_ref, audit.UNAVAILABLE, type(down).__name__)
        return Delivery(audit.UNAVAILABLE)
    except PortalError as error:  # Unauthorized, BadRequest...: our bug, not the user's
        logger.error(
            "%s %s: portal error %s (%s)", service, record_ref, type(error).__name__, error
        )
        dispatcher.utter_message(response="utter_portal_down")
        await _audit(mobile, tracker, service, record_ref, audit.ERROR, type(error).__name__)
        return Delivery(audit.ERROR)

    name = filename or pdf.filename
    try:
        document_id = await asyncio.to_thread(
            store_document,
            owner_mobile=mobile,
            service=service,
            record_ref=record_ref,
            filename=name,
            content=pdf.content,
            pages=pdf.pages,
        )
    except Exception:
        logger.exception("%s %s: could not store the document", service, record_ref)
        dispatcher.utter_message(response="utter_document_unavailable")
        await _audit(mobile, tracker, service, record_ref, audit.ERROR, "store failed")
        return Delivery(audit.ERROR)
    logger.info("%s %s delivered to %s (%d pages)", service, record_ref, masked, pdf.pages)
    dispatcher.utter_message(
        response="utter_document", document_id=document_id, filename=name, caption=caption
    )
    await _audit(mobile, tracker, service, record_ref, audit.DELIVERED, name)
    return Delivery(audit.DELIVERED, document_id=document_id, service=service)


def finish_request(
    tracker: Tracker,
    delivery: Delivery,
    service_slots: Iterable[str],
    *,
    dispatcher: CollectingDispatcher | None = None,
) -> list[EventType]:
    """Events that end the document form. A finished answer (delivered, refused, not ready...)
    clears the service's slots and renews the session (actions/base.renew_session); when the
    portal was down the values stay, so asking again later needs nothing retyped. After a
    delivered document the one feedback question is asked (actions/feedback.py)."""
    events: list[EventType] = [
        ActiveLoop(None),
        SlotSet("requested_slot", None),
        SlotSet("failed_attempts", 0),
    ]
    if delivery.outcome not in FINISHED:
        return events
    events += [SlotSet(slot, None) for slot in service_slots]
    if dispatcher is not None and delivery.outcome == audit.DELIVERED and delivery.service:
        return events + with_feedback(dispatcher, delivery.service, renew_session(tracker))
    return events + renew_session(tracker)


# --- "which of your records?" ----------------------------------------------------------------
MAX_CHOICES = 10


async def my_record_ids(tracker: Tracker, field: str) -> list[str] | None:
    """The requester's records of one kind (`MyRecords` field: trade_nocs, building_plans,
    bookings, employees, job_cards), or None when the sender is not verified or the portal
    does not answer (then the bot just asks for the number)."""
    mobile = requester_mobile(tracker)
    if mobile is None:
        return None
    try:
        records = await call_portal(portal().my_records, mobile=mobile)
    except PortalError as error:
        logger.info("my records unavailable (%s) for %s", type(error).__name__, mask_phone(mobile))
        return None
    return list(getattr(records, field, ()) or ())


async def sole_record(tracker: Tracker, field: str) -> str | None:
    """The requester's only record of that kind, or None (none, several, or unknown)."""
    ids = await my_record_ids(tracker, field)
    return ids[0] if ids and len(ids) == 1 else None


def record_buttons(ids: Sequence[str], entity: str) -> list[dict[str, str]]:
    """One button per record (at most 10, WhatsApp's list limit): the id as title, an intent
    message `/inform{"<entity>":"<id>"}` as payload."""
    return [
        {"title": record_id, "payload": f'/inform{{"{entity}":"{record_id}"}}'}
        for record_id in ids[:MAX_CHOICES]
    ]


async def ask_for_record(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    *,
    field: str,
    entity: str,
    ask_response: str,
    choose_response: str,
) -> list[EventType]:
    """Ask for the record's number: with the user's own records as buttons when the portal
    lists any (`choose_response`, the user may still type another number), else the plain
    question (`ask_response`)."""
    ids = await my_record_ids(tracker, field)
    if ids:
        dispatcher.utter_message(response=choose_response, buttons=record_buttons(ids, entity))
    else:
        dispatcher.utter_message(response=ask_response)
    return []
