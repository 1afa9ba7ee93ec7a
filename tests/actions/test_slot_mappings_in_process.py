"""The in-process slot mappings (channels/slot_mappings_in_process.py) give Rasa the same
events as the remote call to the action server did: same tracker state, same domain, same
conversion of the answer. The remote path is reproduced here without the HTTP hop: Rasa's
own request body (`RemoteAction._action_call_format` on its `from_events` copy), the action
server's executor, and Rasa's own conversion of the answer."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from rasa.core.actions.action import ActionExtractSlots, RemoteAction
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    SessionStarted,
    SlotSet,
    UserUttered,
    deserialise_events,
)
from rasa.shared.core.trackers import DialogueStateTracker
from rasa_sdk.executor import ActionExecutor

from bot_store import db
from channels import slot_mappings_in_process as in_process

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def domain():
    return Domain.load(str(ROOT / "domain"))


def conversation(domain, text: str, intent: str, slots: dict | None = None) -> DialogueStateTracker:
    events = [
        ActionExecuted("action_session_start"),
        SessionStarted(),
        ActionExecuted("action_listen"),
    ]
    events += [SlotSet(k, v) for k, v in (slots or {}).items()]
    events.append(user_says(text, intent))
    return DialogueStateTracker.from_events("919800000001", events, slots=domain.slots)


def user_says(text: str, intent: str, **kwargs) -> UserUttered:
    """A user message as the NLU left it: intent and parse data at confidence 0.9."""
    return UserUttered(
        text,
        intent={"name": intent, "confidence": 0.9},
        parse_data={
            "intent": {"name": intent, "confidence": 0.9},
            "entities": [],
            "text": text,
        },
        **kwargs,
    )


async def remote_way(domain, tracker, slot_events):
    copy = DialogueStateTracker.from_events(
        tracker.sender_id, tracker.events_after_latest_restart() + slot_events, slots=domain.slots
    )
    action = RemoteAction("action_validate_slot_mappings", None)
    body = action._action_call_format(copy, domain)
    executor = ActionExecutor()
    executor.register_package("actions.slot_mappings")
    answer = await executor.run(body)
    nlg = TemplatedNaturalLanguageGenerator(domain.responses)
    uttered = await RemoteAction._utter_responses(
        answer["responses"], CollectingOutputChannel(), nlg, copy
    )
    return list(uttered) + deserialise_events(answer["events"])


async def in_process_way(domain, tracker, slot_events):
    nlg = TemplatedNaturalLanguageGenerator(domain.responses)
    action = ActionExtractSlots(None)
    return await in_process._execute_validation_action(
        action, slot_events, CollectingOutputChannel(), nlg, tracker, domain
    )


def fresh_store(tmp_path, monkeypatch, name: str) -> None:
    monkeypatch.setenv("SATHI_BOT_STORE_URL", f"sqlite:///{tmp_path}/{name}.db")
    db.reset_for_tests()


@pytest.mark.parametrize(
    "text,intent,slots",
    [
        ("how many days of work did I get", "work_status", None),  # first contact: notice + en
        ("amar majuri kobe dhukbe", "wage_status", None),  # first contact, romanized
        ("asdf qwer", "nlu_fallback", {"language": "en", "misses": 1}),
        ("english please", "set_language", {"language": "bn"}),
        ("thank you", "thank", {"language": "bn"}),
    ],
)
def test_same_events_as_the_action_server(domain, tmp_path, monkeypatch, text, intent, slots):
    tracker = conversation(domain, text, intent, slots)
    fresh_store(tmp_path, monkeypatch, "remote")
    expected = asyncio.run(remote_way(domain, tracker, []))
    fresh_store(tmp_path, monkeypatch, "local")
    got = asyncio.run(in_process_way(domain, tracker, []))
    assert [e.as_dict() | {"timestamp": 0} for e in got] == [
        e.as_dict() | {"timestamp": 0} for e in expected
    ]
    assert got, "every case here fills at least one slot or says something"
    if slots is None:  # first contact: the privacy notice is said, in the language just set
        assert got[0].type_name == "bot" and any(getattr(e, "key", None) == "language" for e in got)


def test_a_failing_action_fills_no_custom_slot_and_the_turn_goes_on(domain, monkeypatch):
    async def broken(*_):
        raise RuntimeError("bot store down")

    monkeypatch.setattr(in_process, "run_action", broken)
    tracker = conversation(domain, "hello", "greet")
    extracted = [SlotSet("month", "11")]
    got = asyncio.run(in_process_way(domain, tracker, extracted))
    assert [e.as_dict() for e in got] == [e.as_dict() for e in extracted]


def test_can_be_switched_off(monkeypatch):
    monkeypatch.setenv("SATHI_SLOT_MAPPINGS_IN_PROCESS", "0")
    assert not in_process.enabled()
    monkeypatch.setenv("SATHI_SLOT_MAPPINGS_IN_PROCESS", "1")
    assert in_process.enabled()


def test_remote_answers_are_checked_as_before():
    """channels/action_client.py: one compiled validator, same verdicts as jsonschema.validate."""
    from jsonschema import ValidationError

    from channels import action_client

    action = RemoteAction("action_x", None)
    good = {
        "events": [{"event": "slot", "name": "language", "value": "bn"}],
        "responses": [{"text": "hi"}],
    }
    bad = {"events": [{"event": 3}], "responses": "nope"}
    assert action_client._validate_action_result(action, good)
    with pytest.raises(ValidationError):
        action_client._validate_action_result(action, bad)
    with pytest.raises(ValidationError):
        action_client._original_validate(action, bad)


def test_an_endpoint_keeps_one_session_per_loop():
    from rasa.utils.endpoints import EndpointConfig

    from channels import action_client

    endpoint = EndpointConfig("http://127.0.0.1:9/webhook")

    async def twice():
        async with action_client._shared_session(endpoint) as first:
            pass
        async with action_client._shared_session(endpoint) as second:
            pass
        assert not first.closed
        await first.close()
        return first, second

    first, second = asyncio.run(twice())
    assert first is second


def long_conversation(domain, final_text: str, final_intent: str) -> DialogueStateTracker:
    """Earlier turns (with slots, a form, bot messages, a restart long ago) before the final
    user message: the in-process call sends only the final turn's events."""
    from rasa.shared.core.events import ActiveLoop, BotUttered, Restarted

    events = [
        ActionExecuted("action_session_start"),
        SessionStarted(),
        ActionExecuted("action_listen"),
        UserUttered("hi", intent={"name": "greet", "confidence": 0.9}),
        ActionExecuted("utter_greet"),
        BotUttered("নমস্কার"),
        ActionExecuted("action_listen"),
        UserUttered("/restart", intent={"name": "restart", "confidence": 1.0}),
        Restarted(),
        ActionExecuted("action_listen"),
    ]
    for turn in range(25):
        events += [
            user_says(
                f"amar kaj koto din {turn}",
                "work_status",
                input_channel="whatsapp" if turn % 2 else "rest",
            ),
            SlotSet("language", "bn" if turn % 3 else "en"),
            SlotSet("misses", turn % 2),
            ActionExecuted("karmashree_status_form"),
            ActiveLoop("karmashree_status_form" if turn % 4 else None),
            BotUttered(f"উত্তর {turn}"),
            ActionExecuted("action_listen"),
        ]
    events.append(user_says(final_text, final_intent, input_channel="rest"))
    return DialogueStateTracker.from_events("919800000001", events, slots=domain.slots)


@pytest.mark.parametrize(
    "text,intent,slot_events",
    [
        ("english please", "set_language", []),
        ("asdf qwer", "nlu_fallback", []),
        ("thank you", "thank", [SlotSet("language", "en")]),
        ("হ্যাঁ", "affirm", [SlotSet("answer", "yes"), SlotSet("misses", 0)]),
    ],
)
def test_same_events_as_the_action_server_after_a_long_conversation(
    domain, tmp_path, monkeypatch, text, intent, slot_events
):
    tracker = long_conversation(domain, text, intent)
    assert len(in_process.turn_events(tracker)) == 1  # the final user message
    assert len(tracker.events) > 150
    fresh_store(tmp_path, monkeypatch, "remote")
    expected = asyncio.run(remote_way(domain, tracker, list(slot_events)))
    fresh_store(tmp_path, monkeypatch, "local")
    got = asyncio.run(in_process_way(domain, tracker, list(slot_events)))
    assert [e.as_dict() | {"timestamp": 0} for e in got] == [
        e.as_dict() | {"timestamp": 0} for e in expected
    ]


def test_turn_events_stop_at_the_latest_user_message_or_restart():
    from rasa.shared.core.events import Restarted

    user = UserUttered("hi", intent={"name": "greet", "confidence": 1.0})
    after = [SlotSet("language", "bn"), ActionExecuted("action_extract_slots")]
    tracker = DialogueStateTracker.from_events(
        "s", [ActionExecuted("action_listen"), UserUttered("x"), user, *after]
    )
    assert in_process.turn_events(tracker) == [user, *after]
    restarted = DialogueStateTracker.from_events("s", [UserUttered("x"), Restarted(), *after])
    assert in_process.turn_events(restarted) == after


def test_store_calls_leave_the_loop_and_a_turn_without_one_makes_no_hop(
    domain, tmp_path, monkeypatch
):
    """The action runs on the event loop; its store reads and writes (first contact: the
    language and the privacy notice) run in a worker thread, never on the loop's thread; a
    turn of a conversation that has both already makes no hop at all."""
    import threading

    from bot_store import preferences

    fresh_store(tmp_path, monkeypatch, "hops")
    store_threads: list[str] = []
    for name in ("get", "save", "claim_privacy_notice"):
        real = getattr(preferences, name)

        def spy(*args, _real=real, **kwargs):
            store_threads.append(threading.current_thread().name)
            return _real(*args, **kwargs)

        monkeypatch.setattr(preferences, name, spy)
    hops: list[object] = []
    real_to_thread = asyncio.to_thread

    async def counting_to_thread(fn, *args, **kwargs):
        hops.append(fn)
        return await real_to_thread(fn, *args, **kwargs)

    monkeypatch.setattr(asyncio, "to_thread", counting_to_thread)

    first = conversation(domain, "amar majuri kobe dhukbe", "wage_status")
    got = asyncio.run(in_process_way(domain, first, []))
    assert any(getattr(e, "key", None) == "language" for e in got)
    assert store_threads and threading.main_thread().name not in store_threads
    # hops for the store calls only (the notice's check and its claim share one), none for
    # the whole action
    assert 0 < len(hops) <= len(store_threads)
    assert not {getattr(f, "__name__", "") for f in hops} & {"run_action", "run_action_here"}

    hops.clear(), store_threads.clear()
    later = conversation(
        domain, "thank you", "thank", {"language": "bn", "privacy_notice_shown": True}
    )
    asyncio.run(in_process_way(domain, later, []))
    assert hops == [] and store_threads == []
