"""python -m tools.scale up [--replicas 2] [--action-servers 2] | down | status | bench

`bench` (`make bench-scale`): for 1 and then 2 rasa replicas behind nginx (production
profile: PostgreSQL, Redis), WhatsApp webhooks and REST conversations with service turns at
concurrency 8 and 32; prints turns/s, p50/p95 per concurrency and replica count, and the
resident memory of every process; stops everything it started. It measures, asserts nothing.
Since round 10 the Graph emulator also posts Meta's delivery statuses (sent, delivered, read)
of every message it accepts, each a webhook of its own, as a real number receives them
(`--no-statuses`: the load of rounds 1-9).
"""

from __future__ import annotations

import argparse
import os
import sys
import time

from sathi.settings import settings
from tools import yardstick
from tools.scale import load, measure, topology

ROOT = topology.ROOT
STATE = ROOT / "var" / "scale"


def demo_users(env: dict) -> list:
    from tools.local_stack import demo_ids

    ids = demo_ids(env, timeout=300)
    seen, users = set(), []
    for card in ids["job_cards"]:  # one conversation per number: a person is one sender
        if card["mobile"] not in seen:
            seen.add(card["mobile"])
            users.append((card["mobile"], card["job_card"]))
    return users


def memory(topo: topology.Topology) -> str:
    return "  ".join(
        f"{name} {measure.rss_mb(pid):.0f} MB" for name, pid in sorted(topo.pids.items())
    )


def _setting(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name.startswith(("SATHI_", "WHATSAPP_")):
        raise argparse.ArgumentTypeError(
            f"expected NAME=VALUE (a SATHI_ or WHATSAPP_ setting), got {text!r}"
        )
    return name, value


def _or_dash(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def _own_cpu_seconds() -> float:
    times = os.times()
    return times.user + times.system


def bench(args) -> int:
    table = []
    print(yardstick.line("before"), flush=True)
    for replicas in args.replicas:
        servers = args.action_servers or replicas
        print(
            f"== {replicas} rasa replica(s), {servers} action server(s) behind nginx "
            f"(production profile: PostgreSQL, Redis)",
            flush=True,
        )
        started = time.monotonic()
        topo = topology.start(
            replicas=replicas,
            action_servers=servers,
            state=STATE,
            extra_env={"SATHI_RATE_MESSAGES": "1000000", **dict(args.set)},
            statuses=args.statuses,
        )
        print(f"   started in {time.monotonic() - started:.0f} s", flush=True)
        try:
            users = demo_users(topo.env)
            secret = topo.env["WHATSAPP_APP_SECRET"]
            # warm-up: every process loads what it loads lazily; not counted
            portal_db = topo.databases["portal"]
            load.drive(
                topo.url,
                secret,
                topo.bot_store_url,
                users,
                min(8, len(users)),
                args.warmup,
                portal_db_url=portal_db,
                whatsapp_share=args.whatsapp_share,
            )
            for concurrency in args.concurrency:
                posted_before = measure.statuses_posted(topo)
                with yardstick.During() as speed:
                    before = measure.cpu_seconds(topo)
                    driver_before = _own_cpu_seconds()
                    result = load.drive(
                        topo.url,
                        secret,
                        topo.bot_store_url,
                        users,
                        concurrency,
                        args.seconds,
                        stagger=args.stagger,
                        portal_db_url=portal_db,
                        whatsapp_share=args.whatsapp_share,
                    )
                    after = measure.cpu_seconds(topo)
                    driver = _own_cpu_seconds() - driver_before
                posted = measure.statuses_posted(topo) - posted_before
                steady = result.sustained(args.ramp)
                print("   from the start:  " + result.line(), flush=True)
                if args.statuses:
                    print(
                        f"   delivery status webhooks (from the Graph emulator, as Meta sends "
                        f"them): {posted} in the step, {posted / max(1, len(result.turns)):.1f} "
                        "per turn",
                        flush=True,
                    )
                print(f"   after {args.ramp:.0f} s:     " + steady.line(), flush=True)
                turns = max(1, len(result.turns))
                used = {k: after.get(k, 0) - before.get(k, 0) for k in after}
                result.cpu_ms_per_turn = 1000 * sum(used.values()) / turns
                print(
                    "   CPU ms per turn: "
                    + ", ".join(
                        f"{k} {1000 * v / turns:.1f}" for k, v in sorted(used.items()) if v > 0
                    )
                    + f"; total {result.cpu_ms_per_turn:.1f} -> {2000 / result.cpu_ms_per_turn:.0f} "
                    f"turns/s on 2 idle cores",
                    flush=True,
                )
                result.cpu_ms_at_reference = speed.at_reference(result.cpu_ms_per_turn)
                if result.cpu_ms_at_reference is not None:
                    print(
                        f"   machine yardstick during the step: {speed.ms:.1f} ms; CPU ms per "
                        f"turn as at {yardstick.REFERENCE_MS:.0f} ms: "
                        f"{result.cpu_ms_at_reference:.1f} (an approximation: compare steps "
                        "whose readings are close)",
                        flush=True,
                    )
                # the load generator shares the two cores: what it takes, Sathi cannot have
                print(
                    f"   load generator (this process; not in the total): "
                    f"{1000 * driver / turns:.1f} ms per turn, "
                    f"{100 * driver / (2 * args.seconds):.0f}% of two cores",
                    flush=True,
                )
                table.append((replicas, steady, result))
            print(f"   resident memory: {memory(topo)}", flush=True)
            sizes = measure.storage(topo)
            turns = sum(len(whole.turns) for rep, _, whole in table if rep == replicas)
            print(
                f"   PostgreSQL after {turns} measured turns (+ warm-up): "
                + ", ".join(
                    f"{k} {v / 1e6:.1f} MB" if k.endswith("bytes") else f"{k} {v}"
                    for k, v in sizes.items()
                ),
                flush=True,
            )
        finally:
            topology.stop(topo)
    print(yardstick.line("after"), flush=True)
    print(
        f"\nsustained: turns started {args.ramp:.0f} s or more after the users started "
        "together (all at turn 1); the last column has the p95 of every turn from the start"
    )
    print(
        "replicas  concurrency  turns/s   p50 ms   p95 ms  (whatsapp p95 / rest p95)  errors  "
        f"CPU ms/turn (as at yardstick {yardstick.REFERENCE_MS:.0f} ms)  p95 from start"
    )
    for replicas, r, whole in table:
        every = r.latencies()
        print(
            f"{replicas:8d} {r.concurrency:12d} {r.rate:8.1f} {load.percentile(every, 0.5):8.0f} "
            f"{load.percentile(every, 0.95):8.0f}  ({load.percentile(r.latencies('whatsapp'), 0.95):.0f} / "
            f"{load.percentile(r.latencies('rest'), 0.95):.0f})  {r.errors + r.timeouts:6d}  "
            f"{whole.cpu_ms_per_turn:11.1f} ({_or_dash(whole.cpu_ms_at_reference)})  "
            f"{load.percentile(whole.latencies(), 0.95):14.0f}"
        )
    by = {(rep, r.concurrency): r.rate for rep, r, _ in table}
    for c in args.concurrency:
        if (1, c) in by and (2, c) in by and by[(1, c)]:
            print(f"concurrency {c}: 2 replicas = {by[(2, c)] / by[(1, c)]:.2f} x one")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.scale")
    sub = parser.add_subparsers(dest="command", required=True)
    up = sub.add_parser("up", help="start the topology and leave it running")
    up.add_argument("--replicas", type=int, default=2)
    up.add_argument("--action-servers", type=int, default=2)
    up.add_argument(
        "--no-rate-limit",
        action="store_true",
        help="lift the per-sender message limit (a load generator types faster than a person)",
    )
    sub.add_parser("down", help="stop what `up` started, drop its databases")
    sub.add_parser("status")
    b = sub.add_parser("bench", help="measure 1 then 2 replicas at concurrency 8 and 32")
    b.add_argument("--replicas", type=int, nargs="+", default=[1, 2])
    b.add_argument("--action-servers", type=int, default=0, help="default: as many as replicas")
    b.add_argument("--concurrency", type=int, nargs="+", default=[8, 32])
    b.add_argument("--seconds", type=float, default=settings().scale_seconds)
    b.add_argument("--warmup", type=float, default=10)
    b.add_argument(
        "--ramp",
        type=float,
        default=10,
        help="the sustained figures count the turns started this many seconds or more into "
        "each step (the users start together at turn 1); the whole step is printed too",
    )
    b.add_argument(
        "--no-statuses",
        dest="statuses",
        action="store_false",
        help="no delivery status webhooks (sent, delivered, read per message, as Meta sends "
        "them; on by default since round 10): the load of rounds 1-9",
    )
    b.add_argument(
        "--whatsapp-share",
        type=float,
        default=0.5,
        help="the share of the users who write on WhatsApp, the others over REST (default 0.5; "
        "1: production's traffic, all WhatsApp)",
    )
    b.add_argument(
        "--stagger",
        action="store_true",
        help="after the opening turns (to the job card, and for REST the number check) "
        "users go on from positions spread over the script instead of all in step "
        "(tools/scale/load.py)",
    )
    b.add_argument(
        "--set",
        type=_setting,
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a setting for every process of the topology (e.g. SATHI_WA_PACE_SECONDS=0)",
    )
    args = parser.parse_args(argv)
    if args.command == "up":
        topo = topology.start(
            replicas=args.replicas,
            action_servers=args.action_servers,
            state=STATE,
            extra_env={"SATHI_RATE_MESSAGES": "1000000"} if args.no_rate_limit else None,
        )
        print(
            f"production topology up: {topo.url} (nginx -> {args.replicas} rasa replicas), "
            f"actions {topo.actions_url} ({args.action_servers}), emulator {topo.emulator_url}"
        )
        print(
            f"environment (secrets): {STATE / 'env.json'}; stop with `python -m tools.scale down`"
        )
        return 0
    if args.command == "down":
        if (STATE / topology.STATE_FILE).exists():
            topology.stop(topology.Topology.load(STATE))
            print("production topology stopped")
        return 0
    if args.command == "status":
        if not (STATE / topology.STATE_FILE).exists():
            print("not running")
            return 0
        topo = topology.Topology.load(STATE)
        for name, pid in sorted(topo.pids.items()):
            print(f"{name}: {'running' if topology.process_alive(pid) else 'stopped'} (pid {pid})")
        return 0
    return bench(args)


if __name__ == "__main__":
    sys.exit(main())
