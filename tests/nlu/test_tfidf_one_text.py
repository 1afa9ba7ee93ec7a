"""sathi_nlu/tfidf_one_text.py gives, bit for bit, the row scikit-learn's TfidfVectorizer gives
for one text, and the classifier's parse-time features equal its batch features."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from sathi_nlu.tfidf_one_text import OneTextTfidf, Unsupported

ROOT = Path(__file__).resolve().parents[2]


def texts() -> list[str]:
    from rasa.shared.nlu.training_data.loading import load_data

    out = []
    for path in sorted((ROOT / "eval").glob("heldout*/*.yml")):
        out += [m.get("text") for m in load_data(str(path)).intent_examples]
    out += ["", "   ", "???", "x" * 5000, "কাজ কাজ কাজ কাজ", "kaj kaj KAJ", "টাকা ১২৩ ৪৫৬"]
    assert len(out) > 300
    return out


def train_texts() -> list[str]:
    from rasa.shared.nlu.training_data.loading import load_data

    return [m.get("text") for m in load_data(str(ROOT / "data" / "nlu")).intent_examples]


@pytest.mark.parametrize(
    "options",
    [
        {"analyzer": "char_wb", "ngram_range": (1, 5), "sublinear_tf": True},
        {"analyzer": "word", "ngram_range": (1, 3), "token_pattern": r"(?u)\b\w+\b"},
        {"analyzer": "word", "ngram_range": (1, 2), "sublinear_tf": True, "lowercase": False},
    ],
)
def test_same_row_as_scikit_learn_bit_for_bit(options):
    vectorizer = TfidfVectorizer(dtype=np.float32, **options).fit(train_texts())
    fast = OneTextTfidf(vectorizer)
    assert fast.width == len(vectorizer.vocabulary_)
    for text in texts():
        expected = vectorizer.transform([text])
        expected.sort_indices()
        indices, data = fast.row(text)
        assert expected.dtype == data.dtype == np.float32
        assert np.array_equal(expected.indices, indices), text
        assert np.array_equal(expected.data, data), text  # exact, not approximately


def test_options_it_does_not_reproduce_are_refused():
    for options in ({"binary": True}, {"use_idf": False}, {"norm": "l1"}, {"dtype": np.float64}):
        vectorizer = TfidfVectorizer(**{"dtype": np.float32, **options}).fit(
            ["alpha beta", "beta gamma"]
        )
        with pytest.raises(Unsupported):
            OneTextTfidf(vectorizer)


def test_the_classifier_features_one_message_as_it_features_a_batch():
    from rasa.shared.nlu.training_data.message import Message

    from sathi_nlu.linear_intent import CalibratedLinearIntentClassifier

    component = CalibratedLinearIntentClassifier.__new__(CalibratedLinearIntentClassifier)
    component.config = {"featurizer_weight": 0.0}
    vectorizers = [
        TfidfVectorizer(
            analyzer="char_wb", ngram_range=(1, 5), sublinear_tf=True, dtype=np.float32
        ),
        TfidfVectorizer(analyzer="word", ngram_range=(1, 3), sublinear_tf=True, dtype=np.float32),
    ]
    component._model = {"vectorizers": [v.fit(train_texts()) for v in vectorizers]}
    for text in texts()[::7]:
        message = Message(data={"text": text})
        one = component._features([message])
        assert component._one_text[1] is not None  # the direct path was taken
        component._one_text = (component._model["vectorizers"], None)  # scikit-learn's path
        batch = component._features([message])
        component._one_text = None
        assert one.shape == batch.shape
        assert np.array_equal(one.toarray(), batch.toarray()), text
