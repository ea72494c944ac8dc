"""The gate on hand-built results: thresholds by direction, per-case failures, and baseline tolerances."""

from __future__ import annotations

from evals.results import CaseResult, EvalRun, SuiteResult


def case(case_id: str, split: str = "dev", **scores: float | None) -> CaseResult:
    return CaseResult(
        id=case_id, suite="s", kind="answer", split=split, lang="en", question="q", scores=dict(scores)
    )


def run_of(*cases: CaseResult, thresholds: dict[str, float] | None = None,
           tolerances: dict[str, float] | None = None) -> EvalRun:  # fmt: skip
    suite = SuiteResult("s", "", thresholds or {}, tolerances or {}, list(cases)).finish()
    return EvalRun("2025-01-01T00:00:00+00:00", 1.0, "all", ["hybrid"], {}, {}, None, [suite])


def test_a_mean_below_its_threshold_fails_and_names_the_cases_below_it() -> None:
    run = run_of(case("a", mrr=1.0), case("b", mrr=0.5), case("c", mrr=0.25), thresholds={"mrr": 0.8})
    [failure] = run.gate()
    assert (failure.score, failure.value, failure.cases) == ("mrr", 0.5833333333333334, ("b", "c"))
    assert str(failure) == "s: mrr is 0.583, below the threshold 0.800 (by 0.217); cases: b, c"


def test_a_lower_is_better_score_fails_above_its_threshold() -> None:
    run = run_of(
        case("a", forbidden_rate=0.0), case("b", forbidden_rate=1.0), thresholds={"forbidden_rate": 0.0}
    )
    [failure] = run.gate()
    assert str(failure) == "s: forbidden_rate is 0.500, above the threshold 0.000 (by 0.500); cases: b"


def test_a_met_threshold_and_an_unmeasured_score_pass() -> None:
    run = run_of(
        case("a", mrr=0.9, citation_validity=None), thresholds={"mrr": 0.8, "citation_validity": 1.0}
    )
    assert run.gate() == []


def test_splits_are_aggregated_separately() -> None:
    run = run_of(case("a", "dev", mrr=1.0), case("b", "test", mrr=0.5), case("c", "test", mrr=0.0))
    suite = run.suites[0]
    assert suite.aggregates["dev"]["mrr"] == 1.0
    assert suite.aggregates["test"]["mrr"] == 0.25
    assert suite.aggregates["all"]["mrr"] == 0.5


def test_refusal_precision_and_recall_name_the_wrong_refusals() -> None:
    cases = [case("out1"), case("out2"), case("in1"), case("in2")]
    for item, must, did in zip(cases, (True, True, False, False), (True, False, True, False), strict=True):
        item.must_refuse, item.refused = must, did
    run = run_of(*cases, thresholds={"refusal_precision": 0.9, "refusal_recall": 0.9})
    failures = {f.score: f for f in run.gate()}
    assert (failures["refusal_precision"].value, failures["refusal_precision"].cases) == (0.5, ("in1",))
    assert (failures["refusal_recall"].value, failures["refusal_recall"].cases) == (0.5, ("out2",))


def test_a_drop_within_tolerance_passes_and_beyond_it_fails() -> None:
    baseline = run_of(*(case(f"c{i}", mrr=1.0) for i in range(10)))
    # one case of ten drops from 1.0 to 0.5: the mean falls by 0.05
    slipped = run_of(*(case(f"c{i}", mrr=0.5 if i == 3 else 1.0) for i in range(10)))
    [failure] = slipped.gate(baseline)
    assert (failure.reason, failure.score, failure.cases) == ("regression", "mrr", ("c3",))
    assert failure.by == 0.050000000000000044
    tolerant = run_of(
        *(case(f"c{i}", mrr=0.5 if i == 3 else 1.0) for i in range(10)), tolerances={"mrr": 0.1}
    )
    assert tolerant.gate(baseline) == []


def test_only_shared_cases_are_compared_with_the_baseline() -> None:
    baseline = run_of(case("a", mrr=1.0))
    # a new, hard case must not read as a regression of the old ones
    grown = run_of(case("a", mrr=1.0), case("new", mrr=0.0))
    assert grown.gate(baseline) == []


def test_timings_are_compared_only_when_a_suite_sets_a_tolerance() -> None:
    fast = run_of(case("a"), case("b"))
    slow = run_of(case("a"), case("b"))
    for item in fast.suites[0].cases:
        item.latency_s = 1.0
    for item in slow.suites[0].cases:
        item.latency_s = 3.0
    assert slow.gate(fast) == []
    for run in (fast, slow):
        run.suites[0].tolerances = {"latency_p50": 0.5}
    [failure] = slow.gate(fast)
    assert str(failure) == "s: latency_p50 rose by 2.000 against the baseline (1.000 -> 3.000)"
