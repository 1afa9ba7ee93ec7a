"""Start the real Sathi stack (portal backend, graph emulator, action server, rasa server) with
scripts/stack.sh, on free ports and a state folder of its own under var/, so a developer's
running stack is never touched. Used by the tests (tests/support/stack.py), `make bench` and
`make profile`.
Needs a trained model (models/sathi.tar.gz; `make test` and `make bench` train first)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "models" / "sathi.tar.gz"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Stack:
    env: dict
    var: Path
    demo_ids: dict = field(default_factory=dict)

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.env['SATHI_RASA_PORT']}"

    @property
    def portal_url(self) -> str:
        return f"http://127.0.0.1:{self.env['SATHI_PORTAL_PORT']}/api/v1"

    @property
    def chat_url(self) -> str:
        return f"http://127.0.0.1:{self.env['SATHI_CHAT_PORT']}"

    @property
    def dashboard_url(self) -> str:
        return f"http://127.0.0.1:{self.env['SATHI_DASHBOARD_PORT']}"

    @property
    def emulator_url(self) -> str:
        return f"http://127.0.0.1:{self.env['SATHI_EMULATOR_PORT']}"

    def secret(self, name: str) -> str:
        """A secret of this stack: from its environment (the production profile is given
        every one), else the file the trainers' profile generated in var/run/."""
        variable = SECRET_VARIABLES.get(name)
        if variable and self.env.get(variable):
            return self.env[variable]
        return (self.var / "run" / name).read_text().strip()

    def say(
        self, sender: str, text: str, metadata: dict | None = None, timeout: float = 30
    ) -> list:
        """One REST turn: the bot's replies (list of dicts with text / buttons / custom)."""
        body = {"sender": sender, "message": text}
        if metadata is not None:
            body["metadata"] = metadata
        answer = requests.post(f"{self.rasa_url}/webhooks/rest/webhook", json=body, timeout=timeout)
        answer.raise_for_status()
        return answer.json()

    @property
    def bot_store_url(self) -> str:
        return self.env.get("SATHI_BOT_STORE_URL") or f"sqlite:///{self.var}/data/bot_store.db"

    def forget_preferences(self, mobile: str) -> None:
        """Make `mobile` a first-time user again: no stored language, opt-out or notice."""
        from sqlalchemy import create_engine, text

        engine = create_engine(self.bot_store_url, future=True)
        try:
            with engine.begin() as conn:
                conn.execute(text("DELETE FROM preferences WHERE mobile = :m"), {"m": mobile})
        except Exception:  # the table appears with the first message the bot store sees
            pass
        finally:
            engine.dispose()

    def new_sender(self, mobile: str) -> str:
        """A conversation id for `mobile`, restarted, with the number's stored preferences
        forgotten, so each test starts as a first-time user whatever ran before it."""
        self.say(mobile, "/restart")
        self.forget_preferences(mobile)
        return mobile

    def portal(self, path: str, mobile: str | None = None, **kwargs) -> requests.Response:
        headers = {"X-Service-Key": self.env["SATHI_PORTAL_SERVICE_KEY"]}
        if mobile:
            headers["X-Requester-Mobile"] = mobile
        return requests.get(f"{self.portal_url}{path}", headers=headers, timeout=10, **kwargs)

    def run_script(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            ["scripts/stack.sh", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=400,
        )


# var/run/<name> of the trainers' profile -> the variable that carries it
SECRET_VARIABLES = {
    "portal_service_key": "SATHI_PORTAL_SERVICE_KEY",
    "rasa_api_token": "SATHI_RASA_API_TOKEN",
    "channel_secret": "SATHI_CHANNEL_SECRET",
    "action_token": "SATHI_ACTION_TOKEN",
    "whatsapp_app_secret": "WHATSAPP_APP_SECRET",
    "whatsapp_verify_token": "WHATSAPP_VERIFY_TOKEN",
    "whatsapp_access_token": "WHATSAPP_ACCESS_TOKEN",
    "dashboard_password": "SATHI_DASHBOARD_PASSWORD",
}


def production_secrets() -> dict:
    """Fresh values for every secret the production profile requires from its environment
    (it generates none itself)."""
    import secrets as random_secrets

    values = {variable: random_secrets.token_urlsafe(32) for variable in SECRET_VARIABLES.values()}
    values["WHATSAPP_PHONE_NUMBER_ID"] = "100000000000001"
    return values


def start_stack(clock: str = "2026-11-28", extra_env: dict | None = None) -> Stack:
    if not MODEL.exists():
        raise RuntimeError("no trained model: run `make train` first")
    (ROOT / "var").mkdir(exist_ok=True)
    var = Path(tempfile.mkdtemp(prefix="sathi-test-", dir=ROOT / "var"))
    for sub in ("data", "log", "run"):
        (var / sub).mkdir()
    env = dict(os.environ)
    for key in [k for k in env if k.startswith(("SATHI_", "WHATSAPP_"))]:
        del env[key]
    env.update(
        {
            "SATHI_VAR": str(var),
            "SATHI_CLOCK": clock,
            "SATHI_PORTAL_PORT": str(free_port()),
            "SATHI_ACTIONS_PORT": str(free_port()),
            "SATHI_RASA_PORT": str(free_port()),
            "SATHI_SHELL_PORT": str(free_port()),
            "SATHI_EMULATOR_PORT": str(free_port()),
            "SATHI_CHAT_PORT": str(free_port()),
            "SATHI_DASHBOARD_PORT": str(free_port()),
            # Tests reuse the demo numbers many times a minute: the per-sender message limit is
            # tested on its own (tests/resilience), not tripped by accident here.
            "SATHI_RATE_MESSAGES": "1000",
            "RASA_TELEMETRY_ENABLED": "false",
            "PYTHONPATH": str(ROOT),
        }
    )
    env.update(extra_env or {})
    # the portal's database: SQLite in the state folder unless extra_env names one
    env.setdefault("SATHI_PORTAL_DB_URL", f"sqlite:///{var}/data/portal.db")
    stack = Stack(env=env, var=var)
    init = subprocess.run(
        [str(ROOT / ".venv/bin/python"), "-m", "portal_backend", "init-demo"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if init.returncode:
        raise RuntimeError(f"init-demo failed: {init.stderr[-2000:]}")
    up = stack.run_script("up")
    if up.returncode:
        logs = "\n".join(
            f"--- {p.name}\n{p.read_text()[-3000:]}" for p in (var / "log").glob("*.log")
        )
        stack.run_script("down")
        raise RuntimeError(f"stack did not start:\n{up.stdout}\n{up.stderr}\n{logs}")
    # the service key the stack generated is what the tests' portal calls need
    stack.env["SATHI_PORTAL_SERVICE_KEY"] = stack.secret("portal_service_key")
    stack.demo_ids = demo_ids(env)
    return stack


def demo_ids(env: dict | None = None, timeout: float = 120) -> dict:
    """The demo records' ids (`portal_backend demo-ids --json`) of the stack `env` points
    at (None: this process's environment)."""
    ids = subprocess.run(
        [str(ROOT / ".venv/bin/python"), "-m", "portal_backend", "demo-ids", "--json"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=True,
    )
    return json.loads(ids.stdout)


def on_a_stack(running: bool, purpose: str, work: Callable[[str, Path, dict], int]) -> int:
    """`work(rasa URL, state folder, demo ids)` on the stack `make up` started (`running`,
    ports from the settings), else on a stack of its own without the per-sender rate limit
    (a 60-turn conversation would otherwise be timed as "wait a minute"), stopped after.
    Used by `make bench` and `make profile`."""
    if running:
        from sathi.settings import settings

        base = f"http://127.0.0.1:{settings().rasa_port}"
        try:
            requests.get(base, timeout=5)
        except requests.RequestException:
            print(f"no rasa server at {base}: start the stack first (`make up`)", file=sys.stderr)
            return 2
        return work(base, settings().var_dir, demo_ids())
    print(f"starting a stack of its own for the {purpose} ...", flush=True)
    stack = start_stack(extra_env={"SATHI_RATE_MESSAGES": "1000000"})
    try:
        return work(stack.rasa_url, stack.var, stack.demo_ids)
    finally:
        stop_stack(stack)


def stop_stack(stack: Stack, keep_logs_on_failure: bool = False) -> None:
    stack.run_script("down")
    if not keep_logs_on_failure:
        shutil.rmtree(stack.var, ignore_errors=True)


def process_alive(pid: int) -> bool:
    """Whether `pid` is a live process. One that has exited but is not yet reaped by its parent
    (a zombie) is not: PID 1 may reap it only a second or two later (scripts/stack.sh has the
    same rule)."""
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    try:
        return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0] != "Z"
    except (OSError, IndexError):  # no /proc here, or it went in between: kill -0 decides
        return True


def unique_sender() -> str:
    return "test-" + uuid.uuid4().hex[:12]
