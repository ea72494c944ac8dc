"""Findings: rules as data, benchmarks with source and year, per-group findings, English and Chinese text."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor.errors import ConfigError
from advisor.org.benchmarks import BenchmarkSet
from advisor.org.findings import TOPICS, evaluate_findings, load_rules
from advisor.org.profile import Profile
from advisor.org.types import Metric


def _metric(metric_id: str, value: float | None, unit: str = "%", **extra: object) -> Metric:
    return Metric(id=metric_id, value=value, unit=unit, formula="f", **extra)  # type: ignore[arg-type]


def test_rules_file_is_valid_and_uses_the_topic_vocabulary() -> None:
    rules = load_rules()
    assert len({rule.id for rule in rules}) == len(rules)
    assert all(set(rule.topics) <= set(TOPICS) and rule.title.zh and rule.message.zh for rule in rules)


def test_turnover_above_benchmark_cites_source_and_year(benchmarks: BenchmarkSet) -> None:
    metric = _metric("turnover_rate", 45.0, inputs={"separations": 9})
    [finding] = evaluate_findings([metric], benchmarks=benchmarks)
    assert finding.id == "turnover_above_benchmark" and finding.severity == "high"  # 45 >= 40
    assert finding.benchmark is not None
    assert (finding.benchmark.high, finding.benchmark.year) == (27, 2017)
    assert "Harvard Business Review" in finding.message and "2017" in finding.message
    assert "45.0%" in finding.message and "9 separations" in finding.message
    assert "45.0%" in finding.message_zh and "离职 9 人" in finding.message_zh
    assert finding.evidence["threshold"] == 27 and finding.evidence["comparison"] == "above"
    assert "turnover" in finding.topics


def test_values_inside_the_range_give_no_finding(benchmarks: BenchmarkSet) -> None:
    metrics = [_metric("turnover_rate", 20.0), _metric("sdr_ae_ratio", 3.0, "AEs per SDR")]
    assert evaluate_findings(metrics, benchmarks=benchmarks) == []


def test_each_manager_outside_the_span_range_is_named(benchmarks: BenchmarkSet) -> None:
    span = _metric(
        "span_of_control_mean", 9.0, "reports per manager",
        by={"manager": {"M1": 15.0, "M2": 8.0, "M3": 5.0}}, inputs={"names": {"M1": "Maya", "M3": "Mina"}},
    )  # fmt: skip
    findings = {f.id: f for f in evaluate_findings([span], benchmarks=benchmarks)}
    assert set(findings) == {"span_manager_above_range:M1", "span_manager_below_range:M3"}
    assert findings["span_manager_above_range:M1"].title == "Manager Maya has 15 reports"
    assert findings["span_manager_above_range:M1"].severity == "high"  # beyond 12
    assert findings["span_manager_below_range:M3"].severity == "low"  # a small team is never a high problem
    assert findings["span_manager_below_range:M3"].direction == "below"
    assert findings["span_manager_above_range:M1"].evidence["group"] == "M1"
    assert "Maya" in findings["span_manager_above_range:M1"].message_zh


def test_channel_mix_rules_depend_on_the_profile(benchmarks: BenchmarkSet) -> None:
    inside = _metric("inside_share", 80.0)
    assert evaluate_findings([inside], benchmarks=benchmarks) == []
    big_deals = Profile(average_deal_size_usd=250000)
    [finding] = evaluate_findings([inside], benchmarks=benchmarks, profile=big_deals)
    assert finding.id == "mix_inside_heavy_for_large_deals"
    field_heavy = _metric("inside_share", 20.0)
    [finding] = evaluate_findings([field_heavy], benchmarks=benchmarks, profile=Profile(segment="smb"))
    assert finding.id == "mix_field_heavy_for_small_deals"


def test_segment_rules_look_only_at_their_segment(benchmarks: BenchmarkSet) -> None:
    inside = _metric(
        "inside_share", 50.0, by={"segment": {"enterprise": 90.0, "smb": 20.0, "mid_market": 5.0}}
    )
    ids = {finding.id for finding in evaluate_findings([inside], benchmarks=benchmarks)}
    assert ids == {"enterprise_segment_inside_heavy:enterprise", "smb_segment_field_heavy:smb"}


def test_small_samples_do_not_fire_early_attrition(benchmarks: BenchmarkSet) -> None:
    few = _metric("early_attrition_share", 100.0, inputs={"separations": 2, "early_separations": 2})
    many = _metric("early_attrition_share", 40.0, inputs={"separations": 10, "early_separations": 4})
    assert evaluate_findings([few], benchmarks=benchmarks) == []
    [finding] = evaluate_findings([many], benchmarks=benchmarks)
    assert finding.benchmark is None and "rule-of-thumb" in finding.message


def test_missing_metric_values_and_missing_benchmarks_are_skipped() -> None:
    metrics = [_metric("turnover_rate", None), _metric("avg_tenure_months", 3.0, "months")]
    assert (
        evaluate_findings(metrics, benchmarks=BenchmarkSet()) == []
    )  # tenure's threshold lives in a benchmark


def test_findings_come_most_severe_first(benchmarks: BenchmarkSet) -> None:
    metrics = [_metric("avg_tenure_months", 10.0, "months"), _metric("turnover_rate", 50.0)]
    assert [f.severity for f in evaluate_findings(metrics, benchmarks=benchmarks)] == ["high", "low"]


def test_a_broken_rules_file_names_the_problem(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text("rules:\n  - id: x\n    metric: turnover_rate\n    colour: red\n")
    with pytest.raises(ConfigError, match="invalid"):
        load_rules(path)
