"""Every test of the WhatsApp channel gets its own bot store and secrets."""
from __future__ import annotations

import logging

import pytest

from bot_store import db


@pytest.fixture(autouse=True)
def wa_env(tmp_path, monkeypatch):
    monkeypatch.setenv("SATHI_BOT_STORE_URL", f"sqlite:///{tmp_path}/bs.db")
    monkeypatch.setenv("SATHI_CHANNEL_SECRET", "test-channel-secret")
    monkeypatch.delenv("SATHI_HELPLINE", raising=False)
    logging.getLogger("sanic.root").setLevel(logging.WARNING)
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
    db.reset_for_tests()
    yield tmp_path
    db.reset_for_tests()
