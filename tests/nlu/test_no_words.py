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


def _function_words() -> list[str]:
    from pathlib import Path

    import yaml

    config = yaml.safe_load((Path(__file__).resolve().parents[2] / "config.yml").read_text())
    (step,) = [s for s in config["pipeline"] if s["name"].endswith("NoWordsFallback")]
    return step["function_words"]


def test_config_lists_function_words_as_strings():
    words = _function_words()
    assert len(words) > 50 and all(isinstance(w, str) and w for w in words)
    for meaningful in ("no", "ok", "yes", "stop", "help", "ki", "na", "হ্যাঁ", "না", "কি"):
        assert meaningful not in words  # an answer or a question on its own


@pytest.mark.parametrize(
    "text", ["the", "The?", "is it", "amar", "আমার", "এই টা", "AMI", "of the...", "তো!"]
)
def test_function_words_alone_say_nothing(text):
    component = NoWordsFallback({"function_words": _function_words()})
    message = Message(
        data={"text": text, "intent": {"name": "unsubscribe_updates", "confidence": 0.75}}
    )
    component.process([message])
    assert message.get("intent") == {"name": "nlu_fallback", "confidence": 1.0}


@pytest.mark.parametrize(
    "text", ["the job card", "amar kaj", "আমার মজুরি", "no", "ok", "ki", "stop", "is it paid"]
)
def test_a_message_with_any_other_word_is_left_to_the_classifier(text):
    component = NoWordsFallback({"function_words": _function_words()})
    assert not says_nothing(text, component.function_words)


def test_without_a_list_only_punctuation_says_nothing():
    assert not says_nothing("the")
    assert says_nothing("...", frozenset({"the"}))


def test_no_training_or_held_out_example_is_only_function_words():
    """Such an example could never be recognised: the list would contradict the data."""
    from pathlib import Path

    from rasa.shared.nlu.training_data.loading import load_data

    from sathi.text import normalize

    root = Path(__file__).resolve().parents[2]
    words = frozenset(w.casefold() for w in _function_words())
    paths = [root / "data" / "nlu", *sorted((root / "eval").glob("heldout*/*.yml"))]
    for path in paths:
        for example in load_data(str(path)).intent_examples:
            text = normalize(example.get("text"))
            assert not says_nothing(text, words), (str(path), text)
