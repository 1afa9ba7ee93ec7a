"""The production profile never invents a secret: a start with any secret or password missing
stops at once, with one line per missing variable, and starts nothing (issue 10). The trainers'
profile generates what it lacks (that is every other stack test)."""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REQUIRED = [
    "SATHI_PORTAL_SERVICE_KEY",
    "SATHI_RASA_API_TOKEN",
    "SATHI_CHANNEL_SECRET",
    "SATHI_ACTION_TOKEN",
    "WHATSAPP_APP_SECRET",
    "WHATSAPP_VERIFY_TOKEN",
    "WHATSAPP_ACCESS_TOKEN",
    "WHATSAPP_PHONE_NUMBER_ID",
    "SATHI_TRACKER_DB_PASSWORD",
    "SATHI_REDIS_PASSWORD",
    "SATHI_BOT_STORE_URL",
    "SATHI_DASHBOARD_PASSWORD",
]


def complete_env(var: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SATHI_", "WHATSAPP_"))}
    env.update({name: f"value-of-{name.lower()}" for name in REQUIRED})
    env.update(
        {
            "SATHI_PROFILE": "production",
            "SATHI_VAR": var,
            "SATHI_BOT_STORE_URL": "postgresql://sathi:pw@127.0.0.1:9/sathi_bot",
            # nothing must answer here: the test only reads what `up` refuses
            "SATHI_PORTAL_PORT": "9",
            "SATHI_ACTIONS_PORT": "9",
            "SATHI_RASA_PORT": "9",
            "SATHI_EMULATOR_PORT": "9",
        }
    )
    return env


def start(env: dict) -> subprocess.CompletedProcess:
    try:
        done = subprocess.run(
            ["scripts/stack.sh", "up"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            stdin=subprocess.DEVNULL,
        )
        done.started = sorted(p.name for p in (Path(env["SATHI_VAR"]) / "run").glob("*.pid"))
        return done
    finally:  # should the check ever let a start through, leave nothing running behind
        subprocess.run(
            ["scripts/stack.sh", "down"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            stdin=subprocess.DEVNULL,
        )


@pytest.mark.parametrize("missing", REQUIRED)
def test_each_missing_secret_stops_the_production_start_with_one_line(missing):
    with tempfile.TemporaryDirectory(prefix="sathi-secrets-", dir=ROOT / "var") as var:
        env = complete_env(var)
        del env[missing]
        done = start(env)
        assert done.returncode != 0
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        assert lines == [f"production: {missing} is not set (see .env.example); refusing to start"]
        assert done.started == [], "nothing may have been started"
        assert not [p for p in (Path(var) / "run").iterdir() if not p.name.endswith(".pid")], (
            "the production profile must not generate secrets"
        )


def test_all_missing_are_listed_and_an_sqlite_bot_store_is_refused():
    with tempfile.TemporaryDirectory(prefix="sathi-secrets-", dir=ROOT / "var") as var:
        env = complete_env(var)
        for name in REQUIRED:
            env.pop(name)
        done = start(env)
        assert done.returncode != 0
        assert sorted(done.stderr.split()) == sorted(
            " ".join(
                f"production: {n} is not set (see .env.example); refusing to start"
                for n in REQUIRED
            ).split()
        )
        env = complete_env(var)
        env["SATHI_BOT_STORE_URL"] = f"sqlite:///{var}/bot.db"
        done = start(env)
        assert (
            done.returncode != 0 and "SATHI_BOT_STORE_URL must be a PostgreSQL URL" in done.stderr
        )


def test_env_example_lists_every_required_secret():
    documented = (ROOT / ".env.example").read_text()
    for name in REQUIRED:
        assert f"\n{name}=" in documented, name
