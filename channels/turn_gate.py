"""The turn gate: how many turns one rasa process computes at once, whatever channel they
come from (WhatsApp's inbox worker and the REST webhook take their slots here).

Why a small number (docs/performance.md, round 5): a turn is ~10 ms of CPU on the event loop
and a few short waits (action server, stores). Let 32 turns in at once and the loop shares
itself between them: each one's waits come back late, the loop spends time switching, and a
turn's time grows with the turns beside it, so a service turn with a PDF lasts many times
its own work. With a few turns in at once the rest wait their turn in order (first come,
first served), the loop still has work while some turns wait on the network, and a turn's
time is the queue ahead of it plus its own work: a shorter tail at the same throughput
(measured: p95 13% lower at concurrency 32, WhatsApp's a third lower).
A WhatsApp row waiting for a slot stays in the inbox, where a replica with a free slot
claims it (channels/whatsapp_worker.py).
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sathi.settings import settings

_GATES: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
    weakref.WeakKeyDictionary()
)


def semaphore() -> asyncio.Semaphore:
    """The running loop's gate (a semaphore belongs to one loop; tests run several)."""
    loop = asyncio.get_running_loop()
    gate = _GATES.get(loop)
    if gate is None:
        gate = _GATES[loop] = asyncio.Semaphore(settings().turn_concurrency)
    return gate


@asynccontextmanager
async def slot() -> AsyncIterator[None]:
    """Hold one of this process's turn slots while the block runs."""
    async with semaphore():
        yield
