"""Resilience tests stop, kill and restart processes, so they run on a stack of their own
(never the session's shared `stack`), with a fast deferred-delivery worker."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest
import requests

from tools.local_stack import process_alive


@pytest.fixture(scope="module")
def own_stack():
    from tests.support.stack import start_stack, stop_stack

    running = start_stack(
        extra_env={
            "SATHI_DEFERRED_POLL_SECONDS": "1",
            "SATHI_WA_LEASE_SECONDS": "5",
            "SATHI_PORTAL_DEADLINE_SECONDS": "4",
        }
    )
    try:
        yield running
    finally:
        stop_stack(running)


def pid_of(stack, name: str) -> int:
    return int((Path(stack.var) / "run" / f"{name}.pid").read_text().strip())


def kill9(stack, name: str) -> None:
    """kill -9 one process of the stack (no clean shutdown) and wait until it is gone."""
    pid = pid_of(stack, name)
    os.kill(pid, signal.SIGKILL)
    for _ in range(100):
        if not process_alive(pid):
            return
        time.sleep(0.05)


def restart(stack) -> None:
    """`scripts/stack.sh up` restarts what is down."""
    up = stack.run_script("up")
    assert up.returncode == 0, up.stdout + up.stderr


def wait_until(predicate, timeout: float, step: float = 0.2):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    return predicate()


def portal_fault(stack, **body) -> None:
    """The reference portal's fault switch (POST /dev/fault)."""
    answer = requests.post(
        f"{stack.portal_url}/dev/fault",
        json=body,
        headers={"X-Service-Key": stack.env["SATHI_PORTAL_SERVICE_KEY"]},
        timeout=10,
    )
    answer.raise_for_status()
