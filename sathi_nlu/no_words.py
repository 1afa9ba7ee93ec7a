"""A message with no letters and no digits — "", "???", "...", "।" — says nothing a classifier
can read, yet a linear classifier still gives its prior a fair confidence (Rasa 3.6's
LogisticRegressionClassifier put "???" on one intent at 0.46). Nor does a message made only of
function words ("the", "is it", "amar", "আমার"): the classifier put "the" on
unsubscribe_updates at 0.75, and the bot stopped that person's updates (docs/nlu-quality.md,
round 7). This component, placed after the intent classifiers, marks such messages as Rasa's
`nlu_fallback` so the bot says it did not understand. The function words are a list of the
languages' articles, pronouns, auxiliaries and particles in config.yml (`function_words`;
empty by default). Emoji are left to the classifier (a 👍 can mean yes). Generic: it knows no
intent of the assistant, only Rasa's own fallback intent name, and no word of its domain.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

INTENT_RANKING = "intent_ranking"


def says_nothing(text: str | None, function_words: frozenset[str] = frozenset()) -> bool:
    """True when the text has no letter, digit or symbol beyond punctuation and spaces, or
    when every word of it (case folded, punctuation at its ends stripped) is one of
    `function_words`."""
    for ch in text or "":
        category = unicodedata.category(ch)
        if category[0] in ("L", "N", "S"):  # letters, numbers, symbols (emoji are "So")
            break
    else:
        return True
    if not function_words:
        return False
    words = [_strip_punctuation(w).casefold() for w in (text or "").split()]
    words = [w for w in words if w]
    return bool(words) and all(w in function_words for w in words)


def _strip_punctuation(word: str) -> str:
    start, end = 0, len(word)
    while start < end and unicodedata.category(word[start])[0] == "P":
        start += 1
    while end > start and unicodedata.category(word[end - 1])[0] == "P":
        end -= 1
    return word[start:end]


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class NoWordsFallback(GraphComponent):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"function_words": []}

    def __init__(self, config: dict[str, Any] | None = None) -> None:
        words = (config or {}).get("function_words") or []
        self.function_words = frozenset(unicodedata.normalize("NFC", w).casefold() for w in words)

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> NoWordsFallback:
        return cls({**cls.get_default_config(), **config})

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            if not says_nothing(message.get(TEXT), self.function_words):
                continue
            fallback = {
                INTENT_NAME_KEY: DEFAULT_NLU_FALLBACK_INTENT_NAME,
                PREDICTED_CONFIDENCE_KEY: 1.0,
            }
            message.set(INTENT, fallback, add_to_output=True)
            ranking = [
                r
                for r in message.get(INTENT_RANKING) or []
                if r.get(INTENT_NAME_KEY) != DEFAULT_NLU_FALLBACK_INTENT_NAME
            ]
            message.set(INTENT_RANKING, [fallback] + ranking, add_to_output=True)
        return messages
