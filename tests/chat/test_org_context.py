"""Metric evidence in the user's language: Chinese evidence carries no English formula or note prose."""

from __future__ import annotations

from advisor.chat.org_context import metric_text
from advisor.org.types import Finding, Metric
from advisor.text.lang import detect_lang

TURNOVER = Metric(
    id="sdr_turnover_rate",
    value=40.0,
    unit="%",
    formula="role sdr only: separations ÷ ((headcount_start + headcount_end) ÷ 2) × 100",
    inputs={"separations": 4, "average_headcount": 10},
)
FINDING = Finding(
    id="sdr_turnover_above_benchmark",
    severity="medium",
    title="SDR turnover above the benchmark",
    message="SDR turnover is 40.0% a year, above the 30.0% reported by The Bridge Group (2017).",
    metric_id="sdr_turnover_rate",
    evidence={"value": 40.0},
    benchmark=None,
    message_zh="SDR 年离职率为 40.0%，高于 The Bridge Group（2017）报告的 30.0%。",
)
NO_MANAGERS = Metric(
    id="span_of_control_mean",
    value=None,
    unit="reports",
    formula="active direct reports per active manager",
    note="No reporting lines: add a manager_id column holding each person's manager's rep_id.",
)


def test_chinese_metric_text_uses_the_chinese_finding_and_no_formula() -> None:
    text = metric_text(TURNOVER, FINDING, lang="zh")
    assert "40.0%" in text and "30.0%" in text
    assert "separations" not in text and "headcount" not in text
    assert detect_lang(text) == "zh"


def test_chinese_missing_metric_names_the_columns_to_add() -> None:
    text = metric_text(NO_MANAGERS, None, lang="zh")
    assert text.endswith("请在名单中补充 manager_id、rep_id。")
    assert "reporting lines" not in text


def test_english_metric_text_keeps_the_formula_and_inputs() -> None:
    text = metric_text(TURNOVER, FINDING, lang="en")
    assert "separations ÷ ((headcount_start + headcount_end) ÷ 2)" in text
    assert "above the 30.0% reported by The Bridge Group (2017)" in text
