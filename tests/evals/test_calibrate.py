"""Calibration of the spam judge: the logistic fit, the corpus it reads, and the shipped probe being its output."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from advisor.bundled import JUDGE_FILE
from advisor.kb.coherence import Probe, load_probe
from evals.calibrate import dev_cases, fit_probe, logistic, probe_corpus


def test_logistic_separates_two_clusters_the_same_way_every_time() -> None:
    rng = np.random.default_rng(7)
    spam = rng.normal(1.0, 0.3, size=(20, 3))
    clean = rng.normal(-1.0, 0.3, size=(60, 3))
    features, labels = np.vstack([spam, clean]), np.array([1] * 20 + [0] * 60)
    weights, bias = logistic(features, labels, l2=0.3)
    scores = features @ weights + bias
    assert (scores[:20] > 0).all() and (scores[20:] < 0).all()
    again = logistic(features, labels, l2=0.3)
    assert np.array_equal(again[0], weights) and again[1] == bias
    # a larger penalty shrinks the weights towards zero
    assert np.linalg.norm(logistic(features, labels, l2=30.0)[0]) < np.linalg.norm(weights)


def test_probe_corpus_takes_fragments_as_spam_and_chinese_clause_endings_as_guidance() -> None:
    cases = [
        {"text": "Coach weekly. ⟦Buy verified CEO email lists now⟧ Review stalled deals.", "lang": "en"},
        {"text": "经理应当每周辅导销售代表，并在周四检查进展。⟦加微信领取免费客户名单⟧", "lang": "zh"},
    ]
    texts, labels = probe_corpus(cases)
    labelled = dict(zip(texts, labels, strict=True))
    assert labelled["Buy verified CEO email lists now"] == 1 and labelled["加微信领取免费客户名单"] == 1
    assert labelled["Coach weekly."] == 0 and labelled["Review stalled deals."] == 0
    assert labelled["并在周四检查进展。"] == 0  # a clause that ends a clean sentence is guidance too
    assert sum(labels) == 2 and len(texts) > 1000  # then every sentence of the bundled knowledge base


def test_a_saved_probe_loads_back_and_a_missing_file_is_no_probe(tmp_path: Path) -> None:
    probe = Probe(
        "some-model", {"en": np.array([0.5, -1.0]), "zh": np.array([2.0, 0.0])}, {"en": 0.1, "zh": -0.2}
    )
    probe.save(tmp_path / "probe.npz")
    loaded = load_probe(tmp_path / "probe.npz")
    assert loaded is not None and loaded.model == "some-model" and loaded.bias == {"en": 0.1, "zh": -0.2}
    assert np.array_equal(loaded.weights["zh"], probe.weights["zh"])
    assert float(loaded.log_odds(np.array([1.0, 1.0]), "en")) == pytest.approx(-0.4)
    assert load_probe(tmp_path / "missing.npz") is None


@pytest.mark.integration
def test_the_shipped_probe_is_what_calibration_fits_on_the_dev_split(tmp_path: Path) -> None:
    from advisor.config import load_settings
    from advisor.kb.coherence import SemanticJudge
    from advisor.models import get_embedder

    shipped = load_probe(JUDGE_FILE)
    settings = load_settings(home=tmp_path)
    assert shipped is not None and shipped.model == settings.embedding_model
    fitted = fit_probe(SemanticJudge(get_embedder(settings), model=settings.embedding_model), dev_cases())
    for lang in ("en", "zh"):
        assert np.allclose(fitted.weights[lang], shipped.weights[lang], atol=1e-4)
        assert fitted.bias[lang] == pytest.approx(shipped.bias[lang], abs=1e-4)
