"""The named scores: what each measures, which way is better, and how much it may move before it is a regression."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace

from advisor.errors import InputError

MODES = ("hybrid", "dense", "keyword")


@dataclass(frozen=True)
class ScoreSpec:
    """How one score is read: its label, direction, and the drop against a baseline that counts as a regression."""

    name: str
    label: str
    higher_is_better: bool = True
    tolerance: float | None = 0.02  # None: not compared with a baseline unless a suite sets a tolerance
    relative: bool = False  # the tolerance is a share of the baseline value (timings), not an absolute step

    def worse(self, value: float, reference: float) -> float:
        """How much worse `value` is than `reference` (positive = worse)."""
        return reference - value if self.higher_is_better else value - reference

    def allowed(self, reference: float, tolerance: float) -> float:
        """The largest worsening against `reference` that is still not a regression."""
        return abs(reference) * tolerance if self.relative else tolerance

    def meets(self, value: float, threshold: float) -> bool:
        """Whether a value satisfies a threshold on this score."""
        return value >= threshold if self.higher_is_better else value <= threshold


SCORES = {
    spec.name: spec
    for spec in (
        ScoreSpec("mrr", "mean reciprocal rank"),
        ScoreSpec("citation_validity", "citations resolving to retrieved evidence"),
        ScoreSpec("citation_support", "embedding margin of the cited evidence over the rest", tolerance=0.03),
        ScoreSpec("cited", "answers carrying at least one citation"),
        ScoreSpec("numeric_faithfulness", "numbers tracing to evidence or metrics"),
        ScoreSpec("expected_fact_recall", "expected facts stated", tolerance=0.03),
        ScoreSpec("forbidden_rate", "answers with forbidden content", higher_is_better=False, tolerance=0.0),
        ScoreSpec("language_match", "answers in the question's language"),
        ScoreSpec("refusal_correct", "refused exactly when it should"),
        ScoreSpec("refusal_precision", "refusals that were warranted"),
        ScoreSpec("refusal_recall", "out-of-scope questions refused"),
        ScoreSpec("section_coverage", "plan sections present with content"),
        ScoreSpec("spam_recall", "spliced spam fragments cut by cleaning"),
        ScoreSpec("cut_precision", "cut text that was spam"),
        ScoreSpec("false_cut_rate", "clean sentences that lost text", higher_is_better=False, tolerance=0.01),
        ScoreSpec("key_point_coverage", "key points the answer makes", tolerance=0.03),
        ScoreSpec("direct_answer", "lead sentences that answer the question"),
        ScoreSpec(
            "readability", "answers with no dangling pronoun, table, heading or cross-reference residue"
        ),
        ScoreSpec("intent_match", "questions classified with their labelled intent"),
        ScoreSpec("faithful_kept", "faithful drafted sentences grounding keeps"),
        ScoreSpec("wrong_rejected", "wrong drafted sentences grounding rejects"),
        ScoreSpec("rejection_precision", "rejected drafted sentences that were wrong"),
        ScoreSpec(
            "verdict_match", "claim verdicts equal to the label (supported, unsupported, contradicted)"
        ),
        ScoreSpec("errors", "cases that raised an error", higher_is_better=False, tolerance=None),
        # timings depend on the machine, so they are compared only when a suite sets a (relative) tolerance
        ScoreSpec(
            "latency_p50", "median seconds per case", higher_is_better=False, tolerance=None, relative=True
        ),
        ScoreSpec(
            "latency_p95",
            "95th-percentile seconds per case",
            higher_is_better=False,
            tolerance=None,
            relative=True,
        ),
        ScoreSpec("judge_faithfulness", "judge: faithful to the evidence (0..1)", tolerance=0.1),
        ScoreSpec("judge_relevance", "judge: answers the question (0..1)", tolerance=0.1),
        ScoreSpec("judge_faithfulness_spread", "judge: faithfulness spread between runs", False, None),
        ScoreSpec("judge_relevance_spread", "judge: relevance spread between runs", False, None),
    )
}
_AT_K = re.compile(r"^(hit|ndcg)@(\d+)$")
_MODE_PREFIX = re.compile(r"^(" + "|".join(MODES) + r")/(.+)$")


def score_spec(name: str) -> ScoreSpec | None:
    """The spec of a score name (`hit@5`, `dense/mrr`, `expected_fact_recall`), or None when the name is unknown."""
    mode = _MODE_PREFIX.match(name)
    if mode:
        base = score_spec(mode.group(2))
        return None if base is None else replace(base, name=name, label=f"{base.label} ({mode.group(1)})")
    at_k = _AT_K.match(name)
    if at_k:
        what = "a gold document in the top" if at_k.group(1) == "hit" else "nDCG over the top"
        return ScoreSpec(name, f"{what} {at_k.group(2)}")
    return SCORES.get(name)


def check_score_name(name: str, *, where: str) -> None:
    """Raise a readable error for a score name no spec describes."""
    if score_spec(name) is None:
        known = ", ".join(["hit@K", "ndcg@K", *sorted(SCORES)])
        raise InputError(f"{where}: unknown score `{name}`; known scores: {known}.")


def format_score(value: float | None, name: str = "") -> str:
    """A score as the tables show it: three decimals, timings in seconds, `-` when not measured."""
    if value is None:
        return "-"
    return f"{value:.2f}s" if name.startswith("latency") else f"{value:.3f}"


def verdict(name: str, value: float | None, threshold: float | None) -> str:
    """`ok` or `fail` for a score against its threshold; empty when either is missing."""
    spec = score_spec(name)
    if threshold is None or value is None or spec is None:
        return ""
    return "ok" if spec.meets(value, threshold) else "fail"


def display_order(names: Iterable[str], *, thresholds: Collection[str]) -> list[str]:
    """Scores in the order tables show them: thresholded first, then the rest, other modes, errors and timings."""
    shown = [name for name in names if name != "cases"]
    return sorted(
        shown, key=lambda n: (n not in thresholds, "/" in n, n == "errors" or n.startswith("latency"), n)
    )
