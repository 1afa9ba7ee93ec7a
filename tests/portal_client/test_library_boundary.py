"""portal_client is a pure library: no Rasa, rasa_sdk or Sanic, configured from the env."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from portal_client import PortalClient

ROOT = Path(__file__).resolve().parents[2]

BLOCKED_IMPORT = """
import importlib, pkgutil, sys

class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {"rasa", "rasa_sdk", "sanic"}:
            raise ImportError(f"portal_client must not import {name}")
        return None

sys.meta_path.insert(0, Block())
import portal_client
for module in pkgutil.walk_packages(portal_client.__path__, "portal_client."):
    importlib.import_module(module.name)
client = portal_client.PortalClient("http://127.0.0.1:9", "key")
print("ok")
"""


def test_importable_with_rasa_and_sanic_blocked():
    result = subprocess.run(
        [sys.executable, "-c", BLOCKED_IMPORT],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_from_env_reads_every_setting():
    client = PortalClient.from_env(
        {
            "SATHI_PORTAL_URL": "http://portal.example:8443/api/v1/",
            "SATHI_PORTAL_SERVICE_KEY": "k",
            "SATHI_PORTAL_CONNECT_TIMEOUT": "1.5",
            "SATHI_PORTAL_READ_TIMEOUT": "6",
            "SATHI_PORTAL_RETRIES": "1",
            "SATHI_PORTAL_BACKOFF": "0.5",
            "SATHI_PORTAL_BREAKER_FAILURES": "3",
            "SATHI_PORTAL_BREAKER_COOLDOWN": "10",
            "SATHI_PORTAL_MAX_PDF_BYTES": "1000000",
        }
    )
    assert client.base_url == "http://portal.example:8443/api/v1"
    assert client.timeout == (1.5, 6.0)
    assert (client.retries, client.backoff, client.max_pdf_bytes) == (1, 0.5, 1000000)
    breaker = client.breakers["geo"]
    assert (breaker.failure_threshold, breaker.cooldown_seconds) == (3, 10.0)
    assert "k" not in repr(client).replace("key", "")


def test_from_env_defaults_and_bare_host():
    client = PortalClient.from_env({"SATHI_PORTAL_SERVICE_KEY": "k"})
    assert client.base_url == "http://127.0.0.1:8070/api/v1"
    assert client.timeout == (2.0, 4.0) and client.retries == 2
    assert client.breakers["otp"].cooldown_seconds == 30.0
    bare = PortalClient.from_env(
        {"SATHI_PORTAL_SERVICE_KEY": "k", "SATHI_PORTAL_URL": "http://10.0.0.5:8070"}
    )
    assert bare.base_url == "http://10.0.0.5:8070/api/v1"


@pytest.mark.parametrize(
    "env, message",
    [
        ({}, "SATHI_PORTAL_SERVICE_KEY"),
        (
            {"SATHI_PORTAL_SERVICE_KEY": "k", "SATHI_PORTAL_READ_TIMEOUT": "soon"},
            "SATHI_PORTAL_READ_TIMEOUT",
        ),
    ],
)
def test_from_env_refuses_a_broken_configuration(env, message):
    with pytest.raises(ValueError, match=message):
        PortalClient.from_env(env)
