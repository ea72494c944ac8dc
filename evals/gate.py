"""The quality gate: thresholds a suite must meet and regressions against a baseline run, each named precisely."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from evals.specs import score_spec

if TYPE_CHECKING:
    from evals.results import CaseResult, SuiteResult

Aggregate = Callable[[Sequence["CaseResult"]], dict[str, float | None]]
_REFUSAL = ("refusal_precision", "refusal_recall")
_EPSILON = 1e-9
_LISTED_CASES = 8


@dataclass(frozen=True)
class GateFailure:
    """One reason to fail the build: which suite and score, by how much, and on which cases."""

    suite: str
    score: str
    reason: Literal["threshold", "regression", "error"]
    value: float | None
    limit: float | None
    by: float
    cases: tuple[str, ...] = ()

    def __str__(self) -> str:
        shown = ", ".join(self.cases[:_LISTED_CASES]) + (" ..." if len(self.cases) > _LISTED_CASES else "")
        where = f"; cases: {shown}" if self.cases else ""
        if self.reason == "error":
            return f"{self.suite}: {len(self.cases)} case(s) raised an error{where}"
        spec = score_spec(self.score)
        side = "below" if spec is None or spec.higher_is_better else "above"
        if self.reason == "threshold":
            return (
                f"{self.suite}: {self.score} is {self.value:.3f}, {side} the threshold {self.limit:.3f} "
                f"(by {self.by:.3f}){where}"
            )
        direction = "fell" if spec is None or spec.higher_is_better else "rose"
        return (
            f"{self.suite}: {self.score} {direction} by {self.by:.3f} against the baseline "
            f"({self.limit:.3f} -> {self.value:.3f}){where}"
        )


def _refusal_failure(case: CaseResult, name: str) -> bool:
    if case.refused is None:
        return False
    if name == "refusal_precision":
        return bool(case.refused) and not case.must_refuse
    return case.must_refuse and not case.refused


def case_failures(case: CaseResult, thresholds: dict[str, float]) -> list[str]:
    """The thresholded scores a case fails on its own: its value is on the wrong side, or its refusal was wrong."""
    failed = []
    for name, threshold in thresholds.items():
        spec = score_spec(name)
        value = case.scores.get(name)
        if name in _REFUSAL:
            wrong = _refusal_failure(case, name)
        else:
            wrong = spec is not None and value is not None and not spec.meets(value, threshold)
        if wrong:
            failed.append(name)
    return failed


def _threshold_failures(suite: SuiteResult) -> list[GateFailure]:
    overall = suite.aggregates.get("all", {})
    failures = []
    for name, threshold in suite.thresholds.items():
        spec = score_spec(name)
        value = overall.get(name)
        if spec is None or value is None or spec.meets(value, threshold):
            continue
        cases = tuple(case.id for case in suite.cases if name in case.failed)
        failures.append(
            GateFailure(suite.name, name, "threshold", value, threshold, abs(value - threshold), cases)
        )
    errors = tuple(case.id for case in suite.cases if case.error is not None)
    if errors:
        failures.append(
            GateFailure(suite.name, "errors", "error", len(errors) / len(suite.cases), 0.0, 0.0, errors)
        )
    return failures


def _worse_cases(name: str, now: Sequence[CaseResult], before: dict[str, CaseResult]) -> tuple[str, ...]:
    spec = score_spec(name)
    worse = []
    for case in now:
        old = before[case.id]
        if name in _REFUSAL:
            changed = _refusal_failure(case, name) and not _refusal_failure(old, name)
        else:
            value, reference = case.scores.get(name), old.scores.get(name)
            changed = (
                spec is not None and value is not None and reference is not None
                and spec.worse(value, reference) > _EPSILON
            )  # fmt: skip
        if changed:
            worse.append(case.id)
    return tuple(worse)


def _regressions(suite: SuiteResult, baseline: SuiteResult, aggregate: Aggregate) -> list[GateFailure]:
    before = {case.id: case for case in baseline.cases}
    common = [case for case in suite.cases if case.id in before]
    if not common:
        return []
    # compare like with like: both runs scored on the cases they share
    now = aggregate(common)
    then = aggregate([before[case.id] for case in common])
    failures = []
    for name, value in now.items():
        spec = score_spec(name)
        reference = then.get(name)
        tolerance = suite.tolerances.get(name, spec.tolerance if spec else None)
        if spec is None or tolerance is None or value is None or reference is None:
            continue
        worse = spec.worse(value, reference)
        if worse > spec.allowed(reference, tolerance) + _EPSILON:
            cases = _worse_cases(name, common, before)
            failures.append(GateFailure(suite.name, name, "regression", value, reference, worse, cases))
    return failures


def gate_suite(
    suite: SuiteResult, baseline: SuiteResult | None, *, aggregate: Aggregate
) -> list[GateFailure]:
    """A suite's threshold misses and errors, and its regressions against the same suite in a baseline run."""
    failures = _threshold_failures(suite)
    if baseline is not None:
        failures += _regressions(suite, baseline, aggregate)
    return failures
