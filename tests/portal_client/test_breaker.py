"""The circuit breaker: per service area, fail fast while open, one probe when half-open."""

from __future__ import annotations

import threading
import time

import pytest

from portal_client import CircuitOpen, NotFound, PortalUnavailable
from portal_client.breaker import CLOSED, HALF_OPEN, OPEN, CircuitBreaker
from tests.portal_client.conftest import OWNER
from tests.portal_client.fake_portal import Reply, error

DISTRICTS = [{"code": "08", "name_en": "Bankura"}]


def test_breaker_opens_fails_fast_half_opens_and_closes(fake_portal, make_client):
    fake_portal.script("/geo/districts", error(503, "unavailable"))
    client = make_client(retries=0, breaker_failures=3, breaker_cooldown=0.4)
    for _ in range(3):
        with pytest.raises(PortalUnavailable) as caught:
            client.districts()
        assert not isinstance(caught.value, CircuitOpen)
    assert fake_portal.count() == 3

    started = time.monotonic()
    for _ in range(5):
        with pytest.raises(CircuitOpen):
            client.districts()
    assert time.monotonic() - started < 0.1
    assert fake_portal.count() == 3  # failed fast: the portal saw nothing more
    assert client.breakers.states()["geo"] == OPEN

    # other service areas are not affected
    fake_portal.script("/trade-nocs/TN-2026-000001", error(404, "not_found"))
    with pytest.raises(NotFound):
        client.trade_noc("TN-2026-000001", mobile=OWNER)

    time.sleep(0.45)
    assert client.breakers.states()["geo"] == HALF_OPEN
    fake_portal.script("/geo/districts", Reply(200, DISTRICTS))
    assert client.districts()[0].code == "08"
    assert client.breakers.states()["geo"] == CLOSED
    client.districts()
    assert fake_portal.count("/geo/districts") == 5


def test_a_failed_probe_reopens_the_breaker(fake_portal, make_client):
    fake_portal.script("/geo/districts", error(503, "unavailable"))
    client = make_client(retries=0, breaker_failures=2, breaker_cooldown=0.3)
    for _ in range(2):
        with pytest.raises(PortalUnavailable):
            client.districts()
    time.sleep(0.35)
    with pytest.raises(PortalUnavailable) as caught:  # the probe, which fails
        client.districts()
    assert not isinstance(caught.value, CircuitOpen)
    with pytest.raises(CircuitOpen):
        client.districts()
    assert fake_portal.count() == 3


def test_timeouts_count_as_failures_and_4xx_do_not(fake_portal, make_client):
    client = make_client(retries=0, read_timeout=0.2, breaker_failures=2)
    fake_portal.script("/trade-nocs/TN-2026-000001", error(404, "not_found"))
    for _ in range(4):
        with pytest.raises(NotFound):
            client.trade_noc("TN-2026-000001", mobile=OWNER)
    assert client.breakers.states()["trade_noc"] == CLOSED
    fake_portal.script("/trade-nocs/TN-2026-000001", Reply(200, {}, delay=1))
    for _ in range(2):
        with pytest.raises(PortalUnavailable):
            client.trade_noc("TN-2026-000001", mobile=OWNER)
    with pytest.raises(CircuitOpen):
        client.trade_noc("TN-2026-000001", mobile=OWNER)


def test_a_call_with_retries_counts_once(fake_portal, make_client):
    fake_portal.script("/geo/districts", error(503, "unavailable"))
    client = make_client(retries=2, breaker_failures=2)
    with pytest.raises(PortalUnavailable):
        client.districts()
    assert client.breakers.states()["geo"] == CLOSED
    with pytest.raises(PortalUnavailable):
        client.districts()
    assert client.breakers.states()["geo"] == OPEN
    assert fake_portal.count() == 6


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_success_resets_the_consecutive_count():
    breaker = CircuitBreaker("geo", failure_threshold=3, cooldown_seconds=30, clock=FakeClock())
    for _ in range(5):
        breaker.before_call()
        breaker.record_failure()
        breaker.before_call()
        breaker.record_failure()
        breaker.before_call()
        breaker.record_success()
    assert breaker.state == CLOSED


def test_half_open_lets_exactly_one_call_through_across_threads():
    clock = FakeClock()
    breaker = CircuitBreaker("otp", failure_threshold=1, cooldown_seconds=30, clock=clock)
    breaker.before_call()
    breaker.record_failure()
    assert breaker.state == OPEN
    clock.now += 31
    allowed, refused = [], []
    barrier = threading.Barrier(8)

    def try_call() -> None:
        barrier.wait()
        try:
            breaker.before_call()
            allowed.append(1)
        except CircuitOpen:
            refused.append(1)

    threads = [threading.Thread(target=try_call) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert (len(allowed), len(refused)) == (1, 7)
    breaker.record_success()
    assert breaker.state == CLOSED
    breaker.before_call()  # closed: everyone through again


def test_a_probe_without_verdict_frees_the_slot():
    clock = FakeClock()
    breaker = CircuitBreaker("geo", failure_threshold=1, cooldown_seconds=5, clock=clock)
    breaker.before_call()
    breaker.record_failure()
    clock.now += 6
    breaker.before_call()
    breaker.release()
    breaker.before_call()  # the next caller may probe


def test_circuit_open_is_a_portal_unavailable():
    clock = FakeClock()
    breaker = CircuitBreaker("payroll", failure_threshold=1, cooldown_seconds=5, clock=clock)
    breaker.before_call()
    breaker.record_failure()
    with pytest.raises(PortalUnavailable) as caught:
        breaker.before_call()
    assert caught.value.area == "payroll"
