"""WhatsApp as Meta would call it, against a running Sathi stack (tests/support/stack.py):
signed webhooks to the real rasa server, replies read back from the Graph emulator, the
inbox / outbox / statuses read from the stack's own bot store (SQLite or PostgreSQL).

Waiting is bounded polling, never a fixed sleep: `settle(wa_id)` waits until every inbox row of
that sender is finished (the worker flushes a turn's messages before it marks the row done).
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterable
from typing import Any

import requests
from sqlalchemy import create_engine, select

from bot_store.schema import wa_inbox, wa_outbox, wa_statuses
from tests.support.whatsapp import EmulatorClient
from tools import webhook_client as wc

FINISHED = ("done", "failed")


def new_wa_id(prefix: str = "9170") -> str:
    """A WhatsApp number nobody else in the test session uses (12 digits, no preferences)."""
    return prefix + "".join(random.choice("0123456789") for _ in range(12 - len(prefix)))


class StackWhatsApp:
    def __init__(self, stack, bot_store_url: str | None = None) -> None:
        self.stack = stack
        self.url = f"{stack.rasa_url}/webhooks/whatsapp/webhook"
        self.app_secret = stack.env.get("WHATSAPP_APP_SECRET") or stack.secret(
            "whatsapp_app_secret"
        )
        self.verify_token = stack.env.get("WHATSAPP_VERIFY_TOKEN") or stack.secret(
            "whatsapp_verify_token"
        )
        self.access_token = stack.env.get("WHATSAPP_ACCESS_TOKEN") or stack.secret(
            "whatsapp_access_token"
        )
        self.phone_number_id = stack.env.get("WHATSAPP_PHONE_NUMBER_ID") or "100000000000001"
        self.graph_version = stack.env.get("WHATSAPP_GRAPH_VERSION") or "v21.0"
        self.emulator = EmulatorClient(stack.emulator_url)
        url = (
            bot_store_url
            or stack.env.get("SATHI_BOT_STORE_URL")
            or f"sqlite:///{stack.var}/data/bot_store.db"
        )
        self.store = create_engine(url, future=True)

    def close(self) -> None:
        self.store.dispose()

    # --- Meta -> us -----------------------------------------------------------------------
    def envelope(
        self,
        messages: Iterable[dict[str, Any]] = (),
        statuses: Iterable[dict[str, Any]] = (),
        entries=None,
    ) -> dict[str, Any]:
        return wc.envelope(
            messages=messages,
            statuses=statuses,
            entries=entries,
            phone_number_id=self.phone_number_id,
        )

    def post(self, *messages: dict[str, Any], statuses=(), entries=None) -> requests.Response:
        return wc.post(
            self.url, self.envelope(messages, statuses, entries), self.app_secret, timeout=20
        )

    def post_raw(self, body: bytes, headers: dict[str, str]) -> requests.Response:
        return requests.post(
            self.url, data=body, headers={"Content-Type": "application/json", **headers}, timeout=20
        )

    def verify(self, params: dict[str, str]) -> requests.Response:
        return requests.get(self.url, params=params, timeout=10)

    # --- the bot store ----------------------------------------------------------------------
    def inbox(self, wa_id: str) -> list[dict[str, Any]]:
        with self.store.connect() as conn:
            return [
                dict(r)
                for r in conn.execute(
                    select(wa_inbox).where(wa_inbox.c.wa_id == wa_id).order_by(wa_inbox.c.id)
                ).mappings()
            ]

    def outbox(self, wa_id: str) -> list[dict[str, Any]]:
        with self.store.connect() as conn:
            return [
                dict(r)
                for r in conn.execute(
                    select(wa_outbox).where(wa_outbox.c.wa_id == wa_id).order_by(wa_outbox.c.id)
                ).mappings()
            ]

    def statuses(self, graph_message_id: str) -> list[dict[str, Any]]:
        with self.store.connect() as conn:
            return [
                dict(r)
                for r in conn.execute(
                    select(wa_statuses)
                    .where(wa_statuses.c.graph_message_id == graph_message_id)
                    .order_by(wa_statuses.c.id)
                ).mappings()
            ]

    def settle(self, wa_id: str, rows: int = 1, timeout: float = 120.0) -> list[dict[str, Any]]:
        """Wait until `wa_id` has at least `rows` inbox rows and all are finished."""
        end = time.monotonic() + timeout
        while True:
            found = self.inbox(wa_id)
            if len(found) >= rows and all(r["state"] in FINISHED for r in found):
                return found
            if time.monotonic() > end:
                raise AssertionError(
                    f"inbox of {wa_id[-4:]} not finished in {timeout:.0f} s: "
                    f"{[(r['id'], r['state'], r['last_error']) for r in found]}"
                )
            time.sleep(0.1)

    # --- us -> Meta (what reached the emulator) --------------------------------------------
    def sent(self, wa_id: str) -> list[dict[str, Any]]:
        return self.emulator.messages(wa_id)

    def turn(
        self, wa_id: str, message: dict[str, Any], timeout: float = 120.0
    ) -> list[dict[str, Any]]:
        """Send one message and return the messages the bot sent for it."""
        before = len(self.sent(wa_id))
        rows_before = len(self.inbox(wa_id))
        answer = self.post(message)
        assert answer.status_code == 200, answer.text
        self.settle(wa_id, rows_before + 1, timeout)
        return self.sent(wa_id)[before:]

    def say(self, wa_id: str, text: str, timeout: float = 120.0) -> list[dict[str, Any]]:
        return self.turn(wa_id, wc.text(wa_id, text), timeout)

    def tap(
        self, wa_id: str, reply_id: str, title: str = "", timeout: float = 120.0
    ) -> list[dict[str, Any]]:
        return self.turn(wa_id, wc.button_reply(wa_id, reply_id, title), timeout)

    def media_bytes(self, media_id: str) -> requests.Response:
        """Graph's media flow: GET /{version}/{media_id} for the url, then the url (bearer)."""
        auth = {"Authorization": f"Bearer {self.access_token}"}
        info = requests.get(
            f"{self.stack.emulator_url}/{self.graph_version}/{media_id}", headers=auth, timeout=10
        )
        if info.status_code != 200:
            return info
        return requests.get(info.json()["url"], headers=auth, timeout=10)


# --- reading what the bot sent ----------------------------------------------------------------
def body_text(message: dict[str, Any]) -> str:
    body = message["body"]
    kind = body.get("type")
    if kind == "text":
        return body["text"]["body"]
    if kind == "interactive":
        return body["interactive"]["body"]["text"]
    if kind == "document":
        return body["document"].get("caption", "")
    return ""


def all_text(messages: list[dict[str, Any]]) -> str:
    return "\n".join(body_text(m) for m in messages)


def choices(message: dict[str, Any]) -> list[dict[str, str]]:
    """[{id, title}] of a reply-button or list message."""
    inter = message["body"].get("interactive") or {}
    if inter.get("type") == "button":
        return [b["reply"] for b in inter["action"]["buttons"]]
    if inter.get("type") == "list":
        return [
            {"id": r["id"], "title": r["title"]}
            for s in inter["action"]["sections"]
            for r in s["rows"]
        ]
    return []


def request_trade_noc(wa: StackWhatsApp, user: str, number: str) -> list[dict[str, Any]]:
    """Ask for the Trade NOC in English; when the bot offers the user's applications, tap the
    one wanted (by its id, as WhatsApp sends it), else type the number. All the bot's messages."""
    sent = wa.say(user, "I need my trade licence certificate")
    if any(m["type"] == "document" for m in sent):  # one application: delivered at once
        return sent
    offered = [c for m in sent for c in choices(m) if number in c["id"]]
    if offered:
        return sent + wa.tap(user, offered[0]["id"], offered[0]["title"])
    return sent + wa.say(user, number)
