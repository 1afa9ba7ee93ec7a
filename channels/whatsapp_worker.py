"""The inbox worker: processes the WhatsApp inbox after the webhook has answered 200.

One task per sender drains that sender's rows in order (Meta timestamp, then arrival);
different senders run concurrently (bounded). At start it also takes the rows a previous
process left `new` or `processing` (once their lease expired), so a crash after the 200
loses nothing. The outbox makes the reprocessing of a message safe: what Graph accepted
is not sent again.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable
from functools import partial
from typing import Any

from rasa.core.channels.channel import UserMessage

from bot_store import inbox, preferences, rate_limits
from channels import turn_gate
from channels import whatsapp_render as render
from channels.whatsapp_graph import GraphClient, WindowClosedHook, log_window_closed
from channels.whatsapp_output import WhatsAppOutput
from channels.whatsapp_send_loop import SendLoop
from sathi.privacy import mask_phone
from sathi.trust import stamp

logger = logging.getLogger(__name__)

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]
IGNORED_TYPES = {"system"}  # number changes etc.: not something the user wrote


def _obj(value: Any) -> dict[str, Any]:
    """A JSON object, or an empty one (odd payloads never raise)."""
    return value if isinstance(value, dict) else {}


def user_text(message: dict[str, Any]) -> tuple[str | None, str]:
    """(text for Rasa or None when the bot cannot read it, the message kind).

    Interactive replies and template quick replies map to their payload (`id` / `payload`),
    never to their title, which is translated."""
    kind = str(message.get("type") or "unknown")
    if kind == "text":
        body = _obj(message.get("text")).get("body")
        return (body if isinstance(body, str) and body.strip() else None), kind
    if kind == "interactive":
        inter = _obj(message.get("interactive"))
        sub = str(inter.get("type") or "")
        if sub in ("button_reply", "list_reply"):
            reply_id = _obj(inter.get(sub)).get("id")
            return (reply_id if isinstance(reply_id, str) and reply_id else None), sub
        return None, f"interactive.{sub or 'unknown'}"
    if kind == "button":
        payload = _obj(message.get("button")).get("payload")
        return (payload if isinstance(payload, str) and payload else None), kind
    if kind == "audio" and _obj(message.get("audio")).get("voice"):
        kind = "voice"
    return None, kind


TurnContext = tuple[preferences.Preferences, str]  # the sender's, the rate limit's verdict


def _turn_context(wa_id: str) -> TurnContext:
    return preferences.get(wa_id), rate_limits.check_message(wa_id)


def _claim_with_context(
    wa_id: str, lease_seconds: float
) -> tuple[inbox.InboxRow | None, TurnContext | None]:
    """The sender's next row and, for a message Rasa will see, its turn context, in one
    thread hop: under load every hop waits for the event loop, which other turns keep busy
    (about 150 ms a hop at concurrency 32 on the shared machine). The sender's preferences are
    read first, then the row claimed, each statement committing itself: two round trips
    (round 14; a transaction around the two was four, and three for a claim that found
    nothing, as the one after every turn does). Should the read fail, nothing is claimed and
    the dispatcher's next look finds the row again."""
    prefs = preferences.get(wa_id)
    row = inbox.claim_next(wa_id, lease_seconds)
    if row is None or user_text(row.message)[1] in IGNORED_TYPES:
        return row, None
    try:
        return row, (prefs, rate_limits.check_message(wa_id))
    except Exception:  # process() reads it again, where a failure is retried as usual
        logger.warning("whatsapp: turn context not read with the claim", exc_info=True)
        return row, None


class _TurnSlot:
    """One of the worker's `concurrency` turn slots, given back at most once."""

    def __init__(self, semaphore: asyncio.Semaphore) -> None:
        self._semaphore = semaphore
        self._held = False

    async def take(self) -> None:
        await self._semaphore.acquire()
        self._held = True

    def give_back(self) -> None:
        if self._held:
            self._held = False
            self._semaphore.release()


class InboxWorker:
    def __init__(
        self,
        on_new_message: OnNewMessage,
        client: GraphClient,
        *,
        lease_seconds: float = 30.0,
        poll_seconds: float = 2.0,
        concurrency: int | None = None,
        max_attempts: int = 3,
        on_window_closed: WindowClosedHook = log_window_closed,
    ) -> None:
        self.on_new_message = on_new_message
        self.client = client
        self.lease_seconds = lease_seconds
        self.poll_seconds = poll_seconds
        self.max_attempts = max_attempts
        self.on_window_closed = on_window_closed
        # None: the process's turn gate, shared with the REST webhook (channels/turn_gate.py)
        self._concurrency = concurrency
        self._own_sem: asyncio.Semaphore | None = None
        self._active: dict[str, asyncio.Task] = {}
        # senders whose webhook came while their drain was finishing: drained again after it
        self._again: set[str] = set()
        self._wake: asyncio.Event | None = None
        self._task: asyncio.Task | None = None
        self._stopping = False
        self.sender: SendLoop | None = None  # started with the worker

    def _semaphore(self) -> asyncio.Semaphore:
        if self._concurrency is None:
            return turn_gate.semaphore()
        if self._own_sem is None:
            self._own_sem = asyncio.Semaphore(self._concurrency)
        return self._own_sem

    # --- lifecycle ----------------------------------------------------------------------
    def start(self) -> None:
        if self._task is None or self._task.done():
            self._stopping = False
            self._wake = asyncio.Event()
            if self.sender is None:
                self.sender = SendLoop(self.client.config)
            self._task = asyncio.create_task(self._run(), name="whatsapp-inbox-worker")
            logger.info("whatsapp: inbox worker started")

    def wake(self, senders: Iterable[str] = ()) -> None:
        """Look for work now. `senders` (the webhook's, whose new rows it has just written)
        are drained at once, without the dispatcher's query; without them the dispatcher
        asks the store which senders have work."""
        if self._wake is None or self._stopping:
            return
        if not senders:
            self._wake.set()
        for wa_id in senders:
            self._start_drain(wa_id)

    def _start_drain(self, wa_id: str) -> None:
        if wa_id not in self._active:
            self._active[wa_id] = asyncio.create_task(self._drain(wa_id))
        else:  # its drain may be past its last claim: it starts again when it ends
            self._again.add(wa_id)

    async def stop(self) -> None:
        self._stopping = True
        tasks = [t for t in [self._task, *self._active.values()] if t]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._task = None
        if self.sender is not None:
            await self.sender.close()
            self.sender = None
        await self.client.close()

    async def idle(self, timeout: float = 30.0) -> bool:
        """Wait until no sender has work (for tests and tools); False on timeout."""
        loop = asyncio.get_running_loop()
        end = loop.time() + timeout
        while loop.time() < end:
            pending = await asyncio.to_thread(inbox.unfinished_count)
            if not self._active and pending == 0:
                return True
            self.wake()
            await asyncio.sleep(0.05)
        return False

    # --- dispatch -----------------------------------------------------------------------
    async def _run(self) -> None:
        assert self._wake is not None
        while not self._stopping:
            try:
                senders = await asyncio.to_thread(inbox.senders_with_work)
                for wa_id in senders:
                    self._start_drain(wa_id)
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("whatsapp: inbox dispatch failed; trying again")
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=self.poll_seconds)
            except asyncio.TimeoutError:
                pass
            self._wake.clear()

    async def _drain(self, wa_id: str) -> None:
        """This sender's rows, one after the other (their order). A turn slot is taken before
        each claim, so a replica without a free slot leaves the row to another one, and given
        back when Rasa has answered: sending the answer (Graph round trips, pacing) does not
        hold a slot other senders' turns are waiting for."""
        try:
            while not self._stopping:
                slot = _TurnSlot(self._semaphore())
                await slot.take()
                try:
                    row, context = await asyncio.to_thread(
                        _claim_with_context, wa_id, self.lease_seconds
                    )
                    if row is None:
                        break
                    await self.process(row, slot, context)
                finally:
                    slot.give_back()
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.exception("whatsapp: worker for %s stopped on an error", mask_phone(wa_id))
        finally:
            self._active.pop(wa_id, None)
            # A row of this sender that came while the drain was finishing (after its last
            # claim) was announced by `wake`: drain again, without asking the store which
            # senders have work (that query after every turn cost a thread hop and a
            # statement; docs/performance.md, round 11). A row written by another replica is
            # claimed by that replica's own drain, or by this loop's next claim; the
            # dispatcher's poll (`poll_seconds`) stays the backstop for anything else.
            if wa_id in self._again:
                self._again.discard(wa_id)
                if not self._stopping:
                    self._start_drain(wa_id)

    async def _heartbeat(self, row_id: int) -> None:
        while True:
            await asyncio.sleep(max(self.lease_seconds / 3, 0.05))
            await asyncio.to_thread(inbox.renew, row_id, self.lease_seconds)

    async def _mark_read(self, wamid: str) -> None:
        try:
            result = await asyncio.wait_for(self.client.mark_read(wamid, typing=True), 5.0)
            if result.classify() != "ok":
                logger.info("whatsapp: read receipt not accepted: %s", result.describe())
        except Exception as exc:  # best effort: never blocks the answer
            logger.info("whatsapp: read receipt failed: %s", type(exc).__name__)

    # --- one message --------------------------------------------------------------------
    async def process(
        self,
        row: inbox.InboxRow,
        slot: _TurnSlot | None = None,
        context: TurnContext | None = None,
    ) -> None:
        """One claimed message: Rasa's turn, then its answer sent through the outbox, then
        `done` (or a retry / `failed`). `slot` (the dispatcher's) is given back once the turn
        has been computed; `context` was read with the claim (else it is read here)."""
        who = mask_phone(row.wa_id)
        heartbeat = asyncio.create_task(self._heartbeat(row.id))
        try:
            text, kind = user_text(row.message)
            if kind in IGNORED_TYPES:
                logger.info("whatsapp: %s message from %s ignored", kind, who)
                await asyncio.to_thread(inbox.mark_done, row.id)
                return
            if context is None:
                context = await asyncio.to_thread(_turn_context, row.wa_id)
            prefs, verdict = context
            output = WhatsAppOutput(
                self.client,
                inbox_id=row.id,
                language=prefs.language,
                on_window_closed=self.on_window_closed,
                answer_to=row.wamid,
                sender=self.sender,
            )
            if verdict != rate_limits.ALLOW:  # over the per-sender limit: one notice, then quiet
                if verdict == rate_limits.WARN:
                    output._queue.append(
                        (row.wa_id, "text", rate_limits.too_many_messages_text(prefs.language))
                    )
                    await output.flush()
                await asyncio.to_thread(inbox.mark_done, row.id)
                return
            receipt = asyncio.create_task(self._mark_read(row.wamid))
            answered = False  # the turn ran to its end: `done` once its answer is sent
            try:
                if text is None:
                    logger.info(
                        "whatsapp: %s sent a message of type %s; answered that only text is read",
                        who,
                        kind,
                    )
                    await receipt
                    output._queue.append(
                        (row.wa_id, "body", render.unsupported_reply(prefs.language))
                    )
                else:
                    metadata = stamp(
                        {"whatsapp": {"type": kind, "timestamp": row.message_ts}},
                        "whatsapp",
                        row.wa_id,
                        row.wamid,
                    )
                    await self.on_new_message(
                        UserMessage(
                            text,
                            output,
                            sender_id=row.wa_id,
                            input_channel="whatsapp",
                            metadata=metadata,
                            message_id=row.wamid,
                        )
                    )
                    if slot is not None:
                        slot.give_back()  # the turn is computed: the slot is another's
                    await receipt
                answered = True
            finally:
                if slot is not None:
                    slot.give_back()
                if not receipt.done():
                    receipt.cancel()
                # what the turn produced is sent even after an error; `done` only after a
                # turn that ran to its end, in the same hand-over as the sends
                await output.flush(then=partial(inbox.mark_done, row.id) if answered else None)
        except asyncio.CancelledError:
            await asyncio.shield(asyncio.to_thread(inbox.release, row.id))
            raise
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}"[:500]
            if row.attempts >= self.max_attempts:
                logger.exception(
                    "whatsapp: message %s from %s failed %d times; given up",
                    row.id,
                    who,
                    row.attempts,
                )
                await asyncio.to_thread(inbox.mark_failed, row.id, error)
            else:
                delay = self.client.config.backoff(row.attempts + 1)
                logger.warning(
                    "whatsapp: message %s from %s failed (%s); retry in %.1fs",
                    row.id,
                    who,
                    type(exc).__name__,
                    delay,
                )
                await asyncio.to_thread(inbox.retry_later, row.id, delay, error)
        finally:
            heartbeat.cancel()
