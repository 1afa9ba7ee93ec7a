"""TextNormalizer: a Rasa 3.6 graph component that rewrites the message text with
`sathi.text.normalize` (NFC, zero-width characters, danda, Bengali digits -> ASCII,
য়/ড়/ঢ় folding, whitespace) before the tokenizer sees it.

It is registered as a MESSAGE_TOKENIZER so the default recipe adds it as a process node in
pipeline order, at training (`process_training_data`) and at inference (`process`). Put it
first in the pipeline. It knows no intent or entity names: at training time it only moves
annotated entity spans so they still cover the same (normalized) text.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from sathi import shell_choices
from sathi.text import normalize


def _renormalize_entities(original: str, normalized: str, entities: list[dict[str, Any]]):
    """Entity spans of `original` mapped onto `normalized` (None if one cannot be placed)."""
    moved = []
    for entity in entities:
        start, end = entity.get("start"), entity.get("end")
        if start is None or end is None:
            moved.append(entity)
            continue
        old_value = original[start:end]
        new_value = normalize(old_value)
        if not new_value:
            continue
        guess = len(normalize(original[:start]))
        # the normalized prefix may have lost a trailing space: search around the guess
        position = normalized.find(new_value, max(0, guess - 2))
        if position < 0:
            position = normalized.find(new_value)
        if position < 0:
            return None
        updated = dict(entity)
        updated["start"], updated["end"] = position, position + len(new_value)
        if entity.get("value") == old_value:
            updated["value"] = new_value
        moved.append(updated)
    return moved


EMPTY_MESSAGE_PLACEHOLDER = "?"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER], is_trainable=False)
class TextNormalizer(GraphComponent):
    """Normalizes `message.text` in place (no configuration)."""

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
    ) -> TextNormalizer:
        return cls()

    @staticmethod
    def normalize_message(message: Message) -> None:
        text = message.get(TEXT)
        if not isinstance(text, str) or not text:
            return
        normalized = normalize(text)
        if normalized == text:
            return
        entities = message.get(ENTITIES)
        if entities:
            moved = _renormalize_entities(text, normalized, entities)
            if moved is None:  # cannot place an annotation: keep the example untouched
                return
            message.set(ENTITIES, moved, add_to_output=True)
        message.set(TEXT, normalized)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for example in training_data.training_examples:
            self.normalize_message(example)
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            chosen = shell_choices.take(message.get(TEXT))  # `rasa shell`: "2" taps button 2
            if chosen:
                message.set(TEXT, chosen)
            self.normalize_message(message)
            text = message.get(TEXT)
            if isinstance(text, str) and not text.strip():
                # An empty message leaves the featurizers without tokens and the classifier
                # with a feature matrix of the wrong width (Rasa 3.6 raises): give it a token.
                message.set(TEXT, EMPTY_MESSAGE_PLACEHOLDER)
        return messages

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        return None

    @staticmethod
    def required_packages() -> list[str]:
        return []

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> TextNormalizer:
        return cls()

    def __repr__(self) -> str | None:  # pragma: no cover
        return "TextNormalizer()"
