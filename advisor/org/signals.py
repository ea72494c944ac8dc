"""Signal search across groups: the managers, territories, segments, roles, channels and product lines that stand out.

The test (parameters in the `signals:` section of rules.yaml): for each listed metric and each dimension with
per-group values, keep the groups with at least `min_size` people in the period (and, for turnover, `min_leavers` separations); with at least `min_groups` of them,
compare each group with the median of those groups. A group stands out when it is worse than the median (lower for
`better: higher`, higher for `better: lower`) by at least `min_gap_pct` % of the median, or, for percentages, by at
least `min_gap_pp` points. The median, not the mean, so one extreme group cannot hide the others.

Separately, active quota carriers whose bookings, or open pipeline, are recorded as 0 (past the first months of ramp
when hire dates are known) are listed by name; a roster without the column gets no such finding.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import numpy as np
import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from advisor.errors import ConfigError
from advisor.org.findings import MAX_NAMED, RULES_FILE
from advisor.org.metrics import quota_carriers
from advisor.org.population import Population
from advisor.org.present import format_number
from advisor.org.types import Finding, Metric


class SignalMetric(BaseModel):
    """One metric the search scans, and which direction is better."""

    model_config = ConfigDict(extra="forbid")

    metric: str
    better: Literal["higher", "lower"]
    min_size: int = 3
    min_leavers: int = 0  # for turnover metrics: a group needs this many separations to stand out
    # groups left out of the search because a rule of their own judges them (dimension -> group values)
    skip: dict[str, list[str]] = {}
    topics: list[str]


class ZeroSearch(BaseModel):
    """How the no-bookings and no-pipeline searches treat new hires."""

    model_config = ConfigDict(extra="forbid")

    ramp_months: float = 3


class SignalConfig(BaseModel):
    """The `signals:` section of rules.yaml."""

    model_config = ConfigDict(extra="forbid")

    min_groups: int = 3
    min_gap_pct: float = 25
    min_gap_pp: float = 10
    metrics: list[SignalMetric]
    dimension_labels: dict[str, dict[str, str]]  # en and zh
    value_labels: dict[
        str, dict[str, str]
    ] = {}  # en and zh: coded values (segment, channel, role) as people read
    no_bookings: ZeroSearch = ZeroSearch()
    no_pipeline: ZeroSearch = ZeroSearch()

    def test(self, lang: str = "en") -> str:
        """The test in words, as every signal finding states it."""
        if lang == "zh":
            return (f"检验方法：至少 {self.min_groups} 个组、每组期内至少有若干人；某组比各组中位数差 "
                    f"{self.min_gap_pct:g}% 以上（百分比指标差 {self.min_gap_pp:g} 个百分点以上）即视为突出。")  # fmt: skip
        return (f"Test: at least {self.min_groups} groups with enough people each; a group stands out when it is "
                f"worse than the median of the groups by {self.min_gap_pct:g}% of the median or more "
                f"({self.min_gap_pp:g} points for percentages).")  # fmt: skip


@lru_cache(maxsize=4)
def load_signals(path: Path = RULES_FILE) -> SignalConfig:
    """The signal-search parameters from the rules file."""
    try:
        return SignalConfig.model_validate(yaml.safe_load(path.read_text(encoding="utf-8"))["signals"])
    except (OSError, yaml.YAMLError, KeyError, TypeError) as exc:
        raise ConfigError(f"Cannot read the `signals:` section of {path}: {exc}.") from exc
    except ValidationError as exc:
        raise ConfigError(f"The `signals:` section of {path} is invalid: {exc.errors()[0]}") from exc


def _names(pop: Population) -> dict[str, str]:
    if not pop.has("name"):
        return {}
    df = pop.roster.df
    return dict(zip(df["rep_id"].astype(str), df["name"].astype(str), strict=True))


def _sizes(pop: Population, dimension: str) -> dict[str, float]:
    sums, labels = pop.group_sums(dimension, (pop.active_start | pop.active_end).astype(float))
    return dict(zip(labels.tolist(), sums.tolist(), strict=True))


def _leavers(pop: Population, dimension: str) -> dict[str, float]:
    sums, labels = pop.group_sums(dimension, pop.separated.astype(float))
    return dict(zip(labels.tolist(), sums.tolist(), strict=True))


def _worse_by(value: float, median: float, *, unit: str, better: str, config: SignalConfig) -> float | None:
    """How far a value is worse than the median, when that passes the test; else None."""
    gap = (median - value) if better == "higher" else (value - median)
    if gap <= 0:
        return None
    if unit == "%":
        return gap if gap >= config.min_gap_pp else None
    if median == 0:
        return None
    return gap if gap / abs(median) * 100 >= config.min_gap_pct else None


def _text(lang: str, key: str, **values: Any) -> str:
    return _TEXTS[key][lang].format(**values)


_TEXTS = {
    "title": {"en": "{label}: {dimension} {name} stands out", "zh": "{label}：{dimension} {name} 明显偏离"},
    "title_many": {
        "en": "{label}: {count} {dimension} groups stand out",
        "zh": "{label}：{count} 个{dimension}明显偏离",
    },
    "message": {
        "en": "{label} is {value} for {dimension} {name} ({size} people), against a median of {median} across {groups} {dimension} groups (best {best}). {test}",
        "zh": "{dimension} {name}（{size} 人）的{label}为 {value}，而 {groups} 个{dimension}的中位数为 {median}（最好为 {best}）。{test}",
    },
    "message_many": {
        "en": "{label} of {furthest} trails the median of {median} across {groups} {dimension} groups (best {best}). {test}",
        "zh": "{furthest} 的{label}落后于 {groups} 个{dimension}的中位数 {median}（最好为 {best}）。{test}",
    },
    "bookings_title": {
        "en": "{count} quota carriers have no bookings",
        "zh": "{count} 名有配额的销售业绩为零",
    },
    "bookings_title_one": {"en": "{name} has no bookings", "zh": "{name} 业绩为零"},
    "bookings_message": {
        "en": "{count} active quota carriers past their first {months} months have $0 bookings: {people}. Check their pipeline, territory and coaching before adding headcount.",
        "zh": "{count} 名入职已超过 {months} 个月的在职有配额销售业绩为 $0：{people}。在增加人手之前，应检查他们的销售管道、区域与辅导。",
    },
    "pipeline_title": {
        "en": "{count} quota carriers have no open pipeline",
        "zh": "{count} 名有配额的销售没有在途商机",
    },
    "pipeline_title_one": {"en": "{name} has no open pipeline", "zh": "{name} 没有在途商机"},
    "pipeline_message": {
        "en": "{count} active quota carriers past their first {months} months have $0 open pipeline: {people}. Their next bookings depend on it: check their prospecting, territory and SDR support before judging their quota.",
        "zh": "{count} 名入职已超过 {months} 个月的在职有配额销售在途商机为 $0：{people}。他们下一阶段的业绩取决于商机：在评判其配额之前，应检查他们的客户开发、区域与 SDR 支持。",
    },
}
_ZH_LABELS = {"revenue_per_rep": "人均收入", "pipeline_per_rep": "人均在途商机", "quota_attainment_share": "配额达成者占比", "turnover_rate": "离职率",
              "early_attrition_share": "早期流失占比"}  # fmt: skip


def _label(metric: Metric, lang: str) -> str:
    return _ZH_LABELS.get(metric.id, metric.label) if lang == "zh" else metric.label or metric.id


def _finding(
    metric: Metric, spec: SignalMetric, dimension: str, outliers: list[dict[str, Any]], stats: dict[str, float],
    config: SignalConfig,
) -> Finding:  # fmt: skip
    texts = {}
    for lang, sep in (("en", ", "), ("zh", "、")):
        dim = config.dimension_labels[lang].get(dimension, dimension)
        label = _label(metric, lang)
        shown = {
            key: format_number(value, metric.unit, lang=lang)
            for key, value in stats.items()
            if key != "groups"
        }
        common = {
            "label": label,
            "dimension": dim,
            "groups": int(stats["groups"]),
            "test": config.test(lang),
            **shown,
        }
        if len(outliers) == 1:
            only = outliers[0]
            value = format_number(only["value"], metric.unit, lang=lang)
            name = config.value_labels.get(lang, {}).get(only["name"], only["name"])
            title = _text(lang, "title", name=name, **common)
            message = _text(lang, "message", name=name, value=value, size=int(only["size"]), **common)
        else:
            furthest = sep.join(
                f"{config.value_labels.get(lang, {}).get(o['name'], o['name'])} "
                f"({format_number(o['value'], metric.unit, lang=lang)})"
                for o in outliers[:MAX_NAMED]
            )
            title = _text(lang, "title_many", count=len(outliers), **common)
            message = _text(lang, "message_many", furthest=furthest, **common)
        texts[lang] = (title, message)
    suffix = f":{outliers[0]['group']}" if len(outliers) == 1 else ""
    return Finding(
        id=f"signal:{metric.id}:{dimension}{suffix}",
        severity="medium" if len(outliers) > 1 or outliers[0]["size"] >= 5 else "low",
        title=texts["en"][0],
        message=texts["en"][1],
        metric_id=metric.id,
        evidence={
            "metric_id": metric.id,
            "unit": metric.unit,
            "comparison": "outlier",
            "better": spec.better,
            "dimension": dimension,
            "median": stats["median"],
            "best": stats["best"],
            "groups_compared": stats["groups"],
            "test": config.test(),
            "count": len(outliers),
            "groups": outliers,
            "value": outliers[0]["value"],
            "group": outliers[0]["group"],
            "name": outliers[0]["name"],
            "overall_value": metric.value,
        },  # fmt: skip
        benchmark=None,
        topics=tuple(spec.topics),
        title_zh=texts["zh"][0],
        message_zh=texts["zh"][1],
        direction="outlier",
    )


def group_signals(
    *, pop: Population, metrics: list[Metric], config: SignalConfig | None = None
) -> list[Finding]:
    """Findings for groups that stand out against the median of their dimension (the module docstring's test)."""
    config = config or load_signals()
    by_id = {metric.id: metric for metric in metrics}
    names = _names(pop)
    findings = []
    for spec in config.metrics:
        metric = by_id.get(spec.metric)
        if metric is None or metric.value is None:
            continue
        for dimension, values in metric.by.items():
            sizes = _sizes(pop, dimension)
            leavers = _leavers(pop, dimension) if spec.min_leavers else {}
            skipped = set(spec.skip.get(dimension, []))
            kept = {g: v for g, v in values.items()
                    if v is not None and sizes.get(g, 0) >= spec.min_size and g not in skipped}  # fmt: skip
            if len(kept) < config.min_groups:
                continue
            numbers = np.array(list(kept.values()), dtype=float)
            median = float(np.median(numbers))
            best = float(numbers.max() if spec.better == "higher" else numbers.min())
            outliers: list[dict[str, Any]] = []
            for group, value in kept.items():
                gap = _worse_by(value, median, unit=metric.unit, better=spec.better, config=config)
                if gap is not None and leavers.get(group, 0) >= spec.min_leavers:
                    name = names.get(group, group) if dimension == "manager" else group
                    outliers.append(
                        {"group": group, "name": name, "value": value, "size": sizes[group], "gap": gap}
                    )
            if outliers:
                outliers.sort(key=lambda item: (-item["gap"], item["group"]))
                stats = {"median": median, "best": best, "groups": float(len(kept))}
                findings.append(_finding(metric, spec, dimension, outliers, stats, config))
    return findings


def no_bookings(*, pop: Population, config: SignalConfig | None = None) -> list[Finding]:
    """One finding listing the active quota carriers with bookings recorded as 0 (past their first months)."""
    config = config or load_signals()
    return _zero(pop, "bookings", pop.bookings, config.no_bookings, metric_id="revenue_per_rep",
                 topics=("revenue_per_rep", "pipeline", "attainment", "training"))  # fmt: skip


def no_pipeline(*, pop: Population, config: SignalConfig | None = None) -> list[Finding]:
    """One finding listing the active quota carriers with open pipeline recorded as 0 (past their first months)."""
    config = config or load_signals()
    return _zero(pop, "pipeline", pop.pipeline, config.no_pipeline, metric_id="pipeline_per_rep",
                 topics=("pipeline", "attainment", "sdr_ae_ratio", "territory"))  # fmt: skip


def _zero(
    pop: Population, column: str, values: np.ndarray, search: ZeroSearch, *, metric_id: str,
    topics: tuple[str, ...],
) -> list[Finding]:  # fmt: skip
    if not pop.has(column):
        return []
    months = search.ramp_months
    settled = np.nan_to_num(pop.tenure_months, nan=np.inf) >= months
    zero = pop.active_end & quota_carriers(pop) & (np.nan_to_num(values, nan=-1.0) == 0) & settled
    if not zero.any():
        return []
    ids = pop.rep_id[zero].astype(str).tolist()
    names = _names(pop)
    people = [{"rep_id": rep, "name": names.get(rep, rep)} for rep in ids]
    texts = {}
    for lang, sep in (("en", ", "), ("zh", "、")):
        listed = sep.join(f"{p['name']} ({p['rep_id']})" if p["name"] != p["rep_id"] else p["rep_id"]
                          for p in people[:MAX_NAMED])  # fmt: skip
        more = len(people) - MAX_NAMED
        if more > 0:
            listed += f" (+{more})"
        key = f"{column}_title_one" if len(people) == 1 else f"{column}_title"
        texts[lang] = (
            _text(lang, key, count=len(people), name=people[0]["name"]),
            _text(lang, f"{column}_message", count=len(people), months=f"{months:g}", people=listed),
        )
    return [
        Finding(
            id=f"signal:no_{column}",
            severity="medium",
            title=texts["en"][0],
            message=texts["en"][1],
            metric_id=metric_id,
            evidence={
                "comparison": "zero",
                "count": len(people),
                "people": people,
                "value": 0.0,
                "unit": "USD",
                "ramp_months": months,
            },  # fmt: skip
            benchmark=None,
            topics=topics,
            title_zh=texts["zh"][0],
            message_zh=texts["zh"][1],
            direction="below",
        )
    ]
