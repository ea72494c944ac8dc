"""The facts a plan stands on: the rules layer's analysis, the recommended actions and the scenario behind each one.

Recommendations are ordered by severity, then by the estimated effect of their scenario in dollars (turnover cost
avoided plus ramped capacity gained), then by the playbook's order. A goal such as "grow enterprise bookings 40%"
sets the bookings target (current bookings × 1.4) when the profile has none, so the capacity model sizes the hires.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from advisor.org.analysis import OrgAnalysis, analyze
from advisor.org.benchmarks import BenchmarkSet
from advisor.org.findings import SEVERITIES
from advisor.org.profile import Profile
from advisor.org.roster import Roster
from advisor.org.types import Finding, Metric
from advisor.plan.document import ScenarioRun
from advisor.plan.playbook import Playbook, Recommendation, load_playbook, recommend
from advisor.plan.scenarios import scenario_for

_GROWTH = re.compile(r"\b(?:grow|increase|raise|lift|boost)\b[^%]*?(\d+(?:\.\d+)?)\s*%", re.IGNORECASE)
_EFFECT_METRICS = {"turnover_cost": -1.0, "ramped_capacity": 1.0}  # dollars gained per unit of change


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
    org: OrgAnalysis | None = None

    @property
    def as_of(self) -> date | None:
        """The as-of date the metrics were counted at."""
        return self.org.period.as_of if self.org is not None else None

    def metric(self, metric_id: str) -> Metric | None:
        """The metric with this id, or None."""
        return next((m for m in self.metrics if m.id == metric_id), None)

    def findings_on(self, metric_id: str) -> list[Finding]:
        """Findings about one metric, most severe first."""
        return [f for f in self.findings if f.metric_id == metric_id]


def goal_profile(goal: str | None, profile: Profile, roster: Roster) -> Profile:
    """The profile with a bookings target from a growth goal ("grow bookings 40%"), unless it already has one."""
    if not goal or profile.bookings_target_usd is not None or "bookings" not in roster.df:
        return profile
    match = _GROWTH.search(goal)
    bookings = float(roster.df["bookings"].fillna(0).sum())
    if match is None or bookings <= 0:
        return profile
    return profile.model_copy(update={"bookings_target_usd": bookings * (1 + float(match.group(1)) / 100)})


def effect_usd(run: ScenarioRun | None) -> float:
    """A scenario's estimated effect in dollars: turnover cost avoided plus ramped capacity gained."""
    if run is None:
        return 0.0
    return sum(_EFFECT_METRICS.get(m, 0.0) * (after - before) for m, before, after, _ in run.changes)


def analyse(
    roster: Roster | None,
    *,
    profile: Profile | None,
    benchmarks: BenchmarkSet,
    as_of: date | None = None,
    period_start: date | None = None,
    goal: str | None = None,
) -> Analysis:
    """Metrics, findings, recommendations and their scenarios for a roster (an empty analysis without one)."""
    playbook = load_playbook()
    if roster is None:
        return Analysis(roster=None, benchmarks=benchmarks, playbook=playbook)
    profile = goal_profile(goal, profile or Profile(), roster)
    org = analyze(roster, benchmarks=benchmarks, profile=profile, as_of=as_of, period_start=period_start)
    by_id = {m.id: m for m in org.metrics}
    recommendations = recommend(org.findings, playbook=playbook, metrics=by_id)
    scenarios = {}
    for rec in recommendations:
        run = scenario_for(rec, roster=roster, metrics=org.metrics, as_of=org.period.as_of,
                           period_start=period_start, profile=profile, benchmarks=benchmarks)  # fmt: skip
        if run is not None:
            scenarios[rec.key] = run
    order = {action.id: number for number, action in enumerate(playbook.actions)}
    recommendations.sort(key=lambda rec: (SEVERITIES.index(rec.lead.severity), -effect_usd(scenarios.get(rec.key)),
                                          order.get(rec.action.id, len(order))))  # fmt: skip
    return Analysis(
        roster=roster,
        metrics=org.metrics,
        findings=org.findings,
        recommendations=recommendations,
        scenarios=scenarios,
        benchmarks=benchmarks,
        playbook=playbook,
        org=org,
    )
