"""The Graph API side of the WhatsApp channel: configuration, HTTP calls, error classes and
delivery of one outbox row (with backoff for what may be retried, never for what may not).
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from bot_store import outbox
from bot_store.db import engine
from bot_store.fast_statement import one_round_trip, one_transaction
from bot_store.states import OutboxState
from sathi.privacy import mask_phone
from sathi.settings import settings

logger = logging.getLogger(__name__)

# Error classes (see docs/whatsapp.md)
OK, RETRY, WINDOW, TOKEN, FATAL, AMBIGUOUS = "ok", "retry", "window", "token", "fatal", "ambiguous"
RETRYABLE_CODES = {1, 2, 4, 80007, 130429, 131000, 131016, 131056, 133004}
TOKEN_CODES = {190, 102, 463, 467}
WINDOW_CODES = {131047}


@dataclass
class GraphConfig:
    access_token: str = field(repr=False)  # never in logs or reprs
    phone_number_id: str = ""
    graph_url: str = "https://graph.facebook.com"
    graph_version: str = "v21.0"
    timeout: float = field(default_factory=lambda: settings().wa_graph_timeout)
    max_attempts: int = field(default_factory=lambda: settings().wa_max_attempts)
    retry_base: float = field(default_factory=lambda: settings().wa_retry_base)
    retry_cap: float = field(default_factory=lambda: settings().wa_retry_cap)
    pace: float = field(default_factory=lambda: settings().wa_pace_seconds)
    pace_after: int = field(default_factory=lambda: settings().wa_pace_after)

    @classmethod
    def from_settings(cls) -> GraphConfig | None:
        """The WHATSAPP_* settings (sathi/settings.py), or None without credentials."""
        config = settings()
        token = config.whatsapp_access_token.get_secret_value().strip()
        number = config.whatsapp_phone_number_id.strip()
        if not (token and number):
            return None
        return cls(
            access_token=token,
            phone_number_id=number,
            graph_url=config.whatsapp_graph_url.strip() or "https://graph.facebook.com",
            graph_version=config.whatsapp_graph_version.strip() or "v21.0",
        )

    def url(self, *parts: str) -> str:
        return "/".join([self.graph_url.rstrip("/"), self.graph_version, *parts])

    def backoff(self, attempt: int) -> float:
        """Exponential with full jitter in [half, whole] of the step, bounded by retry_cap."""
        step = min(self.retry_cap, self.retry_base * (2 ** max(attempt - 1, 0)))
        return step * random.uniform(0.5, 1.0)


@dataclass
class GraphResult:
    status: int = 0  # HTTP status, 0 when no answer
    data: dict[str, Any] = field(default_factory=dict)
    error: str = ""  # short description for logs / last_error
    sent: bool = True  # False only when the request surely did not leave

    @property
    def code(self) -> int | None:
        err = self.data.get("error") if isinstance(self.data, dict) else None
        if isinstance(err, dict) and isinstance(err.get("code"), int):
            return err["code"]
        return None

    def classify(self) -> str:
        if self.status == 0:
            return RETRY if not self.sent else AMBIGUOUS
        if 200 <= self.status < 300:
            return OK
        code = self.code
        if code in TOKEN_CODES or self.status == 401:
            return TOKEN
        if code in WINDOW_CODES:
            return WINDOW
        if code in RETRYABLE_CODES or self.status >= 500 or self.status == 429:
            return RETRY
        return FATAL

    def describe(self) -> str:
        if self.status == 0:
            return self.error
        err = self.data.get("error") if isinstance(self.data, dict) else None
        if isinstance(err, dict):
            return (
                f"HTTP {self.status} code {err.get('code')}/{err.get('error_subcode')}: "
                f"{str(err.get('message', ''))[:300]}"
            )
        return f"HTTP {self.status}"


class GraphClient:
    """aiohttp calls to Graph; one session per event loop, created lazily."""

    def __init__(self, config: GraphConfig) -> None:
        self.config = config
        self._session: aiohttp.ClientSession | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.config.access_token}"}

    async def session(self) -> aiohttp.ClientSession:
        loop = asyncio.get_running_loop()
        if self._session is None or self._session.closed or self._loop is not loop:
            self._session = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(
                    total=self.config.timeout, sock_connect=min(5.0, self.config.timeout)
                )
            )
            self._loop = loop
        return self._session

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    async def _call(self, method: str, url: str, **kwargs) -> GraphResult:
        session = await self.session()
        try:
            async with session.request(method, url, headers=self._headers(), **kwargs) as resp:
                try:
                    data = await resp.json(content_type=None)
                except (ValueError, aiohttp.ContentTypeError):
                    data = {}
                return GraphResult(resp.status, data if isinstance(data, dict) else {})
        except aiohttp.ClientConnectorError as exc:  # never reached Graph
            return GraphResult(0, error=f"connection failed: {type(exc).__name__}", sent=False)
        except asyncio.TimeoutError:
            return GraphResult(0, error="timeout waiting for Graph's answer", sent=True)
        except aiohttp.ClientError as exc:  # disconnected after the request left
            return GraphResult(0, error=f"answer lost: {type(exc).__name__}", sent=True)

    async def send(self, body: dict[str, Any]) -> GraphResult:
        return await self._call(
            "POST", self.config.url(self.config.phone_number_id, "messages"), json=body
        )

    async def mark_read(self, wamid: str, typing: bool = True) -> GraphResult:
        body: dict[str, Any] = {
            "messaging_product": "whatsapp",
            "status": "read",
            "message_id": wamid,
        }
        if typing:
            body["typing_indicator"] = {"type": "text"}
        return await self.send(body)

    async def upload_media(
        self, content: bytes, filename: str, mime: str = "application/pdf"
    ) -> GraphResult:
        form = aiohttp.FormData()
        form.add_field("messaging_product", "whatsapp")
        form.add_field("type", mime)
        form.add_field("file", content, filename=filename, content_type=mime)
        return await self._call(
            "POST", self.config.url(self.config.phone_number_id, "media"), data=form
        )

    async def delete_media(self, media_id: str) -> GraphResult:
        return await self._call("DELETE", self.config.url(media_id))


# Called with the outbox row when Graph answers 131047 (outside the 24-hour window). The
# hook for the template path: today it only logs; a later change sends an approved template.
WindowClosedHook = Callable[[outbox.OutboxRow], Awaitable[None]]


async def log_window_closed(row: outbox.OutboxRow) -> None:
    logger.warning(
        "whatsapp: %s is outside the 24-hour window; outbox row %s needs a "
        "template (not sent as free text)",
        mask_phone(row.wa_id),
        row.id,
    )


def message_body(wa_id: str, body: dict[str, Any]) -> dict[str, Any]:
    return {"messaging_product": "whatsapp", "recipient_type": "individual", "to": wa_id, **body}


async def deliver(
    client: GraphClient,
    row: outbox.OutboxRow,
    send_once: Callable[[], Awaitable[GraphResult]],
    on_window_closed: WindowClosedHook = log_window_closed,
    started: bool = False,
    after_sent: Callable[[], object] | None = None,
    after_sent_reads_nothing: bool = False,
) -> str:
    """Send one outbox row with `send_once`, retrying what may be retried; the row's final
    state. A row already final, or found `sending` (a crash mid-request), is never re-sent.
    `started`: the row was just created `sending` by `outbox.open_for_sending` (its first
    attempt is already committed). `after_sent` (a store call) runs right after the row is
    recorded `sent`, in the same thread hop and transaction (`_record_sent`), and only then:
    under load every hop waits for the GIL, so a turn's next outbox row or its inbound
    message's `done` rides along. A rider writes through FastStatements (bot_store/
    fast_statement.py), which join that transaction; a write through another connection
    would wait for it (SQLite) or, on the same row, for ever (PostgreSQL).
    `after_sent_reads_nothing`: the rider only writes and reads no outcome (the turn's
    `done`), so the `sent` and it go to PostgreSQL as one query (`one_round_trip`)."""
    who = mask_phone(row.wa_id)
    if row.state in outbox.FINAL_STATES:
        logger.info(
            "whatsapp: outbox row %s to %s already %s; not sent again", row.id, who, row.state
        )
        return row.state
    if row.state == OutboxState.SENDING and not started:
        await asyncio.to_thread(outbox.mark_ambiguous, row.id, "found in flight after a restart")
        logger.warning(
            "whatsapp: AMBIGUOUS outbox row %s to %s was in flight when the process "
            "stopped; not re-sent (at-most-once)",
            row.id,
            who,
        )
        return OutboxState.AMBIGUOUS
    cfg = client.config
    attempt = 0
    while True:
        attempt += 1
        already_started = started and attempt == 1
        if not already_started and not await asyncio.to_thread(outbox.start_sending, row.id):
            current = await asyncio.to_thread(outbox.get, row.id)
            return current.state if current else OutboxState.FAILED
        result = await send_once()
        kind = result.classify()
        if kind == OK:
            messages = result.data.get("messages") or [{}]
            graph_id = str(messages[0].get("id") or "")
            await asyncio.to_thread(
                _record_sent, row.id, graph_id, after_sent, after_sent_reads_nothing
            )
            return OutboxState.SENT
        error = result.describe()
        if kind == AMBIGUOUS:
            await asyncio.to_thread(outbox.mark_ambiguous, row.id, error)
            logger.warning(
                "whatsapp: AMBIGUOUS outbox row %s to %s: %s; not re-sent (at-most-once)",
                row.id,
                who,
                error,
            )
            return OutboxState.AMBIGUOUS
        if kind == WINDOW:
            await asyncio.to_thread(outbox.mark_needs_template, row.id, error)
            await on_window_closed(row)
            return OutboxState.NEEDS_TEMPLATE
        if kind == TOKEN:
            await asyncio.to_thread(outbox.mark_failed, row.id, error)
            logger.critical(
                "whatsapp: ALERT Graph rejected the access token (%s); outbox row %s "
                "to %s not sent; renew WHATSAPP_ACCESS_TOKEN",
                error,
                row.id,
                who,
            )
            return OutboxState.FAILED
        if kind == RETRY and attempt < cfg.max_attempts:
            await asyncio.to_thread(outbox.mark_retry, row.id, error)
            delay = cfg.backoff(attempt)
            logger.info(
                "whatsapp: outbox row %s to %s: %s; retry %d in %.2fs",
                row.id,
                who,
                error,
                attempt,
                delay,
            )
            await asyncio.sleep(delay)
            continue
        await asyncio.to_thread(outbox.mark_failed, row.id, error)
        logger.error(
            "whatsapp: outbox row %s to %s failed after %d attempt(s): %s",
            row.id,
            who,
            attempt,
            error,
        )
        return OutboxState.FAILED


def _record_sent(
    row_id: int,
    graph_id: str,
    after_sent: Callable[[], object] | None,
    reads_nothing: bool = False,
) -> None:
    """The row `sent` and what rides with it in one transaction (one commit instead of two
    for every message; docs/performance.md, round 13); in one query when the rider
    `reads_nothing` (round 15). Should that fail, the `sent` is recorded on its own first, as
    before: Graph has the message, whatever the rider does."""
    if after_sent is None:
        outbox.mark_sent(row_id, graph_id)
        return
    together = one_round_trip if reads_nothing else one_transaction
    try:
        with together(engine()):
            outbox.mark_sent(row_id, graph_id)
            after_sent()
        return
    except Exception as error:
        logger.warning(
            "whatsapp: outbox row %s: sent and what follows not stored together (%s); "
            "one after the other",
            row_id,
            type(error).__name__,
        )
    outbox.mark_sent(row_id, graph_id)
    after_sent()


def dumps(body: dict[str, Any]) -> str:
    return json.dumps(body, ensure_ascii=False)
