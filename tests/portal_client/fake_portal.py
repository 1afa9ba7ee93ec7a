"""A misbehaving portal for the client's tests: a stdlib HTTP server in a thread, on a free
port, answering from a script and recording every request it received."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    status: int = 200
    body: bytes | dict | list | str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering (to provoke read timeouts)

    def encoded(self) -> tuple:
        headers = dict(self.headers)
        if isinstance(self.body, (dict, list)):
            payload = json.dumps(self.body).encode()
            headers.setdefault("Content-Type", "application/json")
        elif isinstance(self.body, str):
            payload = self.body.encode()
            headers.setdefault("Content-Type", "text/html")
        else:
            payload = self.body or b""
        return payload, headers


def error(http_status: int, code: str, **extra) -> Reply:
    return Reply(http_status, {"error": {"code": code, "message": f"{code} (test)", **extra}})


@dataclass
class Seen:
    method: str
    path: str  # raw, as sent (percent-encoding kept)
    headers: dict[str, str]
    body: bytes


class FakePortal:
    """`script(path, *replies)`: answers for a path (without the query), in order; the last
    one repeats. A path without a script answers 404 not_found."""

    def __init__(self) -> None:
        self._scripts: dict[str, list[Reply | Callable[[Seen], Reply]]] = {}
        self.seen: list[Seen] = []
        self._lock = threading.Lock()
        portal = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:  # quiet
                pass

            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                seen = Seen(self.command, self.path, dict(self.headers.items()), body)
                reply = portal._next(seen)
                if reply.delay:
                    time.sleep(reply.delay)
                payload, headers = reply.encoded()
                try:
                    self.send_response(reply.status)
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            do_GET = do_POST = _answer

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/api/v1"

    def script(self, path: str, *replies: Reply | Callable[[Seen], Reply]) -> None:
        with self._lock:
            self._scripts["/api/v1" + path] = list(replies)

    def _next(self, seen: Seen) -> Reply:
        with self._lock:
            self.seen.append(seen)
            queue = self._scripts.get(seen.path.split("?", 1)[0])
            if not queue:
                return error(404, "not_found")
            reply = queue.pop(0) if len(queue) > 1 else queue[0]
        return reply(seen) if callable(reply) else reply

    def count(self, path: str | None = None) -> int:
        with self._lock:
            if path is None:
                return len(self.seen)
            return sum(1 for s in self.seen if s.path.split("?", 1)[0] == "/api/v1" + path)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


class BlackHole:
    """A port that accepts no connection: its listen backlog is full, so a connect times out."""

    def __init__(self) -> None:
        self._listener = socket.socket()
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(0)
        self.port = self._listener.getsockname()[1]
        self._fillers = []
        for _ in range(4):
            filler = socket.socket()
            filler.setblocking(False)
            try:
                filler.connect(("127.0.0.1", self.port))
            except BlockingIOError:
                pass
            self._fillers.append(filler)
        time.sleep(0.05)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v1"

    def close(self) -> None:
        for sock in self._fillers + [self._listener]:
            sock.close()
