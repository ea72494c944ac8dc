"""How strongly a sentence is supported by a piece of evidence: one score, shared by grounding and its calibration.

English blends meaning and wording: 0.7 x the cosine between the sentence and the evidence's closest sentence, plus
0.3 x the share of the sentence's content words the evidence contains (cosine alone confuses passages on neighbouring
topics; the blend separates the labelled pairs). MiniLM reads Chinese poorly, so Chinese uses the lexical share alone,
over character bigrams. Both lie in 0..1 and are calibrated separately (see `advisor.chat.calibration`).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence

import numpy as np
from langchain_core.embeddings import Embeddings

from advisor.text.sentences import sentence_units
from advisor.text.tokens import key_terms, overlap

# calibrated on tests/fixtures/grounding/pairs.yaml by `python -m advisor.chat.calibration`
THRESHOLDS = {"en": 0.51, "zh": 0.36}
_COSINE_WEIGHT = 0.7
MARGIN = 0.05

_CACHE_SIZE = 4096
_cache: OrderedDict[tuple[int, str], np.ndarray] = OrderedDict()
_cache_lock = threading.Lock()


def embed(embedder: Embeddings, texts: Sequence[str]) -> np.ndarray:
    """Unit vectors for texts, one row each; evidence sentences recur between answers, so they are cached."""
    key = id(embedder)
    with _cache_lock:
        missing = [t for t in dict.fromkeys(texts) if (key, t) not in _cache]
    if missing:
        vectors = np.asarray(embedder.embed_documents(list(missing)), dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        vectors = (vectors / np.where(norms == 0, 1, norms)).astype(np.float32)
        with _cache_lock:
            for text, vector in zip(missing, vectors, strict=True):
                _cache[(key, text)] = vector
            while len(_cache) > _CACHE_SIZE:
                _cache.popitem(last=False)
    with _cache_lock:
        return np.stack([_cache[(key, t)] for t in texts]) if texts else np.zeros((0, 1), dtype=np.float32)


def remember(embedder: Embeddings, vectors: dict[str, np.ndarray]) -> None:
    """Take unit vectors computed elsewhere (the ingest's passage sentences) into the cache, for this embedder."""
    key = id(embedder)
    with _cache_lock:
        for text, vector in vectors.items():
            _cache[(key, text)] = vector
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)


def support_matrix(
    sentences: Sequence[str], evidence: Sequence[str], *, lang: str, embedder: Embeddings
) -> np.ndarray:
    """Support of each sentence (rows) by each evidence text (columns), 0..1."""
    lexical = np.zeros((len(sentences), len(evidence)), dtype=np.float32)
    for i, sentence in enumerate(sentences):
        terms = key_terms(sentence)
        for j, text in enumerate(evidence):
            lexical[i, j] = overlap(terms, text)
    if lang == "zh" or not sentences or not evidence:
        return lexical
    scores = np.zeros_like(lexical)
    units = [sentence_units(text) for text in evidence]
    flat = [unit for group in units for unit in group]
    vectors = embed(embedder, [*sentences, *flat])  # one batch: a single forward pass is far cheaper than two
    sims = vectors[: len(sentences)] @ vectors[len(sentences) :].T
    start = 0
    for j, group in enumerate(units):
        scores[:, j] = sims[:, start : start + len(group)].max(axis=1)
        start += len(group)
    return np.clip(_COSINE_WEIGHT * scores + (1 - _COSINE_WEIGHT) * lexical, 0.0, 1.0)
