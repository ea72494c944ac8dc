"""The shared fixture rosters give exactly the values worked out by hand in their .expected.yaml files."""

from __future__ import annotations

from typing import Any

import pytest

from advisor.org.analysis import compute_metrics
from advisor.org.benchmarks import BenchmarkSet
from advisor.org.findings import evaluate_findings
from advisor.org.profile import Profile
from advisor.org.roster import Roster


def _by_id(roster: Roster, profile: Profile, benchmarks: BenchmarkSet) -> dict[str, Any]:
    return {metric.id: metric for metric in compute_metrics(roster, profile=profile, benchmarks=benchmarks)}


def test_problem_team_imports_cleanly(problem_team: Roster) -> None:
    assert len(problem_team.df) == 37
    assert problem_team.issues == []
    assert problem_team.set_aside == 0
    assert problem_team.definition == "dated"


def test_problem_team_metrics_match_hand_computed_values(
    problem_team: Roster, org_profile: Profile, benchmarks: BenchmarkSet, problem_expected: dict[str, Any]
) -> None:
    metrics = _by_id(problem_team, org_profile, benchmarks)
    for metric_id, expected in problem_expected["metrics"].items():
        assert metrics[metric_id].value == pytest.approx(expected, rel=1e-9), metric_id


def test_problem_team_breakdowns_match(
    problem_team: Roster, org_profile: Profile, benchmarks: BenchmarkSet, problem_expected: dict[str, Any]
) -> None:
    metrics = _by_id(problem_team, org_profile, benchmarks)
    for metric_id, groups in problem_expected["by"].items():
        for dimension, values in groups.items():
            assert metrics[metric_id].by[dimension] == pytest.approx(values, rel=1e-9), (metric_id, dimension)


def test_problem_team_findings_are_the_expected_rules(
    problem_team: Roster, org_profile: Profile, benchmarks: BenchmarkSet, problem_expected: dict[str, Any]
) -> None:
    metrics = compute_metrics(problem_team, profile=org_profile, benchmarks=benchmarks)
    findings = evaluate_findings(metrics, benchmarks=benchmarks, profile=org_profile)
    fired = {finding.id.split(":")[0] for finding in findings if finding.severity != "info"}
    assert fired == set(problem_expected["findings"])
    span = {finding.id for finding in findings if finding.id.startswith("span_manager")}
    assert span == {"span_manager_above_range:M1", "span_manager_below_range:M3"}


def test_healthy_team_metrics_match_hand_computed_values(
    healthy_team: Roster, org_profile: Profile, benchmarks: BenchmarkSet, healthy_expected: dict[str, Any]
) -> None:
    metrics = _by_id(healthy_team, org_profile, benchmarks)
    for metric_id, expected in healthy_expected["metrics"].items():
        assert metrics[metric_id].value == pytest.approx(expected, rel=1e-9), metric_id


def test_healthy_team_has_only_informational_findings(
    healthy_team: Roster, org_profile: Profile, benchmarks: BenchmarkSet
) -> None:
    metrics = compute_metrics(healthy_team, profile=org_profile, benchmarks=benchmarks)
    findings = evaluate_findings(metrics, benchmarks=benchmarks, profile=org_profile)
    assert [finding.id for finding in findings if finding.severity != "info"] == []
    assert {finding.id for finding in findings} == {"hires_needed", "turnover_cost_estimate"}
