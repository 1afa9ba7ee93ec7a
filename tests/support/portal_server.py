"""Run the reference portal backend for a test.

    from tests.support.portal_server import running_portal

    with running_portal(tmp_path, clock="2026-11-28") as portal:
        requests.get(portal.base_url + "/health")
        headers = portal.headers(portal.demo_ids["job_cards"][0]["mobile"])

`running_portal(tmp_dir, clock="2026-11-28", dev_routes=True, extra_env=None)` loads the demo
dataset into a SQLite file in `tmp_dir` (`init-demo`), starts `python -m portal_backend serve`
as a subprocess on a free loopback port with a fresh random service key, waits for
`/api/v1/health`, yields a `PortalServer` and stops the process afterwards. The signature is
stable: other suites rely on it.

`PortalServer` fields: `base_url` (".../api/v1"), `service_key`, `demo_ids` (the dict printed
by `demo-ids --json`), `env` (the environment the server runs with, e.g. to point a client or
the CLI at the same database), `log_path`; method `headers(mobile=None)`.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parents[2]
STARTUP_TIMEOUT_SECONDS = 30


@dataclass
class PortalServer:
    base_url: str
    service_key: str
    demo_ids: dict
    env: dict = field(default_factory=dict, repr=False)
    log_path: Path | None = None

    def headers(self, mobile: str | None = None) -> dict:
        out = {"X-Service-Key": self.service_key}
        if mobile:
            out["X-Requester-Mobile"] = mobile
        return out


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def portal_env(tmp_dir, clock: str, dev_routes: bool = True, extra_env: dict | None = None) -> dict:
    tmp_dir = Path(tmp_dir)
    env = dict(os.environ)
    env.update(
        {
            "PYTHONPATH": str(REPO),
            "SATHI_CLOCK": clock,
            "SATHI_VAR": str(tmp_dir / "var"),
            "SATHI_PORTAL_DB_URL": f"sqlite:///{tmp_dir / 'portal.db'}",
            "SATHI_PORTAL_SERVICE_KEY": secrets.token_urlsafe(24),
            "SATHI_PORTAL_DEV_ROUTES": "1" if dev_routes else "0",
            "SANIC_NO_UVLOOP": "true",
            "PYTHONDONTWRITEBYTECODE": "1",
        }
    )
    env.update(extra_env or {})
    return env


def run_cli(env: dict, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "portal_backend", *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if done.returncode != 0:
        raise RuntimeError(f"portal_backend {' '.join(args)} failed: {done.stderr[-2000:]}")
    return done.stdout


@contextmanager
def running_portal(
    tmp_dir, clock: str = "2026-11-28", dev_routes: bool = True, extra_env: dict | None = None
):
    env = portal_env(tmp_dir, clock, dev_routes, extra_env)
    run_cli(env, "init-demo")
    demo_ids = json.loads(run_cli(env, "demo-ids", "--json"))
    port = free_port()
    log_path = Path(tmp_dir) / "portal.log"
    log = open(log_path, "w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "portal_backend",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        env=env,
        cwd=REPO,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base_url = f"http://127.0.0.1:{port}/api/v1"
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"portal exited: {log_path.read_text()[-2000:]}")
            try:
                if requests.get(base_url + "/health", timeout=1).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"portal did not start: {log_path.read_text()[-2000:]}")
            time.sleep(0.2)
        yield PortalServer(base_url, env["SATHI_PORTAL_SERVICE_KEY"], demo_ids, env, log_path)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
