"""`rasa shell` stays usable after a reply with buttons: for the `cmdline` channel the NLG
prints the buttons as numbered text (Rasa's console then has no questionary menu to capture the
next line), and a typed number becomes that button's payload in the first NLU component."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from channels.document_nlg import DocumentAwareNLG
from sathi import shell_choices
from sathi_nlu.normalizer import TextNormalizer

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def nlg():
    return DocumentAwareNLG(domain=Domain.load(str(ROOT / "domain")))


def tracker(channel: str, language: str = "bn") -> DialogueStateTracker:
    return DialogueStateTracker.from_events(
        "919800000001",
        [SlotSet("language", language), UserUttered("কাজের হিসাব", input_channel=channel)],
    )


def test_shell_gets_numbered_choices_and_a_number_taps_the_button(nlg):
    reply = asyncio.run(nlg.generate("utter_ask_feedback", tracker("cmdline"), "queue"))
    assert "buttons" not in reply
    assert "1. 👍 হ্যাঁ" in reply["text"] and "2. 👎 না" in reply["text"]
    typed = Message(data={TEXT: "2"})
    TextNormalizer().process([typed])
    assert typed.get(TEXT) == "/deny"
    again = Message(data={TEXT: "2"})  # the offer is used up: a later "2" is just "2"
    TextNormalizer().process([again])
    assert again.get(TEXT) == "2"


def test_free_text_after_buttons_goes_through_as_typed(nlg):
    asyncio.run(nlg.generate("utter_ask_feedback", tracker("cmdline", "en"), "queue"))
    typed = Message(data={TEXT: "amar majuri kobe"})
    TextNormalizer().process([typed])
    assert typed.get(TEXT) == "amar majuri kobe"


def test_other_channels_keep_real_buttons(nlg):
    shell_choices.take(None)  # nothing offered before
    reply = asyncio.run(nlg.generate("utter_ask_feedback", tracker("rest", "en"), "collector"))
    assert [b["payload"] for b in reply["buttons"]] == ["/affirm", "/deny"]
    typed = Message(data={TEXT: "1"})
    TextNormalizer().process([typed])
    assert typed.get(TEXT) == "1"


def test_button_payloads_with_entities_are_sent_as_written_without_an_error(nlg, monkeypatch):
    """An intent message's JSON entities in a payload are not slot placeholders: the payload
    goes out unchanged and nothing is logged as a missing slot (Rasa's interpolator did)."""
    from rasa.core.nlg import interpolator

    logged: list[str] = []

    class Recorder:
        def exception(self, event, **_):
            logged.append(event)

    monkeypatch.setattr(interpolator, "structlogger", Recorder())
    reply = asyncio.run(
        nlg.generate("utter_welcome_choose_language", tracker("rest", "en"), "collector")
    )
    days = asyncio.run(nlg.generate("utter_ask_demand_days", tracker("rest", "en"), "x"))
    assert [b["payload"] for b in reply["buttons"]] == [
        '/set_language{"language":"bn"}',
        '/set_language{"language":"en"}',
    ]
    assert [b["title"] for b in reply["buttons"]] == ["বাংলা", "English"]
    assert [b["payload"] for b in days["buttons"]] == [
        '/inform{"days":"7"}',
        '/inform{"days":"14"}',
    ]
    assert logged == []
    # Rasa's own path logs it: the check above can fail
    interpolator.interpolate(
        [{"title": "x", "payload": '/set_language{"language":"bn"}'}], {"language": "en"}
    )
    assert logged == ["interpolator.interpolate.text"]
