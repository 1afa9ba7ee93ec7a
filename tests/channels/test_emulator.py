"""The Graph emulator rejects what Meta rejects, records what it accepts, fails on demand."""

from __future__ import annotations

import ast
from pathlib import Path

import aiohttp
from aiohttp import web

from tests.support.whatsapp import ACCESS_TOKEN, PHONE_NUMBER_ID, free_port, run
from tools.graph_emulator.server import EMULATOR_KEY, make_app

ROOT = Path(__file__).resolve().parents[2]
TO = "919800000001"


class Client:
    async def __aenter__(self):
        self.port = free_port()
        app = make_app(token=ACCESS_TOKEN, phone_number_id=PHONE_NUMBER_ID)
        self.emulator = app[EMULATOR_KEY]
        self.runner = web.AppRunner(app)
        await self.runner.setup()
        await web.TCPSite(self.runner, "127.0.0.1", self.port).start()
        self.session = aiohttp.ClientSession(headers={"Authorization": f"Bearer {ACCESS_TOKEN}"})
        self.base = f"http://127.0.0.1:{self.port}"
        return self

    async def __aexit__(self, *exc):
        await self.session.close()
        await self.runner.cleanup()

    async def send(self, body, token=None):
        headers = {"Authorization": f"Bearer {token}"} if token else None
        url = f"{self.base}/v21.0/{PHONE_NUMBER_ID}/messages"
        async with self.session.post(
            url, json={"messaging_product": "whatsapp", "to": TO, **body}, headers=headers
        ) as r:
            return r.status, await r.json()


def buttons(n, title="OK"):
    return {
        "type": "interactive",
        "interactive": {
            "type": "button",
            "body": {"text": "b"},
            "action": {
                "buttons": [
                    {"type": "reply", "reply": {"id": f"/p{i}", "title": f"{title}{i}"}}
                    for i in range(n)
                ]
            },
        },
    }


def listing(rows, row_title="row", button="Choose", description=None):
    def row(i):
        return {
            "id": f"/r{i}",
            "title": f"{row_title}{i}",
            **({"description": description} if description else {}),
        }

    return {
        "type": "interactive",
        "interactive": {
            "type": "list",
            "body": {"text": "b"},
            "action": {
                "button": button,
                "sections": [{"title": "S", "rows": [row(i) for i in range(rows)]}],
            },
        },
    }


def test_rejects_what_meta_rejects():
    async def go():
        async with Client() as c:
            cases = {
                "four buttons": buttons(4),
                "button title 21": buttons(1, title="t" * 20),
                "eleven rows": listing(11),
                "row title 25": listing(1, row_title="r" * 24),
                "row description 73": listing(1, description="d" * 73),
                "list button 21": listing(1, button="b" * 21),
                "body 1025": {
                    "type": "interactive",
                    "interactive": {**buttons(1)["interactive"], "body": {"text": "x" * 1025}},
                },
                "text 4097": {"type": "text", "text": {"body": "x" * 4097}},
                "empty text": {"type": "text", "text": {"body": ""}},
                "unknown media": {
                    "type": "document",
                    "document": {"id": "123", "filename": "a.pdf"},
                },
                "unknown type": {"type": "carousel"},
            }
            for name, body in cases.items():
                status, data = await c.send(body)
                assert status == 400, name
                err = data["error"]
                assert {"message", "type", "code", "error_subcode", "fbtrace_id"} <= set(err), name
            assert c.emulator.messages == []
            status, data = await c.send(buttons(1), token="wrong")
            assert status == 401 and data["error"]["code"] == 190

    run(go())


def test_accepts_and_records_valid_messages_bengali_within_limits():
    async def go():
        async with Client() as c:
            bengali = {
                "type": "interactive",
                "interactive": {
                    "type": "button",
                    "body": {"text": "ভাষা?"},
                    "action": {
                        "buttons": [
                            {"type": "reply", "reply": {"id": "/bn", "title": "কর্মীর সাথে কথা"}}
                        ]
                    },
                },
            }
            for body in (
                buttons(3),
                listing(10),
                {"type": "text", "text": {"body": "x" * 4096}},
                bengali,
                {"type": "template", "template": {"name": "reminder", "language": {"code": "bn"}}},
            ):
                status, data = await c.send(body)
                assert status == 200, data
                assert data["messages"][0]["id"].startswith("wamid.")
            assert len(c.emulator.messages) == 5
            async with c.session.get(f"{c.base}/_emulator/messages", params={"to": TO}) as r:
                assert len((await r.json())["messages"]) == 5
            status, _ = await c.send(
                {"status": "read", "message_id": "wamid.X", "typing_indicator": {"type": "text"}}
            )
            assert status == 200 and c.emulator.reads[0]["message_id"] == "wamid.X"

    run(go())


def test_media_upload_fetch_send_delete():
    async def go():
        async with Client() as c:
            form = aiohttp.FormData()
            form.add_field("messaging_product", "whatsapp")
            form.add_field("type", "application/pdf")
            form.add_field(
                "file", b"%PDF-1.4 test", filename="a.pdf", content_type="application/pdf"
            )
            async with c.session.post(f"{c.base}/v21.0/{PHONE_NUMBER_ID}/media", data=form) as r:
                media_id = (await r.json())["id"]
            async with c.session.get(f"{c.base}/v21.0/{media_id}") as r:
                info = await r.json()
            async with c.session.get(info["url"]) as r:
                assert await r.read() == b"%PDF-1.4 test"
            status, _ = await c.send(
                {"type": "document", "document": {"id": media_id, "filename": "a.pdf"}}
            )
            assert status == 200 and c.emulator.messages[0]["document"]["filename"] == "a.pdf"
            async with c.session.delete(f"{c.base}/v21.0/{media_id}") as r:
                assert (await r.json()) == {"success": True}
            status, data = await c.send({"type": "document", "document": {"id": media_id}})
            assert status == 400
            async with c.session.delete(f"{c.base}/v21.0/{media_id}") as r:
                assert r.status == 400

    run(go())


def test_failure_injection_and_reset():
    async def go():
        async with Client() as c:
            expected = {
                "500": (500, 1),
                "rate_limit": (400, 130429),
                "window": (400, 131047),
                "pair_rate": (400, 131056),
                "token": (401, 190),
            }
            for mode, (status_code, code) in expected.items():
                async with c.session.post(
                    f"{c.base}/_emulator/fail", json={"mode": mode, "count": 1}
                ) as r:
                    assert r.status == 200
                status, data = await c.send(buttons(1))
                assert (status, data["error"]["code"]) == (status_code, code), mode
                status, _ = await c.send(buttons(1))
                assert status == 200, mode
            async with c.session.post(f"{c.base}/_emulator/reset") as r:
                assert r.status == 200
            assert c.emulator.messages == []

    run(go())


def test_emulator_imports_nothing_from_channels():
    for path in (ROOT / "tools" / "graph_emulator").glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            assert not any(n == "channels" or n.startswith("channels.") for n in names), path
