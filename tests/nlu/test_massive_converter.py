"""tools/massive_to_rasa.py: MASSIVE jsonl -> valid Rasa NLU data, written under var/ only."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rasa.shared.nlu.training_data.loading import load_data

from tools import massive_to_rasa

ROOT = Path(__file__).resolve().parents[2]

SAMPLE = [  # MASSIVE's record shape; texts written for this test
    {
        "id": "1",
        "locale": "bn-BD",
        "partition": "train",
        "scenario": "alarm",
        "intent": "alarm_set",
        "utt": "কাল সকাল ছটায় অ্যালার্ম দাও",
        "annot_utt": "[date : কাল] [time : সকাল ছটায়] অ্যালার্ম দাও",
    },
    {
        "id": "2",
        "locale": "bn-BD",
        "partition": "train",
        "scenario": "alarm",
        "intent": "alarm_set",
        "utt": "কাল সকাল ছটায় অ্যালার্ম দাও",
        "annot_utt": "",
    },
    {
        "id": "3",
        "locale": "bn-BD",
        "partition": "train",
        "scenario": "weather",
        "intent": "weather_query",
        "utt": "আজ কি [বৃষ্টি] হবে (কলকাতায়)",
        "annot_utt": "",
    },
    {
        "id": "4",
        "locale": "bn-BD",
        "partition": "train",
        "scenario": "weather",
        "intent": "weather_query",
        "utt": "- কেমন গরম পড়বে: আজ",
        "annot_utt": "",
    },
    {
        "id": "5",
        "locale": "bn-BD",
        "partition": "train",
        "scenario": "qa",
        "intent": "qa_factoid",
        "utt": "   ",
        "annot_utt": "",
    },
]


@pytest.fixture()
def sample(tmp_path):
    path = tmp_path / "bn-BD.train.jsonl"
    path.write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in SAMPLE) + "\n\n", encoding="utf-8"
    )
    return path


def _data_nlu_listing():
    return sorted((p, p.stat().st_mtime_ns) for p in (ROOT / "data").rglob("*"))


def test_converts_to_valid_rasa_nlu_data(sample, tmp_path):
    out, n, intents = massive_to_rasa.convert(sample, tmp_path / "var" / "massive" / "x.yml")
    assert (n, intents) == (4, 2)  # the blank utterance is skipped
    data = load_data(str(out))
    examples = {(m.get("text"), m.get("intent")) for m in data.intent_examples}
    assert examples == {
        ("কাল সকাল ছটায় অ্যালার্ম দাও", "alarm_set"),
        ("আজ কি বৃষ্টি হবে কলকাতায়", "weather_query"),
        ("- কেমন গরম পড়বে: আজ", "weather_query"),
    }
    assert len(data.intent_examples) == 3  # the duplicate of one intent is written once
    assert not data.entity_examples  # brackets in the text did not become entity markup


def test_refuses_to_write_into_data(sample):
    before = _data_nlu_listing()
    for target in (
        ROOT / "data" / "nlu" / "massive.yml",
        ROOT / "data" / "massive.yml",
        ROOT / "var" / ".." / "data" / "nlu" / "x" / "bn.yml",
    ):
        with pytest.raises(ValueError):
            massive_to_rasa.convert(sample, target)
        assert massive_to_rasa.main([str(sample), "--out", str(target)]) == 2
    assert _data_nlu_listing() == before


def test_default_output_is_under_var(sample, monkeypatch, tmp_path):
    monkeypatch.setattr(massive_to_rasa, "DEFAULT_OUT", tmp_path / "var" / "massive")
    before = _data_nlu_listing()
    assert massive_to_rasa.main([str(sample)]) == 0
    assert (tmp_path / "var" / "massive" / "train.yml").exists()
    assert _data_nlu_listing() == before
    assert massive_to_rasa.DEFAULT_OUT != ROOT / "data"
    real_default = Path(massive_to_rasa.__file__).resolve().parents[1] / "var" / "massive"
    assert massive_to_rasa.check_destination(real_default / "train.yml")


def test_missing_source_is_a_clean_error(tmp_path):
    assert massive_to_rasa.main([str(tmp_path / "nope.jsonl")]) == 2
