"""A circuit breaker per portal service area, shared by the worker threads of one client.

closed ──(N consecutive failures)──> open ──(cool-down elapsed)──> half-open
  ^                                   ^                               │
  └──────── probe succeeded ──────────┼────── probe failed ───────────┘

While open, calls fail fast with `CircuitOpen` without touching the network. Half-open lets
exactly one call (the probe) through; the others keep failing fast until it has answered.
A "failure" is the portal being unavailable (connection error, timeout, 5xx, unreadable
answer); a 4xx answer is a portal that works, so it counts as success.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from portal_client.errors import CircuitOpen

log = logging.getLogger(__name__)

CLOSED, OPEN, HALF_OPEN = "closed", "open", "half_open"


class CircuitBreaker:
    def __init__(
        self,
        area: str,
        *,
        failure_threshold: int = 5,
        cooldown_seconds: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if failure_threshold < 1:
            raise ValueError("failure_threshold must be at least 1")
        self.area = area
        self.failure_threshold = failure_threshold
        self.cooldown_seconds = cooldown_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._state = CLOSED
        self._failures = 0
        self._opened_at = 0.0
        self._probe_in_flight = False

    @property
    def state(self) -> str:
        with self._lock:
            if self._state == OPEN and self._cooled_down():
                return HALF_OPEN
            return self._state

    def _cooled_down(self) -> bool:
        return self._clock() - self._opened_at >= self.cooldown_seconds

    def before_call(self) -> None:
        """Raise `CircuitOpen` unless this call may go to the portal."""
        with self._lock:
            if self._state == CLOSED:
                return
            if self._state == OPEN and self._cooled_down():
                self._state = HALF_OPEN
                self._probe_in_flight = False
            if self._state == HALF_OPEN and not self._probe_in_flight:
                self._probe_in_flight = True
                log.info("portal %s: circuit half-open, letting one call through", self.area)
                return
            remaining = max(0.0, self.cooldown_seconds - (self._clock() - self._opened_at))
        raise CircuitOpen(
            f"circuit open after repeated failures; retrying in about {remaining:.0f}s",
            area=self.area,
        )

    def record_success(self) -> None:
        with self._lock:
            if self._state != CLOSED:
                log.info("portal %s: circuit closed again", self.area)
            self._state = CLOSED
            self._failures = 0
            self._probe_in_flight = False

    def record_failure(self) -> None:
        with self._lock:
            self._failures += 1
            if self._state == HALF_OPEN or self._failures >= self.failure_threshold:
                if self._state != OPEN:
                    log.warning(
                        "portal %s: circuit open for %.0fs after %d consecutive failure(s)",
                        self.area,
                        self.cooldown_seconds,
                        self._failures,
                    )
                self._state = OPEN
                self._opened_at = self._clock()
            self._probe_in_flight = False

    def release(self) -> None:
        """The call ended without a verdict (a bug on our side): free the probe slot."""
        with self._lock:
            self._probe_in_flight = False


class BreakerBoard:
    """One breaker per service area, created on first use."""

    def __init__(
        self,
        *,
        failure_threshold: int,
        cooldown_seconds: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._settings: dict[str, Any] = dict(
            failure_threshold=failure_threshold, cooldown_seconds=cooldown_seconds, clock=clock
        )
        self._breakers: dict[str, CircuitBreaker] = {}
        self._lock = threading.Lock()

    def __getitem__(self, area: str) -> CircuitBreaker:
        with self._lock:
            breaker = self._breakers.get(area)
            if breaker is None:
                breaker = self._breakers[area] = CircuitBreaker(area, **self._settings)
            return breaker

    def states(self) -> dict[str, str]:
        with self._lock:
            breakers = list(self._breakers.values())
        return {b.area: b.state for b in breakers}
