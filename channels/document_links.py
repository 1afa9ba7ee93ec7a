"""Document links on channels that cannot carry files (rest, `rasa shell`).

1. The download route: registered in credentials.yml as an input channel only to mount
   `GET /documents/<token>` on the rasa server. One document per token, single use by
   default (SATHI_LINK_MAX_USES), 15 minutes (SATHI_LINK_TTL_SECONDS); a second open says the
   link was used and how to ask again (410); unknown or expired tokens get 404 (no hint which).
2. Links are made when a message is SENT, not when it is rendered: the NLG writes a
   placeholder `sathi-document-link:<document id>` into the text, which is what the tracker
   keeps (a document id opens nothing: the route takes tokens only), and the output channel
   replaces it with a fresh tokened URL on its way to the user. `install_link_materialiser()`
   does that for Rasa's collecting output channels (our REST channel and `rasa shell`'s
   cmdline channel both use them); the token itself is never logged.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request

from bot_store import documents
from sathi.settings import settings

logger = logging.getLogger(__name__)
_TOKEN = re.compile(r"^[A-Za-z0-9_\-]{16,64}$")
PLACEHOLDER_PREFIX = "sathi-document-link:"
_PLACEHOLDER = re.compile(re.escape(PLACEHOLDER_PREFIX) + r"([A-Za-z0-9_\-]{16,64})")
LINK_USED_TEXT = (
    "This link has already been used. To get the document again, ask Sathi for "
    "it once more. / এই লিংকটা একবার খোলা হয়ে গেছে। কাগজটা আবার পেতে সাথীর "
    "কাছে আর একবার চান।"
)
LINK_INVALID_TEXT = (
    "This link is not valid or has expired. Ask Sathi for the document again. / "
    "লিংকটা আর চালু নেই। কাগজটা আবার পেতে সাথীর কাছে চান।"
)


def download_base_url() -> str:
    return settings().download_base_url.rstrip("/")


def placeholder(document_id: str) -> str:
    """What the NLG writes where the link goes (kept in the tracker; opens nothing)."""
    return PLACEHOLDER_PREFIX + document_id


def materialise_links(text: str) -> str:
    """`text` with every placeholder replaced by a fresh single-use link to its document."""

    def link(match: re.Match[str]) -> str:
        document = documents.load_document(match.group(1))
        if document is None:
            return "(—)"
        token = documents.create_download_token(document.id, document.owner_mobile)
        return f"{download_base_url()}/documents/{token}"

    return _PLACEHOLDER.sub(link, text)


_installed = False


def install_link_materialiser() -> None:
    """Make Rasa's collecting output channels (REST, the shell's cmdline and its streaming
    queue) turn placeholders into links as they send. Idempotent."""
    global _installed
    if _installed:
        return
    from rasa.core.channels.rest import QueueOutputChannel

    for channel_class in (CollectingOutputChannel, QueueOutputChannel):
        original = channel_class.__dict__["_persist_message"]

        def wrapped(self, message: dict[str, Any], _original=original) -> Awaitable[None]:
            text = message.get("text") if isinstance(message, dict) else None
            if isinstance(text, str) and PLACEHOLDER_PREFIX in text:

                async def with_links() -> None:
                    linked = await asyncio.to_thread(materialise_links, text)
                    await _original(self, {**message, "text": linked})

                return with_links()
            return _original(self, message)

        channel_class._persist_message = wrapped
    _installed = True


class DocumentDownloadChannel(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "documents"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        return cls()

    def url_prefix(self) -> str:
        return "/documents"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        bp = Blueprint("sathi_documents", __name__)

        @bp.route("/<token>", methods=["GET"])
        async def download(request: Request, token: str) -> response.HTTPResponse:
            status, document = (
                documents.open_link(token)
                if _TOKEN.match(token)
                else (documents.LINK_INVALID, None)
            )
            if status == documents.LINK_USED:
                logger.info("document link opened again after its last use: refused")
                return response.text(
                    LINK_USED_TEXT, status=410, headers={"Cache-Control": "no-store"}
                )
            if document is None:
                return response.text(
                    LINK_INVALID_TEXT, status=404, headers={"Cache-Control": "no-store"}
                )
            logger.info("document link used: %s", document.service)
            return response.raw(
                document.content,
                content_type="application/pdf",
                headers={
                    "Content-Disposition": f'attachment; filename="{document.filename}"',
                    "Cache-Control": "no-store",
                    "X-Content-Type-Options": "nosniff",
                },
            )

        return bp
