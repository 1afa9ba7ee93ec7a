"""NLU training data: every domain intent in every register, no cross-intent duplicates,
held-out set disjoint from training, entities known to the domain."""

import collections
from pathlib import Path

import pytest
from rasa.shared.nlu.training_data.loading import load_data

from sathi.text import normalize
from tests.support.domain import load_domain

ROOT = Path(__file__).parents[2]
REGISTERS = ("bn", "en", "romanized", "mixed")


def _rows(paths):
    for path in paths:
        for message in load_data(str(path)).intent_examples:
            yield (
                path.stem,
                message.get("intent"),
                message.get("text"),
                message.get("entities") or [],
            )


@pytest.fixture(scope="module")
def training():
    return list(_rows(sorted((ROOT / "data" / "nlu").rglob("*.yml"))))


@pytest.fixture(scope="module")
def domain():
    return load_domain()


def test_files_are_named_by_register():
    for path in (ROOT / "data" / "nlu").rglob("*.yml"):
        if path.parent.name != "lookups":
            assert path.stem in REGISTERS, path


def test_every_intent_in_every_register(training, domain):
    seen = collections.Counter((intent, register) for register, intent, _, _ in training)
    # EXTERNAL_* intents are triggered by the bot itself (external events), never typed.
    typed_intents = [i for i in domain["intents"] if not str(i).startswith("EXTERNAL_")]
    missing = [(i, r) for i in typed_intents for r in REGISTERS if seen[(i, r)] < 5]
    assert not missing


def test_no_intent_outside_the_domain(training, domain):
    assert {intent for _, intent, _, _ in training} <= set(domain["intents"])


def test_entities_are_domain_entities(training, domain):
    used = {e["entity"] for _, _, _, entities in training for e in entities}
    assert used <= set(domain["entities"])


def test_no_duplicate_example_across_intents(training):
    owners = collections.defaultdict(set)
    for _, intent, text, _ in training:
        owners[normalize(text).lower()].add(intent)
    assert not {t: i for t, i in owners.items() if len(i) > 1}


def test_heldout_is_not_training_data(training):
    heldout = list(_rows(sorted((ROOT / "eval" / "heldout").glob("*.yml"))))
    assert len(heldout) >= 4 * 30
    for register in REGISTERS:
        assert sum(r == register for r, *_ in heldout) >= 30
    train_keys = {normalize(text).lower() for _, _, text, _ in training}
    overlap = [t for _, _, t, _ in heldout if normalize(t).lower() in train_keys]
    assert len(overlap) <= 2, overlap


def test_language_entity_values_are_normalized(training):
    values = {
        e.get("value")
        for _, _, _, entities in training
        for e in entities
        if e["entity"] == "language"
    }
    assert values <= {"bn", "en"}


def test_wild_heldout_covers_every_intent_in_every_register(training, domain):
    """eval/heldout_wild: ≥ 40 messages per register that are NOT training examples (short
    messages everyone writes, like "kaj chai", may also be in the training data: those are
    dropped by tools/nlu_eval.py and do not count here), every typed intent present."""
    wild = list(_rows(sorted((ROOT / "eval" / "heldout_wild").glob("*.yml"))))
    train_keys = {normalize(text).lower() for _, _, text, _ in training}
    unseen = [(r, i) for r, i, t, _ in wild if normalize(t).lower() not in train_keys]
    for register in REGISTERS:
        assert sum(r == register for r, _ in unseen) >= 40, register
    typed_intents = {i for i in domain["intents"] if not str(i).startswith("EXTERNAL_")}
    assert {i for _, i, _, _ in wild} == typed_intents
    assert {i for _, i, _, _ in wild} <= set(domain["intents"])
