"""Every test of the WhatsApp channel gets its own bot store and secrets."""

from __future__ import annotations

import logging

import pytest


@pytest.fixture(autouse=True)
def wa_env(empty_bot_store, monkeypatch):
    monkeypatch.setenv("SATHI_CHANNEL_SECRET", "test-channel-secret")
    monkeypatch.delenv("SATHI_HELPLINE", raising=False)
    logging.getLogger("sanic.root").setLevel(logging.WARNING)
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
    return empty_bot_store
