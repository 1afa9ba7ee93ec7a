"""Portal call timings and circuit-breaker openings, for the officials' dashboard
(operator_console/dashboard/metrics.py): one row per portal call an action made
(`actions/base.call_portal`) and one row each time a service area's breaker opened.

Rows carry the client method's name, how long the call took and how it ended — never a
mobile, an id or anything the portal answered. The table is `bot_store.schema.portal_calls`
(created by the migrations, bot_store/migrations/).
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from datetime import timedelta

from sqlalchemy import delete, insert

from bot_store.db import engine, statements_commit_themselves
from bot_store.schema import portal_calls
from bot_store.states import PortalCallOutcome
from sathi import clock

logger = logging.getLogger(__name__)

CALL, BREAKER_OPEN = "call", "breaker_open"
# How a call ended (the `outcome` column of a `call` row): bot_store/states.py.
OK, UNAVAILABLE = PortalCallOutcome.OK, PortalCallOutcome.UNAVAILABLE
CIRCUIT_OPEN, TIMEOUT, ERROR = (
    PortalCallOutcome.CIRCUIT_OPEN,
    PortalCallOutcome.TIMEOUT,
    PortalCallOutcome.ERROR,
)

_lock = threading.Lock()
_last_states: dict[str, str] = {}


def _engine():
    return engine()


def outcome_of(exc: BaseException) -> PortalCallOutcome:
    """The outcome of a call that raised `exc` (a typed portal refusal counts as answered)."""
    names = {cls.__name__ for cls in type(exc).__mro__}
    if "CircuitOpen" in names:
        return CIRCUIT_OPEN
    if "PortalUnavailable" in names:
        return UNAVAILABLE
    if "PortalError" in names:
        return OK
    return ERROR


def newly_opened(states: dict[str, str]) -> list:
    """Service areas whose breaker is open now and was not at the previous look (this process)."""
    opened = []
    with _lock:
        for area, state in states.items():
            if state == "open" and _last_states.get(area) != "open":
                opened.append(area)
            _last_states[area] = state
    return opened


def record(operation: str, seconds: float, outcome: str, opened: tuple = ()) -> None:
    """One call row, plus one row per breaker that opened on it."""
    now = clock.now()
    rows = [
        dict(
            at=now,
            kind=CALL,
            operation=operation[:48],
            ms=round(seconds * 1000, 2),
            outcome=outcome,
        )
    ]
    rows += [
        dict(at=now, kind=BREAKER_OPEN, operation=area[:48], ms=None, outcome="open")
        for area in opened
    ]
    # one INSERT of a few rows: on PostgreSQL it commits itself (round 14)
    with statements_commit_themselves(_engine()) as conn:
        conn.execute(insert(portal_calls), rows)
        conn.commit()  # SQLite's transaction (in autocommit there is none: nothing is sent)


_writes: set[asyncio.Task] = set()  # timing rows being written (a strong reference to each)


def observe(
    operation: str, started: float, outcome: str, breaker_states: dict[str, str] | None = None
) -> None:
    """Record a finished call from async code, without holding up the action: the row is
    written by a task of its own, so the user's answer never waits for the bot store's
    commit (a service turn has one or two portal calls; docs/performance.md, round 11). The
    duration and the breaker openings are taken now, in call order. Never raises (metrics
    must not break a reply); a row still being written when the process stops is lost, as a
    metric may be."""
    seconds = time.monotonic() - started
    try:
        opened = tuple(newly_opened(breaker_states or {}))
        task = asyncio.get_running_loop().create_task(_write(operation, seconds, outcome, opened))
    except Exception as exc:
        logger.warning("portal call timing not recorded: %s", type(exc).__name__)
        return
    _writes.add(task)
    task.add_done_callback(_writes.discard)


async def _write(operation: str, seconds: float, outcome: str, opened: tuple) -> None:
    try:
        await asyncio.to_thread(record, operation, seconds, outcome, opened)
    except Exception as exc:  # the bot store being down must not fail the user's request
        logger.warning("portal call timing not recorded: %s", type(exc).__name__)


async def written() -> None:
    """Wait until every timing row started on this loop is written (for tests)."""
    loop = asyncio.get_running_loop()
    mine = [t for t in _writes if t.get_loop() is loop]
    if mine:
        await asyncio.gather(*mine, return_exceptions=True)


def purge(older_than: timedelta, dry_run: bool = False) -> int:
    """Delete rows older than now - `older_than` (retention); how many."""
    from sqlalchemy import func, select

    limit = clock.now() - older_than
    where = portal_calls.c.at < limit
    with _engine().begin() as conn:
        if dry_run:
            return (
                conn.execute(select(func.count()).select_from(portal_calls).where(where)).scalar()
                or 0
            )
        return conn.execute(delete(portal_calls).where(where)).rowcount or 0
