"""A fitted scikit-learn `TfidfVectorizer`'s row for one text, without the library's per-call
machinery (docs/performance.md, round 3).

At parse time the classifier featurizes one message at a time. `TfidfVectorizer.transform`
then spends most of its time on input validation, building and converting sparse matrices
and re-deriving `idf_` (about 0.7 ms per vectorizer per message), not on the few dozen
n-grams of the message. `OneTextTfidf.row` computes the same row directly, with the same
analyzer, vocabulary and weights and the same float32 arithmetic in the same order (counts
of the vocabulary's n-grams, `1 + log(tf)` when sublinear, times idf, divided by the L2 norm
summed in double precision left to right), so the result is bit for bit what `transform`
gives (tests/nlu/test_tfidf_one_text.py). Anything it does not reproduce (binary counts,
no idf, another norm) is refused at construction, and the caller keeps scikit-learn's path.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np


class Unsupported(ValueError):
    """The vectorizer uses an option `OneTextTfidf` does not reproduce."""


class OneTextTfidf:
    def __init__(self, vectorizer: Any) -> None:
        if vectorizer.binary or not vectorizer.use_idf or vectorizer.norm != "l2":
            raise Unsupported("binary counts, no idf or a norm other than l2")
        if np.dtype(vectorizer.dtype) != np.float32:
            raise Unsupported(f"dtype {vectorizer.dtype}")
        self.analyze = vectorizer.build_analyzer()
        self.vocabulary: dict[str, int] = vectorizer.vocabulary_
        self.idf = np.asarray(vectorizer.idf_, dtype=np.float32)
        self.sublinear = bool(vectorizer.sublinear_tf)
        self.width = len(self.vocabulary)

    def row(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(column indices ascending as int32, float32 values) of the text's tf-idf row."""
        counts: dict[int, int] = {}
        vocabulary = self.vocabulary
        for feature in self.analyze(text):
            index = vocabulary.get(feature)
            if index is not None:
                counts[index] = counts.get(index, 0) + 1
        if not counts:
            return np.empty(0, dtype=np.int32), np.empty(0, dtype=np.float32)
        indices = np.fromiter(sorted(counts), dtype=np.int32, count=len(counts))
        data = np.fromiter((counts[i] for i in indices.tolist()), dtype=np.float32)
        if self.sublinear:
            np.log(data, data)
            data += np.float32(1)
        data = data * self.idf[indices]
        total = 0.0
        for square in (data * data).tolist():  # float32 squares, summed in double in order
            total += square
        if total != 0.0:
            data = (data.astype(np.float64) / math.sqrt(total)).astype(np.float32)
        return indices, data
