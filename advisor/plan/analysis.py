"""The facts a plan stands on: metrics, findings, the recommended actions and the scenario behind each one."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np

from advisor.org.analysis import compute_metrics, default_benchmarks, population
from advisor.org.benchmarks import BenchmarkSet
from advisor.org.findings import evaluate_findings
from advisor.org.profile import Profile
from advisor.org.roster import Roster
from advisor.org.types import Finding, Metric
from advisor.plan.document import ScenarioRun
from advisor.plan.playbook import Playbook, Recommendation, load_playbook, recommend
from advisor.plan.scenarios import scenario_for

# tenure bands of the distribution chart, in months: [low, high)
TENURE_BANDS = ((0, 6), (6, 12), (12, 24), (24, 36), (36, None))


@dataclass
class Analysis:
    """Everything computed from the roster before any text is written (empty lists without a roster)."""

    roster: Roster | None
    metrics: list[Metric] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    recommendations: list[Recommendation] = field(default_factory=list)
    scenarios: dict[str, ScenarioRun] = field(default_factory=dict)  # by recommendation key
    benchmarks: BenchmarkSet = field(default_factory=BenchmarkSet)
    playbook: Playbook = field(default_factory=load_playbook)

    def metric(self, metric_id: str) -> Metric | None:
        """The metric with this id, or None."""
        return next((m for m in self.metrics if m.id == metric_id), None)

    def findings_on(self, metric_id: str) -> list[Finding]:
        """Findings about one metric, most severe first."""
        return [f for f in self.findings if f.metric_id == metric_id]


def tenure_distribution(roster: Roster, *, as_of: date | None) -> Metric:
    """Active people by tenure band (months since hire), for the organisation chart."""
    pop = population(roster, as_of=as_of)
    tenure = pop.tenure_months[pop.active_end & ~np.isnan(pop.tenure_months)]
    counts: dict[str, float | None] = {}
    for low, high in TENURE_BANDS:
        upper = np.inf if high is None else high
        counts[f"{low}-{high or ''}"] = float(((tenure >= low) & (tenure < upper)).sum())
    return Metric(
        id="tenure_distribution",
        value=float(len(tenure)),
        unit="people",
        formula="people active at the as-of date, counted by months since hire_date",
        inputs={"people": len(tenure)},
        by={"tenure_band": counts},
        label="Tenure distribution",
    )


def analyse(roster: Roster | None, *, profile: Profile | None, as_of: date | None) -> Analysis:
    """Metrics, findings, recommendations and their scenarios for a roster (an empty analysis without one)."""
    benchmarks = default_benchmarks()
    playbook = load_playbook()
    if roster is None:
        return Analysis(roster=None, benchmarks=benchmarks, playbook=playbook)
    metrics = compute_metrics(roster, as_of=as_of, profile=profile, benchmarks=benchmarks)
    findings = evaluate_findings(metrics, benchmarks=benchmarks, profile=profile)
    recommendations = recommend(findings, playbook=playbook)
    scenarios = {}
    for rec in recommendations:
        run = scenario_for(rec, roster=roster, metrics=metrics, as_of=as_of, profile=profile)
        if run is not None:
            scenarios[rec.key] = run
    return Analysis(
        roster=roster,
        metrics=[*metrics, tenure_distribution(roster, as_of=as_of)],
        findings=findings,
        recommendations=recommendations,
        scenarios=scenarios,
        benchmarks=benchmarks,
        playbook=playbook,
    )
