"""Documents asked for while the portal was down, delivered later on WhatsApp.

1. `defer_on_unavailable(...)` — called by actions/document_delivery.py when the portal does
   not answer: on WhatsApp (the only channel that can push) and for a number that has not
   opted out, the request is kept in the bot store (`bot_store.deferred`, unique per
   request) and the user hears `utter_portal_down_deferred` ("I will send it when the portal
   is back"). Elsewhere the caller says when to ask again (`utter_portal_down`).
2. The worker in the rasa server (channels/deferred_delivery.py) notices the portal is back
   and runs Rasa's external event `EXTERNAL_deliver_deferred` on the conversation (optional
   entity `deferred_id`; without it every open request of that number): rule -> `action_deliver_deferred` (below), which claims the row (so nothing
   is delivered twice), fetches the PDF with the verified mobile kept in the row, stores it
   owned by that mobile, and sends it:
   - inside WhatsApp's 24-hour customer-service window: `utter_deferred_ready` + the
     document (`utter_document`);
   - outside it: the approved utility template `SATHI_WA_DOCUMENT_TEMPLATE` (default
     `sathi_document_ready`) with the PDF as its document header (an expiring single-owner
     link) — see docs/whatsapp.md.
   A portal still down puts the row back to waiting, silently.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.base import call_portal, language, portal, requester_mobile
from bot_store import audit, deferred, preferences
from bot_store.documents import store_document
from portal_client import BadDocument, NotFound, NotReady, NotYours, PortalError, PortalUnavailable
from sathi import clock, trust
from sathi.identifiers import whatsapp_indian_mobile
from sathi.privacy import install_masking_filter, mask_phone
from sathi.settings import settings
from sathi.wording import document_kind

logger = logging.getLogger(__name__)
install_masking_filter()

PUSH_CHANNELS = {"whatsapp"}
EXTERNAL_INTENT = "EXTERNAL_deliver_deferred"


async def defer_on_unavailable(
    tracker: Tracker,
    mobile: str,
    *,
    service: str,
    record_ref: str,
    fetch: Callable[..., Any],
    fetch_args: Sequence[Any] = (),
    fetch_kwargs: dict[str, Any] | None = None,
    filename: str | None = None,
    caption: str = "",
) -> bool:
    """Keep the request for a later push; True when it is kept (the caller then utters
    `utter_portal_down_deferred`), False when this channel cannot push or the number opted
    out (the caller says when to ask again)."""
    channel = tracker.get_latest_input_channel() or ""
    method = getattr(fetch, "__name__", "")
    if channel not in PUSH_CHANNELS or not pushes_to(tracker, mobile):  # only to the sender
        return False
    if not method or not hasattr(portal(), method):
        return False
    request = {
        "method": method,
        "args": list(fetch_args),
        "kwargs": dict(fetch_kwargs or {}),
        "record_ref": record_ref,
        "filename": filename,
        "caption": caption,
    }
    try:
        if await asyncio.to_thread(preferences.is_opted_out, mobile):
            return False
        row_id, new = await asyncio.to_thread(deferred.defer, mobile, channel, service, request)
    except Exception:
        logger.exception("deferred delivery could not be kept: service=%s", service)
        return False
    logger.info(
        "%s %s deferred for %s (row %s, %s)",
        service,
        record_ref,
        mask_phone(mobile),
        row_id,
        "new" if new else "already waiting",
    )
    return True


def pushes_to(tracker: Tracker, mobile: str) -> bool:
    """True when this conversation is the proven WhatsApp chat of `mobile` itself: the only
    place a kept document may be pushed to."""
    return (
        requester_mobile(tracker) == mobile and whatsapp_indian_mobile(tracker.sender_id) == mobile
    )


def is_our_trigger(tracker: Tracker) -> bool:
    """The external event came from our own worker (channels/deferred_delivery.py), which
    signs it for this conversation — not from a user typing `/EXTERNAL_deliver_deferred`."""
    proofs = list(tracker.get_latest_entity_values(trust.DEFERRED_PROOF_ENTITY))
    return bool(proofs) and trust.is_deferred_trigger(tracker.sender_id, proofs[0])


def window_seconds() -> float:
    return settings().wa_window_seconds


def _last_user_message_age(wa_id: str) -> float | None:
    """Seconds since the sender's last WhatsApp message (bot store inbox), None if none."""
    from sqlalchemy import func, select

    from bot_store.db import engine
    from bot_store.schema import wa_inbox

    with engine().connect() as conn:
        last = conn.execute(
            select(func.max(wa_inbox.c.received_at)).where(wa_inbox.c.wa_id == wa_id)
        ).scalar()
    if last is None:
        return None
    now = clock.now()
    if last.tzinfo is None:
        now = now.replace(tzinfo=None)
    return (now - last).total_seconds()


def template_payload(
    document_id: str, owner: str, filename: str, lang: str, service: str
) -> dict[str, Any]:
    """The document payload that the WhatsApp channel sends as the approved utility template
    (outside the 24-hour window): the PDF is uploaded and carried in the template's header by
    media id, with the same owner check as any document — no public link is needed."""
    name = settings().wa_document_template
    return {
        "document": {
            "id": document_id,
            "filename": filename,
            "template": {"name": name, "language": "en" if lang == "en" else "bn"},
        }
    }


class ActionDeliverDeferred(Action):
    def name(self) -> str:
        return "action_deliver_deferred"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        recipient = whatsapp_indian_mobile(tracker.sender_id)
        if not is_our_trigger(tracker) or recipient is None:
            logger.warning("deferred delivery asked for outside our worker's trigger: refused")
            return []
        ids = [str(v) for v in tracker.get_latest_entity_values("deferred_id")]
        if ids:
            row_ids = [int(v) for v in ids if v.isdigit()]
        else:  # the worker's trigger: every open request of this conversation's number
            rows = await asyncio.to_thread(deferred.due)
            row_ids = [r.id for r in rows if r.mobile == recipient]
        for row_id in row_ids:
            row = await asyncio.to_thread(deferred.claim, row_id)
            if row is None:
                logger.info("deferred row %s already delivered or being delivered", row_id)
                continue
            if row.mobile != recipient:
                logger.error("deferred row %s triggered in another conversation; refused", row_id)
                await asyncio.to_thread(deferred.release, row_id)
                continue
            if await asyncio.to_thread(preferences.is_opted_out, row.mobile):
                await asyncio.to_thread(deferred.cancel, row_id)
                logger.info(
                    "deferred row %s cancelled: %s opted out", row_id, mask_phone(row.mobile)
                )
                continue
            await self._deliver(dispatcher, tracker, row)
        return []

    async def _deliver(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, row: deferred.Deferred
    ) -> None:
        request, masked, lang = row.request, mask_phone(row.mobile), language(tracker)
        ref = str(request.get("record_ref") or "")
        fetch = getattr(portal(), str(request.get("method") or ""), None)
        if fetch is None:
            await asyncio.to_thread(deferred.mark_failed, row.id)
            return

        async def done(outcome: str, detail: str | None = None, failed: bool = True) -> None:
            if failed:
                await asyncio.to_thread(deferred.mark_failed, row.id)
            await asyncio.to_thread(
                audit.record, row.mobile, row.channel, row.service, ref, outcome, detail
            )

        try:
            pdf = await call_portal(
                fetch, *request.get("args", []), mobile=row.mobile, **(request.get("kwargs") or {})
            )
        except PortalUnavailable:
            logger.info("deferred row %s: portal still down; kept", row.id)
            await asyncio.to_thread(deferred.release, row.id)
            return
        except (NotYours, NotFound, NotReady) as refusal:
            dispatcher.utter_message(
                response="utter_deferred_failed", reference=document_kind(row.service, lang)
            )
            await done(
                {NotYours: audit.NOT_YOURS, NotFound: audit.NOT_FOUND, NotReady: audit.NOT_READY}[
                    type(refusal)
                ],
                "deferred",
            )
            return
        except BadDocument as bad:
            logger.error(
                "INCIDENT document failed the PDF check, not sent: service=%s record=%s "
                "requester=%s reason=%s (deferred)",
                row.service,
                ref,
                masked,
                bad.message,
            )
            dispatcher.utter_message(response="utter_document_bad")
            await done(audit.BAD_DOCUMENT, bad.message)
            return
        except PortalError as error:
            logger.error("deferred row %s: portal error %s", row.id, type(error).__name__)
            await asyncio.to_thread(deferred.release, row.id)
            return
        name = request.get("filename") or pdf.filename
        document_id = await asyncio.to_thread(
            store_document,
            owner_mobile=row.mobile,
            service=row.service,
            record_ref=ref,
            filename=name,
            content=pdf.content,
            pages=pdf.pages,
        )
        age = await asyncio.to_thread(_last_user_message_age, row.mobile)
        if age is not None and age > window_seconds():
            dispatcher.utter_message(
                json_message=template_payload(document_id, row.mobile, name, lang, row.service)
            )
            how = "template"
        else:
            dispatcher.utter_message(response="utter_deferred_ready")
            dispatcher.utter_message(
                response="utter_document",
                document_id=document_id,
                filename=name,
                caption=request.get("caption") or name,
            )
            how = "in window"
        await asyncio.to_thread(deferred.mark_delivered, row.id)
        await asyncio.to_thread(
            audit.record,
            row.mobile,
            row.channel,
            row.service,
            ref,
            audit.DELIVERED,
            f"deferred ({how})",
        )
        logger.info(
            "deferred row %s: %s %s delivered to %s (%s)", row.id, row.service, ref, masked, how
        )
