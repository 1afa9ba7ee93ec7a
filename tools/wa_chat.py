"""Chat with the running Sathi as a WhatsApp user: your lines go to the rasa server as signed
webhooks (like Meta's), and what the bot sent to that number is read back from the Graph
emulator and printed in order: texts, reply buttons, list rows, documents.

    make wa-chat PHONE=919800000001          (the stack must be up: make up)

At the prompt:
    any text              sent as a text message
    1, 2, 3 ...           tap that button / list row of the bot's last interactive message
    :audio :voice :image :video :sticker :document :location    send that kind of message
    :quit                 leave
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

import requests

from sathi.settings import settings
from tools import webhook_client as wc

ROOT = Path(__file__).resolve().parent.parent


def _secret(value: str, file_name: str) -> str:
    """The secret from the settings, else the one the trainers' stack generated."""
    if value:
        return value
    path = settings().var_dir / "run" / file_name
    return path.read_text().strip() if path.exists() else ""


def render(message: dict[str, Any]) -> list[str]:
    """Lines a trainer reads for one message the bot sent; numbered choices."""
    body = message.get("body") or {}
    kind = message.get("type")
    if kind == "text":
        return ["bot: " + line for line in body.get("text", {}).get("body", "").splitlines()] or [
            "bot:"
        ]
    if kind == "document":
        doc = message.get("document") or body.get("document") or {}
        return [
            f"bot: [document] {doc.get('filename') or 'Untitled'} ({doc.get('size', '?')} bytes)"
            + (f" — {doc['caption']}" if doc.get("caption") else "")
        ]
    if kind == "interactive":
        inter = body.get("interactive", {})
        lines = ["bot: " + line for line in inter.get("body", {}).get("text", "").splitlines()]
        if inter.get("type") == "button":
            for i, b in enumerate(inter["action"]["buttons"], 1):
                lines.append(f"     [{i}] {b['reply']['title']}    -> {b['reply']['id']}")
        else:
            lines.append(f"     ({inter['action'].get('button')})")
            i = 0
            for section in inter["action"]["sections"]:
                for row in section["rows"]:
                    i += 1
                    desc = f" — {row['description']}" if row.get("description") else ""
                    lines.append(f"     [{i}] {row['title']}{desc}    -> {row['id']}")
        return lines
    if kind == "template":
        return [f"bot: [template] {body.get('template', {}).get('name')}"]
    return [f"bot: [{kind}]"]


def choices(message: dict[str, Any]) -> list[dict[str, str]]:
    inter = (message.get("body") or {}).get("interactive") or {}
    if inter.get("type") == "button":
        return [{"kind": "button", **b["reply"]} for b in inter["action"]["buttons"]]
    if inter.get("type") == "list":
        return [
            {"kind": "list", "id": r["id"], "title": r["title"]}
            for s in inter["action"]["sections"]
            for r in s["rows"]
        ]
    return []


class Chat:
    def __init__(self, phone: str, webhook_url: str, emulator_url: str, secret: str) -> None:
        self.phone, self.webhook_url, self.emulator_url, self.secret = (
            phone,
            webhook_url,
            emulator_url,
            secret,
        )
        self.seen = len(self.messages())
        self.last_choices: list[dict[str, str]] = []
        self.quiet = 1.5
        self.out = print

    def messages(self) -> list[dict[str, Any]]:
        resp = requests.get(
            f"{self.emulator_url}/_emulator/messages", params={"to": self.phone}, timeout=5
        )
        resp.raise_for_status()
        return resp.json()["messages"]

    def send(self, message: dict[str, Any]) -> None:
        resp = wc.post(self.webhook_url, wc.envelope(messages=[message]), self.secret)
        if resp.status_code != 200:
            print(f"(webhook answered {resp.status_code}: {resp.text[:200]})")

    def collect(self, wait: float = 30.0) -> None:
        """Print new messages until none arrived for `self.quiet` seconds (or `wait` passed)."""
        quiet = self.quiet
        start = last = time.time()
        got_any = False
        while time.time() - start < wait:
            new = self.messages()[self.seen :]
            for message in new:
                self.seen += 1
                got_any, last = True, time.time()
                self.out("\n".join(render(message)))
                found = choices(message)
                if found:
                    self.last_choices = found
            if got_any and time.time() - last > quiet:
                return
            time.sleep(0.2)
        if not got_any:
            print("(no answer yet; is the stack up? `make up`)")

    def line(self, text: str) -> bool:
        text = text.strip()
        if not text:
            return True
        if text in (":quit", ":q", "/stop_chat"):
            return False
        if text.isdigit() and self.last_choices:
            idx = int(text) - 1
            if not 0 <= idx < len(self.last_choices):
                print("(no such choice)")
                return True
            choice = self.last_choices[idx]
            maker = wc.button_reply if choice["kind"] == "button" else wc.list_reply
            self.send(maker(self.phone, choice["id"], choice["title"]))
        elif text.startswith(":"):
            kind = text[1:]
            if kind == "location":
                self.send(wc.location(self.phone))
            elif kind in ("audio", "voice", "image", "video", "sticker", "document"):
                self.send(wc.media(self.phone, kind))
            else:
                print("(unknown command)")
                return True
        else:
            self.send(wc.text(self.phone, text))
        self.collect()
        return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phone", default="919800000001")
    config = settings()
    parser.add_argument("--rasa-url", default=f"http://127.0.0.1:{config.rasa_port}")
    parser.add_argument(
        "--emulator-url",
        default=config.whatsapp_graph_url or f"http://127.0.0.1:{config.emulator_port}",
    )
    args = parser.parse_args(argv)
    phone = "".join(ch for ch in args.phone if ch.isdigit())
    if len(phone) == 10:
        phone = "91" + phone
    secret = _secret(settings().whatsapp_app_secret.get_secret_value(), "whatsapp_app_secret")
    if not secret:
        print(
            "No WHATSAPP_APP_SECRET (and none in var/run): start the stack with `make up`.",
            file=sys.stderr,
        )
        return 2
    try:
        chat = Chat(
            phone,
            args.rasa_url.rstrip("/") + "/webhooks/whatsapp/webhook",
            args.emulator_url.rstrip("/"),
            secret,
        )
    except requests.RequestException:
        print(
            f"The Graph emulator does not answer at {args.emulator_url}: `make up` first.",
            file=sys.stderr,
        )
        return 2
    print(
        f"WhatsApp chat as {phone} (text; a number taps a button/row; :image :audio :location ...; :quit)"
    )
    while True:
        try:
            text = input("you: ")
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        try:
            if not chat.line(text):
                return 0
        except requests.RequestException as exc:
            print(f"(request failed: {type(exc).__name__}; is the stack up?)")


if __name__ == "__main__":
    sys.exit(main())
