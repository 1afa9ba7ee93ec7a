"""Where a turn goes: py-spy samples the running rasa server and action server while the
`make bench` script talks to them, and every sample is put in one stage (NLU, policies,
tracker store, action server call, bot store SQL, NLG, channel...). Prints CPU milliseconds
per turn for each stage and process (py-spy leaves out idle threads: waiting is not counted).

    make profile                      # on a stack of its own, rate limit off (as make bench)
    python -m tools.profile_turn --turns 120 --rate 250 [--raw var/profile] [--running]

`--running` profiles the stack `make up` started instead (its per-sender rate limit answers
most of a 60-turn conversation with "wait a minute": raise SATHI_RATE_MESSAGES first).

py-spy comes from .venv-tools (requirements-tools.txt); it attaches with ptrace (root, or
CAP_SYS_PTRACE). docs/performance.md has the figures and what changed them.
"""

from __future__ import annotations

import argparse
import collections
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY_SPY = ROOT / ".venv-tools" / "bin" / "py-spy"

# (stage, substrings of a frame); the first stage with a frame in the stack wins, so the
# specific stages come before the general ones.
STAGES: list[tuple[str, tuple[str, ...]]] = [
    ("tracker store (load/save)", ("tracker_store.py",)),
    ("lock store", ("lock_store.py",)),
    (
        "action server call (client side)",
        ("RemoteAction", "endpoints.py", "_validate_action_result"),
    ),
    ("slot mappings in process", ("slot_mappings_in_process.py",)),
    ("bot store SQL", ("bot_store/",)),
    ("NLU", ("rasa/nlu/", "sathi_nlu/", "parse_message", "_parse_message_with_graph")),
    (
        "policies",
        (
            "rasa/core/policies/",
            "sathi_dialogue/",
            "predict_next_action",
            "_predict_next_with_tracker",
            "rasa/core/featurizers/",
        ),
    ),
    ("NLG", ("rasa/core/nlg/", "document_nlg.py")),
    ("actions (action server)", ("rasa_sdk/", "actions/")),
    ("portal client", ("portal_client/",)),
    (
        "tracker/events bookkeeping",
        (
            "rasa/shared/core/trackers.py",
            "rasa/shared/core/events.py",
            "rasa/shared/core/domain.py",
        ),
    ),
    (
        "channel / HTTP",
        ("channels/", "sanic/", "aiohttp/", "rasa/core/channels/", "rasa/server.py"),
    ),
    ("SQLAlchemy / driver", ("sqlalchemy/", "psycopg2", "sqlite3")),
    ("JSON", ("json/", "ujson")),
]


# a thread pool waiting for work, an event loop waiting in select (the leaf is the C call's caller)
IDLE_LEAVES = (
    "_worker (concurrent/futures/thread.py",
    "wait (threading.py",
    "select (selectors.py",
    "serve (sanic/server/runners.py",
    "_run_once (asyncio/base_events.py",
    # a thread whose target is C code (the WhatsApp send loop's event loop) waiting in it: the
    # kernel's CPU time printed beside the total equals the other stages' sum without it
    "run (threading.py",
)


def stage_of(stack: str) -> str:
    leaf = stack.rsplit(";", 1)[-1]
    if leaf.startswith(IDLE_LEAVES):
        return IDLE
    for stage, needles in STAGES:
        if any(n in stack for n in needles):
            return stage
    return "other"


IDLE = "idle (waiting threads)"


def read_raw(path: Path) -> dict[str, int]:
    """py-spy --format raw: 'frame;frame;... count' per line -> samples per stage."""
    counts: dict[str, int] = collections.Counter()
    if not path.exists():
        return counts
    for line in path.read_text(errors="replace").splitlines():
        stack, _, n = line.rpartition(" ")
        if stack and n.isdigit():
            counts[stage_of(stack)] += int(n)
    return counts


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process (all its threads), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def pid_of(var: Path, name: str) -> int:
    return int((var / "run" / f"{name}.pid").read_text().strip())


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--turns", type=int, default=120, help="turns to drive (2 x 60-turn conversations)"
    )
    parser.add_argument("--rate", type=int, default=100, help="py-spy samples per second")
    parser.add_argument(
        "--raw", default=str(ROOT / "var" / "profile"), help="where the raw stacks go"
    )
    parser.add_argument(
        "--running",
        action="store_true",
        help="profile the stack already running on SATHI_RASA_PORT (`make up`; mind its rate "
        "limit) instead of a stack of its own",
    )
    args = parser.parse_args(argv)
    if not PY_SPY.exists():
        print("no py-spy: `make .venv-tools/.installed`", file=sys.stderr)
        return 2
    from tools.local_stack import on_a_stack

    return on_a_stack(args.running, "profile", lambda base, var, ids: profile(args, base, var, ids))


def profile(args: argparse.Namespace, base: str, var: Path, ids: dict) -> int:
    out = Path(args.raw)
    out.mkdir(parents=True, exist_ok=True)
    from tools import bench

    card = ids["job_cards"][0]
    bench.converse(base, card["mobile"], card["job_card"])  # warm-up, not sampled
    conversations = max(1, args.turns // 60)
    duration = 600
    spies = {}
    for name in ("rasa", "actions"):
        raw = out / f"{name}.txt"
        raw.unlink(missing_ok=True)
        spies[name] = subprocess.Popen(
            [
                str(PY_SPY),
                "record",
                "--format",
                "raw",
                "--rate",
                str(args.rate),
                "--nonblocking",
                "--duration",
                str(duration),
                "--pid",
                str(pid_of(var, name)),
                "--output",
                str(raw),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
    time.sleep(1.5)
    pids = {name: pid_of(var, name) for name in spies}
    cpu_before = {name: cpu_seconds(pid) for name, pid in pids.items()}
    started = time.perf_counter()
    timings: list[float] = []
    for i in range(conversations):
        c = ids["job_cards"][i % len(ids["job_cards"])]
        timings += [ms for _, ms in bench.converse(base, c["mobile"], c["job_card"])]
    elapsed = time.perf_counter() - started
    cpu = {name: cpu_seconds(pid) - cpu_before[name] for name, pid in pids.items()}
    for spy in spies.values():
        spy.send_signal(2)  # SIGINT: py-spy writes what it has
    for spy in spies.values():
        try:
            spy.wait(timeout=30)
        except subprocess.TimeoutExpired:
            spy.kill()
    turns = len(timings)
    print(
        f"{turns} turns in {elapsed:.1f} s (concurrency 1): {turns / elapsed:.1f} turns/s, "
        f"median {sorted(timings)[turns // 2]:.0f} ms"
    )
    print(f"{'process':8} {'stage':36} {'CPU ms/turn':>11} {'share':>6}")
    for name in spies:
        counts = read_raw(out / f"{name}.txt")
        counts.pop(IDLE, None)
        total = sum(counts.values()) or 1
        for stage, n in sorted(counts.items(), key=lambda kv: -kv[1]):
            print(
                f"{name:8} {stage:36} {n / args.rate * 1000 / turns:11.1f} {100 * n / total:5.0f}%"
            )
        print(f"{name:8} {'total':36} {total / args.rate * 1000 / turns:11.1f}")
        # the kernel's count, for the turns only: a stage the sampler cannot see as idle
        # (a thread blocked in C code) shows up in the total above, not in this one
        print(f"{name:8} {'CPU time by the kernel':36} {cpu[name] * 1000 / turns:11.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
