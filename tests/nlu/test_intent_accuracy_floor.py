"""config.yml's pipeline, trained on data/nlu, must stay above a sane accuracy floor on the
fixed noisy held-out set (eval/heldout_noisy, never trained on), the wild held-out set
(eval/heldout_wild), the held-out set (eval/heldout) and the blind sets of rounds 14 and 15
(eval/heldout_fresh, eval/heldout_fresh2, eval/heldout_fresh3) and round 16
(eval/heldout_fresh4). A floor, not the target: it catches
a broken classifier, featurizer or normalizer, or a threshold that sends good messages to
the fallback (which counts as a miss here). Uses the assistant's model (models/sathi.tar.gz,
which `make test` trains first) when it is newer than config.yml, data/ and sathi_nlu/;
otherwise trains the NLU once (~40 s of CPU)."""

from __future__ import annotations

import asyncio
import collections
from pathlib import Path

import pytest
from rasa.shared.nlu.training_data.loading import load_data

ROOT = Path(__file__).resolve().parents[2]
REGISTERS = ("bn", "en", "romanized", "mixed")
# Round 5 (docs/nlu-quality.md): 0.99 / 0.98 / 1.0 measured, fallback counted as a miss;
# the floors leave room for a few messages of noise, not for a broken component.
FLOOR_OVERALL = {"heldout_noisy": 0.93, "heldout_wild": 0.93, "heldout": 0.95}
# Round 14: two blind sets (0.975 each before round 14's data)
FLOOR_OVERALL |= {"heldout_fresh": 0.93, "heldout_fresh2": 0.93}
# Round 15: a third blind set (0.969 before round 15's data, Bengali script 0.944)
FLOOR_OVERALL |= {"heldout_fresh3": 0.93}
# Round 16: a fourth blind set (0.992 when it arrived)
FLOOR_OVERALL |= {"heldout_fresh4": 0.93}
FLOOR_REGISTER = 0.85


def _examples(name):
    rows = []
    for path in sorted((ROOT / "eval" / name).glob("*.yml")):
        rows += [
            (path.stem, m.get("text"), m.get("intent"))
            for m in load_data(str(path)).intent_examples
        ]
    return rows


def _fresh_assistant_model():
    model = ROOT / "models" / "sathi.tar.gz"
    if not model.exists():
        return None
    inputs = [
        ROOT / "config.yml",
        *(ROOT / "data").rglob("*.yml"),
        *(ROOT / "sathi_nlu").rglob("*.py"),
    ]
    newest = max(path.stat().st_mtime for path in inputs)
    return str(model) if model.stat().st_mtime > newest else None


@pytest.fixture(scope="module")
def parsed(tmp_path_factory):
    from rasa.core.agent import Agent

    model = _fresh_assistant_model()
    if model is None:
        from rasa.model_training import train_nlu

        work = tmp_path_factory.mktemp("nlu-floor")
        model = train_nlu(
            str(ROOT / "config.yml"),
            str(ROOT / "data" / "nlu"),
            str(work),
            fixed_model_name="floor",
        )
    agent = Agent.load(model)
    sets = {name: _examples(name) for name in FLOOR_OVERALL}

    async def run():
        out = {}
        for name, rows in sets.items():
            out[name] = []
            for register, text, intent in rows:
                parsed = await agent.parse_message(text)
                out[name].append((register, intent, parsed["intent"]["name"]))
        return out

    return asyncio.run(run())


@pytest.mark.parametrize("name", sorted(FLOOR_OVERALL))
def test_accuracy_floor(parsed, name):
    rows = parsed[name]
    assert len(rows) >= 60
    accuracy = sum(gold == got for _, gold, got in rows) / len(rows)
    per_register = collections.defaultdict(list)
    for register, gold, got in rows:
        per_register[register].append(gold == got)
    assert set(per_register) == set(REGISTERS)
    misses = [(r, g, p) for r, g, p in rows if g != p]
    assert accuracy >= FLOOR_OVERALL[name], (accuracy, misses)
    for register, hits in per_register.items():
        assert sum(hits) / len(hits) >= FLOOR_REGISTER, (register, misses)
