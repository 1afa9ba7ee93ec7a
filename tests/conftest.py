"""Shared fixtures. `stack`: the real Sathi stack on free ports (one per test session)."""
from __future__ import annotations

import os

import pytest

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")


@pytest.fixture(scope="session")
def stack():
    from tests.support.stack import start_stack, stop_stack

    running = start_stack()
    try:
        yield running
    finally:
        stop_stack(running)
