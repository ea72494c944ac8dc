"""The what-if behind each recommendation: its size derived from the findings, run by the rules layer.

Each scenario kind turns an action into the rules layer's edits (hire, add_manager, attrition_pp):

- attrition_to_benchmark: the scoped turnover falls to its finding's threshold; expressed as the change in the
  whole team's expected turnover, weighted by the scope's share of average headcount.
- early_attrition_halved: half of the early leavers stay; the change in expected turnover that implies.
- add_manager: one new manager per manager above the span range (or one when the average is too wide).
- hire_to_ratio: hire AEs (too few per SDR) or SDRs (too many AEs per SDR) up to the nearest edge of the range.
- hire_needed: hire the AEs the capacity model says the bookings target needs.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date

from advisor.org.profile import Profile
from advisor.org.roster import Roster
from advisor.org.scenarios import MetricDelta, ScenarioSpec, run_scenario
from advisor.org.types import Metric
from advisor.plan.document import ScenarioRun
from advisor.plan.playbook import Recommendation

Metrics = dict[str, Metric]
_PCT = 100.0


def _attrition_to_benchmark(rec: Recommendation, metrics: Metrics) -> ScenarioSpec | None:
    assert rec.action.scenario is not None
    scoped = metrics.get(rec.action.scenario.metric or rec.lead.metric_id)
    overall = metrics.get("turnover_rate")
    threshold = rec.lead.evidence.get("threshold")
    if scoped is None or overall is None or scoped.value is None or threshold is None:
        return None
    scope_heads = float(scoped.inputs.get("average_headcount") or 0)
    all_heads = float(overall.inputs.get("average_headcount") or 0)
    if not scope_heads or not all_heads:
        return None
    return ScenarioSpec(attrition_pp=-(scoped.value - float(threshold)) * scope_heads / all_heads)


def _early_attrition_halved(rec: Recommendation, metrics: Metrics) -> ScenarioSpec | None:
    early, overall = metrics.get("early_attrition_share"), metrics.get("turnover_rate")
    if early is None or overall is None or overall.value is None:
        return None
    separations = float(early.inputs.get("separations") or 0)
    early_leavers = float(early.inputs.get("early_separations") or 0)
    if not separations:
        return None
    # the overall rate is proportional to separations, so keeping half the early leavers scales it down
    return ScenarioSpec(attrition_pp=-overall.value * early_leavers / 2 / separations)


def _add_manager(rec: Recommendation, metrics: Metrics) -> ScenarioSpec | None:
    wide = [f for f in rec.findings if f.evidence.get("comparison") == "above"]
    return ScenarioSpec(add_manager=len(wide)) if wide else None


def _hire_to_ratio(rec: Recommendation, metrics: Metrics) -> ScenarioSpec | None:
    ratio = metrics.get("sdr_ae_ratio")
    threshold = rec.lead.evidence.get("threshold")
    if ratio is None or ratio.value is None or not threshold:
        return None
    ae, sdr = int(ratio.inputs.get("active_ae", 0)), int(ratio.inputs.get("active_sdr", 0))
    if rec.lead.evidence.get("comparison") == "below":
        return ScenarioSpec(hire={"ae": max(1, math.ceil(float(threshold) * sdr - ae))})
    return ScenarioSpec(hire={"sdr": max(1, math.ceil(ae / float(threshold) - sdr))})


def _hire_needed(rec: Recommendation, metrics: Metrics) -> ScenarioSpec | None:
    needed = metrics.get("reps_needed")
    if needed is None or not needed.value:
        return None
    return ScenarioSpec(hire={"ae": math.ceil(needed.value)})


BUILDERS: dict[str, Callable[[Recommendation, Metrics], ScenarioSpec | None]] = {
    "attrition_to_benchmark": _attrition_to_benchmark,
    "early_attrition_halved": _early_attrition_halved,
    "add_manager": _add_manager,
    "hire_to_ratio": _hire_to_ratio,
    "hire_needed": _hire_needed,
}


def _changes(rec: Recommendation, deltas: list[MetricDelta]) -> tuple[tuple[str, float, float, str], ...]:
    wanted = rec.action.effects
    shown = [
        (d.id, d.before, d.after, d.unit)
        for d in deltas
        if d.id in wanted
        and d.before is not None
        and d.after is not None
        and not math.isclose(d.before, d.after)
    ]
    return tuple(sorted(shown, key=lambda change: wanted.index(change[0])))


def scenario_for(
    rec: Recommendation,
    *,
    roster: Roster,
    metrics: list[Metric],
    as_of: date | None,
    profile: Profile | None,
) -> ScenarioRun | None:
    """Run the recommendation's scenario; None when it has none or the roster cannot size it."""
    if rec.action.scenario is None:
        return None
    spec = BUILDERS[rec.action.scenario.kind](rec, {m.id: m for m in metrics})
    if spec is None:
        return None
    result = run_scenario(roster, spec, as_of=as_of, profile=profile)
    changes = _changes(rec, result.deltas)
    if not changes:
        return None
    return ScenarioRun(id=rec.key, finding_id=rec.lead.id, edits=spec.model_dump(exclude_defaults=True),
                       changes=changes, applied=tuple(result.applied))  # fmt: skip
