"""PatternEntityExtractor: entities from the regexes and lookup tables of the training data.

Generic (no entity names in code): a `regex:` or `lookup:` whose name is an entity of the
training data extracts that entity. Compared with Rasa's RegexEntityExtractor it
- matches lookup entries with script-aware boundaries (`\\b` fails inside Bengali words,
  whose vowel signs are not `\\w`), and lets a Bengali case ending follow a name
  ("বাঁকুড়ার", "বিষ্ণুপুরে") while the entity value stays the bare name;
- resolves overlaps: the longest match wins (a job card beats the mobile-like digits in it),
  and, with `override_learned: true`, an entity from another extractor (CRF, DIET) that
  overlaps a pattern match is dropped, so the deterministic shape wins.
Run it after the learned extractors and before EntitySynonymMapper.
"""

from __future__ import annotations

import re
from typing import Any

import rasa.shared.utils.io
from rasa.engine.graph import GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

NAME = "PatternEntityExtractor"
_LEFT = r"(?<![0-9A-Za-z\u0980-\u09ff])"
_RIGHT_LATIN = r"(?![0-9A-Za-z\u0980-\u09ff])"
# Bengali inflections that may follow a name: -এর/-ের/-র (of), -এ/-ে/-য়/-তে (in), -কে, -থেকে
_BN_ENDINGS = "(?:ের|এর|র|য়ের|য়|এ|ে|তে|কে|ও|ই)?"
_RIGHT_BENGALI = _BN_ENDINGS + r"(?![0-9A-Za-z\u0980-\u09ff])"


def _lookup_pattern(elements: list[str]) -> str | None:
    elements = sorted({e.strip() for e in elements if e and e.strip()}, key=len, reverse=True)
    if not elements:
        return None
    latin = [re.escape(e) for e in elements if not re.search("[\u0980-\u09ff]$", e)]
    bengali = [re.escape(e) for e in elements if re.search("[\u0980-\u09ff]$", e)]
    parts = []
    if latin:
        parts.append(f"{_LEFT}(?:{'|'.join(latin)}){_RIGHT_LATIN}")
    if bengali:
        parts.append(f"{_LEFT}(?:{'|'.join(bengali)})(?={_RIGHT_BENGALI})")
    return "|".join(parts)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=True)
class PatternEntityExtractor(GraphComponent, EntityExtractorMixin):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            "case_sensitive": False,
            "override_learned": True,
            "use_regexes": True,
            "use_lookup_tables": True,
        }

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        patterns: list[dict[str, str]] | None = None,
    ) -> None:
        self._config = {**self.get_default_config(), **config}
        self._storage = model_storage
        self._resource = resource
        self.patterns = patterns or []
        self._compiled: list[tuple] = []
        self._compile()

    @classmethod
    def create(cls, config, model_storage, resource, execution_context):
        return cls(config, model_storage, resource)

    def _compile(self) -> None:
        flags = 0 if self._config["case_sensitive"] else re.IGNORECASE
        self._compiled = []
        for pattern in self.patterns:
            try:
                self._compiled.append((pattern["name"], re.compile(pattern["pattern"], flags)))
            except re.error as error:
                rasa.shared.utils.io.raise_warning(
                    f"{NAME}: skipping invalid pattern for '{pattern['name']}': {error}"
                )

    def train(self, training_data: TrainingData) -> Resource:
        entities = training_data.entities
        patterns: list[dict[str, str]] = []
        if self._config["use_regexes"]:
            for regex in training_data.regex_features:
                if regex["name"] in entities:
                    patterns.append({"name": regex["name"], "pattern": regex["pattern"]})
        if self._config["use_lookup_tables"]:
            for table in training_data.lookup_tables:
                if table["name"] in entities and isinstance(table["elements"], list):
                    pattern = _lookup_pattern(table["elements"])
                    if pattern:
                        patterns.append({"name": table["name"], "pattern": pattern})
        self.patterns = patterns
        self._compile()
        with self._storage.write_to(self._resource) as directory:
            rasa.shared.utils.io.dump_obj_as_json_to_file(directory / "patterns.json", patterns)
        return self._resource

    @classmethod
    def load(cls, config, model_storage, resource, execution_context, **kwargs):
        try:
            with model_storage.read_from(resource) as directory:
                patterns = rasa.shared.utils.io.read_json_file(directory / "patterns.json")
        except (ValueError, FileNotFoundError):
            patterns = []
        return cls(config, model_storage, resource, patterns)

    def extract(self, text: str) -> list[dict[str, Any]]:
        """Non-overlapping matches, longest first (ties: earlier pattern order)."""
        if not text:
            return []
        candidates = []
        for order, (name, regex) in enumerate(self._compiled):
            for match in regex.finditer(text):
                if match.end() > match.start():
                    candidates.append((match.start(), match.end(), order, name))
        candidates.sort(key=lambda c: (-(c[1] - c[0]), c[2], c[0]))
        chosen: list[tuple] = []
        for start, end, order, name in candidates:
            clash = [c for c in chosen if start < c[1] and c[0] < end]
            if not clash:
                chosen.append((start, end, order, name))
            elif all(c[0] == start and c[1] == end and c[3] != name for c in clash):
                chosen.append((start, end, order, name))  # same span, another entity type
        chosen.sort()
        return [
            {
                "entity": name,
                "start": start,
                "end": end,
                "value": text[start:end],
                "confidence_entity": 1.0,
                "extractor": NAME,
            }
            for start, end, _, name in chosen
        ]

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT)
            if not isinstance(text, str):
                continue
            found = self.extract(text)
            if not found:
                continue
            existing = message.get(ENTITIES, []) or []
            if self._config["override_learned"]:
                existing = [
                    e
                    for e in existing
                    if not any(
                        e.get("start", -1) < f["end"] and f["start"] < e.get("end", -1)
                        for f in found
                    )
                ]
            message.set(ENTITIES, existing + found, add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
