"""The status-push worker: follows the portal's change feed and tells subscribed citizens on
WhatsApp (issue 13; docs/notifications.md). A background task in the rasa server process,
started and stopped with it like the deferred-delivery worker (credentials.yml lists
`channels.push_worker.StatusPushChannel`; `GET /webhooks/status_pushes/` shows its state).

Each pass (every SATHI_PUSH_POLL_SECONDS):
1. read the feed from the stored cursor (one replica at a time, by a short lease); each event
   becomes one push row per subscriber who still owns the record; rows and the new cursor
   commit together (bot_store/pushes.py): at-least-once reading, exactly-once rows;
2. claim the due rows (lease; SKIP LOCKED on PostgreSQL) and send each: nothing during quiet
   hours (held until 08:00 Asia/Kolkata), nothing to a number that opted out or stopped the
   updates, at most SATHI_PUSH_MAX_PER_SECOND messages a second (token bucket); a normal
   text inside the 24-hour window (the inbox knows the last message), else the approved
   utility template. Each send goes through the outbox under the key
   `push:<event>:<number>`, so no retry or restart sends a push twice.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from rasa.core.channels.channel import InputChannel
from sanic import Blueprint, response
from sanic.request import Request

from bot_store import inbox, outbox, preferences, pushes, subscriptions
from channels.push_messages import PushMessage, compose
from channels.whatsapp_graph import GraphClient, GraphConfig, deliver, message_body
from sathi import clock
from sathi.privacy import install_masking_filter, mask_phone
from sathi.settings import settings

logger = logging.getLogger("channels.push_worker")


def window() -> timedelta:
    """WhatsApp's 24-hour window less a margin: SATHI_WA_WINDOW_SECONDS, as for deferred
    documents (actions/deferred.py)."""
    return timedelta(seconds=settings().wa_window_seconds)


# --- quiet hours ------------------------------------------------------------------------------
def quiet_hours() -> tuple[int, int]:
    """(start hour, end hour) in Asia/Kolkata: SATHI_PUSH_QUIET_HOURS, default "21-8"."""
    raw = settings().push_quiet_hours
    try:
        start, end = (int(part) for part in raw.split("-", 1))
        if 0 <= start <= 23 and 0 <= end <= 23:
            return start, end
    except ValueError:
        pass
    return 21, 8


def quiet_until(now: datetime, hours: tuple[int, int] | None = None) -> datetime | None:
    """When the quiet hours around `now` end (the next `end`:00), or None when not quiet."""
    start, end = hours or quiet_hours()
    local = now.astimezone(clock.IST)
    if start == end:
        return None
    quiet = (local.hour >= start or local.hour < end) if start > end else start <= local.hour < end
    if not quiet:
        return None
    morning = local.replace(hour=end, minute=0, second=0, microsecond=0)
    return morning if morning > local else morning + timedelta(days=1)


# --- pacing -----------------------------------------------------------------------------------
class TokenBucket:
    """At most `rate` sends a second on average, bursts up to `capacity`."""

    def __init__(
        self,
        rate: float,
        capacity: float | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Any] = asyncio.sleep,
    ) -> None:
        self.rate = max(rate, 0.001)
        self.capacity = max(capacity if capacity is not None else max(rate, 1.0), 1.0)
        self.tokens = self.capacity
        self.monotonic = monotonic
        self.sleep = sleep
        self.updated = monotonic()

    def _refill(self) -> None:
        now = self.monotonic()
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
        self.updated = now

    async def take(self) -> None:
        while True:
            self._refill()
            if self.tokens >= 1 - 1e-9:  # (rounding must not leave a sleep of nothing)
                self.tokens = max(self.tokens - 1, 0.0)
                return
            await self.sleep((1 - self.tokens) / self.rate)


# --- the worker -------------------------------------------------------------------------------
async def _no_hook(row) -> None:
    return None


class PushWorker:
    def __init__(
        self,
        client: GraphClient,
        *,
        portal: Any = None,
        poll_seconds: float | None = None,
        max_per_second: float | None = None,
        now: Callable[[], datetime] = lambda: clock.now(),
        page_size: int = 200,
        batch: int = 50,
    ) -> None:
        self.client = client
        self._portal = portal
        self.poll_seconds = poll_seconds or settings().push_poll_seconds
        self.bucket = TokenBucket(max_per_second or settings().push_max_per_second)
        self.now = now
        self.page_size = page_size
        self.batch = batch
        self.owner = f"push-{os.getpid()}-{secrets.token_hex(4)}"
        self._task: asyncio.Task | None = None
        self.passes = 0
        self.sent = 0
        self.last_error: str | None = None

    @property
    def portal(self):
        if self._portal is None:
            from portal_client import PortalClient

            self._portal = PortalClient.from_env()
        return self._portal

    # --- lifecycle --------------------------------------------------------------------------
    def start(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name="status-push-worker")
            logger.info("status push worker started (every %.1f s)", self.poll_seconds)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None
        try:
            await asyncio.to_thread(pushes.release_feed_lease, self.owner)
        except Exception:  # the store is gone at shutdown: the lease simply expires
            logger.info("status pushes: feed lease not released")
        await self.client.close()

    async def _run(self) -> None:
        while True:
            try:
                await self.run_once()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                self.last_error = type(exc).__name__
                logger.exception("status push pass failed; trying again")
            await asyncio.sleep(self.poll_seconds)

    async def run_once(self) -> dict[str, int]:
        self.passes += 1
        read = await asyncio.to_thread(self.read_feed)
        sent = await self.send_due()
        return {"queued": read, "sent": sent}

    # --- 1. the feed -> push rows -----------------------------------------------------------
    def read_feed(self, max_pages: int = 20) -> int:
        """Pushes queued from the feed in this pass (blocking: run in a thread)."""
        queued = 0
        for _ in range(max_pages):
            if not pushes.take_feed_lease(self.owner, max(10.0, self.poll_seconds * 3)):
                return queued
            after = pushes.cursor()
            try:
                page = self.portal.changes(after=after, limit=self.page_size)
            except Exception as exc:  # the portal is down: the cursor stays, try next pass
                logger.info("status pushes: change feed unavailable (%s)", type(exc).__name__)
                return queued
            rows = list(self.pushes_for(page.events))
            queued += pushes.enqueue(rows, page.next)
            if not page.more:
                break
        return queued

    def pushes_for(self, events) -> list[dict[str, Any]]:
        held = quiet_until(self.now())
        rows = []
        for event in events:
            for sub in subscriptions.for_record(event.record_kind, event.record_id):
                if sub.mobile not in event.mobiles:  # no longer the owner: nothing said
                    continue
                rows.append(
                    {
                        "event_id": event.id,
                        "mobile": sub.mobile,
                        "event_kind": event.kind,
                        "record_kind": event.record_kind,
                        "record_id": event.record_id,
                        "event_state": event.state,
                        "language": sub.language,
                        "not_before": held or self.now(),
                    }
                )
        return rows

    # --- 2. push rows -> WhatsApp -----------------------------------------------------------
    async def send_due(self) -> int:
        count = 0
        while True:
            due = await asyncio.to_thread(pushes.claim_due, self.now(), self.batch)
            if not due:
                return count
            for push in due:
                if await self.send_one(push) == "sent":
                    count += 1
            if len(due) < self.batch:
                return count

    async def send_one(self, push: pushes.Push) -> str:
        """Send one claimed push; the state it ends in (or `held`)."""
        who = mask_phone(push.mobile)
        if await asyncio.to_thread(preferences.is_opted_out, push.mobile):
            await asyncio.to_thread(pushes.mark, push.id, "skipped", None, "opted out")
            return "skipped"
        if not await asyncio.to_thread(
            subscriptions.is_subscribed, push.mobile, push.record_kind, push.record_id
        ):
            await asyncio.to_thread(pushes.mark, push.id, "skipped", None, "unsubscribed")
            return "skipped"
        morning = quiet_until(self.now())
        if morning is not None:
            await asyncio.to_thread(pushes.hold_until, push.id, morning)
            logger.info(
                "status push %s to %s held until %s (quiet hours)",
                push.id,
                who,
                morning.strftime("%H:%M"),
            )
            return "held"
        lang = (await asyncio.to_thread(preferences.get, push.mobile)).language or push.language
        message = compose(push.event_kind, push.record_kind, push.record_id, push.event_state, lang)
        if message is None:
            await asyncio.to_thread(
                pushes.mark, push.id, "skipped", None, "no words for this event"
            )
            return "skipped"
        key = f"push:{push.event_id}:{push.mobile}"
        earlier = await asyncio.to_thread(outbox.for_answer, key)
        if earlier:  # a pass before a crash chose the path already: keep to it
            via = "template" if earlier[-1].seq == 1 else "text"
        else:
            last = await asyncio.to_thread(inbox.last_inbound_at, push.mobile)
            via = "text" if last is not None and self.now() - last < window() else "template"
        await self.bucket.take()
        state = await self._send(push, key, message, via)
        if state == "needs_template" and via == "text":  # the window closed meanwhile
            await self.bucket.take()
            via, state = "template", await self._send(push, key, message, "template")
        final = {"sent": "sent", "ambiguous": "ambiguous"}.get(state, "failed")
        await asyncio.to_thread(
            pushes.mark, push.id, final, via, None if final == "sent" else state
        )
        if final == "sent":
            self.sent += 1
        logger.info(
            "status push %s (%s %s) to %s: %s as %s",
            push.id,
            push.event_kind,
            push.record_kind,
            who,
            final,
            via,
        )
        return final

    async def _send(self, push: pushes.Push, key: str, message: PushMessage, via: str) -> str:
        body = message.text_body() if via == "text" else message.template_body()
        row = await asyncio.to_thread(
            outbox.get_or_create,
            wa_id=push.mobile,
            inbox_id=None,
            seq=0 if via == "text" else 1,
            kind=str(body["type"]),
            body=body,
            answer_to=key,
        )
        return await deliver(
            self.client, row, lambda: self.client.send(message_body(row.wa_id, row.body)), _no_hook
        )


class StatusPushChannel(InputChannel):
    """Not a channel users write to: it starts and stops the push worker with the server."""

    @classmethod
    def name(cls) -> str:
        return "status_pushes"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> StatusPushChannel:
        return cls()

    def __init__(self) -> None:
        self.worker: PushWorker | None = None

    def blueprint(self, on_new_message) -> Blueprint:
        bp = Blueprint("status_pushes", __name__)
        channel = self

        @bp.listener("after_server_start")
        async def start(app, loop) -> None:
            install_masking_filter()
            config = GraphConfig.from_settings()
            if not settings().push_worker:
                logger.info("status push worker off (SATHI_PUSH_WORKER=off)")
            elif config is None:
                logger.warning("status push worker not started: WhatsApp credentials missing")
            else:
                channel.worker = PushWorker(GraphClient(config))
                channel.worker.start()

        @bp.listener("before_server_stop")
        async def stop(app, loop) -> None:
            if channel.worker is not None:
                await channel.worker.stop()

        @bp.route("/", methods=["GET"])
        async def state(_: Request):
            worker = channel.worker
            return response.json(
                {
                    "status": "ok" if worker else "off",
                    "cursor": await asyncio.to_thread(pushes.cursor),
                    "pending": await asyncio.to_thread(pushes.pending_count),
                    "passes": worker.passes if worker else 0,
                    "sent": worker.sent if worker else 0,
                }
            )

        return bp
