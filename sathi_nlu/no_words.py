"""A message with no letters and no digits — "", "???", "...", "।" — says nothing a classifier
can read, yet a linear classifier still gives its prior a fair confidence (Rasa 3.6's
LogisticRegressionClassifier put "???" on one intent at 0.46). This component, placed after
the intent classifiers, marks such messages as Rasa's `nlu_fallback` so the bot says it did not
understand. Emoji are left to the classifier (a 👍 can mean yes). Generic: it knows no intent
of the assistant, only Rasa's own fallback intent name.
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


def says_nothing(text: str | None) -> bool:
    """True when the text has no letter, digit or symbol beyond punctuation and spaces."""
    for ch in text or "":
        category = unicodedata.category(ch)
        if category[0] in ("L", "N", "S"):  # letters, numbers, symbols (emoji are "So")
            return False
    return True


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class NoWordsFallback(GraphComponent):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> NoWordsFallback:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            if not says_nothing(message.get(TEXT)):
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
