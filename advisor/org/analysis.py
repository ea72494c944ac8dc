"""Compute every metric for a roster, and shape metrics, findings and issues as the JSON contract."""

from __future__ import annotations

import math
from datetime import date
from typing import Any

from advisor.bundled import BENCHMARKS_FILE
from advisor.org.benchmarks import BenchmarkSet, load_benchmarks
from advisor.org.capacity import plan_inputs, ramped_capacity, reps_needed, turnover_cost
from advisor.org.metrics import (
    SPAN_RANGE,
    avg_tenure_months,
    early_attrition_share,
    headcounts,
    inside_share,
    quota_attainment_share,
    quota_carriers,
    revenue_per_rep,
    sdr_ae_ratio,
    separation_counts,
    span_of_control,
    territory_load_cv,
    turnover_rate,
)
from advisor.org.population import Period, Population
from advisor.org.profile import Profile
from advisor.org.roster import Roster
from advisor.org.types import Finding, Metric

_WITHOUT_ROLE = ("channel", "segment", "territory", "manager")


def default_benchmarks() -> BenchmarkSet:
    """The bundled benchmarks; a missing or malformed file is an error, never an empty set."""
    return load_benchmarks(BENCHMARKS_FILE)


def population(roster: Roster, *, as_of: date | None = None, period_start: date | None = None) -> Population:
    """The population a roster describes over the period ending at `as_of` (default: the roster's as-of date)."""
    return Population(roster, Period.ending(as_of or roster.as_of, period_start))


def compute_metrics(
    roster: Roster,
    *,
    as_of: date | None = None,
    period_start: date | None = None,
    profile: Profile | None = None,
    benchmarks: BenchmarkSet | None = None,
) -> list[Metric]:
    """Every structural metric, overall and by group, in a fixed order."""
    pop = population(roster, as_of=as_of, period_start=period_start)
    profile = profile or Profile()
    benchmarks = benchmarks if benchmarks is not None else default_benchmarks()
    sdr = pop.is_role("sdr")
    turnover = turnover_rate(pop=pop)
    metrics = [
        *headcounts(pop=pop),
        *separation_counts(pop=pop),
        turnover,
        turnover_rate(
            pop=pop, voluntary=True, metric_id="voluntary_turnover_rate", label="Voluntary turnover rate"
        ),
        turnover_rate(
            pop=pop,
            scope=sdr,
            metric_id="sdr_turnover_rate",
            scope_text="role sdr only: ",
            label="SDR turnover rate",
            dims=_WITHOUT_ROLE,
        ),
        early_attrition_share(pop=pop),
        avg_tenure_months(pop=pop),
        avg_tenure_months(
            pop=pop,
            scope=sdr,
            metric_id="sdr_avg_tenure_months",
            scope_text="role sdr only: ",
            label="SDR average tenure",
            dims=_WITHOUT_ROLE,
        ),
        *span_of_control(pop=pop),
        sdr_ae_ratio(pop=pop),
        inside_share(pop=pop),
        quota_attainment_share(pop=pop),
        revenue_per_rep(pop=pop),
        territory_load_cv(pop=pop),
    ]
    carriers = turnover_rate(pop=pop, scope=quota_carriers(pop), metric_id="quota_carrier_turnover")
    plan = plan_inputs(
        pop=pop,
        profile=profile,
        benchmarks=benchmarks,
        carrier_turnover=carriers.value if carriers.value is not None else turnover.value,
        overall_turnover=turnover.value,
    )
    capacity = ramped_capacity(pop=pop, plan=plan)
    metrics += [
        capacity,
        reps_needed(pop=pop, plan=plan, capacity=capacity),
        turnover_cost(pop=pop, plan=plan),
    ]
    return metrics


def definitions(
    roster: Roster, *, as_of: date | None = None, period_start: date | None = None
) -> dict[str, Any]:
    """How the numbers were counted: the period, what active and separation mean, and the attrition definition."""
    period = Period.ending(as_of or roster.as_of, period_start)
    status = roster.definition == "status"
    return {
        "as_of": period.as_of.isoformat(),
        "period_start": period.start.isoformat(),
        "period_months": period.months,
        "attrition_definition": (
            "simple attrition rate: leavers ÷ headcount at period start (status export with a left/stayed flag "
            "and no exit dates; not annualised)"
            if status
            else "separations ÷ average of headcount at period start and at the as-of date, annualised × 12 ÷ months"
        ),
        "active": "hire_date <= D and (exit_date empty or exit_date > D)"
        if not status
        else "flag says stayed",
        "separation": (
            "exit in (period_start, as_of] with exit_reason voluntary, involuntary or empty; "
            "promotions and transfers are internal moves, not separations"
        ),
        "tenure_month_days": 30.4375,
        "span_range": list(SPAN_RANGE),
        "units": {
            "%": "percent (27.0 means 27%)",
            "AEs per SDR": "1 SDR : N AEs",
            "USD": "US dollars",
            "months": "months of 30.4375 days",
            "reports per manager": "active direct reports",
        },
        "roster": roster.summary(),
    }


def clean_json(value: Any) -> Any:
    """Replace NaN and infinities with None and numpy scalars with Python ones, recursively."""
    if isinstance(value, dict):
        return {str(key): clean_json(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [clean_json(item) for item in value]
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def analysis_to_json(
    roster: Roster,
    metrics: list[Metric],
    findings: list[Finding],
    *,
    as_of: date | None = None,
    period_start: date | None = None,
) -> dict[str, Any]:
    """The analysis as `{"metrics", "findings", "errors", "definitions"}`: JSON-ready, no NaN."""
    return clean_json(
        {
            "metrics": [metric.to_dict() for metric in metrics],
            "findings": [finding.to_dict() for finding in findings],
            "errors": [issue.to_dict() for issue in roster.issues],
            "definitions": definitions(roster, as_of=as_of, period_start=period_start),
        }
    )
