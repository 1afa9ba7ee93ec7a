"""The production profile, for real: SATHI_PROFILE=production with the tracker store, the bot
store and the portal on fresh PostgreSQL databases and the lock store on Redis (fixture in
conftest.py; skipped with a loud reason when PostgreSQL or Redis is absent). A WhatsApp
conversation goes through signed webhooks; then we look where everything landed, and check
that nothing but a proven WhatsApp message makes the bot trust a number.
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, text

from sathi import formatting
from tests.production.conftest import REDIS_URL
from tests.support.whatsapp_stack import StackWhatsApp, all_text, request_trade_noc

pytestmark = [pytest.mark.production, pytest.mark.stack]

SET_EN = '/set_language{"language":"en"}'


class RedisMonitor:
    """Records the commands Redis executes (MONITOR) while the block runs."""

    def __init__(self, url: str) -> None:
        import redis

        self.client = redis.Redis.from_url(url, socket_timeout=None)
        self.commands: list[dict] = []
        self._stop = threading.Event()
        self._ready = threading.Event()

    def _run(self) -> None:
        with self.client.monitor() as monitor:
            self._ready.set()
            for command in monitor.listen():
                self.commands.append(command)
                if self._stop.is_set():
                    break

    def __enter__(self) -> RedisMonitor:
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        assert self._ready.wait(10), "redis MONITOR did not start"
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self.client.ping()  # one more command wakes the listener up
        self._thread.join(10)
        self.client.close()


@dataclass
class Conversation:
    user: str
    record: dict
    status: dict
    answer: str
    redis_commands: list[dict]


@pytest.fixture(scope="module")
def wa(production):
    helper = StackWhatsApp(production.stack, production.databases["bot"])
    yield helper
    helper.close()


@pytest.fixture(scope="module")
def conversation(production, wa) -> Conversation:
    stack = production.stack
    record = stack.demo_ids["job_cards"][4]
    status = stack.portal(
        f"/karmashree/job-cards/{record['job_card'].replace('/', '%2F')}/status",
        mobile=record["mobile"],
    ).json()
    user = record["mobile"]
    with RedisMonitor(REDIS_URL) as monitor:
        wa.tap(user, SET_EN, "English")
        wa.say(user, "how many days of work did my household get this year?")
        answer = all_text(wa.say(user, record["job_card"]))
    return Conversation(user, record, status, answer, monitor.commands)


def tracker_events(production, sender: str) -> list[tuple]:
    engine = create_engine(production.databases["tracker"], future=True)
    try:
        with engine.connect() as conn:
            return [
                tuple(r)
                for r in conn.execute(
                    text(
                        "SELECT type_name, action_name, intent_name FROM events WHERE sender_id = :s ORDER BY id"
                    ),
                    {"s": sender},
                )
            ]
    finally:
        engine.dispose()


def test_whatsapp_conversation_answers_with_the_portals_numbers(conversation):
    assert f"{conversation.status['days_provided']}" in conversation.answer
    assert formatting.money(conversation.status["wages_paid_total"], "en") in conversation.answer


def test_tracker_events_are_in_postgresql(production, conversation):
    events = tracker_events(production, conversation.user)
    kinds = [e[0] for e in events]
    assert kinds.count("user") == 3, events
    assert "bot" in kinds and ("action", "action_listen", None) in events
    assert ("user", None, "set_language") in events
    # and nowhere else: the trainers' SQLite tracker file was never made
    assert not (Path(production.stack.var) / "data" / "tracker.db").exists()


def test_bot_store_rows_are_in_postgresql(production, wa, conversation):
    assert wa.store.dialect.name == "postgresql"
    inbox = wa.inbox(conversation.user)
    assert [r["state"] for r in inbox] == ["done"] * 3
    outbox = wa.outbox(conversation.user)
    assert outbox and {r["state"] for r in outbox} == {"sent"}
    with wa.store.connect() as conn:
        language = conn.execute(
            text("SELECT language FROM preferences WHERE mobile = :m"), {"m": conversation.user}
        ).scalar_one()
        tables = set(
            conn.execute(
                text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            ).scalars()
        )
    assert language == "en"
    assert {
        "wa_inbox",
        "wa_outbox",
        "wa_statuses",
        "documents",
        "preferences",
        "audit_log",
    } <= tables
    data = Path(production.stack.var) / "data"
    assert not (data / "bot_store.db").exists() and not (data / "portal.db").exists()


def test_redis_lock_store_is_used(production, conversation):
    key = f"sathi:lock:{conversation.user}"
    on_key = [c for c in conversation.redis_commands if key in c["command"]]
    verbs = {c["command"].split()[0].upper() for c in on_key}
    # Rasa's ticket lock, kept by the scripts of channels/lock_store.py (the commands they run
    # show up too)
    assert {"EVALSHA", "GET", "SET", "DEL"} <= verbs, conversation.redis_commands[-20:]
    assert {c["db"] for c in on_key} == {int(production.stack.env["SATHI_REDIS_DB"])}
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        assert client.exists(key) == 0  # every lock was released after its turn
    finally:
        client.close()


def test_document_goes_through_the_postgresql_bot_store_to_whatsapp(production, wa):
    """The action server stores the PDF in PostgreSQL; the rasa process loads it from there and
    uploads it to Graph as the document message."""
    noc = [n for n in production.stack.demo_ids["trade_nocs"] if n["status"] == "approved"][-1]
    user, number = noc["mobile"], noc["application_no"]
    wa.tap(user, SET_EN, "English")
    documents = [m for m in request_trade_noc(wa, user, number) if m["type"] == "document"]
    assert [d["document"]["filename"] for d in documents] == [f"trade-noc-{number}.pdf"]
    with wa.store.connect() as conn:
        stored = conn.execute(
            text("SELECT owner_mobile, sha256 FROM documents WHERE record_ref = :r"), {"r": number}
        ).all()
    assert [(owner, digest) for owner, digest in stored] == [
        (user, documents[0]["document"]["sha256"])
    ]


def test_rest_channel_is_not_served(production, wa):
    stack = production.stack
    owner = stack.demo_ids["job_cards"][5]
    forged = {
        "sathi_channel": "whatsapp",
        "sathi_message_id": "wamid.FORGED",
        "sathi_proof": secrets.token_hex(32),
    }
    answer = requests.post(
        f"{stack.rasa_url}/webhooks/rest/webhook",
        json={
            "sender": owner["mobile"],
            "message": f"job card {owner['job_card']} status",
            "metadata": forged,
        },
        timeout=10,
    )
    assert answer.status_code == 404
    assert requests.get(f"{stack.rasa_url}/webhooks/rest/", timeout=10).status_code == 404
    assert requests.get(f"{stack.rasa_url}/webhooks/whatsapp/", timeout=10).status_code == 200
    assert tracker_events(production, owner["mobile"]) == []


def _action_call(
    stack, sender: str, metadata: dict, input_channel: str, slots: dict, token: str | None = "stack"
) -> dict:
    """What rasa would send the action server for `action_deliver_trade_noc` (with the shared
    action token unless `token` is None or another value)."""
    user = {
        "event": "user",
        "text": slots["trade_noc_no"],
        "input_channel": input_channel,
        "metadata": metadata,
        "parse_data": {"intent": {"name": "inform", "confidence": 1.0}, "entities": []},
    }
    tracker = {
        "sender_id": sender,
        "slots": slots,
        "events": [user],
        "paused": False,
        "followup_action": None,
        "active_loop": {},
        "latest_action_name": "action_listen",
        "latest_message": {
            "text": user["text"],
            "intent": user["parse_data"]["intent"],
            "entities": [],
            "metadata": metadata,
        },
    }
    url = f"http://127.0.0.1:{stack.env['SATHI_ACTIONS_PORT']}/webhook"
    headers = {}
    if token is not None:
        headers["X-Sathi-Action-Token"] = (
            stack.secret("action_token") if token == "stack" else token
        )
    answer = requests.post(
        url,
        json={
            "next_action": "action_deliver_trade_noc",
            "sender_id": sender,
            "tracker": tracker,
            "domain": {},
            "version": "3.6.21",
        },
        headers=headers,
        timeout=30,
    )
    if token != "stack":
        return {"status": answer.status_code, "body": answer.text}
    answer.raise_for_status()
    return answer.json()


def test_the_action_server_refuses_calls_without_the_shared_token(production):
    """Anyone who can reach the action server's port gets nothing without the token that
    endpoints.yml gives the rasa server, even with a perfectly proven tracker."""
    from sathi.trust import proof_for

    stack = production.stack
    noc = next(n for n in stack.demo_ids["trade_nocs"] if n["status"] == "approved")
    slots = {"trade_noc_no": noc["application_no"], "language": "en"}
    real = {"sathi_channel": "whatsapp", "sathi_message_id": "wamid.REAL2"}
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SATHI_CHANNEL_SECRET", stack.secret("channel_secret"))
        real["sathi_proof"] = proof_for("whatsapp", noc["mobile"], "wamid.REAL2")
    for token in (None, "", "wrong-token", stack.secret("action_token")[:-1]):
        refused = _action_call(stack, noc["mobile"], real, "whatsapp", slots, token=token)
        assert refused["status"] == 401, refused
        assert (
            "utter_document" not in refused["body"] and noc["application_no"] not in refused["body"]
        )
    health = requests.get(f"http://127.0.0.1:{stack.env['SATHI_ACTIONS_PORT']}/health", timeout=10)
    assert health.status_code == 200


def test_forged_sathi_proof_does_not_make_the_bot_trust_a_number(production):
    from sathi.trust import proof_for

    stack = production.stack
    noc = next(n for n in stack.demo_ids["trade_nocs"] if n["status"] == "approved")
    slots = {"trade_noc_no": noc["application_no"], "language": "en"}
    forged = {
        "sathi_channel": "whatsapp",
        "sathi_message_id": "wamid.FORGED1",
        "sathi_proof": secrets.token_hex(32),
    }
    for metadata, channel in (
        (forged, "rest"),
        (forged, "whatsapp"),
        ({}, "rest"),
        ({}, "cmdline"),
    ):
        refused = _action_call(stack, noc["mobile"], metadata, channel, slots)
        assert [r.get("response") for r in refused["responses"]] == [
            "utter_need_registered_number"
        ], (channel, refused["responses"])
    # the control: the proof our WhatsApp connector makes with the channel secret is trusted
    real = {"sathi_channel": "whatsapp", "sathi_message_id": "wamid.REAL1"}
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SATHI_CHANNEL_SECRET", stack.secret("channel_secret"))
        real["sathi_proof"] = proof_for("whatsapp", noc["mobile"], "wamid.REAL1")
    trusted = _action_call(stack, noc["mobile"], real, "whatsapp", slots)
    assert [r.get("response") for r in trusted["responses"]] == [
        "utter_document",
        "utter_ask_feedback",
    ], trusted["responses"]


def test_the_scale_load_proves_a_rest_number_with_the_code_the_portal_sent(production):
    """`make bench-scale`'s REST users are not trusted in this profile: they give the number
    and the one-time code, which the load generator reads from the portal's outbox table
    (tools/scale/load.py). That code is the one the portal accepts."""
    from portal_client import PortalClient
    from tools.scale import load

    turns = load.rest_script("WB-CARD")
    assert turns[:7] == [
        "/restart",
        "hi",
        '/set_language{"language":"bn"}',
        "amar kaj koto din holo",
        load.NUMBER,
        load.CODE,
        "WB-CARD",
    ]
    assert [t for t in turns if t not in (load.NUMBER, load.CODE)][1:] == load.script("WB-CARD")
    mobile = "919800000777"
    portal_db = production.databases["portal"]
    assert load.latest_code(portal_db, mobile) == ""
    stack = production.stack
    client = PortalClient.from_env({**stack.env, "SATHI_PORTAL_URL": stack.portal_url})
    challenge = client.send_otp(mobile, "identity")
    code = load.latest_code(portal_db, mobile)
    assert len(code) == 6 and code.isdigit()
    assert client.verify_otp(challenge.otp_id, code).verified
