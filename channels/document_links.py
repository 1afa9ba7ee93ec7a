"""The download route for document links on channels that cannot carry files (rest, shell).

Registered in credentials.yml as an input channel only to mount `GET /documents/<token>` on
the rasa server: one document per token, 404 for unknown or expired tokens (no hint which).
"""
from __future__ import annotations

import logging
import re
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from sanic import Blueprint, response
from sanic.request import Request

from rasa.core.channels.channel import InputChannel, UserMessage

from bot_store import documents

logger = logging.getLogger(__name__)
_TOKEN = re.compile(r"^[A-Za-z0-9_\-]{16,64}$")


class DocumentDownloadChannel(InputChannel):
    @classmethod
    def name(cls) -> Text:
        return "documents"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        return cls()

    def url_prefix(self) -> Text:
        return "/documents"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        bp = Blueprint("sathi_documents", __name__)

        @bp.route("/<token>", methods=["GET"])
        async def download(request: Request, token: Text) -> response.HTTPResponse:
            document = documents.document_for_token(token) if _TOKEN.match(token) else None
            if document is None:
                return response.text("This link is not valid or has expired. / "
                                     "লিংকটা আর চালু নেই।", status=404)
            logger.info("document link used: %s", document.service)
            return response.raw(
                document.content, content_type="application/pdf",
                headers={"Content-Disposition": f'attachment; filename="{document.filename}"',
                         "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"})

        return bp
