"""Python's cyclic garbage collector in a rasa server process (docs/performance.md, round 3).

A loaded rasa process holds about half a million objects that live as long as it does (the
model, the domain, Rasa's and the libraries' modules). CPython's full (generation 2)
collection walks all of them: about 250 ms, during which the process answers nobody, every
time enough new objects have survived (tracker events in the cache, above all).

`freeze_loaded()` (`SATHI_GC_FREEZE`, on by default) runs once per process after the server
has started (the model is loaded by then): one collection, then `gc.freeze()` moves every
object alive at that moment out of the collector's sight, so later full collections walk only
what came after. Nothing frozen stays alive because of it: reference counting still frees
those objects when they are dropped (a reference cycle among them would stay, and the
start-up objects are not dropped anyway).
"""

from __future__ import annotations

import gc
import logging
import time

from sathi.settings import settings

logger = logging.getLogger(__name__)

_frozen = False


def freeze_loaded() -> None:
    """Idempotent: the first call freezes, the others do nothing."""
    global _frozen
    if _frozen or not settings().gc_freeze:
        return
    _frozen = True
    started = time.perf_counter()
    gc.collect()
    gc.freeze()
    logger.info(
        "gc: %d start-up objects frozen out of the cyclic collector (%.0f ms)",
        gc.get_freeze_count(),
        1000 * (time.perf_counter() - started),
    )
