"""The labelled drafted sentences: at least 100 in both languages, and grounding meets the issue's targets on them."""

from __future__ import annotations

from collections import Counter

from advisor.config import Settings
from evals.cases import load_suite
from evals.runner import run_suites

KINDS = {"paraphrase", "number", "reversed", "quantifier", "source", "subject", "unit"}


def test_the_labelled_set_covers_both_languages_every_label_and_kind() -> None:
    cases = load_suite("claims").cases
    assert len(cases) >= 100
    assert Counter(c.lang for c in cases).keys() == {"en", "zh"}
    assert {c.label for c in cases} == {"supported", "unsupported", "contradicted"}
    assert {c.tags[0] for c in cases} == KINDS
    assert all(c.evidence and c.kind == "claim" for c in cases)
    for lang in ("en", "zh"):
        labels = Counter(c.label == "supported" for c in cases if c.lang == lang)
        assert labels[True] >= 20 and labels[False] >= 20


def test_faithful_sentences_are_kept_and_wrong_ones_rejected(settings: Settings) -> None:
    (suite,) = run_suites(["claims"], settings=settings).suites
    for split in ("dev", "test"):
        scores = suite.aggregates[split]
        assert scores["faithful_kept"] is not None and scores["faithful_kept"] >= 0.9, split
        assert scores["wrong_rejected"] is not None and scores["wrong_rejected"] >= 0.95, split
        assert scores["errors"] == 0.0
    for lang in ("en", "zh"):
        cases = [c for c in suite.cases if c.lang == lang]
        kept = [c.scores["faithful_kept"] for c in cases if c.scores["faithful_kept"] is not None]
        rejected = [c.scores["wrong_rejected"] for c in cases if c.scores["wrong_rejected"] is not None]
        assert sum(kept) / len(kept) >= 0.9 and sum(rejected) / len(rejected) >= 0.95, lang
