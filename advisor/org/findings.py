"""Findings: rules (data in rules.yaml) compare metrics with benchmarks and name what to fix, in English and Chinese."""

from __future__ import annotations

import math
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

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
    per: Literal["role", "channel", "segment", "territory", "manager", "product_line"] | None = None
    groups: list[str] | None = None
    above: Threshold | None = None
    below: Threshold | None = None
    cite: bool = True
    severity: Literal["high", "medium", "low", "info"] = "medium"
    escalate_above: float | None = None
    escalate_below: float | None = None
    requires: dict[str, float] = Field(default_factory=dict)
    needs: list[str] = Field(default_factory=list)
    when_missing: bool = False
    when_profile: list[dict[str, Any]] | None = None
    topics: list[str]
    title: Text
    message: Text
    title_many: Text | None = None
    message_many: Text | None = None
    cause: Text | None = None

    @model_validator(mode="after")
    def _one_side(self) -> Rule:
        if not self.when_missing and (self.above is None) == (self.below is None):
            raise ValueError(f"rule {self.id} needs exactly one of above or below (one direction per rule)")
        if self.per is not None and (self.title_many is None or self.message_many is None):
            raise ValueError(f"rule {self.id} runs per {self.per}: it needs title_many and message_many")
        return self

    @property
    def side(self) -> Literal["above", "below", "missing"]:
        """The direction the rule fires on."""
        if self.when_missing:
            return "missing"
        return "above" if self.above is not None else "below"

    def threshold(self, benchmark: Benchmark | None) -> float | None:
        """The numeric threshold, resolving `benchmark.low/high` against the cited benchmark."""
        value = self.above if self.side == "above" else self.below
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


def _benchmark_text(benchmark: Benchmark | None, unit: str, lang: str) -> str:
    if benchmark is None:
        return "no published benchmark" if lang == "en" else "无公开基准"
    low, high = benchmark.low, benchmark.high
    if low is not None and high is not None and low != high:
        return f"{format_number(low, unit, lang=lang)}-{format_number(high, unit, lang=lang)}"
    return format_number(high if high is not None else low, unit, lang=lang)


def _breach(rule: Rule, value: float, threshold: float) -> str | None:
    """The severity when the value is past the threshold on the rule's side, else None."""
    if rule.side == "above" and value > threshold:
        return "high" if rule.escalate_above is not None and value >= rule.escalate_above else rule.severity
    if rule.side == "below" and value < threshold:
        return "high" if rule.escalate_below is not None and value <= rule.escalate_below else rule.severity
    return None


def _texts(
    rule: Rule, fields: dict[str, str], values: dict[str, dict[str, str]], many: bool
) -> dict[str, tuple[str, str]]:
    texts = {}
    for lang in ("en", "zh"):
        filled = _Fields({**fields, **values[lang]})
        title, message = (rule.title_many, rule.message_many) if many else (rule.title, rule.message)
        assert title is not None and message is not None
        texts[lang] = (getattr(title, lang).format_map(filled), getattr(message, lang).format_map(filled))
    return texts


def _make(
    rule: Rule,
    metric: Metric,
    benchmark: Benchmark | None,
    severity: str,
    evidence: dict[str, Any],
    texts: dict[str, tuple[str, str]],
    finding_id: str,
) -> Finding:
    return Finding(
        id=finding_id,
        severity=severity,
        title=texts["en"][0],
        message=texts["en"][1],
        metric_id=metric.id,
        evidence=evidence,
        benchmark=benchmark,
        topics=tuple(rule.topics),
        title_zh=texts["zh"][0],
        message_zh=texts["zh"][1],
        direction=rule.side,
        cause=rule.cause.en if rule.cause else "",
        cause_zh=rule.cause.zh if rule.cause else "",
    )


def _common(metric: Metric, benchmark: Benchmark | None) -> dict[str, str]:
    return {
        **_format_inputs(metric.inputs),
        "cite": benchmark.citation if benchmark else "",
        "note": metric.note,
    }


def _localised(metric: Metric, benchmark: Benchmark | None, **numbers: float) -> dict[str, dict[str, str]]:
    simple = str(metric.inputs.get("definition", "")).startswith("simple")
    return {
        lang: {
            **{key: format_number(value, metric.unit, lang=lang) for key, value in numbers.items()},
            "benchmark": _benchmark_text(benchmark, metric.unit, lang),
            "year": str(benchmark.year) if benchmark and benchmark.year else _NO_YEAR[lang],
            "source": benchmark.name(lang) if benchmark else "",
            "per_year": _RATE_SPAN["en"][simple],
            "rate_kind": _RATE_SPAN["zh"][simple],
        }
        for lang in ("en", "zh")
    }


_NO_YEAR = {"en": "n.d.", "zh": "年份不详"}
# how a turnover rate reads: annualised from dates, or a status export's simple attrition over the period
_RATE_SPAN = {
    "en": ("a year", "over the period as a simple attrition rate"),
    "zh": ("年化", "期内简单"),
}
MAX_NAMED = 10  # a grouped finding names the groups furthest out; the full list is in its evidence


def _overall(rule: Rule, metric: Metric, benchmark: Benchmark | None) -> Finding | None:
    if rule.side == "missing":
        if metric.value is not None:
            return None
        fields = _common(metric, benchmark)
        texts = _texts(rule, fields, _localised(metric, benchmark), many=False)
        missing = {"metric_id": metric.id, "value": None, "unit": metric.unit, "comparison": "missing",
                   "note": metric.note}  # fmt: skip
        return _make(rule, metric, benchmark, rule.severity, missing, texts, rule.id)
    threshold = rule.threshold(benchmark)
    if metric.value is None or threshold is None:
        return None
    severity = _breach(rule, metric.value, threshold)
    if severity is None:
        return None
    texts = _texts(rule, _common(metric, benchmark), _localised(metric, benchmark, value=metric.value,
                   threshold=threshold), many=False)  # fmt: skip
    evidence: dict[str, Any] = {
        "metric_id": metric.id,
        "value": metric.value,
        "unit": metric.unit,
        "comparison": rule.side,
        "threshold": threshold,
        "basis": "benchmark" if isinstance(getattr(rule, rule.side), str) else "rule threshold",
        "inputs": {key: item for key, item in metric.inputs.items() if key != "names"},
    }
    return _make(rule, metric, benchmark, severity, evidence, texts, rule.id)


def _per_group(rule: Rule, metric: Metric, benchmark: Benchmark | None) -> Finding | None:
    threshold = rule.threshold(benchmark)
    if threshold is None or rule.per is None:
        return None
    names = metric.inputs.get("names", {})
    breaches = []
    for group, value in metric.by.get(rule.per, {}).items():
        if value is None or (rule.groups is not None and group not in rule.groups):
            continue
        severity = _breach(rule, value, threshold)
        if severity is not None:
            breaches.append((group, value, severity))
    if not breaches:
        return None
    breaches.sort(key=lambda item: (-abs(item[1] - threshold), item[0]))
    severity = min((item[2] for item in breaches), key=SEVERITIES.index)
    groups: list[dict[str, Any]] = [
        {"group": g, "name": str(names.get(g, g)), "value": v} for g, v, _ in breaches
    ]
    evidence: dict[str, Any] = {
        "metric_id": metric.id,
        "unit": metric.unit,
        "comparison": rule.side,
        "threshold": threshold,
        "basis": "benchmark" if isinstance(getattr(rule, rule.side), str) else "rule threshold",
        "dimension": rule.per,
        "overall_value": metric.value,
        "count": len(groups),
        "groups": groups,
    }
    fields = _common(metric, benchmark)
    if len(groups) == 1:
        only = groups[0]
        evidence.update(group=only["group"], name=only["name"], value=only["value"])
        fields.update(group=only["group"], name=only["name"])
        values = _localised(metric, benchmark, value=only["value"], threshold=threshold)
        return _make(rule, metric, benchmark, severity, evidence, _texts(rule, fields, values, many=False),
                     f"{rule.id}:{only['group']}")  # fmt: skip
    values = _localised(metric, benchmark, threshold=threshold)
    for lang, sep in (("en", ", "), ("zh", "、")):
        named = [
            f"{g['name']} ({format_number(g['value'], metric.unit, lang=lang)})" for g in groups[:MAX_NAMED]
        ]
        values[lang]["furthest"] = sep.join(named)
    fields.update(count=str(len(groups)), named=str(min(len(groups), MAX_NAMED)))
    evidence["value"] = groups[0]["value"]
    return _make(
        rule, metric, benchmark, severity, evidence, _texts(rule, fields, values, many=True), rule.id
    )


def evaluate_findings(
    metrics: list[Metric],
    *,
    benchmarks: BenchmarkSet,
    profile: Profile | None = None,
    rules: tuple[Rule, ...] | None = None,
) -> list[Finding]:
    """Apply every rule to the metrics; most severe first, in rule order within a severity.

    A rule runs when its preconditions hold (`needs` metrics have values, `requires` inputs reach their minimum,
    `when_profile` matches); it cites the one benchmark chosen for its metric (see `BenchmarkSet.chosen`).
    Per-group rules give one finding per rule: the single group, or every group past the threshold as data.
    """
    by_id = {metric.id: metric for metric in metrics}
    findings: list[Finding] = []
    for rule in rules if rules is not None else load_rules():
        metric = by_id.get(rule.metric)
        if metric is None or not _profile_matches(rule, profile):
            continue
        if any(by_id.get(need) is None or by_id[need].value is None for need in rule.needs):
            continue
        if any(float(metric.inputs.get(key, 0) or 0) < minimum for key, minimum in rule.requires.items()):
            continue
        benchmark = benchmarks.chosen(rule.metric) if rule.cite else None
        finding = (
            _overall(rule, metric, benchmark) if rule.per is None else _per_group(rule, metric, benchmark)
        )
        if finding is not None:
            findings.append(finding)
    return sorted(findings, key=lambda finding: SEVERITIES.index(finding.severity))
