"""Builds Meta-shaped WhatsApp webhook payloads and signs them like Meta does
(`X-Hub-Signature-256: sha256=HMAC-SHA256(app secret, raw body)`).

    from tools import webhook_client as wc
    payload = wc.envelope(messages=[wc.text("919800000001", "হ্যালো")])
    wc.post(url, payload, app_secret)

CLI: python -m tools.webhook_client --url URL text 919800000001 "hello"
     python -m tools.webhook_client --url URL button 919800000001 '/set_language{"language":"bn"}'
     python -m tools.webhook_client --url URL audio 919800000001
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import itertools
import json
import secrets
import sys
import time
from collections.abc import Iterable
from typing import Any

from sathi.settings import settings

_counter = itertools.count(1)


def new_wamid() -> str:
    return "wamid.TEST" + secrets.token_hex(12) + f"{next(_counter):04d}"


def _base(wa_id: str, kind: str, wamid: str | None, ts: int | None) -> dict[str, Any]:
    return {
        "from": wa_id,
        "id": wamid or new_wamid(),
        "timestamp": str(int(ts if ts is not None else time.time())),
        "type": kind,
    }


def text(wa_id: str, body: str, wamid: str | None = None, ts: int | None = None) -> dict[str, Any]:
    return {**_base(wa_id, "text", wamid, ts), "text": {"body": body}}


def button_reply(
    wa_id: str, reply_id: str, title: str = "", wamid: str | None = None, ts: int | None = None
) -> dict[str, Any]:
    return {
        **_base(wa_id, "interactive", wamid, ts),
        "interactive": {
            "type": "button_reply",
            "button_reply": {"id": reply_id, "title": title or reply_id[:20]},
        },
    }


def list_reply(
    wa_id: str,
    reply_id: str,
    title: str = "",
    description: str = "",
    wamid: str | None = None,
    ts: int | None = None,
) -> dict[str, Any]:
    reply = {"id": reply_id, "title": title or reply_id[:24]}
    if description:
        reply["description"] = description
    return {
        **_base(wa_id, "interactive", wamid, ts),
        "interactive": {"type": "list_reply", "list_reply": reply},
    }


def template_button(
    wa_id: str, payload: str, label: str = "", wamid: str | None = None, ts: int | None = None
) -> dict[str, Any]:
    return {
        **_base(wa_id, "button", wamid, ts),
        "button": {"payload": payload, "text": label or payload},
    }


def media(
    wa_id: str, kind: str = "image", wamid: str | None = None, ts: int | None = None, **extra: Any
) -> dict[str, Any]:
    """audio / voice / image / video / sticker / document, by media id as Meta sends them."""
    mimes = {
        "audio": "audio/ogg; codecs=opus",
        "voice": "audio/ogg; codecs=opus",
        "image": "image/jpeg",
        "video": "video/mp4",
        "sticker": "image/webp",
        "document": "application/pdf",
    }
    graph_kind = "audio" if kind == "voice" else kind
    obj: dict[str, Any] = {
        "id": str(10**15 + next(_counter)),
        "mime_type": mimes.get(kind, "application/octet-stream"),
        "sha256": hashlib.sha256(kind.encode()).hexdigest(),
    }
    if kind == "voice":
        obj["voice"] = True
    obj.update(extra)
    return {**_base(wa_id, graph_kind, wamid, ts), graph_kind: obj}


def location(
    wa_id: str,
    latitude: float = 22.5726,
    longitude: float = 88.3639,
    wamid: str | None = None,
    ts: int | None = None,
) -> dict[str, Any]:
    return {
        **_base(wa_id, "location", wamid, ts),
        "location": {"latitude": latitude, "longitude": longitude, "name": "", "address": ""},
    }


def contacts(wa_id: str, wamid: str | None = None) -> dict[str, Any]:
    return {
        **_base(wa_id, "contacts", wamid, None),
        "contacts": [{"name": {"formatted_name": "Test"}, "phones": [{"phone": "+919800000009"}]}],
    }


def reaction(
    wa_id: str, to_wamid: str, emoji: str = "👍", wamid: str | None = None
) -> dict[str, Any]:
    return {
        **_base(wa_id, "reaction", wamid, None),
        "reaction": {"message_id": to_wamid, "emoji": emoji},
    }


def unknown(wa_id: str, wamid: str | None = None) -> dict[str, Any]:
    return {
        **_base(wa_id, "unsupported", wamid, None),
        "errors": [{"code": 131051, "title": "Message type unknown"}],
    }


def status(
    graph_message_id: str,
    recipient: str,
    state: str = "delivered",
    error_code: int | None = None,
    ts: int | None = None,
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": graph_message_id,
        "status": state,
        "recipient_id": recipient,
        "timestamp": str(int(ts if ts is not None else time.time())),
    }
    if error_code is not None:
        out["errors"] = [
            {
                "code": error_code,
                "title": "error",
                "message": "error",
                "error_data": {"details": "emulated"},
            }
        ]
    return out


def envelope(
    messages: Iterable[dict[str, Any]] = (),
    statuses: Iterable[dict[str, Any]] = (),
    phone_number_id: str | None = None,
    display_number: str = "15550000000",
    entries: list[tuple[list[dict[str, Any]], list[dict[str, Any]]]] | None = None,
) -> dict[str, Any]:
    """A webhook POST body. `entries` gives several entries, each (messages, statuses);
    otherwise one entry carrying `messages` and `statuses`."""
    number_id = phone_number_id or (settings().whatsapp_phone_number_id or "100000000000001")
    groups = entries if entries is not None else [(list(messages), list(statuses))]
    out = []
    for msgs, stats in groups:
        value: dict[str, Any] = {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": display_number, "phone_number_id": number_id},
        }
        if msgs:
            value["contacts"] = [
                {"profile": {"name": "Test User"}, "wa_id": m["from"]}
                for m in {m["from"]: m for m in msgs}.values()
            ]
            value["messages"] = list(msgs)
        if stats:
            value["statuses"] = list(stats)
        out.append(
            {"id": "WABA" + number_id[-6:], "changes": [{"value": value, "field": "messages"}]}
        )
    return {"object": "whatsapp_business_account", "entry": out}


def encode(payload: Any) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


def sign(body: bytes, app_secret: str) -> str:
    return "sha256=" + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()


def signed_request(payload: Any, app_secret: str) -> tuple[bytes, dict[str, str]]:
    """(raw body, headers) ready for POST."""
    body = payload if isinstance(payload, bytes) else encode(payload)
    return body, {"Content-Type": "application/json", "X-Hub-Signature-256": sign(body, app_secret)}


def post(url: str, payload: Any, app_secret: str, timeout: float = 10.0):
    """POST a signed webhook with requests; the response."""
    import requests

    body, headers = signed_request(payload, app_secret)
    return requests.post(url, data=body, headers=headers, timeout=timeout)


def _main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="send a signed WhatsApp webhook")
    parser.add_argument(
        "--url", default=f"http://127.0.0.1:{settings().rasa_port}/webhooks/whatsapp/webhook"
    )
    parser.add_argument("--secret", default=settings().whatsapp_app_secret.get_secret_value())
    parser.add_argument(
        "kind",
        choices=[
            "text",
            "button",
            "list",
            "template",
            "audio",
            "voice",
            "image",
            "video",
            "sticker",
            "document",
            "location",
        ],
    )
    parser.add_argument("phone")
    parser.add_argument("value", nargs="?", default="")
    args = parser.parse_args(argv)
    if not args.secret:
        print("WHATSAPP_APP_SECRET is not set (or pass --secret)", file=sys.stderr)
        return 2
    builders = {
        "text": lambda: text(args.phone, args.value),
        "button": lambda: button_reply(args.phone, args.value),
        "list": lambda: list_reply(args.phone, args.value),
        "template": lambda: template_button(args.phone, args.value),
        "location": lambda: location(args.phone),
    }
    message = builders.get(args.kind, lambda: media(args.phone, args.kind))()
    resp = post(args.url, envelope(messages=[message]), args.secret)
    print(resp.status_code, resp.text)
    return 0 if resp.status_code == 200 else 1


if __name__ == "__main__":
    sys.exit(_main())
