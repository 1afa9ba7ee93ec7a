"""Rasa's REST channel with Sathi's guards (credentials.yml: `channels.rest_guard.GuardedRestInput`;
same name `rest`, same URL `/webhooks/rest/webhook`, same answers).

- hostile bodies: not a JSON object, no string `sender`, a non-string `message` -> 400 with a
  short JSON error (never a 500); `input_channel` from the body is ignored (always `rest`);
  control characters become spaces; messages are cut at SATHI_MAX_MESSAGE_CHARS (4096,
  WhatsApp's own limit);
- every message gets a reply: an empty or all-whitespace message is handled as
  `/nlu_fallback` ("please say it again"), and a turn that produced no reply at all is
  followed by that same fallback turn (control messages `/restart`, `/session_start` excepted);
- the conversation a sender writes in (`conversation_id`): where the profile trusts REST
  senders as phone numbers (trainers), every spelling of one number — `9800000001`,
  `+91 98000 00001`, `919800000001` — is one conversation with one rate limit; otherwise the
  sender id is namespaced `rest:<sender>`, so a REST caller can never write into (or erase,
  opt out, or read the slots of) a WhatsApp number's conversation;
- per-conversation rate limit (bot_store.rate_limits): over the limit, one polite "wait a
  minute", then an empty answer until the window has passed;
- a turn waits for one of the process's turn slots, shared with WhatsApp's turns
  (channels/turn_gate.py, SATHI_TURN_CONCURRENCY).
"""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot_store import preferences, rate_limits
from channels import server_start, turn_gate
from sathi import trust
from sathi.identifiers import parse_mobile
from sathi.privacy import install_masking_filter, mask_phone
from sathi.settings import settings

logger = logging.getLogger(__name__)
install_masking_filter()

FALLBACK_MESSAGE = "/nlu_fallback"
NO_SAFETY_NET = ("/restart", "/session_start")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b\ufeff]")


def max_chars() -> int:
    try:
        return settings().max_message_chars
    except ValueError:
        return 4096


def clean_text(text: str) -> str:
    """Control characters out, length bounded; all-whitespace becomes the fallback intent."""
    text = _CONTROL.sub(" ", text)[: max_chars()]
    return text if text.strip() else FALLBACK_MESSAGE


UNTRUSTED_PREFIX = trust.UNTRUSTED_REST_PREFIX


def conversation_id(sender: str) -> str:
    """The conversation (Rasa sender id) of a REST sender; see the module docstring."""
    sender = sender.strip()
    if "rest" in trust.trusted_channels():
        return parse_mobile(sender) or sender
    return sender if sender.startswith(UNTRUSTED_PREFIX) else UNTRUSTED_PREFIX + sender


def _bad(reason: str) -> HTTPResponse:
    return response.json({"error": reason}, status=400)


class GuardedRestInput(RestInput):
    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message) -> Blueprint:
        bp = Blueprint("guarded_rest_webhook", __name__)

        @bp.listener("after_server_start")
        async def settle(app, loop) -> None:
            server_start.settle(app)

        channel = self

        @bp.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @bp.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                body = request.json
            except Exception:
                return _bad("the body is not JSON")
            if not isinstance(body, dict):
                return _bad("the body must be a JSON object")
            sender = body.get("sender")
            if not isinstance(sender, str) or not sender.strip() or len(sender) > 128:
                return _bad("`sender` must be a non-empty string of at most 128 characters")
            message = body.get("message")
            if message is None:
                message = ""
            if not isinstance(message, str):
                return _bad("`message` must be a string")
            metadata = body.get("metadata")
            metadata = metadata if isinstance(metadata, dict) else None
            return response.json(await channel.answer(on_new_message, sender, message, metadata))

        return bp

    async def answer(
        self, on_new_message, sender: str, message: str, metadata: dict[str, Any] | None
    ) -> list:
        sender = conversation_id(sender)
        verdict = await asyncio.to_thread(rate_limits.check_message, sender)
        if verdict == rate_limits.SILENT:
            return []
        if verdict == rate_limits.WARN:
            prefs = await asyncio.to_thread(preferences.get, sender)
            return [
                {"recipient_id": sender, "text": rate_limits.too_many_messages_text(prefs.language)}
            ]
        text = clean_text(message)
        messages = await self._turn(on_new_message, sender, text, metadata)
        if not messages and not text.startswith(NO_SAFETY_NET) and text != FALLBACK_MESSAGE:
            logger.warning(
                "rest: a turn of %s produced no reply; answering with the fallback",
                mask_phone(sender),
            )
            messages = await self._turn(on_new_message, sender, FALLBACK_MESSAGE, metadata)
        return messages

    async def _turn(
        self, on_new_message, sender: str, text: str, metadata: dict[str, Any] | None
    ) -> list:
        collector = CollectingOutputChannel()
        try:
            async with turn_gate.slot():  # shared with WhatsApp's turns: channels/turn_gate.py
                await on_new_message(
                    UserMessage(
                        text, collector, sender, input_channel=self.name(), metadata=metadata
                    )
                )
        except asyncio.CancelledError:
            logger.error("rest: turn of %s timed out", mask_phone(sender))
        except Exception:
            logger.exception("rest: turn of %s failed", mask_phone(sender))
        return collector.messages
