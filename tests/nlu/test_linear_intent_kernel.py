"""The kernel view of the e5 second stage (docs/nlu-quality.md, round 10): an RBF-kernel SVC
on the raw e5 vectors whose probabilities are blended, as a weighted geometric mean, into the
probabilities of the sparse + e5 linear model for the messages the gate sends to e5."""

from __future__ import annotations

import numpy as np
import scipy.sparse
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from sathi_nlu import sentence_embedding
from sathi_nlu.linear_intent import CalibratedLinearIntentClassifier
from sathi_nlu.probabilities import calibrated, geometric_blend
from tests.nlu.test_linear_intent_dense import EXAMPLES, _classifier, _parse, _training_data

TEXTS = ["weather kemon aaj", "next train please", "হ্যালো দাদা", "বৃষ্টি হবে নাকি"]


def test_geometric_blend_weighs_the_two_views_and_stays_a_distribution():
    first = np.array([[0.5, 0.45, 0.05], [0.2, 0.3, 0.5]])
    second = np.array([[0.9, 0.05, 0.05], [0.1, 0.8, 0.1]])
    assert np.allclose(geometric_blend(first, second, 0.0), first)
    assert np.allclose(geometric_blend(first, second, 1.0), second)
    blended = geometric_blend(first, second, 0.5)
    assert np.allclose(blended.sum(axis=1), 1.0)
    assert blended[0].argmax() == 0 and blended[1].argmax() == 1
    # sharper than the plain average where the views agree on the top intent
    assert blended[0, 0] > (first[0, 0] + second[0, 0]) / 2
    zero = np.array([[1.0, 0.0, 0.0]])  # a zero probability does not produce nan
    assert np.isfinite(geometric_blend(zero, zero[:, ::-1], 0.3)).all()


def _expected(classifier, texts):
    """The second stage computed by hand from the fitted parts (every message embedded)."""
    model = classifier._model
    features = classifier._features([Message(data={TEXT: t}) for t in texts])
    vectors = sentence_embedding.embed(texts, max_tokens=classifier.config["dense_max_tokens"])
    combined = scipy.sparse.hstack(
        [features, scipy.sparse.csr_matrix(vectors * classifier.config["dense_weight"])]
    ).tocsr()
    dense, _ = calibrated(model["dense_classifier"], model.get("dense_sigmoid"), combined)
    kernel = model["kernel_classifier"].predict_proba(vectors)
    return dense, kernel


def test_kernel_view_is_trained_and_blended_into_the_second_stage(tmp_path):
    weight = 0.5
    classifier = _classifier(tmp_path / "k", dense_gate=1e9, kernel_weight=weight, kernel_C=3.0)
    classifier.train(_training_data())
    kernel = classifier._model["kernel_classifier"]
    assert list(kernel.classes_) == list(classifier._model["classifier"].classes_)
    assert kernel.kernel == "rbf" and kernel.C == 3.0

    parsed = _parse(classifier, TEXTS)
    dense, by_kernel = _expected(classifier, TEXTS)
    expected = geometric_blend(dense, by_kernel, weight)
    assert not np.allclose(expected, dense, atol=1e-3)  # the kernel view moves the figures
    classes = list(kernel.classes_)
    for message, row in zip(parsed, expected):
        ranking = message.get("intent_ranking")
        assert abs(sum(r["confidence"] for r in ranking) - 1.0) < 1e-6
        for entry in ranking:
            assert abs(entry["confidence"] - row[classes.index(entry["name"])]) < 1e-6
        assert message.get(INTENT)["name"] in EXAMPLES


def test_kernel_view_reloads_and_is_absent_when_its_weight_is_zero(tmp_path):
    trained = _classifier(tmp_path / "k", dense_gate=1e9, kernel_weight=0.3)
    trained.train(_training_data())
    loaded = CalibratedLinearIntentClassifier.load(
        trained.config, trained._model_storage, trained._resource, None
    )
    assert "kernel_classifier" in loaded._model
    first = [m.get("intent_ranking") for m in _parse(trained, TEXTS)]
    second = [m.get("intent_ranking") for m in _parse(loaded, TEXTS)]
    assert first == second

    without = _classifier(tmp_path / "w", dense_gate=1e9)  # kernel_weight 0 by default
    without.train(_training_data())
    assert "kernel_classifier" not in without._model
    assert "dense_classifier" in without._model
