"""Findings: rules (data in rules.yaml) compare metrics with benchmarks and name what to fix, in English and Chinese."""

from __future__ import annotations

import math
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from advisor.errors import ConfigError
from advisor.org.benchmarks import BenchmarkSet
from advisor.org.present import format_number
from advisor.org.profile import Profile
from advisor.org.types import Benchmark, Finding, Metric

RULES_FILE = Path(__file__).with_name("rules.yaml")
SEVERITIES = ("high", "medium", "low", "info")
TOPICS = (
    "turnover", "retention", "career_path", "onboarding", "training", "quotas_kpis", "burnout", "sdr",
    "inside_sales", "field_sales", "sales_mix", "territory", "account_size", "product_line", "industry",
    "channel_strategy", "marketing_alignment", "customer_engagement", "segmentation", "content", "span_of_control",
    "sdr_ae_ratio", "attainment", "pipeline", "capacity", "ramp", "cost_of_turnover", "revenue_per_rep", "metrics",
)  # fmt: skip
Threshold = float | Literal["benchmark.low", "benchmark.high"]


class Text(BaseModel):
    """A text in English and Chinese."""

    model_config = ConfigDict(extra="forbid")

    en: str
    zh: str


class Rule(BaseModel):
    """One findings rule, as written in rules.yaml (the file's header documents every field)."""

    model_config = ConfigDict(extra="forbid")

    id: str
    metric: str
    per: Literal["role", "channel", "segment", "territory", "manager"] | None = None
    groups: list[str] | None = None
    above: Threshold | None = None
    below: Threshold | None = None
    benchmark: str | None = None
    severity: Literal["high", "medium", "low", "info"] = "medium"
    escalate_above: float | None = None
    escalate_below: float | None = None
    requires: dict[str, float] = Field(default_factory=dict)
    when_profile: list[dict[str, Any]] | None = None
    topics: list[str]
    title: Text
    message: Text

    def threshold(self, side: Literal["above", "below"], benchmark: Benchmark | None) -> float | None:
        """The numeric threshold on one side, resolving `benchmark.low/high`."""
        value = self.above if side == "above" else self.below
        if not isinstance(value, str):
            return value
        if benchmark is None:
            return None
        return benchmark.low if value == "benchmark.low" else benchmark.high


@lru_cache(maxsize=4)
def load_rules(path: Path = RULES_FILE) -> tuple[Rule, ...]:
    """Read and check the rules file; unknown fields or topics fail with the rule's id."""
    try:
        payload = yaml.safe_load(path.read_text(encoding="utf-8"))
        rules = tuple(Rule.model_validate(item) for item in payload["rules"])
    except (OSError, yaml.YAMLError, KeyError, TypeError) as exc:
        raise ConfigError(f"Cannot read findings rules {path}: {exc}. It needs a `rules:` list.") from exc
    except ValidationError as exc:
        raise ConfigError(f"Findings rules {path} are invalid: {exc.errors()[0]}") from exc
    for rule in rules:
        unknown = set(rule.topics) - set(TOPICS)
        if unknown:
            raise ConfigError(f"Rule {rule.id} in {path} names unknown topics {sorted(unknown)}.")
    return rules


def _profile_matches(rule: Rule, profile: Profile | None) -> bool:
    if rule.when_profile is None:
        return True
    if profile is None:
        return False
    for alternative in rule.when_profile:
        matched = True
        for key, condition in alternative.items():
            actual = getattr(profile, key, None)
            if isinstance(condition, list):
                matched &= actual in condition
            elif isinstance(condition, dict):
                matched &= actual is not None and actual >= condition.get("min", -math.inf)
                matched &= actual is not None and actual <= condition.get("max", math.inf)
            else:
                matched &= actual == condition
        if matched:
            return True
    return False


class _Fields(dict[str, str]):
    """Message placeholders; one the metric does not provide prints as n/a instead of failing."""

    def __missing__(self, key: str) -> str:
        return "n/a"


def _format_inputs(inputs: dict[str, Any]) -> dict[str, str]:
    shown = {}
    for key, value in inputs.items():
        if isinstance(value, dict | list | tuple):
            continue  # breakdowns are evidence, not message text
        if isinstance(value, bool) or not isinstance(value, int | float):
            shown[f"in_{key}"] = str(value)
        elif key.endswith("_usd"):
            shown[f"in_{key}"] = format_number(float(value), "USD")
        else:
            shown[f"in_{key}"] = format_number(float(value), "")
    return shown


def _benchmark_text(benchmark: Benchmark | None, unit: str) -> str:
    if benchmark is None:
        return "no published benchmark"
    low, high = benchmark.low, benchmark.high
    if low is not None and high is not None and low != high:
        return f"{format_number(low, unit)}-{format_number(high, unit)}"
    return format_number(high if high is not None else low, unit)


def _breach(
    rule: Rule, value: float, benchmark: Benchmark | None
) -> tuple[Literal["above", "below"], float, str] | None:
    """(side, threshold, severity) when the value is past a threshold, else None."""
    above, below = rule.threshold("above", benchmark), rule.threshold("below", benchmark)
    if above is not None and value > above:
        high = rule.escalate_above is not None and value >= rule.escalate_above
        return "above", above, "high" if high else rule.severity
    if below is not None and value < below:
        high = rule.escalate_below is not None and value <= rule.escalate_below
        return "below", below, "high" if high else rule.severity
    return None


def _finding(
    rule: Rule,
    metric: Metric,
    value: float,
    group: str | None,
    benchmark: Benchmark | None,
    inputs: dict[str, str],
) -> Finding | None:
    breach = _breach(rule, value, benchmark)
    if breach is None:
        return None
    side, threshold, severity = breach
    source = benchmark.source if benchmark else "rules.yaml (rule of thumb)"
    fields: dict[str, str] = {
        **inputs,
        "group": group or "",
        "name": str(metric.inputs.get("names", {}).get(group, group)) if group else "",
        "source": source,
        "year": str(benchmark.year) if benchmark and benchmark.year else "n.d.",
        "benchmark": _benchmark_text(benchmark, metric.unit),
    }
    texts = {}
    for lang in ("en", "zh"):
        values = _Fields(fields)
        values["value"] = format_number(value, metric.unit, lang=lang)
        values["threshold"] = format_number(threshold, metric.unit, lang=lang)
        texts[lang] = (
            getattr(rule.title, lang).format_map(values),
            getattr(rule.message, lang).format_map(values),
        )
    evidence: dict[str, Any] = {
        "metric_id": metric.id,
        "value": value,
        "unit": metric.unit,
        "comparison": side,
        "threshold": threshold,
        "basis": "benchmark" if benchmark and isinstance(getattr(rule, side), str) else "rule threshold",
    }
    if group is None:
        evidence["inputs"] = {key: item for key, item in metric.inputs.items() if key != "names"}
    else:
        evidence.update(dimension=rule.per, group=group, name=fields["name"], overall_value=metric.value)
    return Finding(
        id=f"{rule.id}:{group}" if group else rule.id,
        severity=severity,
        title=texts["en"][0],
        message=texts["en"][1],
        metric_id=metric.id,
        evidence=evidence,
        benchmark=benchmark,
        topics=tuple(rule.topics),
        title_zh=texts["zh"][0],
        message_zh=texts["zh"][1],
    )


def evaluate_findings(
    metrics: list[Metric],
    *,
    benchmarks: BenchmarkSet | None = None,
    profile: Profile | None = None,
    rules: tuple[Rule, ...] | None = None,
) -> list[Finding]:
    """Apply every rule to the metrics; findings come most severe first, in rule order within a severity."""
    if benchmarks is None:
        from advisor.org.analysis import default_benchmarks

        benchmarks = default_benchmarks()
    by_id = {metric.id: metric for metric in metrics}
    findings: list[Finding] = []
    for rule in rules if rules is not None else load_rules():
        metric = by_id.get(rule.metric)
        if metric is None or metric.value is None or not _profile_matches(rule, profile):
            continue
        if any(float(metric.inputs.get(key, 0) or 0) < minimum for key, minimum in rule.requires.items()):
            continue
        benchmark = benchmarks.get(rule.benchmark) if rule.benchmark else None
        if rule.benchmark and benchmark is None and any(isinstance(t, str) for t in (rule.above, rule.below)):
            continue  # the threshold lives in a benchmark this knowledge folder does not have
        if rule.per is None:
            candidates: list[tuple[str | None, float | None]] = [(None, metric.value)]
        else:
            candidates = [
                (group, value)
                for group, value in metric.by.get(rule.per, {}).items()
                if rule.groups is None or group in rule.groups
            ]
        inputs = _format_inputs(metric.inputs)
        for group, value in candidates:
            if value is not None:
                finding = _finding(rule, metric, value, group, benchmark, inputs)
                if finding is not None:
                    findings.append(finding)
    return sorted(findings, key=lambda finding: SEVERITIES.index(finding.severity))
