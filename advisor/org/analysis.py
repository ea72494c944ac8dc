"""The one analysis entry point: `analyze` computes every metric, finding and group signal of a roster for a period.

Benchmarks are passed in (the edges load them from the bundled file or `--benchmarks`); nothing here reads settings
or the environment. The period follows the data: without an as-of date it ends at the roster's as-of date, which
`load_roster` sets to the latest hire or exit when none was given.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any

from advisor.org.benchmarks import CHOICE_RULE, BenchmarkSet
from advisor.org.capacity import hires_by_segment, plan_inputs, ramped_capacity, reps_needed, turnover_cost
from advisor.org.findings import SEVERITIES, evaluate_findings
from advisor.org.metrics import (
    NOT_ROLE,
    SPAN_RANGE,
    attainment_distribution,
    avg_tenure_months,
    early_attrition_share,
    headcounts,
    inside_share,
    pipeline_per_rep,
    quota_attainment_share,
    quota_carriers,
    revenue_per_rep,
    sdr_ae_ratio,
    separation_counts,
    span_of_control,
    tenure_distribution,
    territory_load_cv,
    turnover_rate,
)
from advisor.org.population import Period, Population
from advisor.org.profile import Profile
from advisor.org.roster import AS_OF_BASES, Roster
from advisor.org.signals import group_signals, no_bookings, no_pipeline
from advisor.org.types import Finding, Metric


def population(roster: Roster, *, as_of: date | None = None, period_start: date | None = None) -> Population:
    """The population a roster describes over the period ending at `as_of` (default: the roster's as-of date)."""
    return Population(roster, Period.ending(as_of or roster.as_of, period_start))


def compute_metrics(
    roster: Roster,
    *,
    as_of: date | None = None,
    period_start: date | None = None,
    profile: Profile | None = None,
    benchmarks: BenchmarkSet,
) -> list[Metric]:
    """Every structural metric, overall and by group, in a fixed order."""
    return _metrics(
        population(roster, as_of=as_of, period_start=period_start), profile or Profile(), benchmarks
    )


def _metrics(pop: Population, profile: Profile, benchmarks: BenchmarkSet) -> list[Metric]:
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
            dims=NOT_ROLE,
        ),
        early_attrition_share(pop=pop),
        avg_tenure_months(pop=pop),
        avg_tenure_months(
            pop=pop,
            scope=sdr,
            metric_id="sdr_avg_tenure_months",
            scope_text="role sdr only: ",
            label="SDR average tenure",
            dims=NOT_ROLE,
        ),
        *span_of_control(pop=pop),
        sdr_ae_ratio(pop=pop),
        inside_share(pop=pop),
        quota_attainment_share(pop=pop),
        revenue_per_rep(pop=pop),
        pipeline_per_rep(pop=pop),
        territory_load_cv(pop=pop),
        tenure_distribution(pop=pop),
        attainment_distribution(pop=pop),
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
    needed = reps_needed(pop=pop, plan=plan, capacity=capacity)
    metrics += [
        capacity,
        needed,
        hires_by_segment(pop=pop, plan=plan, needed=needed),
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
        "as_of_basis": AS_OF_BASES["given" if as_of and as_of != roster.as_of else roster.as_of_basis],
        "benchmark_rule": CHOICE_RULE,
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


@dataclass(frozen=True)
class OrgAnalysis:
    """One roster analysed for one period: metrics, findings (rules and group signals) and how it was counted."""

    roster: Roster
    period: Period
    profile: Profile
    benchmarks: BenchmarkSet
    metrics: list[Metric]
    findings: list[Finding]

    @property
    def as_of_basis(self) -> str:
        """How the as-of date was chosen, in words."""
        given = self.period.as_of != self.roster.as_of
        return AS_OF_BASES["given" if given else self.roster.as_of_basis]

    def metric(self, metric_id: str) -> Metric | None:
        """The metric with this id, or None."""
        return next((metric for metric in self.metrics if metric.id == metric_id), None)

    def to_json(self) -> dict[str, Any]:
        """The documented JSON contract: `{"metrics", "findings", "errors", "definitions"}`, no NaN."""
        return analysis_to_json(
            self.roster, self.metrics, self.findings, as_of=self.period.as_of, period_start=self.period.start
        )

    def __str__(self) -> str:
        return (
            f"Analysis of {self.roster.source} as of {self.period.as_of}: {len(self.metrics)} metrics, "
            f"{len(self.findings)} findings"
        )


def analyze(
    roster: Roster,
    *,
    benchmarks: BenchmarkSet,
    profile: Profile | None = None,
    as_of: date | None = None,
    period_start: date | None = None,
) -> OrgAnalysis:
    """Every metric, finding and group signal of a roster over the period ending at `as_of` (default: the data's)."""
    profile = profile or Profile()
    pop = population(roster, as_of=as_of, period_start=period_start)
    metrics = _metrics(pop, profile, benchmarks)
    findings = evaluate_findings(metrics, benchmarks=benchmarks, profile=profile)
    findings += group_signals(pop=pop, metrics=metrics) + no_bookings(pop=pop) + no_pipeline(pop=pop)
    findings.sort(key=lambda finding: SEVERITIES.index(finding.severity))
    return OrgAnalysis(roster, pop.period, profile, benchmarks, metrics, findings)
