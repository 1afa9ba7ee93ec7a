"""The trainers' WhatsApp-like web chat (trainers' profile only).

    python -m operator_console chat --host 127.0.0.1 --port 8072

It goes through the real path: what the trainer types or taps becomes a Meta-shaped webhook,
signed with the app secret (tools/webhook_client.py), posted to the rasa server's WhatsApp
channel; what the bot answered is read back from the Graph API emulator, exactly as the
connector sent it; each user message's intent, confidence and entities come from the rasa
server's tracker API (token auth).

Routes:
  GET  /chat/                          the page (static/chat.html)
  GET  /chat/api/identities            demo identities (portal_backend demo-ids)
  POST /chat/api/send                  {"phone", "type": text|button|list, "text" | "id"+"title"}
  GET  /chat/api/timeline?phone=N      user messages (with NLU) and bot messages, in order
  POST /chat/api/restart               {"phone"}: a `restart` event in the tracker
  GET  /chat/api/document/{media_id}   the PDF the bot sent (from the emulator)
  GET  /health
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

from operator_console.chat import timeline
from operator_console.web import security_headers
from sathi.settings import settings
from tools import webhook_client as wc

logger = logging.getLogger(__name__)
STATIC = Path(__file__).resolve().parent / "static"
MAX_TEXT = 4096


class ChatConfig:
    def __init__(self, rasa_url: str, emulator_url: str, app_secret: str, api_token: str) -> None:
        self.rasa_url = rasa_url.rstrip("/")
        self.emulator_url = emulator_url.rstrip("/")
        self.app_secret, self.api_token = app_secret, api_token
        self.titles: dict[str, str] = {}  # wamid -> title of a tapped button / row
        self.session: aiohttp.ClientSession | None = None

    @classmethod
    def from_env(cls) -> ChatConfig:
        config = settings()
        emulator = config.whatsapp_graph_url or f"http://127.0.0.1:{config.emulator_port}"
        return cls(
            f"http://127.0.0.1:{config.rasa_port}",
            emulator,
            config.whatsapp_app_secret.get_secret_value(),
            config.rasa_api_token.get_secret_value(),
        )

    def client(self) -> aiohttp.ClientSession:
        """The HTTP session the app opened at startup (see make_app)."""
        if self.session is None:
            raise RuntimeError("the chat's HTTP session is opened when the app starts")
        return self.session


CONFIG = web.AppKey("chat_config", ChatConfig)


def phone_of(value: Any) -> str:
    """WhatsApp form of a typed number (10 digits get India's 91); 400 if it is not one."""
    digits = "".join(ch for ch in str(value or "") if ch.isdigit())
    if len(digits) == 10:
        digits = "91" + digits
    if not 11 <= len(digits) <= 15:
        raise web.HTTPBadRequest(text="a phone number: 10 digits, or country code + number")
    return digits


async def _json_body(request: web.Request) -> dict[str, Any]:
    # JSON only: a cross-site page cannot send it without a CORS preflight, which is refused
    if request.content_type != "application/json":
        raise web.HTTPUnsupportedMediaType(text="Content-Type: application/json expected")
    try:
        body = await request.json()
    except (ValueError, UnicodeDecodeError):
        raise web.HTTPBadRequest(text="JSON body expected") from None
    if not isinstance(body, dict):
        raise web.HTTPBadRequest(text="JSON object expected")
    return body


async def identities(_: web.Request) -> web.Response:
    from portal_backend.demo_data import demo_ids

    ids = await asyncio.to_thread(demo_ids)
    return web.json_response({"identities": timeline.identity_choices(ids or {})})


async def send(request: web.Request) -> web.Response:
    config = request.app[CONFIG]
    body = await _json_body(request)
    phone = phone_of(body.get("phone"))
    kind = body.get("type", "text")
    if kind == "text":
        text = str(body.get("text") or "")
        if not text.strip():
            raise web.HTTPBadRequest(text="empty message")
        message = wc.text(phone, text[:MAX_TEXT])
    elif kind in ("button", "list"):
        reply_id, title = str(body.get("id") or ""), str(body.get("title") or "")
        if not reply_id:
            raise web.HTTPBadRequest(text="the id of the tapped button or row is missing")
        maker = wc.button_reply if kind == "button" else wc.list_reply
        message = maker(phone, reply_id, title[:24])
        config.titles[message["id"]] = title
    else:
        raise web.HTTPBadRequest(text="type must be text, button or list")
    raw, headers = wc.signed_request(wc.envelope(messages=[message]), config.app_secret)
    url = f"{config.rasa_url}/webhooks/whatsapp/webhook"
    try:
        async with config.client().post(url, data=raw, headers=headers) as resp:
            if resp.status != 200:
                return web.json_response(
                    {"error": f"the WhatsApp channel answered {resp.status}"}, status=502
                )
    except aiohttp.ClientError as exc:
        return web.json_response(
            {"error": f"rasa server not reachable ({type(exc).__name__}); make up"}, status=502
        )
    return web.json_response({"wamid": message["id"], "phone": phone})


async def _get_json(session: aiohttp.ClientSession, url: str, **params: str) -> dict[str, Any]:
    async with session.get(url, params=params) as resp:
        resp.raise_for_status()
        return await resp.json()


async def get_timeline(request: web.Request) -> web.Response:
    config = request.app[CONFIG]
    phone = phone_of(request.query.get("phone"))
    try:
        tracker, sent = await asyncio.gather(
            _get_json(
                config.client(),
                f"{config.rasa_url}/conversations/{phone}/tracker",
                include_events="ALL",
                token=config.api_token,
            ),
            _get_json(config.client(), f"{config.emulator_url}/_emulator/messages", to=phone),
        )
    except aiohttp.ClientError as exc:
        return web.json_response(
            {"error": f"stack not reachable ({type(exc).__name__}); make up"}, status=502
        )
    items: list[dict[str, Any]] = timeline.user_items(tracker.get("events") or [], config.titles)
    items += timeline.bot_items(sent.get("messages") or [])
    items.sort(key=lambda item: item["at"])
    return web.json_response({"phone": phone, "items": items})


async def restart(request: web.Request) -> web.Response:
    config = request.app[CONFIG]
    phone = phone_of((await _json_body(request)).get("phone"))
    url = f"{config.rasa_url}/conversations/{phone}/tracker/events"
    try:
        async with config.client().post(
            url, params={"token": config.api_token}, json={"event": "restart"}
        ) as resp:
            if resp.status != 200:
                return web.json_response({"error": f"rasa answered {resp.status}"}, status=502)
    except aiohttp.ClientError as exc:
        return web.json_response(
            {"error": f"rasa server not reachable ({type(exc).__name__})"}, status=502
        )
    return web.json_response({"restarted": phone})


async def document(request: web.Request) -> web.Response:
    """What the user's phone would download: the uploaded bytes, kept by the emulator."""
    config = request.app[CONFIG]
    media_id = request.match_info["media_id"]
    if not media_id.isalnum():
        raise web.HTTPBadRequest(text="bad media id")
    async with config.client().get(f"{config.emulator_url}/_emulator/uploads/{media_id}") as resp:
        if resp.status != 200:
            raise web.HTTPNotFound(text="no such document")
        content = await resp.read()
        filename = resp.headers.get("X-Emulator-Filename") or f"{media_id}.pdf"
        mime = resp.headers.get("Content-Type", "application/pdf").split(";")[0]
    safe = "".join(ch for ch in filename if ch.isalnum() or ch in "._-") or "document.pdf"
    return web.Response(
        body=content,
        content_type=mime,
        headers={"Content-Disposition": f'inline; filename="{safe}"'},
    )


async def health(_: web.Request) -> web.Response:
    return web.json_response({"status": "ok", "service": "trainer-chat"})


async def index(_: web.Request) -> web.FileResponse:
    return web.FileResponse(STATIC / "chat.html")


async def to_chat(_: web.Request) -> web.Response:
    raise web.HTTPFound("/chat/")


def make_app(config: ChatConfig | None = None) -> web.Application:
    config = config or ChatConfig.from_env()
    if not config.app_secret:
        raise ValueError(
            "WHATSAPP_APP_SECRET is not set: the chat signs webhooks with it (make up sets it)"
        )
    app = web.Application(middlewares=[security_headers])
    app[CONFIG] = config

    async def http_session(_: web.Application) -> AsyncIterator[None]:
        # opened at startup, closed at cleanup
        session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=15))
        config.session = session
        yield
        await session.close()

    app.cleanup_ctx.append(http_session)
    app.router.add_get("/health", health)
    app.router.add_get("/", to_chat)
    app.router.add_get("/chat", to_chat)
    app.router.add_get("/chat/", index)
    app.router.add_get("/chat/api/identities", identities)
    app.router.add_post("/chat/api/send", send)
    app.router.add_get("/chat/api/timeline", get_timeline)
    app.router.add_post("/chat/api/restart", restart)
    app.router.add_get("/chat/api/document/{media_id}", document)
    app.router.add_static("/chat/static/", STATIC)
    return app
