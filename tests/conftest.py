"""Shared fixtures. `stack`: the real Sathi stack on free ports (one per test session)."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")


@pytest.fixture(autouse=True)
def fresh_settings(monkeypatch):
    """sathi/settings.py caches the settings per process; a test sees the environment it set:
    the cache is dropped before and after every test and on every monkeypatched variable."""
    from sathi.settings import reset_settings

    setenv, delenv = monkeypatch.setenv, monkeypatch.delenv

    def setenv_fresh(*args, **kwargs):
        setenv(*args, **kwargs)
        reset_settings()

    def delenv_fresh(*args, **kwargs):
        delenv(*args, **kwargs)
        reset_settings()

    monkeypatch.setenv, monkeypatch.delenv = setenv_fresh, delenv_fresh
    reset_settings()
    yield
    reset_settings()


@pytest.fixture(scope="session")
def stack():
    from tests.support.stack import start_stack, stop_stack

    running = start_stack()
    try:
        yield running
    finally:
        stop_stack(running)


@pytest.fixture
def empty_bot_store(tmp_path, monkeypatch):
    """A bot store of the test's own (SQLite under tmp_path), empty, reset before and after.
    Fixtures that need more of the environment request this one and add to it."""
    from bot_store import db

    monkeypatch.setenv("SATHI_BOT_STORE_URL", f"sqlite:///{tmp_path}/bot_store.db")
    db.reset_for_tests()
    yield tmp_path
    db.reset_for_tests()
