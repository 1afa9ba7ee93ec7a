"""Action tests run against the real reference portal backend (one per test session) and a
bot store of their own. Use the `portal` fixture; `portal.demo_ids` lists who owns what."""

from __future__ import annotations

import pytest

import actions.base
from tests.support.portal_server import running_portal


@pytest.fixture(scope="session")
def portal(tmp_path_factory):
    with running_portal(tmp_path_factory.mktemp("portal")) as server:
        yield server


@pytest.fixture(autouse=True)
def bot_store_and_portal_env(request, empty_bot_store, monkeypatch):
    """Every action test gets an empty bot store; tests that use `portal` also get the action
    server's portal client pointed at it."""
    monkeypatch.setenv("SATHI_CLOCK", "2026-11-28")
    monkeypatch.setenv("SATHI_CHANNEL_SECRET", "action-tests-channel-secret")
    if "portal" in request.fixturenames:
        server = request.getfixturevalue("portal")
        monkeypatch.setenv("SATHI_PORTAL_URL", server.base_url)
        monkeypatch.setenv("SATHI_PORTAL_SERVICE_KEY", server.service_key)
    monkeypatch.setattr(actions.base, "_client", None)
