"""Blocking work of many concurrent requests in one worker-thread hop (group commit).

A hop to a worker thread (`asyncio.to_thread`) costs 100-145 µs of CPU on a fast core, more
than a status webhook's insert itself (docs/performance.md, round 11), and a WhatsApp number
receives three status webhooks (sent, delivered, read) for every message it sends. A
`ThreadBatch` lets every request that arrives while a hop is under way wait for the next one:
at most one hop in flight per event loop, each running the waiting items one after the
other, in arrival order, each as it would run alone (its own transaction, its own result or
exception). A lone request makes its hop at once, as before: nothing waits for a timer.

Each caller still gets its answer only after its own item has run, so a webhook is answered
200 only once its rows are stored, as without batching.

A batch runs a function of the hop's items (one outcome per item, in order), so work that is
cheaper together can be done together (many delivery statuses in one INSERT);
`ThreadBatch.each(work)` runs `work` on every item alone.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")
# an item's outcome: (True, its result) or (False, the exception it raised)
Outcome = tuple[bool, R | Exception]


class _LoopQueue(Generic[T, R]):
    """The items waiting on one event loop, and whether a hop is under way there."""

    def __init__(self) -> None:
        self.waiting: list[tuple[T, asyncio.Future[R]]] = []
        self.drainer: asyncio.Task[None] | None = None


class ThreadBatch(Generic[T, R]):
    def __init__(self, work_all: Callable[[list[T]], list[Outcome[R]]]) -> None:
        self.work_all = work_all
        self._queues: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _LoopQueue[T, R]] = (
            weakref.WeakKeyDictionary()
        )
        self.hops = 0  # for tests and measurements
        self.items = 0

    @classmethod
    def each(cls, work: Callable[[T], R]) -> ThreadBatch[T, R]:
        """A batch that runs `work` on every item alone, in order; one failing stops no
        other."""

        def one_at_a_time(items: list[T]) -> list[Outcome[R]]:
            outcomes: list[Outcome[R]] = []
            for item in items:
                try:
                    outcomes.append((True, work(item)))
                except Exception as exc:
                    outcomes.append((False, exc))
            return outcomes

        return cls(one_at_a_time)

    async def run(self, item: T) -> R:
        """`item`'s outcome, worked out in a worker thread together with whatever else is
        waiting."""
        loop = asyncio.get_running_loop()
        queue = self._queues.get(loop)
        if queue is None:
            queue = self._queues[loop] = _LoopQueue()
        done: asyncio.Future[R] = loop.create_future()
        queue.waiting.append((item, done))
        if queue.drainer is None:
            queue.drainer = loop.create_task(self._drain(queue))
        return await done

    async def _drain(self, queue: _LoopQueue[T, R]) -> None:
        try:
            while queue.waiting:
                batch, queue.waiting = queue.waiting, []
                try:
                    outcomes = await asyncio.to_thread(self._run_all, [item for item, _ in batch])
                except asyncio.CancelledError:  # shutdown: no caller waits forever
                    for _, done in batch:
                        done.cancel()
                    raise
                except Exception as exc:  # no hop at all (e.g. the executor is shut down)
                    outcomes = [(False, exc)] * len(batch)
                for (_, done), (ok, value) in zip(batch, outcomes):
                    if done.done():  # its caller was cancelled
                        continue
                    if ok:
                        done.set_result(value)  # type: ignore[arg-type]
                    else:
                        done.set_exception(value)  # type: ignore[arg-type]
        finally:
            queue.drainer = None
            for _, done in queue.waiting:  # only if the drain itself was cancelled
                if not done.done():
                    done.cancel()
            queue.waiting = []

    def _run_all(self, items: list[T]) -> list[Outcome[R]]:
        """In the worker thread: the hop's items, an outcome each."""
        self.hops += 1
        self.items += len(items)
        try:
            outcomes = self.work_all(items)
        except Exception as exc:  # nothing of the hop is known to be done
            return [(False, exc)] * len(items)
        if len(outcomes) != len(items):
            raise RuntimeError("work_all must give one outcome per item")
        return outcomes
