"""A local emulator of the WhatsApp Cloud API (Graph) for tests and demos.

Graph routes (bearer token checked):
  POST   /{version}/{phone_number_id}/messages   text, interactive, document, template, read
  POST   /{version}/{phone_number_id}/media      multipart upload -> {"id"}
  GET    /{version}/{media_id}                   media metadata with a download url
  GET    /_emulator/media/{media_id}/bytes       the bytes (bearer token, like Meta's urls)
  DELETE /{version}/{media_id}                   {"success": true}
Control routes (no token; loopback only):
  GET  /health
  GET  /_emulator/messages?to=NUMBER             accepted messages (+ read receipts, calls)
  GET  /_emulator/uploads/{media_id}             the bytes of an upload, also after its DELETE
                                                 (what the user's phone downloaded; tests)
  POST /_emulator/reset
  POST /_emulator/fail  {"mode": "500|rate_limit|pair_rate|window|token|timeout",
                         "count": N, "seconds": X, "on": "send|read|media|any"}
Delivery statuses (`status_webhook`, `--status-webhook URL`): as Meta does, every accepted
message is followed by three signed webhooks to that URL, `sent`, `delivered` and `read`
(STATUS_DELAYS after the send), each a POST of its own, signed with WHATSAPP_APP_SECRET
(tools/graph_emulator/statuses.py). `make bench-scale` turns this on, so the load has what a
real number receives.
Rejections are HTTP 400 with Meta-shaped JSON (tools/graph_emulator/errors.py, with the
failures /_emulator/fail can inject):
  {"error": {"message", "type", "code", "error_subcode", "fbtrace_id"}}
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import itertools
import json
import secrets
import time
from typing import Any

from aiohttp import web

from sathi.settings import settings
from tools.graph_emulator import rules
from tools.graph_emulator.errors import FAILURES, graph_error, invalid_token, no_such_object
from tools.graph_emulator.statuses import DeliveryStatuses

EMULATOR_KEY = web.AppKey("emulator", object)


def template_header_document(body: dict):
    """The document parameter of a template's header, if it has one."""
    for component in (body.get("template") or {}).get("components") or []:
        if isinstance(component, dict) and component.get("type") == "header":
            for parameter in component.get("parameters") or []:
                if isinstance(parameter, dict) and parameter.get("type") == "document":
                    return parameter.get("document")
    return None


class Emulator:
    def __init__(
        self,
        token: str | None = None,
        phone_number_id: str | None = None,
        base_url: str = "",
        status_webhook: str | None = None,
        app_secret: str = "",
    ) -> None:
        self.token = token
        self.phone_number_id = phone_number_id
        self.base_url = base_url
        self.status_webhook = status_webhook
        self.app_secret = app_secret
        self.delivery_statuses = (
            DeliveryStatuses(status_webhook, app_secret, phone_number_id, self.count_status)
            if status_webhook
            else None
        )
        self.reset()

    def reset(self) -> None:
        self.messages: list[dict[str, Any]] = []
        self.reads: list[dict[str, Any]] = []
        self.media: dict[str, dict[str, Any]] = {}
        self.deleted_media: list[str] = []
        self.calls: dict[str, int] = {"send": 0, "read": 0, "media": 0, "delete": 0, "rejected": 0}
        self.statuses_posted: dict[str, int] = {}  # status webhook answers by HTTP status
        self.failures: list[dict[str, Any]] = []
        self._ids = itertools.count(1)

    # --- helpers ------------------------------------------------------------------------
    def authorized(self, request: web.Request) -> bool:
        header = request.headers.get("Authorization", "")
        if not header.startswith("Bearer ") or not header[7:].strip():
            return False
        if not self.token:
            return True
        return hmac.compare_digest(header[7:].strip().encode(), self.token.encode())

    def number_ok(self, number_id: str) -> bool:
        return not self.phone_number_id or number_id == self.phone_number_id

    async def injected_failure(self, on: str) -> web.Response | None:
        for failure in self.failures:
            if failure["on"] in (on, "any") and failure["count"] > 0:
                failure["count"] -= 1
                self.failures = [f for f in self.failures if f["count"] > 0]
                if failure["mode"] == "timeout":
                    await asyncio.sleep(float(failure.get("seconds", 30)))
                    return None  # then answer normally: the caller may have given up
                status, code, subcode, kind, message = FAILURES[failure["mode"]]
                return graph_error(status, code, message, subcode, kind)
        return None

    def new_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids):06d}{secrets.token_hex(6)}"

    def count_status(self, answer: str) -> None:
        """One more delivery status webhook answered `answer` (HTTP status or exception)."""
        self.statuses_posted[answer] = self.statuses_posted.get(answer, 0) + 1

    async def close(self, _app: web.Application | None = None) -> None:
        if self.delivery_statuses is not None:
            await self.delivery_statuses.close()

    # --- Graph routes -------------------------------------------------------------------
    async def route_messages(self, request: web.Request) -> web.Response:
        if not self.authorized(request):
            return invalid_token()
        if not self.number_ok(request.match_info["phone_number_id"]):
            return no_such_object("post")
        try:
            # json.loads of the bytes: aiohttp's request.json() parses the Content-Type header
            # with the email package on every request, a tenth of this process's CPU under the
            # scale bench's load (docs/performance.md, round 13)
            body = json.loads(await request.read())
        except (ValueError, UnicodeDecodeError):
            return graph_error(400, 100, "Invalid parameter: request body is not JSON")
        is_read = isinstance(body, dict) and body.get("status") == "read"
        on = "read" if is_read else "send"
        self.calls[on] += 1
        failure = await self.injected_failure(on)
        if failure is not None:
            return failure
        problem = rules.check_message(
            body, lambda mid: mid in self.media and mid not in self.deleted_media
        )
        if problem:
            self.calls["rejected"] += 1
            return graph_error(400, problem[0], problem[1], None)
        if is_read:
            self.reads.append(
                {
                    "message_id": body["message_id"],
                    "typing": body.get("typing_indicator"),
                    "at": time.time(),
                }
            )
            return web.json_response({"success": True})
        wamid = "wamid." + self.new_id("EMU")
        record = {
            "wamid": wamid,
            "to": body["to"].lstrip("+"),
            "type": body.get("type", "text"),
            "body": body,
            "at": time.time(),
        }
        document = (
            body.get("document")
            if record["type"] == "document"
            else template_header_document(body)
            if record["type"] == "template"
            else None
        )
        if isinstance(document, dict) and document.get("id") is not None:
            media = self.media[str(document["id"])]
            record["document"] = {
                "filename": document.get("filename"),
                "caption": document.get("caption"),
                "mime_type": media["mime_type"],
                "size": len(media["bytes"]),
                "sha256": media["sha256"],
                "media_id": document["id"],
            }
        self.messages.append(record)
        if self.delivery_statuses is not None:
            self.delivery_statuses.follow(wamid, record["to"])
        return web.json_response(
            {
                "messaging_product": "whatsapp",
                "contacts": [{"input": body["to"], "wa_id": record["to"]}],
                "messages": [{"id": wamid}],
            }
        )

    async def upload(self, request: web.Request) -> web.Response:
        if not self.authorized(request):
            return invalid_token()
        if not self.number_ok(request.match_info["phone_number_id"]):
            return no_such_object("post")
        self.calls["media"] += 1
        failure = await self.injected_failure("media")
        if failure is not None:
            return failure
        if not request.content_type.startswith("multipart/"):
            return graph_error(400, 100, "Invalid parameter: upload must be multipart/form-data")
        fields: dict[str, Any] = {}
        reader = await request.multipart()
        async for part in reader:
            if part.name == "file":
                fields["file"] = await part.read(decode=False)
                fields["filename"] = part.filename
                fields["file_type"] = part.headers.get("Content-Type")
            elif part.name:
                fields[part.name] = (await part.read(decode=True)).decode()
        if fields.get("messaging_product") != "whatsapp":
            return graph_error(400, 100, "Invalid parameter: messaging_product must be 'whatsapp'")
        if "file" not in fields:
            return graph_error(400, 131008, "Required parameter is missing: file")
        mime = fields.get("type") or fields.get("file_type") or ""
        if mime not in rules.MEDIA_TYPES:
            return graph_error(400, 131053, f"Media upload error: unsupported type {mime!r}")
        content: bytes = fields["file"]
        if not content or len(content) > rules.MEDIA_TYPES[mime]:
            return graph_error(400, 131053, "Media upload error: empty or too large")
        if mime == "application/pdf" and not content.startswith(b"%PDF"):
            return graph_error(400, 131053, "Media upload error: not a PDF")
        media_id = self.new_id("77")
        self.media[media_id] = {
            "bytes": content,
            "mime_type": mime,
            "filename": fields.get("filename"),
            "sha256": hashlib.sha256(content).hexdigest(),
        }
        return web.json_response({"id": media_id})

    def _media(self, request: web.Request) -> dict[str, Any] | None:
        media_id = request.match_info["media_id"]
        if media_id in self.deleted_media:
            return None
        return self.media.get(media_id)

    async def media_info(self, request: web.Request) -> web.Response:
        if not self.authorized(request):
            return invalid_token()
        media = self._media(request)
        if media is None:
            return no_such_object("get")
        media_id = request.match_info["media_id"]
        base = self.base_url or f"{request.scheme}://{request.host}"
        return web.json_response(
            {
                "messaging_product": "whatsapp",
                "id": media_id,
                "mime_type": media["mime_type"],
                "sha256": media["sha256"],
                "file_size": len(media["bytes"]),
                "url": f"{base}/_emulator/media/{media_id}/bytes",
            }
        )

    async def media_bytes(self, request: web.Request) -> web.Response:
        if not self.authorized(request):
            return invalid_token()
        media = self._media(request)
        if media is None:
            return web.Response(status=404)
        return web.Response(body=media["bytes"], content_type=media["mime_type"])

    async def delete_media(self, request: web.Request) -> web.Response:
        if not self.authorized(request):
            return invalid_token()
        self.calls["delete"] += 1
        if self._media(request) is None:
            return no_such_object("delete")
        self.deleted_media.append(request.match_info["media_id"])
        return web.json_response({"success": True})

    # --- control routes -----------------------------------------------------------------
    async def health(self, _: web.Request) -> web.Response:
        return web.json_response(
            {"status": "ok", "emulator": "whatsapp-graph", "statuses_posted": self.statuses_posted}
        )

    async def list_messages(self, request: web.Request) -> web.Response:
        to = request.query.get("to")
        messages = [m for m in self.messages if not to or m["to"] == to.lstrip("+")]
        return web.json_response(
            {
                "messages": messages,
                "reads": self.reads,
                "media": {
                    k: {kk: vv for kk, vv in v.items() if kk != "bytes"}
                    for k, v in self.media.items()
                },
                "deleted_media": self.deleted_media,
                "calls": self.calls,
                "statuses_posted": self.statuses_posted,
            }
        )

    async def uploaded_bytes(self, request: web.Request) -> web.Response:
        """Control route: what was uploaded under this id, deleted or not (the connector
        deletes media once the document message is accepted; tests still check the file)."""
        media = self.media.get(request.match_info["media_id"])
        if media is None:
            return web.Response(status=404)
        return web.Response(
            body=media["bytes"],
            content_type=media["mime_type"],
            headers={"X-Emulator-Filename": str(media.get("filename") or "")},
        )

    async def reset_route(self, _: web.Request) -> web.Response:
        self.reset()
        return web.json_response({"status": "reset"})

    async def fail(self, request: web.Request) -> web.Response:
        try:
            spec = await request.json()
        except ValueError:
            return web.json_response({"error": "JSON body expected"}, status=400)
        mode = str(spec.get("mode", ""))
        if mode not in FAILURES and mode != "timeout":
            return web.json_response(
                {"error": f"mode must be one of {sorted(FAILURES) + ['timeout']}"}, status=400
            )
        on = str(spec.get("on", "send"))
        if on not in ("send", "read", "media", "any"):
            return web.json_response({"error": "on must be send|read|media|any"}, status=400)
        self.failures.append(
            {
                "mode": mode,
                "count": int(spec.get("count", 1)),
                "seconds": float(spec.get("seconds", 30)),
                "on": on,
            }
        )
        return web.json_response({"status": "armed", "failures": self.failures})


def make_app(
    token: str | None = None,
    phone_number_id: str | None = None,
    status_webhook: str | None = None,
    app_secret: str | None = None,
) -> web.Application:
    """The emulator app; token / phone number id / app secret default to
    WHATSAPP_ACCESS_TOKEN / WHATSAPP_PHONE_NUMBER_ID / WHATSAPP_APP_SECRET (any non-empty
    bearer / any id when unset); `status_webhook`: where delivery statuses go (none: no
    statuses)."""
    config = settings()
    emulator = Emulator(
        token if token is not None else config.whatsapp_access_token.get_secret_value() or None,
        phone_number_id if phone_number_id is not None else config.whatsapp_phone_number_id or None,
        status_webhook=status_webhook,
        app_secret=(
            app_secret if app_secret is not None else config.whatsapp_app_secret.get_secret_value()
        ),
    )
    app = web.Application(client_max_size=110 * 1024 * 1024)
    app[EMULATOR_KEY] = emulator
    app.on_cleanup.append(emulator.close)
    # Control routes first: the router matches in registration order.
    app.router.add_get("/health", emulator.health)
    app.router.add_get("/_emulator/messages", emulator.list_messages)
    app.router.add_post("/_emulator/reset", emulator.reset_route)
    app.router.add_post("/_emulator/fail", emulator.fail)
    app.router.add_get("/_emulator/media/{media_id}/bytes", emulator.media_bytes)
    app.router.add_get("/_emulator/uploads/{media_id}", emulator.uploaded_bytes)
    app.router.add_post("/{version}/{phone_number_id}/messages", emulator.route_messages)
    app.router.add_post("/{version}/{phone_number_id}/media", emulator.upload)
    app.router.add_get("/{version}/{media_id}", emulator.media_info)
    app.router.add_delete("/{version}/{media_id}", emulator.delete_media)
    return app


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)
