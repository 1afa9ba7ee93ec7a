"""The portal call timings of the officials' dashboard (bot_store/portal_calls.py) are written
beside the action, not before its answer: `call_portal` returns while the row is still being
written, the row then holds the call's duration and outcome, and a bot store that fails never
fails the call (docs/performance.md, round 11)."""

from __future__ import annotations

import asyncio
import threading
import time

from sqlalchemy import select

from actions.base import call_portal
from bot_store import portal_calls
from bot_store.db import engine
from bot_store.schema import portal_calls as table
from portal_client import PortalUnavailable


def _rows():
    with engine().connect() as conn:
        return [dict(r._mapping) for r in conn.execute(select(table).order_by(table.c.id))]


def test_the_answer_does_not_wait_for_the_timing_row(empty_bot_store, monkeypatch):
    engine()  # the schema, before the clock starts
    release = threading.Event()
    record = portal_calls.record

    def slow_record(*args, **kwargs):
        release.wait(5)  # a bot store slow to commit
        record(*args, **kwargs)

    monkeypatch.setattr(portal_calls, "record", slow_record)

    def job_card(ref):
        time.sleep(0.02)
        return {"job_card": ref}

    async def scenario():
        answer = await asyncio.wait_for(call_portal(job_card, "WB-1"), 2)
        pending = _rows()
        release.set()
        await portal_calls.written()
        return answer, pending

    answer, pending = asyncio.run(scenario())
    assert answer == {"job_card": "WB-1"}
    assert pending == []  # the answer came before the row
    [row] = _rows()
    assert (row["kind"], row["operation"], row["outcome"]) == ("call", "job_card", "ok")
    assert 20 <= row["ms"] < 1000  # the call's own time, not the write's


def test_a_failing_bot_store_never_fails_the_call(empty_bot_store, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("bot store down")

    monkeypatch.setattr(portal_calls, "record", broken)

    def karmashree_status(ref):
        raise PortalUnavailable("portal down")

    async def scenario():
        ok = await call_portal(lambda: "answer")
        try:
            await call_portal(karmashree_status, "WB-1")
        except PortalUnavailable:
            failed = True
        else:
            failed = False
        await portal_calls.written()
        return ok, failed

    ok, failed = asyncio.run(scenario())
    assert ok == "answer" and failed  # the portal's own error still reaches the action
    assert caplog.text.count("portal call timing not recorded: RuntimeError") == 2
