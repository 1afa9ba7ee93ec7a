"""Reusable WhatsApp test helpers: free ports, the Graph emulator (in-process or as a
subprocess), a client for its control routes, signed webhooks, and `ChannelHarness`, which
runs the real connector in an in-process Sanic server with a test double for Rasa.

The full-stack tests (real rasa server) can use `start_emulator_process`, `EmulatorClient`
and `WebhookSender` against the running stack.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp

from tools import webhook_client as wc

ROOT = Path(__file__).resolve().parents[2]
APP_SECRET = "test-app-secret-" + "x" * 16
VERIFY_TOKEN = "test-verify-token"
ACCESS_TOKEN = "test-access-token"
PHONE_NUMBER_ID = "100000000000001"
RESERVED_PORTS = {5005, 5055, 5006, 8070, 8071}


def free_port() -> int:
    while True:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        if port not in RESERVED_PORTS:
            return port


# --- emulator as a subprocess (stack tests, demos) ---------------------------------------
def start_emulator_process(
    port: int, env: dict[str, str] | None = None, log_path: str | None = None, timeout: float = 20.0
) -> subprocess.Popen:
    import requests

    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    out = open(log_path, "ab") if log_path else subprocess.DEVNULL
    proc = subprocess.Popen(
        [sys.executable, "-m", "tools.graph_emulator", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        env=full_env,
        stdout=out,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    end = time.time() + timeout
    while time.time() < end:
        if proc.poll() is not None:
            raise RuntimeError(f"graph emulator exited with {proc.returncode}")
        try:
            if requests.get(f"http://127.0.0.1:{port}/health", timeout=1).ok:
                return proc
        except requests.RequestException:
            time.sleep(0.1)
    proc.terminate()
    raise RuntimeError("graph emulator did not answer /health")


class EmulatorClient:
    """Synchronous client of the emulator's control routes."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")

    def state(self, to: str | None = None) -> dict[str, Any]:
        import requests

        params = {"to": to} if to else {}
        return requests.get(f"{self.base_url}/_emulator/messages", params=params, timeout=5).json()

    def messages(self, to: str | None = None) -> list[dict[str, Any]]:
        return self.state(to)["messages"]

    def reset(self) -> None:
        import requests

        requests.post(f"{self.base_url}/_emulator/reset", timeout=5).raise_for_status()

    def fail(self, mode: str, count: int = 1, seconds: float = 30, on: str = "send") -> None:
        import requests

        requests.post(
            f"{self.base_url}/_emulator/fail",
            json={"mode": mode, "count": count, "seconds": seconds, "on": on},
            timeout=5,
        ).raise_for_status()

    def wait_for(self, to: str, count: int, timeout: float = 30.0) -> list[dict[str, Any]]:
        end = time.time() + timeout
        while time.time() < end:
            got = self.messages(to)
            if len(got) >= count:
                return got
            time.sleep(0.1)
        return self.messages(to)


class WebhookSender:
    """Signs and POSTs webhooks to a running rasa server (synchronous)."""

    def __init__(self, url: str, app_secret: str) -> None:
        self.url, self.app_secret = url, app_secret

    def send(self, *messages: dict[str, Any], statuses=()):
        return wc.post(self.url, wc.envelope(messages=messages, statuses=statuses), self.app_secret)


# --- in-process harness ------------------------------------------------------------------
Handler = Callable[[Any], Awaitable[None]]


class ChannelHarness:
    """The real WhatsApp connector in an in-process Sanic server, Graph emulated in the same
    event loop, Rasa replaced by `handler(UserMessage)`. Use inside `asyncio.run`:

        async with ChannelHarness(echo) as h:
            await h.post(wc.envelope(messages=[wc.text(...)]))
            await h.settle()
            h.emulator.messages
    """

    def __init__(
        self,
        handler: Handler,
        *,
        graph_timeout: float = 3.0,
        max_attempts: int = 4,
        lease_seconds: float = 5.0,
        start_worker: bool = True,
        max_body_bytes: int | None = None,
        cors_origins: str | None = None,
        emulator_statuses: bool = False,
    ) -> None:
        self.handler = handler
        self.cors_origins = cors_origins  # as `rasa run --cors`: CORS on every route
        self.emulator_statuses = emulator_statuses  # Graph posts sent/delivered/read back
        self.graph_timeout = graph_timeout
        self.max_attempts = max_attempts
        self.lease_seconds = lease_seconds
        self.start_worker = start_worker
        self.max_body_bytes = max_body_bytes
        self.received: list[Any] = []

    async def __aenter__(self) -> ChannelHarness:
        from aiohttp import web
        from sanic import Sanic

        from channels.whatsapp import WhatsAppInput
        from channels.whatsapp_graph import GraphConfig
        from tools.graph_emulator.server import EMULATOR_KEY, make_app

        self.emulator_port, self.port = free_port(), free_port()
        webhook = f"http://127.0.0.1:{self.port}/webhooks/whatsapp/webhook"
        emu_app = make_app(
            token=ACCESS_TOKEN,
            phone_number_id=PHONE_NUMBER_ID,
            status_webhook=webhook if self.emulator_statuses else None,
            app_secret=APP_SECRET,
        )
        self.emulator = emu_app[EMULATOR_KEY]
        self._emu_runner = web.AppRunner(emu_app)
        await self._emu_runner.setup()
        await web.TCPSite(self._emu_runner, "127.0.0.1", self.emulator_port).start()
        graph_url = f"http://127.0.0.1:{self.emulator_port}"
        config = GraphConfig(
            access_token=ACCESS_TOKEN,
            phone_number_id=PHONE_NUMBER_ID,
            graph_url=graph_url,
            graph_version="v21.0",
            timeout=self.graph_timeout,
            max_attempts=self.max_attempts,
            retry_base=0.02,
            retry_cap=0.1,
            pace=0.01,
        )
        kwargs: dict[str, Any] = {}
        if self.max_body_bytes:
            kwargs["max_body_bytes"] = self.max_body_bytes
        self.channel = WhatsAppInput(
            APP_SECRET,
            VERIFY_TOKEN,
            ACCESS_TOKEN,
            PHONE_NUMBER_ID,
            graph_config=config,
            worker_options={"lease_seconds": self.lease_seconds, "poll_seconds": 0.2},
            **kwargs,
        )

        async def on_new_message(message) -> None:
            self.received.append(message)
            await self.handler(message)

        Sanic.test_mode = True  # several apps in one process (Sanic's touch-up, registry)
        self.app = Sanic(f"wa_test_{uuid.uuid4().hex[:10]}")
        self.app.config.ACCESS_LOG = False
        self.app.blueprint(self.channel.blueprint(on_new_message), url_prefix="/webhooks/whatsapp")
        if self.cors_origins is not None:  # what rasa/server.py's create_app does
            from sanic import response
            from sanic_cors import CORS

            CORS(
                self.app, resources={r"/*": {"origins": self.cors_origins}}, automatic_options=True
            )
            self.app.add_route(lambda _request: response.text("ok"), "/cors-probe")
        self.server = await self.app.create_server(
            host="127.0.0.1", port=self.port, return_asyncio_server=True, access_log=False
        )
        await self.server.startup()
        if self.cors_origins is not None:  # sanic_cors attaches its middleware before start
            await self.server.before_start()
        if self.start_worker:
            await self.server.after_start()
        self.session = aiohttp.ClientSession()
        self.url = f"http://127.0.0.1:{self.port}/webhooks/whatsapp/webhook"
        return self

    async def __aexit__(self, *exc) -> None:
        await self.session.close()
        if self.channel.worker is not None:
            await self.channel.worker.stop()
        self.server.close()
        await self.server.wait_closed()
        await self._emu_runner.cleanup()

    async def start_worker_now(self) -> None:
        await self.server.after_start()

    async def post(
        self, payload: Any, headers: dict[str, str] | None = None, sign: bool = True
    ) -> tuple:
        body = payload if isinstance(payload, bytes) else wc.encode(payload)
        hdrs = {"Content-Type": "application/json"}
        if sign:
            hdrs["X-Hub-Signature-256"] = wc.sign(body, APP_SECRET)
        hdrs.update(headers or {})
        async with self.session.post(self.url, data=body, headers=hdrs) as resp:
            return resp.status, await resp.text()

    async def get(self, params: dict[str, str]) -> tuple:
        async with self.session.get(self.url, params=params) as resp:
            return resp.status, await resp.text()

    async def settle(self, timeout: float = 20.0) -> None:
        assert self.channel.worker is not None
        assert await self.channel.worker.idle(timeout), "inbox not processed in time"

    def sent(self, to: str | None = None) -> list[dict[str, Any]]:
        return [m for m in self.emulator.messages if not to or m["to"] == to]


def run(coro) -> Any:
    return asyncio.run(coro)
