"""`make bench`: scripted REST conversations against a real stack.

By default it starts a stack of its own (tools/local_stack.py: free ports, its own state folder,
the per-sender message limit lifted — a script types far faster than a person), so a
developer's stack is untouched; `--running` measures the stack on SATHI_RASA_PORT instead.
Each conversation is 60 turns with three completed services inside (work status, wage
status, work status again) among greetings, questions and small talk. Prints p50/p95 latency
per turn position (buckets of 10), overall turns per second, and the resident memory of each
process. It measures; it asserts nothing.

    python -m tools.bench [--conversations 6] [--concurrency 1] [--running]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
FILLER = [
    "karmashree ki?",
    "help",
    "thank you",
    "আচ্ছা",
    "menu",
    "what is karmashree",
    "ধন্যবাদ",
    "ki ki korte paro",
]


def script(job_card: str) -> list[str]:
    turns = ["hi", '/set_language{"language":"bn"}', "amar kaj koto din holo", job_card]
    turns += ["thank you", "amar majuri kobe dhukbe"]  # 2nd service (card known)
    while len(turns) < 40:
        turns.append(FILLER[len(turns) % len(FILLER)])
    turns += ["how many days of work did we get", "ধন্যবাদ"]  # 3rd service
    while len(turns) < 60:
        turns.append(FILLER[len(turns) % len(FILLER)])
    return turns[:60]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children (MB)."""
    total = 0
    pids = [pid]
    try:
        children = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
        pids += [int(p) for p in children.split()]
    except OSError:
        pass
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def converse(base: str, mobile: str, job_card: str) -> list[tuple[int, float]]:
    sender = mobile
    session = requests.Session()
    session.post(
        f"{base}/webhooks/rest/webhook", json={"sender": sender, "message": "/restart"}, timeout=30
    )
    timings = []
    for position, text in enumerate(script(job_card), start=1):
        start = time.perf_counter()
        answer = session.post(
            f"{base}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=30
        )
        answer.raise_for_status()
        timings.append((position, (time.perf_counter() - start) * 1000))
    return timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--conversations", type=int, default=6)
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument(
        "--running",
        action="store_true",
        help="measure the stack already running on SATHI_RASA_PORT",
    )
    args = parser.parse_args(argv)
    from tools.local_stack import on_a_stack

    return on_a_stack(
        args.running, "benchmark", lambda base, var, ids: measure(args, base, var, ids)
    )


def measure(args, base: str, var: Path, ids: dict) -> int:
    cards = ids["job_cards"]
    jobs = [
        (cards[i % len(cards)]["mobile"], cards[i % len(cards)]["job_card"])
        for i in range(args.conversations)
    ]
    from tools import yardstick

    print(yardstick.line("before"), flush=True)
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
        results = list(pool.map(lambda job: converse(base, *job), jobs))
    elapsed = time.perf_counter() - started
    by_bucket: dict[int, list[float]] = {}
    for timings in results:
        for position, ms in timings:
            by_bucket.setdefault((position - 1) // 10, []).append(ms)
    every = [ms for timings in results for _, ms in timings]
    print(f"{args.conversations} conversations x 60 turns, concurrency {args.concurrency}")
    print(f"{'turns':>8} {'p50 ms':>8} {'p95 ms':>8}")
    for bucket in sorted(by_bucket):
        values = by_bucket[bucket]
        print(
            f"{bucket * 10 + 1:>3}-{bucket * 10 + 10:<4} {statistics.median(values):8.1f} {percentile(values, 0.95):8.1f}"
        )
    print(f"{'all':>8} {statistics.median(every):8.1f} {percentile(every, 0.95):8.1f}")
    print(f"throughput: {len(every) / elapsed:.1f} turns/s")
    for name in ("rasa", "actions", "portal", "graph-emulator"):
        pid_file = var / "run" / f"{name}.pid"
        if pid_file.exists():
            print(f"resident memory {name}: {rss_mb(int(pid_file.read_text())):.0f} MB")
    print(yardstick.line("after"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
