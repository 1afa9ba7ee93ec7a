"""channels/gc_tuning.py: the objects alive once the server has started are frozen out of the
cyclic collector, once, unless SATHI_GC_FREEZE is off (both channels' listeners call it:
tests/channels/test_server_start.py)."""

from __future__ import annotations

import gc
import time

import pytest

from channels import gc_tuning


@pytest.fixture
def unfrozen(monkeypatch):
    gc.unfreeze()
    monkeypatch.setattr(gc_tuning, "_frozen", False)
    yield
    gc.unfreeze()


class Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the cyclic collector can free it


def test_a_full_collection_no_longer_walks_what_was_loaded(unfrozen):
    loaded = [Node() for _ in range(200_000)]
    started = time.perf_counter()
    gc.collect()
    before = time.perf_counter() - started
    gc_tuning.freeze_loaded()
    assert gc.get_freeze_count() >= len(loaded)
    started = time.perf_counter()
    gc.collect()
    after = time.perf_counter() - started
    assert after < before / 2, (before, after)


def test_once_per_process(unfrozen):
    gc_tuning.freeze_loaded()
    frozen = gc.get_freeze_count()
    later = [Node() for _ in range(1000)]
    gc_tuning.freeze_loaded()
    assert gc.get_freeze_count() == frozen
    assert later


def test_can_be_switched_off(unfrozen, monkeypatch):
    monkeypatch.setenv("SATHI_GC_FREEZE", "0")
    gc_tuning.freeze_loaded()
    assert gc.get_freeze_count() == 0
