"""channels/action_client.py: the domain the action server is sent, made once, without the
responses it never reads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from actions.privacy import NOTICE_RESPONSE, notice_text
from channels import action_client

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def domain():
    return Domain.load(str(ROOT / "domain"))


def _body(domain, action_name: str) -> dict:
    tracker = DialogueStateTracker.from_events(
        "919800000001",
        [ActionExecuted("action_session_start"), SessionStarted()],
        slots=domain.slots,
    )
    action = RemoteAction(action_name, EndpointConfig("http://127.0.0.1:9/webhook"))
    return action._action_call_format(tracker, domain)


def test_the_action_server_gets_the_domain_without_the_responses_it_does_not_read(domain):
    action_client.install()
    body = _body(domain, "validate_wage_status_form")
    whole = domain.as_dict()
    sent = body["domain"]
    assert set(sent["responses"]) == {NOTICE_RESPONSE}
    assert {k: v for k, v in sent.items() if k != "responses"} == {
        k: v for k, v in whole.items() if k != "responses"
    }
    assert notice_text(sent, "bn") and notice_text(sent, "en")
    assert len(json.dumps(sent)) < len(json.dumps(whole)) / 10
    assert body["tracker"]["sender_id"] == "919800000001"
    assert _body(domain, "action_x")["domain"] is sent, "built once per domain"


def test_rasas_own_body_when_uninstalled(domain):
    action_client.uninstall()
    try:
        assert _body(domain, "validate_wage_status_form")["domain"] == domain.as_dict()
    finally:
        action_client.install()


def test_only_the_privacy_notice_is_read_from_the_domains_responses():
    """A module of actions/ that starts reading the domain's responses must name what it reads
    in RESPONSES_READ_BY_ACTIONS: the action server is sent only those."""
    readers = sorted(
        path.name for path in (ROOT / "actions").glob("*.py") if '"responses"' in path.read_text()
    )
    assert readers == ["privacy.py"]
    assert action_client.RESPONSES_READ_BY_ACTIONS == (NOTICE_RESPONSE,)


def test_request_bodies_are_encoded_fast_and_read_back_the_same(domain, monkeypatch):
    import asyncio
    import math

    from rasa.shared.core.events import UserUttered

    action_client.install()
    tracker = DialogueStateTracker.from_events(
        "919800000001",
        [
            ActionExecuted("action_session_start"),
            SessionStarted(),
            UserUttered(
                "আমার কাজ / majuri কবে?",
                intent={"name": "wage_status", "confidence": 0.1234567890123},
            ),
        ],
        slots=domain.slots,
    )
    action = RemoteAction("validate_wage_status_form", EndpointConfig("http://127.0.0.1:9/x"))
    body = action._action_call_format(tracker, domain)

    async def serializer():
        async with EndpointConfig("http://127.0.0.1:9/x").session() as session:
            return session._json_serialize  # what aiohttp encodes `json=` bodies with

    encode = asyncio.run(serializer())
    assert encode is action_client.json_dumps
    assert json.loads(encode(body)) == json.loads(json.dumps(body))
    assert math.isnan(json.loads(encode({"x": math.nan}))["x"]), "NaN as the json module writes it"

    def refuses(value):
        raise OverflowError("too big")

    monkeypatch.setattr(action_client.ujson, "dumps", refuses)
    assert encode(body) == json.dumps(body), "the json module takes over what ujson refuses"
