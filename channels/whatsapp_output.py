"""`WhatsAppOutput`: Rasa's bot messages -> Graph messages, each through the outbox.

Inside a turn (an inbound message being processed, `inbox_id` set) the messages are
buffered and sent by `flush()` when the turn ends: consecutive plain texts are merged into
one message where they fit (and into the body of the buttons or list that follows them, when
that fits), and the messages of a turn past its first few are paced; the inbox worker has them
sent on its send loop (`sender`, channels/whatsapp_send_loop.py). Outside a turn
(`inbox_id` None, e.g. Rasa's trigger_intent API) each response is sent at once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any, cast

from rasa.core.channels.channel import OutputChannel

from bot_store import audit, outbox
from bot_store.documents import load_document
from channels import whatsapp_render as render
from channels.whatsapp_graph import (
    GraphClient,
    GraphConfig,
    GraphResult,
    WindowClosedHook,
    deliver,
    log_window_closed,
    message_body,
)
from channels.whatsapp_send_loop import SendLoop
from sathi.privacy import mask_phone

logger = logging.getLogger(__name__)

Item = tuple[str, str, Any]  # (recipient, kind, value): kind text | body | document


class WhatsAppOutput(OutputChannel):
    @classmethod
    def name(cls) -> str:
        return "whatsapp"

    def __init__(
        self,
        client: GraphClient,
        inbox_id: int | None = None,
        language: str | None = None,
        on_window_closed: WindowClosedHook = log_window_closed,
        answer_to: str | None = None,
        sender: SendLoop | None = None,
    ) -> None:
        self.client = client
        self.sender = sender  # where a turn's answer is sent (None: on the caller's loop)
        self.inbox_id = inbox_id
        self.answer_to = answer_to  # the inbound wamid: the outbox key of this turn's answer
        self.language = language
        self.buffered = inbox_id is not None
        self.on_window_closed = on_window_closed
        self._queue: list[Item] = []
        self._seq = 0
        # loop time at which Graph answered this turn's previous message (None: none yet)
        self._previous_answered_at: float | None = None
        self._sent = 0  # messages of this turn sent (or given up on) so far
        self.results: list[str] = []  # final outbox state of every message, in order

    # --- Rasa's entry points ----------------------------------------------------------
    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        text = message.get("text")
        buttons = message.get("quick_replies") or message.get("buttons")
        if buttons:
            for body in render.render_buttons(text or "", list(buttons)):
                self._queue.append((recipient_id, "body", body))
        elif text:
            self._queue.append((recipient_id, "text", text))
        if message.get("custom"):
            self._queue_custom(recipient_id, message["custom"])
        if message.get("image"):
            self._queue.append((recipient_id, "text", str(message["image"])))
        if message.get("attachment"):
            self._queue.append((recipient_id, "text", str(message["attachment"])))
        if not self.buffered:
            await self.flush()

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self.send_response(recipient_id, {"text": text})

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        await self.send_response(recipient_id, {"text": text, "buttons": buttons})

    async def send_custom_json(
        self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any
    ) -> None:
        await self.send_response(recipient_id, {"custom": json_message})

    def _queue_custom(self, recipient_id: str, custom: Any) -> None:
        if isinstance(custom, dict) and isinstance(custom.get("document"), dict):
            self._queue.append((recipient_id, "document", dict(custom["document"])))
        elif isinstance(custom, dict) and isinstance(custom.get("whatsapp"), dict):
            # A ready Graph body (e.g. a template), passed through as it is.
            self._queue.append((recipient_id, "body", dict(custom["whatsapp"])))
        else:
            logger.warning(
                "whatsapp: custom payload with keys %s has no WhatsApp form; dropped",
                sorted(custom) if isinstance(custom, dict) else type(custom).__name__,
            )

    # --- sending ----------------------------------------------------------------------
    def _merged(self) -> list[Item]:
        items: list[Item] = []
        texts: list[str] = []
        owner = ""  # the recipient of the texts being merged

        def close() -> None:
            if texts:
                for chunk in render.merge_texts(texts):
                    items.append((owner, "body", render.text_body(chunk)))
                texts.clear()

        for recipient, kind, value in self._queue:
            if kind == "text" and (owner == recipient or not texts):
                owner = recipient
                texts.append(value)
                continue
            if kind == "body" and texts and owner == recipient:
                folded = render.fold_into_interactive(texts, value)
                if folded is not None:  # the texts open the buttons' message: one message less
                    texts.clear()
                    items.append((recipient, kind, folded))
                    continue
            close()
            if kind == "text":
                owner = recipient
                texts.append(value)
            else:
                items.append((recipient, kind, value))
        close()
        self._queue = []
        return items

    async def flush(self, then: Callable[[], object] | None = None) -> list[str]:
        """Send what the turn produced; the final outbox state of each message. `then` (a
        store write whose outcome nothing reads, e.g. marking the inbound message done) runs
        after the sends, in a thread of the loop they were sent on: no extra hop back to the
        caller's loop; on PostgreSQL it goes in one query with the last message's `sent`."""
        items = self._merged()
        if not items and then is None:
            return []
        if self.sender is None:
            return await self._send_items(items, then)
        return await self.sender.run(self._send_items(items, then))

    @property
    def _graph(self) -> GraphClient:
        """The client of the loop the answer is sent on."""
        return self.client if self.sender is None else self.sender.client

    async def _send_items(
        self, items: list[Item], then: Callable[[], object] | None = None
    ) -> list[str]:
        """Each item in order. Under load every thread hop waits for the GIL, so a message's
        `sent` carries the next store call in the same hop: the next message's outbox row
        (unless a pause comes between: a row is committed `sending` only just before its
        request), and after the last message, `then`."""
        states: list[str] = []
        loop = asyncio.get_running_loop()
        config = self._graph.config
        opened: tuple[outbox.OutboxRow, bool] | None = None  # the next item's row, if opened
        then_done = then is None
        for index, item in enumerate(items):
            if self._previous_answered_at is not None and self._paced(config):
                # the pause counts from Graph's answer to the previous message: recording
                # that answer in the store happens during the pause, not before it
                wait = self._previous_answered_at + config.pace - loop.time()
                await asyncio.sleep(max(0.0, wait))
            following = items[index + 1] if index + 1 < len(items) else None
            rider: _Rider | None = None
            if following is not None and not self._paced(config, ahead=1):
                rider = _Rider(partial(self._open_row, *following))
            elif following is None and then is not None:
                rider = _Rider(then)
            if opened is None:
                opened = await asyncio.to_thread(self._open_row, *item)
            row, started = opened
            state = await self._deliver(
                row, started, item[1], after_sent=rider, after_sent_reads_nothing=following is None
            )
            opened = None
            if rider is not None and rider.ran:
                if following is not None:
                    opened = cast("tuple[outbox.OutboxRow, bool]", rider.result)
                else:
                    then_done = True
            self._sent += 1
            states.append(state)
        self.results.extend(states)
        if then is not None and not then_done:
            await asyncio.to_thread(then)
        return states

    def _paced(self, config: GraphConfig, ahead: int = 0) -> bool:
        """Whether the next message of this turn (`ahead`: the one after it) waits: Meta's
        pair rate (about one message per 6 s to one user) lets a burst through and counts the
        burst's messages whatever their spacing, so a turn's first `pace_after` messages go at
        once and only the ones past them are paced (docs/whatsapp.md, Outbound)."""
        return self._sent + ahead >= config.pace_after and config.pace > 0

    def _next_row(
        self, recipient: str, kind: str, body: dict[str, Any]
    ) -> tuple[outbox.OutboxRow, bool]:
        """The outbox row of the next answer position, and whether it was just created
        `sending` (one transaction; see `outbox.open_for_sending`)."""
        seq = self._seq
        self._seq += 1
        return outbox.open_for_sending(
            wa_id=recipient,
            inbox_id=self.inbox_id,
            seq=seq,
            kind=kind,
            body=body,
            answer_to=self.answer_to,
        )

    def _open_row(self, recipient: str, kind: str, value: Any) -> tuple[outbox.OutboxRow, bool]:
        """The outbox row of one item (see `_next_row`); a document's row holds only its
        reference."""
        if kind == "document":
            ref = {k: value.get(k) for k in ("id", "filename", "caption", "template")}
            return self._next_row(recipient, "document", {"document_ref": ref})
        return self._next_row(recipient, str(value.get("type", "text")), value)

    async def _deliver(
        self,
        row: outbox.OutboxRow,
        started: bool,
        kind: str,
        after_sent: Callable[[], object] | None = None,
        after_sent_reads_nothing: bool = False,
    ) -> str:
        if kind == "document":
            send_once = lambda: self._answered(self._send_document(row))  # noqa: E731
        else:
            send_once = lambda: self._answered(  # noqa: E731
                self._graph.send(message_body(row.wa_id, row.body))
            )
        return await deliver(
            self._graph,
            row,
            send_once,
            self.on_window_closed,
            started=started,
            after_sent=after_sent,
            after_sent_reads_nothing=after_sent_reads_nothing,
        )

    async def _answered(self, request: Awaitable[GraphResult]) -> GraphResult:
        """Graph's answer to `request`; notes when it came (the next message's pause starts
        then)."""
        try:
            return await request
        finally:
            self._previous_answered_at = asyncio.get_running_loop().time()

    async def _send_document(self, row: outbox.OutboxRow) -> GraphResult:
        ref = (row.body.get("document_ref") or {}) if row.kind == "document" else {}
        if row.kind != "document":  # replaced by a text earlier
            return await self._graph.send(message_body(row.wa_id, row.body))
        doc = await asyncio.to_thread(load_document, ref.get("id"))
        if doc is None or doc.owner_mobile != row.wa_id:
            reason = "missing or expired" if doc is None else "not theirs"
            logger.warning(
                "whatsapp: document for %s refused (%s); a text says so instead",
                mask_phone(row.wa_id),
                reason,
            )
            await asyncio.to_thread(_audit_not_delivered, row.wa_id, doc, reason)
            text = render.text_body(render.document_unavailable_text(self.language))
            await asyncio.to_thread(outbox.replace_body, row.id, "text", text)
            return await self._graph.send(message_body(row.wa_id, text))
        filename = _safe_filename(ref.get("filename") or doc.filename)
        upload = await self._graph.upload_media(doc.content, filename, "application/pdf")
        if upload.classify() != "ok":
            upload.sent = False  # no message can have left: an upload is safe to repeat
            return upload
        media_id = str(upload.data.get("id") or "")
        document: dict[str, Any] = {"id": media_id, "filename": filename}
        caption = str(ref.get("caption") or "").strip()
        if caption:
            document["caption"] = render.shorten(caption, render.CAPTION_MAX)
        template = ref.get("template")
        if isinstance(template, dict) and template.get("name"):
            # Outside the 24-hour window: the approved utility template, the PDF in its header
            # (by media id: no public link is ever needed).
            body = {
                "type": "template",
                "template": {
                    "name": str(template["name"]),
                    "language": {"code": str(template.get("language") or "bn")},
                    "components": [
                        {
                            "type": "header",
                            "parameters": [
                                {
                                    "type": "document",
                                    "document": {"id": media_id, "filename": filename},
                                }
                            ],
                        },
                        {"type": "body", "parameters": [{"type": "text", "text": filename}]},
                    ],
                },
            }
        else:
            body = {"type": "document", "document": document}
        try:
            return await self._graph.send(message_body(row.wa_id, body))
        finally:
            deleted = await self._graph.delete_media(media_id)
            if deleted.classify() != "ok":
                logger.warning("whatsapp: media %s not deleted: %s", media_id, deleted.describe())


class _Rider:
    """A store call that rides in the thread hop of a message's `sent` (`_send_items`):
    whether it ran, and what it returned."""

    def __init__(self, call: Callable[[], object]) -> None:
        self.call = call
        self.ran = False
        self.result: object = None

    def __call__(self) -> None:
        self.result = self.call()
        self.ran = True


def _audit_not_delivered(wa_id: str, doc: Any, reason: str) -> None:
    try:
        audit.record(
            wa_id,
            "whatsapp",
            getattr(doc, "service", None) or "document",
            getattr(doc, "record_ref", None) or "-",
            audit.NOT_DELIVERED,
            reason,
        )
    except Exception:  # the user's answer must not depend on the audit table
        logger.exception("audit of an undelivered document failed")


def _safe_filename(name: str) -> str:
    name = "".join(ch for ch in str(name) if ch.isprintable() and ch not in '/\\:*?"<>|').strip()
    if not name.lower().endswith(".pdf"):
        name = (name or "document") + ".pdf"
    return name[:120]
