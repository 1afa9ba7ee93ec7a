"""channels/thread_batch.py: concurrent requests share worker-thread hops, each item runs as it
would alone (its own result or exception, in arrival order), a lone request goes at once, and
the webhook answers only after its own payload is stored."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from channels.thread_batch import ThreadBatch


def test_items_waiting_behind_a_hop_share_the_next_one_in_order():
    release = threading.Event()
    ran: list[int] = []

    def work(n: int) -> int:
        if n == 0:
            release.wait(5)  # the first hop is slow: the others gather behind it
        ran.append(n)
        if n == 3:
            raise ValueError("three")
        return n * 10

    batch = ThreadBatch.each(work)

    async def scenario():
        first = asyncio.ensure_future(batch.run(0))
        await asyncio.sleep(0.05)  # the first hop is under way
        rest = [asyncio.ensure_future(batch.run(n)) for n in range(1, 6)]
        await asyncio.sleep(0.05)
        assert not any(t.done() for t in rest)  # nobody answered before its item ran
        release.set()
        return await asyncio.gather(first, *rest, return_exceptions=True)

    results = asyncio.run(scenario())
    assert results[:3] + results[4:] == [0, 10, 20, 40, 50]
    assert isinstance(results[3], ValueError)  # one failing item stops no other
    assert ran == [0, 1, 2, 3, 4, 5]  # arrival order
    assert (batch.hops, batch.items) == (2, 6)  # 1 alone, then 5 together


def test_a_lone_request_goes_at_once_and_each_runs_in_a_worker_thread():
    threads: list[str] = []
    batch = ThreadBatch.each(lambda n: threads.append(threading.current_thread().name) or n)

    async def scenario():
        out = []
        for n in range(3):  # one after the other: one hop each, no waiting for company
            started = time.perf_counter()
            out.append(await batch.run(n))
            assert time.perf_counter() - started < 0.5
        return out

    assert asyncio.run(scenario()) == [0, 1, 2]
    assert (batch.hops, batch.items) == (3, 3)
    assert threading.main_thread().name not in threads  # never on the event loop's thread


def test_one_batcher_serves_several_event_loops():
    batch = ThreadBatch.each(lambda n: n + 1)

    async def scenario(n):
        return await asyncio.gather(*(batch.run(n + i) for i in range(4)))

    assert asyncio.run(scenario(0)) == [1, 2, 3, 4]
    assert asyncio.run(scenario(10)) == [11, 12, 13, 14]  # a new loop, the old one closed


def test_a_cancelled_caller_leaves_the_others_answered():
    release = threading.Event()

    def work(n):
        if n == 0:
            release.wait(5)
        return n

    batch = ThreadBatch.each(work)

    async def scenario():
        first = asyncio.ensure_future(batch.run(0))
        await asyncio.sleep(0.05)
        gone, kept = asyncio.ensure_future(batch.run(1)), asyncio.ensure_future(batch.run(2))
        await asyncio.sleep(0)
        gone.cancel()
        release.set()
        assert await first == 0 and await kept == 2
        with pytest.raises(asyncio.CancelledError):
            await gone

    asyncio.run(scenario())


def test_work_all_runs_a_hop_s_items_together_with_an_outcome_each():
    seen: list[list[int]] = []

    def together(items: list[int]):
        seen.append(list(items))
        return [(True, i * 10) if i % 2 == 0 else (False, ValueError(str(i))) for i in items]

    batch: ThreadBatch[int, int] = ThreadBatch(together)

    async def go():
        return await asyncio.gather(*(batch.run(i) for i in range(6)), return_exceptions=True)

    results = asyncio.run(go())
    assert results[0::2] == [0, 20, 40]
    assert [str(e) for e in results[1::2]] == ["1", "3", "5"]
    assert sorted(i for hop in seen for i in hop) == list(range(6))
    assert len(seen) == batch.hops < 6  # the ones waiting behind the first hop went together


def test_a_failing_or_miscounting_work_all_fails_every_item_of_its_hop():
    def broken(items):
        raise OSError("gone")

    def short(items):
        return [(True, 1)] * (len(items) - 1)  # an outcome missing

    async def go(batch):
        return await asyncio.gather(*(batch.run(i) for i in range(4)), return_exceptions=True)

    failed = asyncio.run(go(ThreadBatch(broken)))
    assert all(isinstance(r, OSError) for r in failed)
    miscounted = asyncio.run(go(ThreadBatch(short)))
    # which item's outcome is missing cannot be told: none is trusted
    assert all(isinstance(r, RuntimeError) for r in miscounted)
