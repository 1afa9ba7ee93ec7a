"""`make chaos`: WhatsApp conversations (signed webhooks, replies read from the Graph emulator)
while the portal is stopped and restarted, on a test stack of its own (free ports, state in
var/sathi-test-*; a developer's stack is never touched).

    python -m tools.chaos [--chatters 12] [--down-seconds 10] [--wait 120] [--keep]

Phases: (A) portal up — everyone greets; (B) portal stopped — every owner of a ready document
(trade NOC, building plan letter, tourism slip) asks for it, chatters chat; (C) portal
started — nobody writes; the documents must arrive by themselves (deferred delivery);
(D) everyone says thanks. Prints: messages sent, replies received, documents requested,
documents delivered (only those that arrived with no further message from the user),
duplicates, errors — and exits 1 when a document is missing or duplicated, or on errors.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import select

from bot_store.schema import deferred_deliveries, wa_inbox, wa_outbox


def _requests(demo: dict) -> list[tuple[str, str]]:
    """(owner's number, the message asking for their ready document)."""
    asks = [
        (n["mobile"], f"I need my trade licence certificate {n['application_no']}")
        for n in demo["trade_nocs"]
        if n["status"] == "approved"
    ]
    asks += [
        (
            p["mobile"],
            f"please send the approval letter of my house building plan {p['application_no']}",
        )
        for p in demo["building_plans"]
        if p["status"] == "approved"
    ]
    asks += [
        (b["mobile"], f"booking slip {b['booking_no']}")
        for b in demo["bookings"]
        if b["status"] == "confirmed"
    ]
    seen, unique = set(), []
    for mobile, text in asks:  # one request per number keeps the counting exact
        if mobile not in seen:
            seen.add(mobile)
            unique.append((mobile, text))
    return unique


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.chaos")
    parser.add_argument("--chatters", type=int, default=12, help="extra users who only chat")
    parser.add_argument(
        "--down-seconds",
        type=float,
        default=10.0,
        help="how long the portal stays down after the requests",
    )
    parser.add_argument(
        "--wait", type=float, default=120.0, help="seconds to wait for the deferred documents"
    )
    parser.add_argument("--keep", action="store_true", help="keep the stack's state folder")
    args = parser.parse_args(argv)

    from tests.support.stack import start_stack, stop_stack
    from tests.support.whatsapp_stack import StackWhatsApp, new_wa_id
    from tools import webhook_client as wc

    print("starting a test stack (portal, emulator, action server, rasa server)...", flush=True)
    stack = start_stack(extra_env={"SATHI_DEFERRED_POLL_SECONDS": "1", "SATHI_RATE_MESSAGES": "60"})
    wa = StackWhatsApp(stack)
    sent = Counter()
    errors: list[str] = []
    try:
        owners = _requests(stack.demo_ids)
        chatters = [new_wa_id("9172") for _ in range(args.chatters)]
        everyone = [m for m, _ in owners] + chatters
        chat = [
            "hello",
            "help",
            "আমার জব কার্ডের খবর দিন",
            "what can you do",
            "ধন্যবাদ",
            "😀",
            "   ",
            "trade licence",
            "WB-08-012",
        ]

        def post(mobile: str, text: str) -> None:
            try:
                answer = wa.post(wc.text(mobile, text))
                sent["messages"] += 1
                if answer.status_code != 200:
                    errors.append(f"webhook answered {answer.status_code}")
            except Exception as exc:
                errors.append(f"webhook failed: {type(exc).__name__}")

        def settle_all(numbers: list[str]) -> None:
            for number in numbers:
                try:
                    wa.settle(number, timeout=180)
                except AssertionError as exc:
                    errors.append(str(exc)[:200])

        pool = ThreadPoolExecutor(max_workers=8)
        print(f"A: {len(everyone)} users greet (portal up)", flush=True)
        list(pool.map(lambda m: post(m, "hello"), everyone))
        settle_all(everyone)

        print("B: portal stopped; owners ask for their documents, chatters chat", flush=True)
        down = stack.run_script("stop-one", "portal")
        if down.returncode:
            errors.append("could not stop the portal")
        stopped_at = time.monotonic()
        jobs = [(m, t) for m, t in owners] + [
            (c, random.choice(chat)) for c in chatters for _ in range(2)
        ]
        random.shuffle(jobs)
        list(pool.map(lambda job: post(*job), jobs))
        settle_all(everyone)
        inbox_before = {m: len(wa.inbox(m)) for m in everyone}
        docs_before = {m: _documents(wa.sent(m)) for m, _ in owners}
        time.sleep(max(0.0, args.down_seconds - (time.monotonic() - stopped_at)))

        print("C: portal started; waiting for the documents (nobody writes)", flush=True)
        if stack.run_script("start-one", "portal").returncode:
            errors.append("could not start the portal")
        end = time.monotonic() + args.wait
        while time.monotonic() < end:
            if all(_documents(wa.sent(m)) > docs_before[m] for m, _ in owners):
                break
            time.sleep(0.5)
        time.sleep(3)  # a late duplicate would show now
        arrived_alone = {
            m: _documents(wa.sent(m)) - docs_before[m]
            for m, _ in owners
            if len(wa.inbox(m)) == inbox_before[m]
        }

        print("D: everyone says thanks", flush=True)
        list(pool.map(lambda m: post(m, "thanks"), everyone))
        settle_all(everyone)
        pool.shutdown()

        figures = _figures(wa, owners, everyone, arrived_alone, docs_before, sent, errors)
        print()
        for name, value in figures.items():
            print(f"{name:40s} {value}")
        print()
        for error in errors[:10]:
            print("error:", error)
        ok = (
            figures["documents delivered (no further message)"] == figures["documents requested"]
            and figures["duplicates"] == 0
            and figures["errors"] == 0
        )
        print("RESULT:", "ok" if ok else "PROBLEMS")
        return 0 if ok else 1
    finally:
        wa.close()
        stop_stack(stack, keep_logs_on_failure=args.keep)


def _documents(messages: list[dict]) -> int:
    return sum(1 for m in messages if m["body"].get("type") in ("document", "template"))


def _figures(wa, owners, everyone, arrived_alone, docs_before, sent, errors) -> dict[str, object]:
    replies = sum(len(wa.sent(m)) for m in everyone)
    delivered = sum(min(1, n) for n in arrived_alone.values())
    duplicates = sum(max(0, _documents(wa.sent(m)) - 1) for m, _ in owners)
    with wa.store.connect() as conn:
        failed_rows = conn.execute(
            select(wa_inbox.c.id).where(wa_inbox.c.state == "failed")
        ).fetchall()
        answered = {r.inbox_id for r in conn.execute(select(wa_outbox.c.inbox_id)).fetchall()}
        rows = conn.execute(select(wa_inbox.c.id, wa_inbox.c.wa_id)).fetchall()
        states = Counter(r.state for r in conn.execute(select(deferred_deliveries.c.state)))
    unanswered = [r.id for r in rows if r.wa_id in everyone and r.id not in answered]
    for _ in failed_rows:
        errors.append("an inbox row failed")
    for row_id in unanswered:
        errors.append(f"inbox row {row_id} got no reply")
    return {
        "users": len(everyone),
        "messages sent": sent["messages"],
        "replies received": replies,
        "documents requested": len(owners),
        "documents delivered (no further message)": delivered,
        "documents delivered before the portal was back": sum(docs_before.values()),
        "duplicates": duplicates,
        "deferred requests by state": dict(states),
        "errors": len(errors),
    }


if __name__ == "__main__":
    sys.exit(main())
