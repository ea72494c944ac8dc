"""The semantic judge of the spam cutter: how strongly a sentence's embedding reads as spam, by a fitted probe.

The embedding model places a sentence near others of the same kind, whatever its words: `Join our WhatsApp group
for daily verified leads` lands beside `cheap B2B leads database for sale` although the two share one word, and a
cookie banner, a byline or a repair-shop review land far from sales guidance. The probe is a logistic regression
over sentence embeddings, one per language, fitted by `python -m evals.calibrate` on the `dev` split of the labelled
corpus (`tests/fixtures/spam/`: every labelled fragment against the clean sentences around it) and on every sentence
of the bundled knowledge base (what guidance reads like). It replaced a nearest-prototype margin (15 advert and 8
guidance sentences written by hand): on whole fragments of the held-out splits, at the score above 99.5% of the
guidance it was fitted on, the probe finds 0.60-0.94 of English and 0.58-0.80 of Chinese fragments, where the
margin separated Chinese so poorly that it was switched off.

The judge embeds the texts that `advisor.kb.fit.semantic_units` lists, in one batch per document (and a second
for what a cut leaves of a stretch, `unjudged_rests`), each scored by the probe of its own script
(`advisor.text.lang.detect_lang`), and weighs a text

    SCALES[lang] * (the probe's log-odds that it is spam)

rounded to 3 decimals (so a vector differing in the last float bits cannot flip a cut); `find_spam` adds it to a
sentence's lexical score and the fit score (`advisor.kb.fit`) takes it as its `semantic` trait. The scales were
chosen on `dev` alone, as the best recall with false cuts at most 0.01 (en 0.5 / 0.8 / 1.2: recall 0.91 / 0.93 /
0.93, false cuts 0.000 / 0.002 / 0.002; zh 0.1 / 0.2 / 0.4: recall 0.82 / 0.85 / 0.85, false cuts 0.005 / 0.015 /
0.020). The Chinese probe is far weaker (the bundled model reads Chinese as a bag of characters), so its scale is
small. A probe belongs to the embedding model it was fitted on (`JUDGE_FILE` names it): with another model
configured the judge gives no weight, and cleaning is lexical and structural alone.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from advisor.bundled import JUDGE_FILE
from advisor.text.lang import detect_lang

SCALES = {"en": 0.8, "zh": 0.1}


class Encoder(Protocol):
    """What the judge needs of an embedding model: a batch of texts in, one vector per text out."""

    def encode(self, texts: list[str]) -> Any: ...


@dataclass(frozen=True)
class Probe:
    """A logistic regression per language over the unit embeddings of one model."""

    model: str
    weights: Mapping[str, np.ndarray]
    bias: Mapping[str, float]

    def log_odds(self, vectors: np.ndarray, lang: str) -> np.ndarray:
        """The probe's log-odds that each (unit) vector is spam."""
        return vectors @ self.weights[lang] + self.bias[lang]

    def save(self, path: Path) -> None:
        """Write the probe as one `.npz` file: a JSON header (model, biases) and a weight vector per language."""
        header = json.dumps({"model": self.model, "bias": dict(self.bias)}).encode("utf-8")
        arrays: dict[str, Any] = {
            f"weights_{lang}": np.asarray(w, dtype=np.float64) for lang, w in self.weights.items()
        }
        arrays["header"] = np.frombuffer(header, dtype=np.uint8)
        with path.open("wb") as handle:
            np.savez(handle, **arrays)


def load_probe(path: Path = JUDGE_FILE) -> Probe | None:
    """The probe saved at `path` (None when the file is missing or unreadable)."""
    try:
        with np.load(path) as saved:
            header = json.loads(saved["header"].tobytes().decode("utf-8"))
            weights = {lang: np.asarray(saved[f"weights_{lang}"]) for lang in header["bias"]}
    except (OSError, ValueError, KeyError):
        return None
    return Probe(str(header["model"]), weights, {lang: float(b) for lang, b in header["bias"].items()})


class SemanticJudge:
    """Weights texts by the probe's log-odds that they are spam, on the embedding model the probe was fitted on."""

    def __init__(self, embeddings: Encoder, *, model: str, probe: Probe | None = None) -> None:
        self.embeddings = embeddings
        self.model = model
        self.probe = probe if probe is not None else load_probe()

    def __repr__(self) -> str:
        return f"SemanticJudge({self.embeddings!r}, model={self.model!r})"

    @property
    def active(self) -> bool:
        """Whether the probe was fitted on this judge's embedding model."""
        return self.probe is not None and self.probe.model == self.model

    def embed(self, texts: list[str]) -> np.ndarray:
        """Unit vectors of `texts`, in one batch."""
        vectors = np.asarray(self.embeddings.encode(texts), dtype=np.float64)
        return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)

    def weights(self, texts: Iterable[str]) -> dict[str, float]:
        """The semantic weight of each distinct text, embedded in one batch (none without a probe for the model)."""
        unique, probe = list(dict.fromkeys(texts)), self.probe
        if not unique or probe is None or probe.model != self.model:
            return {}
        langs = [detect_lang(text) for text in unique]
        return {
            text: round(float(SCALES[lang] * probe.log_odds(vector, lang)), 3)
            for text, vector, lang in zip(unique, self.embed(unique), langs, strict=True)
        }
