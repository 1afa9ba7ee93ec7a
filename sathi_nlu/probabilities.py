"""Probabilities of CalibratedLinearIntentClassifier's models (sathi_nlu/linear_intent.py):
the calibrated SVM's probabilities computed in one vectorized step, the per-intent sigmoid
parameters read off a fitted CalibratedClassifierCV, and the weighted geometric blend of two
views' probabilities (docs/nlu-quality.md, rounds 4 and 10)."""

from __future__ import annotations

import numpy as np


def calibrated(classifier, sigmoid, features) -> tuple[np.ndarray, np.ndarray | None]:
    """(probabilities, SVM margins or None) of one fitted classifier."""
    if sigmoid is not None:  # the calibrated SVM's predict_proba, vectorized
        svm, a, b = sigmoid
        margins = np.atleast_2d(svm.decision_function(features))
        probabilities = 1.0 / (1.0 + np.exp(a * margins + b))
        total = probabilities.sum(axis=1, keepdims=True)
        total[total == 0] = 1.0
        return probabilities / total, margins
    if hasattr(classifier, "predict_proba"):
        return classifier.predict_proba(features), None
    margins = np.atleast_2d(classifier.decision_function(features))
    scores = np.exp(margins - margins.max(axis=1, keepdims=True))
    return scores / scores.sum(axis=1, keepdims=True), margins


def geometric_blend(first: np.ndarray, second: np.ndarray, weight: float) -> np.ndarray:
    """Rows ∝ first^(1 − weight) · second^weight (a weighted product of experts): sharper than
    an average, so a blended top intent keeps a confidence the fallback threshold can read
    (docs/nlu-quality.md, round 10)."""
    logs = (1.0 - weight) * np.log(np.clip(first, 1e-9, 1.0)) + weight * np.log(
        np.clip(second, 1e-9, 1.0)
    )
    logs -= logs.max(axis=1, keepdims=True)
    blended = np.exp(logs)
    return blended / blended.sum(axis=1, keepdims=True)


def sigmoid_parameters(classifier):
    """(svm, a, b) of a CalibratedClassifierCV(ensemble=False, method="sigmoid") with more
    than two classes: p_k ∝ 1 / (1 + exp(a_k · margin_k + b_k)), as sklearn computes it one
    class at a time (1.1: `_CalibratedClassifier.predict_proba`); None otherwise."""
    fitted = getattr(classifier, "calibrated_classifiers_", None)
    if not fitted or len(fitted) != 1 or len(classifier.classes_) <= 2:
        return None
    calibrated = fitted[0]
    svm = getattr(calibrated, "base_estimator", None) or getattr(calibrated, "estimator", None)
    if svm is None or list(svm.classes_) != list(classifier.classes_):
        return None
    if not all(hasattr(c, "a_") for c in calibrated.calibrators):
        return None
    a = np.array([c.a_ for c in calibrated.calibrators], dtype=np.float64)
    b = np.array([c.b_ for c in calibrated.calibrators], dtype=np.float64)
    return svm, a, b
