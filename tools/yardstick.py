"""How fast this machine runs Python right now: the CPU milliseconds of one fixed piece of work
made of what a turn is made of (JSON encoding and parsing, dicts, strings, a regex), the best of
a few tries.

The development machines differ, and one machine drifts within an hour (docs/performance.md,
rounds 9 and 10: the same code and command took 2.5 times the CPU per turn on one machine as on
the one before). `make bench` and `make bench-scale` print this figure before and after they
measure, so turns/s and CPU per turn can be read against the speed of the machine they came
from. `python -m tools.yardstick` prints it alone.
"""

from __future__ import annotations

import json
import re
import sys
import time

_WORD = re.compile(r"[a-z]+_(\d+)")
# measured on round 10's machine (2026-12-01), which drifted that much; a faster one gives less
REFERENCE_NOTE = "round 10's machine: 26-47 ms within one session; docs/performance.md"


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


if __name__ == "__main__":
    print(line("now"))
    sys.exit(0)
