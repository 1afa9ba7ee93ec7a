"""Status pushes end to end (issue 13): a WhatsApp user asks "notify me when wages are paid",
the reference portal's data changes (`python -m portal_backend change ...`), and the Graph
emulator receives the push exactly once — also after the rasa server (and its push worker)
restarts; a change at 21:30 is held through the night and arrives at 08:00, as the utility
template when the user has not written for 24 hours.

A stack of its own: the rasa server is restarted with other clocks (SATHI_CLOCK), which the
session's shared stack must not see.
"""

from __future__ import annotations

import json
import subprocess
import time

import pytest
import requests
from sqlalchemy import select

from bot_store.schema import push_deliveries, push_subscriptions
from tests.support.stack import ROOT
from tests.support.whatsapp_stack import StackWhatsApp, all_text

pytestmark = pytest.mark.stack
SET_EN = '/set_language{"language":"en"}'


@pytest.fixture(scope="module")
def own_stack():
    from tests.support.stack import start_stack, stop_stack

    running = start_stack(clock="2026-11-28T10:00:00", extra_env={"SATHI_PUSH_POLL_SECONDS": "0.5"})
    try:
        yield running
    finally:
        stop_stack(running)


@pytest.fixture(scope="module")
def wa(own_stack):
    helper = StackWhatsApp(own_stack)
    yield helper
    helper.close()


def wait_until(predicate, timeout: float, step: float = 0.25):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    return predicate()


def portal_change(stack, *args) -> dict:
    done = subprocess.run(
        [str(ROOT / ".venv/bin/python"), "-m", "portal_backend", "change", *args],
        cwd=ROOT,
        env=stack.env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def pushes_to(wa, mobile):
    """What reached the emulator for `mobile` that is a push (not an answer to a message)."""
    return [
        m
        for m in wa.sent(mobile)
        if m["type"] == "template"
        or "Karmashree wages of" in m["body"].get("text", {}).get("body", "")
    ]


def push_rows(wa, mobile):
    with wa.store.connect() as conn:
        return [
            dict(r)
            for r in conn.execute(
                select(push_deliveries)
                .where(push_deliveries.c.mobile == mobile)
                .order_by(push_deliveries.c.id)
            ).mappings()
        ]


def worker_state(stack) -> dict:
    return requests.get(f"{stack.rasa_url}/webhooks/status_pushes/", timeout=10).json()


def restart_rasa(stack, clock: str) -> None:
    """Stop the rasa server (and with it the push worker), start it with another clock."""
    assert stack.run_script("stop-one", "rasa").returncode == 0
    stack.env["SATHI_CLOCK"] = clock
    started = stack.run_script("start-one", "rasa")
    assert started.returncode == 0, started.stdout + started.stderr
    passes = worker_state(stack)["passes"]
    assert wait_until(lambda: worker_state(stack)["passes"] >= passes + 3, 30), "worker not running"


def test_push_once_across_restart_and_held_through_quiet_hours(own_stack, wa):
    card = own_stack.demo_ids["job_cards"][0]
    user, number = card["mobile"], card["job_card"]
    own_stack.forget_preferences(user)
    wa.say(user, SET_EN)
    reply = all_text(wa.say(user, "notify me when wages are paid"))
    assert "I will tell you here" in reply and number in reply, reply
    with wa.store.connect() as conn:
        followed = (
            conn.execute(
                select(push_subscriptions.c.record_id).where(push_subscriptions.c.mobile == user)
            )
            .scalars()
            .all()
        )
    assert number in followed
    assert worker_state(own_stack)["status"] == "ok"

    # 1. a wage credit at 10:00, the user wrote a minute ago: a normal message, once
    first = portal_change(own_stack, "wage-credited", "--job-card", number)
    got = wait_until(lambda: pushes_to(wa, user), 30)
    assert len(got) == 1 and got[0]["type"] == "text", got
    text = got[0]["body"]["text"]["body"]
    assert number in text and "stop updates" in text
    time.sleep(2)  # four more passes of the worker: nothing more
    assert len(pushes_to(wa, user)) == 1

    # 2. the worker restarts (at 21:30): the same event is not pushed again
    restart_rasa(own_stack, "2026-11-28T21:30:00")
    assert len(pushes_to(wa, user)) == 1, "a restart sent the push again"
    assert worker_state(own_stack)["cursor"] >= first["id"]

    # 3. a credit during quiet hours: queued, not sent through the night
    second = portal_change(own_stack, "wage-credited", "--job-card", number, "--amount", "1750")
    assert wait_until(lambda: any(r["event_id"] == second["id"] for r in push_rows(wa, user)), 30)
    time.sleep(3)
    assert len(pushes_to(wa, user)) == 1, "a push went out during quiet hours"
    held = [r for r in push_rows(wa, user) if r["event_id"] == second["id"]]
    assert held[0]["state"] == "pending" and str(held[0]["not_before"]).startswith(
        "2026-11-29 08:00"
    )

    # 4. morning, two days after the user last wrote: the template, once, at 08:00
    restart_rasa(own_stack, "2026-11-30T08:00:05")
    got = wait_until(lambda: len(pushes_to(wa, user)) >= 2 and pushes_to(wa, user), 30)
    assert len(got) == 2, got
    template = got[1]["body"]["template"]
    assert template["name"] == "sathi_wage_credited" and template["language"]["code"] == "en"
    params = [p["text"] for p in template["components"][0]["parameters"]]
    assert params[:2] == [number, "₹1,750"]
    time.sleep(2)
    assert len(pushes_to(wa, user)) == 2
    assert [(r["event_id"], r["state"], r["via"]) for r in push_rows(wa, user)] == [
        (first["id"], "sent", "text"),
        (second["id"], "sent", "template"),
    ]


def test_stop_updates_stops_pushes(own_stack, wa):
    noc = next(r for r in own_stack.demo_ids["trade_nocs"] if r["status"] == "submitted")
    user, number = noc["mobile"], noc["application_no"]
    own_stack.forget_preferences(user)
    wa.say(user, SET_EN)
    assert number in all_text(wa.say(user, "let me know when my application is approved"))
    assert "Updates stopped" in all_text(wa.say(user, "stop updates"))
    event = portal_change(
        own_stack, "application-status", "--trade-noc", number, "--status", "under_verification"
    )
    # once the worker has read past the event, nothing was queued or sent for it
    assert wait_until(lambda: worker_state(own_stack)["cursor"] >= event["id"], 30)
    time.sleep(1)
    assert [
        m
        for m in wa.sent(user)
        if m["type"] == "template" or m["body"].get("text", {}).get("body", "").startswith("Sathi:")
    ] == []
    assert push_rows(wa, user) == []
