"""Renders the `utter_document` response per output channel (see docs/contracts.md).

Actions utter `utter_document` with `document_id`, `filename` and `caption`. On WhatsApp the
message becomes the custom payload `{"document": {...}}`, which the WhatsApp output channel
uploads as media. On every other channel (rest, `rasa shell`) it becomes the domain's text
with a link placeholder that the output channel turns into an expiring single-use link as it
sends (channels/document_links.py): the tracker never holds a usable token. Everything else renders as Rasa's templated NLG does.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from bot_store import documents
from channels import (
    action_client,
    action_run,
    domain_memo,
    graph_runner,
    session_check,
    slot_mappings_in_process,
)
from channels.document_links import install_link_materialiser, placeholder
from sathi import formatting, shell_choices
from sathi.privacy import install_masking_filter

logger = logging.getLogger(__name__)
DOCUMENT_RESPONSE = "utter_document"
DOCUMENT_MISSING_RESPONSE = "utter_document_unavailable"
PUSH_CHANNELS = {"whatsapp"}


class DocumentAwareNLG(TemplatedNaturalLanguageGenerator):
    def __init__(
        self, endpoint_config: EndpointConfig | None = None, domain: Domain | None = None
    ) -> None:
        super().__init__((domain or Domain.empty()).responses)
        install_masking_filter()
        install_link_materialiser()
        # every rasa process loads this NLG: the per-turn slot mappings run in process, and
        # the remaining action server calls reuse connections, the prediction graph runs
        # without dask, read-only actions run without a copy of the session, the domain is
        # checked for emptiness once, the session check folds only new events
        # (docs/performance.md)
        slot_mappings_in_process.install()
        action_client.install()
        graph_runner.install()
        action_run.install()
        domain_memo.install()
        session_check.install()

    def _fill_response(
        self, response: dict[str, Any], filled_slots: dict[str, Any] | None = None, **kwargs: Any
    ) -> dict[str, Any]:
        """Rasa's, with button payloads left as they are. A payload is an intent message whose
        entities are JSON (`/set_language{"language":"en"}`), not a slot placeholder: Rasa's
        interpolator read `{"language":"en"}` as a slot name, logged a missing slot with its
        traceback on every such response, and gave the payload back unchanged. Titles are
        still filled."""
        buttons = response.get("buttons")
        if not isinstance(buttons, list):
            return super()._fill_response(response, filled_slots, **kwargs)
        payloads = [b.pop("payload", None) if isinstance(b, dict) else None for b in buttons]
        filled = super()._fill_response(response, filled_slots, **kwargs)
        for button, payload in zip(filled.get("buttons") or [], payloads):
            if isinstance(button, dict) and payload is not None:
                button["payload"] = payload
        return filled

    async def generate(
        self, utter_action: str, tracker: DialogueStateTracker, output_channel: str, **kwargs: Any
    ) -> dict[str, Any] | None:
        if utter_action != DOCUMENT_RESPONSE:
            response = await super().generate(utter_action, tracker, output_channel, **kwargs)
            if (
                response
                and response.get("buttons")
                and tracker.get_latest_input_channel() == "cmdline"
            ):
                # `rasa shell`: buttons as numbered text, so the next line is typed freely
                # (a typed number still taps the button: sathi/shell_choices.py)
                shell_choices.offer(response["buttons"])
                text = shell_choices.as_text(
                    response.get("text") or "",
                    response["buttons"],
                    tracker.get_slot("language") or "bn",
                )
                response = {**{k: v for k, v in response.items() if k != "buttons"}, "text": text}
            return response
        document = documents.load_document(str(kwargs.get("document_id") or ""))
        if document is None:
            logger.warning("document to deliver is missing or expired")
            return await super().generate(DOCUMENT_MISSING_RESPONSE, tracker, output_channel)
        caption = str(kwargs.get("caption") or document.filename)
        if output_channel in PUSH_CHANNELS:
            return {
                "custom": {
                    "document": {
                        "id": document.id,
                        "filename": document.filename,
                        "caption": caption,
                    }
                }
            }
        # The link itself is made when the message is sent (channels/document_links.py): the
        # tracker keeps this placeholder, never a usable token.
        language = tracker.get_slot("language") or "bn"
        minutes = max(1, int(documents.link_ttl().total_seconds() // 60))
        return await super().generate(
            utter_action,
            tracker,
            output_channel,
            caption=caption,
            filename=document.filename,
            link=placeholder(document.id),
            minutes=formatting.number(minutes, language),
        )
