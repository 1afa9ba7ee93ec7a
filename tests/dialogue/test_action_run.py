"""channels/action_run.py: read-only actions run on the tracker itself, with the same result
as Rasa's `_run_action` on its copy; every other action still gets Rasa's copy."""

from __future__ import annotations

import asyncio

import pytest
from rasa.core.actions.action import ActionBotResponse, ActionListen, RemoteAction
from rasa.core.actions.forms import FormAction
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.core.policies.policy import PolicyPrediction
from rasa.core.processor import MessageProcessor
from rasa.shared.core.events import ActionExecuted, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from channels import action_run


def _tracker(domain) -> DialogueStateTracker:
    events = [ActionExecuted("action_session_start"), SessionStarted()]
    for i in range(30):
        events += [
            ActionExecuted("action_listen"),
            UserUttered(f"hello {i}", intent={"name": "greet", "confidence": 0.9}),
            SlotSet("language", "en"),
        ]
    return DialogueStateTracker.from_events("919800000001", events, slots=domain.slots)


def _processor(domain) -> MessageProcessor:
    processor = MessageProcessor.__new__(MessageProcessor)  # only what _run_action uses
    processor.domain = domain
    processor.action_endpoint = None
    return processor


def _run(domain, action, prediction, installed: bool, monkeypatch):
    copies = []
    real_copy = DialogueStateTracker.copy

    def counting_copy(self):
        copies.append(1)
        return real_copy(self)

    monkeypatch.setattr(DialogueStateTracker, "copy", counting_copy)
    run = action_run._run_action if installed else action_run._original
    tracker = _tracker(domain)
    channel = CollectingOutputChannel()
    nlg = TemplatedNaturalLanguageGenerator(domain.responses)
    again = asyncio.run(run(_processor(domain), action, tracker, channel, nlg, prediction))
    assert "copy" not in tracker.__dict__
    events = [{k: v for k, v in e.as_dict().items() if k != "timestamp"} for e in tracker.events]
    return again, events, channel.messages, len(copies)


def _utter(domain) -> str:
    return next(name for name in domain.responses if name.startswith("utter_"))


@pytest.mark.parametrize("kind", ["listen", "utter", "remote-unreachable"])
def test_read_only_actions_run_on_the_tracker_itself_with_the_same_result(
    kind, domain, monkeypatch
):
    action = {
        "listen": lambda: ActionListen(),
        "utter": lambda: ActionBotResponse(_utter(domain)),
        "remote-unreachable": lambda: RemoteAction(
            "action_no_such_thing", EndpointConfig("http://127.0.0.1:9/webhook")
        ),
    }[kind]()
    prediction = PolicyPrediction([1.0], "RulePolicy")
    ours = _run(domain, action, prediction, True, monkeypatch)
    rasas = _run(domain, action, prediction, False, monkeypatch)
    assert rasas[3] == 1 and ours[3] == 0
    assert ours[:3] == rasas[:3]
    if kind == "utter":
        assert ours[2], "the response was sent"


def test_actions_with_policy_events_or_other_types_get_rasas_copy(domain, monkeypatch):
    with_events = PolicyPrediction([1.0], "RulePolicy", events=[SlotSet("language", "bn")])
    ours = _run(domain, ActionListen(), with_events, True, monkeypatch)
    rasas = _run(domain, ActionListen(), with_events, False, monkeypatch)
    assert ours[3] == rasas[3] == 1
    assert ours[:3] == rasas[:3]
    form = FormAction(next(iter(domain.forms)), None)
    assert not action_run.runs_on_the_tracker_itself(form, PolicyPrediction([1.0], "x"))


def test_installed_by_the_assistants_nlg_and_undone():
    from channels.document_nlg import DocumentAwareNLG

    action_run.uninstall()
    try:
        DocumentAwareNLG()
        assert action_run.installed()
    finally:
        action_run.install()
