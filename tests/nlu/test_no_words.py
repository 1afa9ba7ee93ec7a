import pytest
from rasa.shared.nlu.training_data.message import Message

from sathi_nlu.no_words import NoWordsFallback, says_nothing
from sathi_nlu.normalizer import EMPTY_MESSAGE_PLACEHOLDER, TextNormalizer


@pytest.mark.parametrize("text", ["", "   ", "???", "...", "।", "!?", "\u200c"])
def test_punctuation_and_nothing_say_nothing(text):
    assert says_nothing(text)


@pytest.mark.parametrize("text", ["hi", "৫", "7", "👍", "কাজ", "₹"])
def test_words_digits_and_emoji_say_something(text):
    assert not says_nothing(text)


def test_a_message_that_says_nothing_becomes_nlu_fallback():
    message = Message(
        data={
            "text": "???",
            "intent": {"name": "affirm", "confidence": 0.46},
            "intent_ranking": [{"name": "affirm", "confidence": 0.46}],
        }
    )
    NoWordsFallback().process([message])
    assert message.get("intent") == {"name": "nlu_fallback", "confidence": 1.0}
    assert message.get("intent_ranking")[0]["name"] == "nlu_fallback"


def test_other_messages_are_left_alone():
    message = Message(
        data={"text": "kaj chai", "intent": {"name": "demand_work", "confidence": 0.9}}
    )
    NoWordsFallback().process([message])
    assert message.get("intent")["name"] == "demand_work"


def test_empty_text_gets_a_token_at_inference_only():
    message = Message(data={"text": "  "})
    TextNormalizer().process([message])
    assert message.get("text") == EMPTY_MESSAGE_PLACEHOLDER
