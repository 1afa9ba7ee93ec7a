"""How fast this machine runs Python right now: the CPU milliseconds of one fixed piece of work
made of what a turn is made of (JSON encoding and parsing, dicts, strings, a regex), the best of
a few tries.

The development machines differ, and one machine drifts within an hour (docs/performance.md,
rounds 9 and 10: the same code and command took 2.5 times the CPU per turn on one machine as on
the one before). `make bench` and `make bench-scale` print this figure before and after they
measure, so turns/s and CPU per turn can be read against the speed of the machine they came
from. `python -m tools.yardstick` prints it alone.

`During()` measures it while a load runs: a process of its own does the work every half
second (about 2% of a core) and gives the median. The machine's speed moves within minutes
(round 13: the yardstick read 10 to 21 ms between two steps of the same bench), and every
process under load slows with it, so `make bench-scale` prints CPU per turn also as it would
be at `REFERENCE_MS`. An approximation: the reading shares the cores with the load, so it
also feels the load itself; compare only steps whose readings are close (docs/performance.md,
round 13).
"""

from __future__ import annotations

import json
import re
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

_WORD = re.compile(r"[a-z]+_(\d+)")
# measured on round 10's machine (2026-12-01), which drifted that much; a faster one gives less
REFERENCE_NOTE = "round 10's machine: 26-47 ms within one session; docs/performance.md"
REFERENCE_MS = 10.0  # CPU per turn is also printed as at this reading (a fast machine's)
ROOT = Path(__file__).resolve().parents[1]


def _work() -> int:
    doc = {
        "events": [
            {"event": "slot", "name": f"slot_{i}", "value": "মজুরি" * (i % 5), "timestamp": 1.5 * i}
            for i in range(150)
        ]
    }
    total = 0
    for _ in range(30):
        back = json.loads(json.dumps(doc))
        names = sorted((e["name"] for e in back["events"]), reverse=True)
        counts: dict[str, int] = {}
        for name in names:
            match = _WORD.match(name)
            key = match.group(1)[-1] if match else ""
            counts[key] = counts.get(key, 0) + 1
        total += sum(counts.values()) + len("".join(names).upper())
    return total


def yardstick_ms(tries: int = 5) -> float:
    """CPU ms (this process) of the fixed work, the best of `tries`."""
    best = float("inf")
    for _ in range(tries):
        started = time.process_time()
        _work()
        best = min(best, time.process_time() - started)
    return 1000 * best


def line(when: str) -> str:
    return f"machine yardstick {when}: {yardstick_ms():.0f} ms of CPU ({REFERENCE_NOTE})"


class During:
    """The yardstick's median while the block runs (`ms`; None if it could not be read)."""

    def __init__(self) -> None:
        self.ms: float | None = None
        self._process: subprocess.Popen | None = None

    def __enter__(self) -> During:
        self._process = subprocess.Popen(
            [sys.executable, "-m", "tools.yardstick", "--during"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        return self

    def __exit__(self, *_exc) -> None:
        assert self._process is not None
        self._process.terminate()
        try:
            out, _ = self._process.communicate(timeout=10)
            self.ms = float(out.split()[0])
        except (subprocess.TimeoutExpired, ValueError, IndexError):
            self._process.kill()
            self.ms = None

    def at_reference(self, cpu_ms: float) -> float | None:
        """`cpu_ms` as it would be on a machine whose yardstick reads REFERENCE_MS."""
        return cpu_ms * REFERENCE_MS / self.ms if self.ms else None


def _measure_until_stopped(interval: float = 0.5) -> None:
    readings: list[float] = []

    def stop(*_args) -> None:
        print(f"{statistics.median(readings) if readings else float('nan'):.2f}", flush=True)
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    while True:
        started = time.process_time()
        _work()
        readings.append(1000 * (time.process_time() - started))
        time.sleep(interval)


if __name__ == "__main__":
    if sys.argv[1:] == ["--during"]:
        _measure_until_stopped()
    print(line("now"))
    sys.exit(0)
