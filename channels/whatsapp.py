"""WhatsApp Cloud API channel of Sathi (Rasa 3.6 custom connector).

credentials.yml:
    channels.whatsapp.WhatsAppInput:
      access_token: ${WHATSAPP_ACCESS_TOKEN}
      app_secret: ${WHATSAPP_APP_SECRET}
      verify_token: ${WHATSAPP_VERIFY_TOKEN}
      phone_number_id: ${WHATSAPP_PHONE_NUMBER_ID}
      graph_url: ${WHATSAPP_GRAPH_URL}
      graph_version: ${WHATSAPP_GRAPH_VERSION}

Webhook: GET/POST /webhooks/whatsapp/webhook. A POST is accepted only with a valid
`X-Hub-Signature-256`; its messages are written to the bot store inbox (unique on wamid:
the failed insert is the duplicate) before the 200, and processed by `InboxWorker` in the
background. See docs/whatsapp.md.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import Iterator
from typing import Any

from pydantic import SecretStr
from rasa.core.channels.channel import InputChannel, OutputChannel
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from sanic_cors.core import SANIC_CORS_EVALUATED

from bot_store import inbox, wa_statuses
from channels import server_start
from channels.thread_batch import ThreadBatch
from channels.whatsapp_graph import GraphClient, GraphConfig
from channels.whatsapp_output import WhatsAppOutput
from channels.whatsapp_worker import InboxWorker, OnNewMessage
from sathi.privacy import mask_phone
from sathi.settings import check_or_exit, settings

logger = logging.getLogger(__name__)

DEFAULT_MAX_BODY = 1024 * 1024  # Meta's webhook payloads are a few KB; 1 MiB is generous
SIGNATURE_HEADER = "X-Hub-Signature-256"

__all__ = ["WhatsAppInput", "WhatsAppOutput", "signature_for"]


def signature_for(body: bytes, app_secret: str) -> str:
    return "sha256=" + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()


def _list(value: Any) -> list:
    """A JSON array, or nothing (signed but malformed payloads never raise)."""
    return value if isinstance(value, list) else []


def _digits(value: Any, max_len: int = 16) -> str | None:
    return value if isinstance(value, str) and value.isdigit() and len(value) <= max_len else None


def _status_row(status: Any) -> dict[str, Any] | None:
    """A delivery status as wa_statuses keeps it (None: unusable); a failure is logged."""
    if not isinstance(status, dict) or not isinstance(status.get("id"), str):
        return None
    state = str(status.get("status") or "unknown")
    code = None
    errors = status.get("errors") or []
    if errors and isinstance(errors[0], dict):
        try:
            code = int(errors[0].get("code"))  # type: ignore[arg-type]  # None: TypeError
        except (TypeError, ValueError):
            code = None
        if code is not None and not -(2**31) <= code < 2**31:  # the column's INTEGER
            code = None
    recipient = _digits(status.get("recipient_id"))
    if state == "failed":
        logger.warning(
            "whatsapp: message to %s failed at Meta (code %s)", mask_phone(recipient), code
        )
    return {
        "graph_message_id": status["id"],
        "status": state,
        "wa_id": recipient,
        "error_code": code,
    }


def _no_cors(request: Request) -> None:
    """Meta calls the webhook server to server: no browser reads its answer, so it needs no
    CORS header, whatever origins Rasa's `--cors` allows (by default none, and no header).
    Marking the request as already evaluated spares the CORS response middleware's work on
    every webhook, most of them delivery statuses (docs/performance.md, round 10)."""
    setattr(request.ctx, SANIC_CORS_EVALUATED, "1")


class WhatsAppInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "whatsapp"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> WhatsAppInput:
        """The WHATSAPP_* settings (sathi/settings.py); a value in credentials.yml, if any,
        overrides its setting."""
        creds = dict(credentials or {})
        config = check_or_exit()  # the rasa server's start: a bad setting stops it clearly

        def pick(key: str, setting: Any, default: str = "") -> str:
            value = creds.get(key)
            value = "" if value is None else str(value).strip()
            if isinstance(setting, SecretStr):
                setting = setting.get_secret_value()
            return value or str(setting).strip() or default

        values: dict[str, Any] = {
            "app_secret": pick("app_secret", config.whatsapp_app_secret),
            "verify_token": pick("verify_token", config.whatsapp_verify_token),
            "access_token": pick("access_token", config.whatsapp_access_token),
            "phone_number_id": pick("phone_number_id", config.whatsapp_phone_number_id),
        }
        if not all(values.values()):
            missing = sorted(k for k, v in values.items() if not v)
            logger.error("whatsapp channel: missing credentials %s", missing)
            cls.raise_missing_credentials_exception()
        return cls(
            **values,
            graph_url=pick("graph_url", config.whatsapp_graph_url, "https://graph.facebook.com"),
            graph_version=pick("graph_version", config.whatsapp_graph_version, "v21.0"),
            max_body_bytes=int(creds.get("max_body_bytes") or DEFAULT_MAX_BODY),
        )

    def __init__(
        self,
        app_secret: str,
        verify_token: str,
        access_token: str,
        phone_number_id: str,
        graph_url: str = "https://graph.facebook.com",
        graph_version: str = "v21.0",
        max_body_bytes: int = DEFAULT_MAX_BODY,
        graph_config: GraphConfig | None = None,
        worker_options: dict[str, Any] | None = None,
    ) -> None:
        if not app_secret:
            raise ValueError("the WhatsApp app secret is mandatory (signature check)")
        self.app_secret = app_secret
        self.verify_token = verify_token
        self.phone_number_id = str(phone_number_id)
        self.max_body_bytes = max_body_bytes
        self.graph_config = graph_config or GraphConfig(
            access_token=access_token,
            phone_number_id=self.phone_number_id,
            graph_url=graph_url,
            graph_version=graph_version,
        )
        self.worker_options = dict(worker_options or {})
        self.worker: InboxWorker | None = None
        # the webhooks that come while one is being stored go to the thread together
        # (channels/thread_batch.py): one hop for many, each stored and answered as alone
        self.storing = ThreadBatch(self.store_together)

    def __repr__(self) -> str:  # never print secrets
        return f"WhatsAppInput(phone_number_id={self.phone_number_id!r})"

    # --- checks -------------------------------------------------------------------------
    def signature_ok(self, body: bytes, header: str | None) -> bool:
        if not header:
            return False
        expected = signature_for(body, self.app_secret)
        return hmac.compare_digest(expected.encode(), header.strip().lower().encode())

    def verify_ok(self, mode: str | None, token: str | None) -> bool:
        good_mode = hmac.compare_digest((mode or "").encode(), b"subscribe")
        good_token = hmac.compare_digest((token or "").encode(), self.verify_token.encode())
        return good_mode and good_token and bool(self.verify_token)

    async def _read_limited(self, request: Request) -> bytes | None:
        """The raw body, or None when it is larger than allowed (read no further)."""
        length = request.headers.get("content-length")
        if length is not None:
            try:
                if int(length) > self.max_body_bytes:
                    return None
            except ValueError:
                return None
        if request.stream is None or request.body:  # not a streaming route: already read
            body = request.body or b""
            return body if len(body) <= self.max_body_bytes else None
        chunks: list[bytes] = []
        size = 0
        while True:
            chunk = await request.stream.read()
            if chunk is None:
                break
            size += len(chunk)
            if size > self.max_body_bytes:
                return None
            chunks.append(chunk)
        return b"".join(chunks)

    # --- Rasa ---------------------------------------------------------------------------
    def get_output_channel(self) -> OutputChannel | None:
        """For messages outside a turn (Rasa's trigger_intent API): sent at once."""
        return WhatsAppOutput(GraphClient(self.graph_config))

    def make_worker(self, on_new_message: OnNewMessage) -> InboxWorker:
        options: dict[str, Any] = {
            "lease_seconds": settings().wa_lease_seconds,
            "max_attempts": settings().wa_inbox_attempts,
            **self.worker_options,
        }
        return InboxWorker(on_new_message, GraphClient(self.graph_config), **options)

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        bp = Blueprint("whatsapp_webhook", __name__)
        channel = self

        @bp.listener("after_server_start")
        async def start_worker(app, loop) -> None:
            channel.worker = channel.make_worker(on_new_message)
            channel.worker.start()
            server_start.settle(app)

        @bp.listener("before_server_stop")
        async def stop_worker(app, loop) -> None:
            if channel.worker is not None:
                await channel.worker.stop()

        @bp.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @bp.route("/webhook", methods=["GET"])
        async def verify(request: Request) -> HTTPResponse:
            _no_cors(request)
            args = request.args
            if channel.verify_ok(args.get("hub.mode"), args.get("hub.verify_token")):
                return response.text(str(args.get("hub.challenge") or "")[:200])
            logger.warning("whatsapp: webhook verification refused")
            return response.text("forbidden", status=403)

        @bp.route("/webhook", methods=["POST"], stream=True)
        async def receive(request: Request) -> HTTPResponse:
            _no_cors(request)
            return await channel.receive(request)

        return bp

    async def receive(self, request: Request) -> HTTPResponse:
        body = await self._read_limited(request)
        if body is None:
            logger.warning("whatsapp: webhook body over %d bytes refused", self.max_body_bytes)
            return response.text("payload too large", status=413)
        header = request.headers.get(SIGNATURE_HEADER)
        if not header:
            logger.warning("whatsapp: webhook without %s refused", SIGNATURE_HEADER)
            return response.text("signature missing", status=401)
        if not self.signature_ok(body, header):
            logger.warning("whatsapp: webhook with a wrong signature refused (%d bytes)", len(body))
            return response.text("signature mismatch", status=403)
        try:
            payload = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            logger.error(
                "whatsapp: signed webhook with malformed JSON (%d bytes) ignored", len(body)
            )
            return response.json({"status": "ignored"})
        try:
            senders = await self.storing.run(payload)
        except Exception:
            # Nothing durable: a non-200 makes Meta deliver it again later.
            logger.exception("whatsapp: inbox write failed; Meta will retry")
            return response.json({"status": "retry later"}, status=503)
        if senders and self.worker is not None:
            self.worker.wake(senders)
        return response.json({"status": "ok"})

    def store(self, payload: Any) -> int:
        """Write the batch's messages to the inbox and its statuses to wa_statuses; the number
        of new messages. Runs in a worker thread."""
        return len(self.store_senders(payload))

    def store_senders(self, payload: Any) -> list[str]:
        """As `store`; the sender of each new message (for the worker to drain at once)."""
        return self._store_values(list(self._values(payload)))

    def _store_values(self, values: list[dict]) -> list[str]:
        """Each message and status of a webhook's change values, each in its own transaction;
        the senders of the new messages."""
        added: list[str] = []
        for value in values:
            for message in _list(value.get("messages")):
                if self._store_message(message):
                    added.append(message["from"])
            for status in _list(value.get("statuses")):
                self._store_status(status)
        return added

    def _values(self, payload: Any) -> Iterator[dict]:
        """The `value` of each change of a webhook that is for this number's messages."""
        if not isinstance(payload, dict):
            logger.error("whatsapp: signed webhook that is not a JSON object ignored")
            return
        for entry in _list(payload.get("entry")):
            if not isinstance(entry, dict):
                continue
            for change in _list(entry.get("changes")):
                if not isinstance(change, dict) or change.get("field", "messages") != "messages":
                    continue
                value = change.get("value")
                if not isinstance(value, dict):
                    continue
                metadata = value.get("metadata")
                number_id = metadata.get("phone_number_id") if isinstance(metadata, dict) else None
                if number_id is not None and str(number_id) != self.phone_number_id:
                    logger.warning("whatsapp: change for another phone number id ignored")
                    continue
                yield value

    def _store_message(self, message: Any) -> int:
        if not isinstance(message, dict):
            return 0
        wamid, wa_id = message.get("id"), _digits(message.get("from"))
        if not (isinstance(wamid, str) and 0 < len(wamid) <= 128 and wa_id):
            logger.warning("whatsapp: message without a usable id/sender ignored")
            return 0
        try:
            ts: int | None = int(message.get("timestamp"))  # type: ignore[arg-type]  # None: TypeError
        except (TypeError, ValueError):
            ts = None
        row_id = inbox.add(wamid, wa_id, message, ts)
        if row_id is None:
            logger.info(
                "whatsapp: duplicate delivery of a message from %s dropped", mask_phone(wa_id)
            )
            return 0
        logger.info(
            "whatsapp: %s message from %s queued (inbox %s)",
            message.get("type"),
            mask_phone(wa_id),
            row_id,
        )
        return 1

    def _store_status(self, status: Any) -> None:
        row = _status_row(status)
        if row is not None:
            wa_statuses.record(**row)

    def store_together(self, payloads: list[Any]) -> list[tuple[bool, Any]]:
        """The webhooks of one hop (`ThreadBatch`'s `work_all`; worker thread): each one that
        brings messages stored alone, as `store_senders`; the delivery statuses of all the
        others (most webhooks: three per message we send) in one INSERT. One
        outcome per payload, in order: (True, new messages' senders) or (False, the error)."""
        outcomes: list[tuple[bool, Any]] = [(True, [])] * len(payloads)
        only_statuses: dict[int, list[dict]] = {}  # payload index -> its change values
        rows: list[dict[str, Any]] = []
        for i, payload in enumerate(payloads):
            values = list(self._values(payload))
            if any(_list(value.get("messages")) for value in values):
                try:
                    outcomes[i] = (True, self._store_values(values))
                except Exception as exc:
                    outcomes[i] = (False, exc)
                continue
            only_statuses[i] = values
            for value in values:
                for status in _list(value.get("statuses")):
                    row = _status_row(status)
                    if row is not None:
                        rows.append(row)
        if rows:
            try:
                wa_statuses.record_many(rows)
            except Exception:
                # none of them is stored: each webhook alone, so that one that cannot be stored
                # fails (and Meta delivers it again) without taking the others with it
                logger.warning("whatsapp: statuses not stored together; one webhook at a time")
                for i, values in only_statuses.items():
                    try:
                        outcomes[i] = (True, self._store_values(values))
                    except Exception as exc:
                        outcomes[i] = (False, exc)
        return outcomes
