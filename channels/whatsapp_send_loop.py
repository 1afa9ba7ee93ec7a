"""`SendLoop`: a thread with an event loop of its own, where the inbox worker sends each
turn's answer (outbox rows, Graph requests, pacing).

Why: under load the rasa event loop is busy computing turns, and every await that leaves it
(a store call in a thread, a Graph request) waits its turn to come back: about 150 ms a hop
at concurrency 32 on the shared 2-core machine, against about 10 ms of work. Sending an
answer takes two or three such hops per message. Handed to this loop, which only sends, the
whole answer costs the rasa loop one hop.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

from channels.whatsapp_graph import GraphClient, GraphConfig

T = TypeVar("T")


class SendLoop:
    def __init__(self, config: GraphConfig) -> None:
        self.client = GraphClient(config)  # its aiohttp session lives on this loop
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="whatsapp-send-loop", daemon=True
        )
        self._thread.start()

    async def run(self, coro: Coroutine[Any, Any, T]) -> T:
        """Run `coro` on the send loop; its result (or exception). Cancelling the caller
        cancels it there too."""
        return await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(coro, self._loop))

    async def close(self) -> None:
        if not self._loop.is_running():
            return
        await self.run(self.client.close())
        self._loop.call_soon_threadsafe(self._loop.stop)
        await asyncio.to_thread(self._thread.join, 5)
        if not self._loop.is_running():
            self._loop.close()
