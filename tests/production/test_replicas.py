"""Two rasa replicas behind a real nginx (production profile: PostgreSQL, Redis; the
topology of tools/scale): WhatsApp messages from several senders, several at once from each,
and one replica killed with SIGKILL while it is answering. Then: every message answered
(none lost), no reply sent twice, and each sender's replies in the order of their messages.

Skipped — loudly, in the `-ra` summary — when PostgreSQL or Redis does not answer."""

from __future__ import annotations

import os
import socket
import time
import uuid
from collections import defaultdict

import pytest
import requests
from sqlalchemy import create_engine, text

from tests.production.conftest import _postgres_or_skip, _redis_or_skip
from tools import webhook_client as wc

pytestmark = [pytest.mark.production, pytest.mark.timeout(900)]
TURNS = ["menu", "karmashree ki?", "help", "thank you", "ধন্যবাদ", "what is karmashree"]


def _free_block(size: int = 80) -> int:
    for base in range(21000, 60000, 97):
        ok = True
        for port in (base, base + 1, base + 2, base + 50, base + 51, base + 70, base + 71):
            with socket.socket() as sock:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # TIME_WAIT is free
                try:
                    sock.bind(("127.0.0.1", port))
                except OSError:
                    ok = False
                    break
        if ok:
            return base
    raise RuntimeError("no free port block")


@pytest.fixture(scope="module")
def topology():
    _redis_or_skip().close()
    _postgres_or_skip().close()
    from tools.scale import topology as topo_mod

    state = topo_mod.ROOT / "var" / f"scale-test-{uuid.uuid4().hex[:8]}"
    topo = topo_mod.start(
        replicas=2,
        action_servers=1,
        base_port=_free_block(),
        rest=False,
        state=state,
        extra_env={
            "SATHI_RATE_MESSAGES": "100000",
            "TICKET_LOCK_LIFETIME": "8",
            "SATHI_WA_LEASE_SECONDS": "6",  # the take-over waits for the lease to expire
        },
    )
    try:
        yield topo
    finally:
        topo_mod.stop(topo)
        if os.environ.get("SATHI_TEST_KEEP_VAR") != "1":
            import shutil

            shutil.rmtree(state, ignore_errors=True)


def _post(topo, message) -> None:
    answer = wc.post(
        f"{topo.url}/webhooks/whatsapp/webhook",
        wc.envelope(messages=[message]),
        topo.env["WHATSAPP_APP_SECRET"],
    )
    assert answer.status_code == 200, answer.text


def _inbox(engine):
    with engine.connect() as conn:
        return [
            dict(r)
            for r in conn.execute(
                text(
                    "SELECT id, wamid, wa_id, state, attempts, message_ts FROM wa_inbox ORDER BY id"
                )
            ).mappings()
        ]


def _wait_until(predicate, timeout: float, step: float = 0.1):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    return predicate()


def _post_to_replica(topo, i: int, messages: list) -> None:
    """Straight to replica i, past nginx, in one webhook call (Meta batches too)."""
    answer = wc.post(
        f"http://127.0.0.1:{topo.replica_port(i)}/webhooks/whatsapp/webhook",
        wc.envelope(messages=messages),
        topo.env["WHATSAPP_APP_SECRET"],
    )
    assert answer.status_code == 200, answer.text


def test_kill_minus_nine_of_a_replica_loses_nothing_and_answers_nothing_twice(topology):
    """Three waves, every sender writing all its messages at once (as people do):
    1. both replicas race for the rows (through nginx);
    2. replica 2 is frozen (SIGSTOP; it holds no row: wave 1 is done), the wave goes to
       replica 1, which is killed with SIGKILL while it holds leased, in-flight rows; the
       rows still `processing` after its death are known to be its own;
    3. replica 2 resumes and, through nginx, takes those rows over once their lease
       expires, then answers the last wave.
    Then: nothing lost, nothing answered twice, each sender's replies in order, and every
    row the killed replica held taken over (a second attempt) and done."""
    from tools.scale import topology as topo_mod

    engine = create_engine(topology.bot_store_url, future=True)
    senders = [f"9198000{i:05d}" for i in range(1, 9)]
    sent = defaultdict(list)  # wa_id -> wamids in the order the user wrote them
    start_ts = int(time.time())

    def wave(number: int, post) -> None:
        for position, body in enumerate(TURNS):
            for wa_id in senders:
                message = wc.text(wa_id, body, ts=start_ts + number * 100 + position)
                post(message)
                sent[wa_id].append(message["id"])

    def all_finished() -> bool:
        total = sum(len(v) for v in sent.values())
        return sum(r["state"] in ("done", "failed") for r in _inbox(engine)) == total

    wave(0, lambda m: _post(topology, m))
    assert _wait_until(all_finished, 240, 0.5), "wave 1 not answered by the two replicas"

    topo_mod.pause_replica(topology, 1)
    try:
        # the whole wave in one call: all of it is queued before replica 1 starts on it, so
        # it is still at work when the poll below looks (one call per message let a fast
        # replica finish each sender's messages as they came in)
        batch: list = []
        wave(1, batch.append)
        _post_to_replica(topology, 0, batch)
        busy = _wait_until(
            lambda: sum(r["state"] == "processing" for r in _inbox(engine)) >= 3, 60, 0.02
        )
        assert busy, "replica 1 never had turns in flight"
        topo_mod.kill_replica(topology, 0)
        assert _wait_until(lambda: not topo_mod.replica_alive(topology, 0), 10, 0.05)
        # only the killed replica ran since wave 1 ended: what is still processing was its own
        held = {r["wamid"]: r["attempts"] for r in _inbox(engine) if r["state"] == "processing"}
    finally:
        topo_mod.resume_replica(topology, 1)
    assert held, "the killed replica held no leased message at its death"

    wave(2, lambda m: _post(topology, m))
    total = sum(len(v) for v in sent.values())
    finished = _wait_until(all_finished, 240, 0.5)
    rows = _inbox(engine)
    assert finished, (
        f"not all answered: {[(r['id'], r['state']) for r in rows if r['state'] not in ('done',)]}"
    )
    # nothing lost: every message is in the inbox once, and done
    assert sorted(r["wamid"] for r in rows) == sorted(w for ws in sent.values() for w in ws)
    assert all(r["state"] == "done" for r in rows), [r for r in rows if r["state"] != "done"]
    # the killed replica's leased messages were taken over by the other one
    by_wamid = {r["wamid"]: r for r in rows}
    not_taken_over = [w for w, a in held.items() if by_wamid[w]["attempts"] <= a]
    assert not not_taken_over, not_taken_over
    reclaimed = [r for r in rows if r["attempts"] > 1]

    emulator = requests.get(f"{topology.emulator_url}/_emulator/messages", timeout=10).json()
    with engine.connect() as conn:
        outbox = [
            dict(r)
            for r in conn.execute(
                text("SELECT id, wa_id, inbox_id, seq, state, graph_message_id FROM wa_outbox")
            ).mappings()
        ]
    by_graph_id = {o["graph_message_id"]: o for o in outbox if o["graph_message_id"]}
    inbox_by_id = {r["id"]: r for r in rows}
    delivered = [m for m in emulator["messages"] if m["to"] in senders]
    # nothing answered twice: each delivered message is one outbox row, each row sent once
    ids = [m["wamid"] for m in delivered]
    assert len(ids) == len(set(ids))
    unmatched = [m for m, i in zip(delivered, ids) if i not in by_graph_id]
    ambiguous = [o for o in outbox if o["state"] == "ambiguous"]
    assert len(unmatched) <= len(ambiguous), (unmatched, ambiguous)
    assert len({(o["inbox_id"], o["seq"]) for o in outbox}) == len(outbox)
    # every message got an answer
    answered = {by_graph_id[i]["inbox_id"] for i in ids if i in by_graph_id}
    assert answered | {o["inbox_id"] for o in ambiguous} >= set(inbox_by_id), [
        inbox_by_id[i]["wamid"] for i in set(inbox_by_id) - answered
    ]
    # per sender, replies in the order of the messages
    for wa_id in senders:
        order = [
            by_graph_id[i]["inbox_id"]
            for m, i in zip(delivered, ids)
            if m["to"] == wa_id and i in by_graph_id
        ]
        positions = [sent[wa_id].index(inbox_by_id[i]["wamid"]) for i in order]
        assert positions == sorted(positions), (wa_id, positions)
    print(
        f"\n{total} messages, {len(held)} held by the killed replica, {len(reclaimed)} taken over, "
        f"{len(delivered)} replies, {len(ambiguous)} ambiguous"
    )
    engine.dispose()
