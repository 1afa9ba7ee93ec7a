"""bot_store/db.py on PostgreSQL (skipped loudly where it does not answer): the pool keeps open
as many connections as a rasa process's threads use at once, so bursts of store calls open no
new server connection. With the old pool of 5, every burst past 5 opened connections and
closed them again, a PostgreSQL server process forked and ended each time: one for every other
WhatsApp turn under load, 15% of the machine's CPU (docs/performance.md, round 12)."""

from __future__ import annotations

import os
import threading

from sqlalchemy import event, text

from sathi.settings import settings

# threads of one rasa process that can hold a bot-store connection at the same moment: the
# default executor's workers (store calls, webhook batches, tracker hops) and the process's own
# loops (inbox, sends, deferred deliveries, pushes)
EXECUTOR_WORKERS = min(32, (os.cpu_count() or 1) + 4)
WIDTH = max(12, EXECUTOR_WORKERS + 4)


def _burst(eng, width: int) -> None:
    """`width` threads each hold a connection at the same moment."""
    together = threading.Barrier(width)
    errors: list[BaseException] = []

    def use() -> None:
        try:
            with eng.connect() as conn:
                together.wait(timeout=20)
                conn.execute(text("SELECT 1"))
        except BaseException as exc:  # reported below, not lost in the thread
            errors.append(exc)

    threads = [threading.Thread(target=use) for _ in range(width)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors


def test_the_default_pool_holds_a_process_s_threads():
    assert settings().bot_store_pool_size >= WIDTH


def test_bursts_of_store_calls_open_no_new_connection(postgres_store):
    eng, _ = postgres_store
    opened: list[int] = []
    event.listen(eng, "connect", lambda *_: opened.append(1))
    _burst(eng, WIDTH)  # the first burst opens what the pool keeps
    first = len(opened)
    for _ in range(3):
        _burst(eng, WIDTH)
    assert len(opened) == first, f"{len(opened) - first} connections opened after the first burst"
    assert eng.pool.checkedin() >= WIDTH  # and they stay open between bursts
