"""The what-if behind each recommendation: its size derived from the findings, run by the rules layer.

Each scenario kind turns an action into the rules layer's edits (see `advisor.org.scenarios` for how each edit
places people):

- attrition_to_benchmark: the scoped turnover falls to its finding's threshold; expressed as the change in the
  whole team's expected turnover, weighted by the scope's share of average headcount.
- early_attrition_halved: half of the early leavers stay; the change in expected turnover that implies.
- add_manager: for each manager above the range, one new manager per further 10 reports (ceil(reports ÷ 10) − 1,
  at least 1); when only the average is too wide, enough managers for 8 reports each.
- consolidate: remove managers (their teams merge into neighbours) while the rest can hold the reports at 8 each:
  managers − ceil(reports ÷ 8); none when no team has room (a player-coach is then the answer, with no scenario).
- hire_to_ratio: too few AEs per SDR -> hire AEs up to the range's low edge; too many -> hire SDRs down to its high
  edge.
- channel_move: move reps between inside and field (within the finding's segment) until the share reaches the rule's
  threshold.
- territory_rebalance: move the most recently hired rep of the most loaded territory to the least loaded one, while
  that lowers the load's coefficient of variation (at most 12 moves).
- hire_needed: hire the AEs the capacity model says the bookings target needs (the sum of hires_by_segment).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date
from typing import Literal

import numpy as np
import pandas as pd

from advisor.org.benchmarks import BenchmarkSet
from advisor.org.metrics import LEADERS
from advisor.org.profile import Profile
from advisor.org.roster import Roster
from advisor.org.scenarios import MetricDelta, ScenarioSpec, TerritoryMove, run_scenario
from advisor.org.types import Metric
from advisor.plan.document import ScenarioRun
from advisor.plan.playbook import Recommendation

Metrics = dict[str, Metric]
_PCT = 100.0
TARGET_SPAN = 8  # the middle of the 6-10 range: what consolidation and added managers aim at
MAX_TERRITORY_MOVES = 12


def _attrition_to_benchmark(rec: Recommendation, metrics: Metrics, roster: Roster) -> ScenarioSpec | None:
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


def _early_attrition_halved(rec: Recommendation, metrics: Metrics, roster: Roster) -> ScenarioSpec | None:
    early, overall = metrics.get("early_attrition_share"), metrics.get("turnover_rate")
    if early is None or overall is None or overall.value is None:
        return None
    separations = float(early.inputs.get("separations") or 0)
    early_leavers = float(early.inputs.get("early_separations") or 0)
    if not separations:
        return None
    # the overall rate is proportional to separations, so keeping half the early leavers scales it down
    return ScenarioSpec(attrition_pp=-overall.value * early_leavers / 2 / separations)


def _add_manager(rec: Recommendation, metrics: Metrics, roster: Roster) -> ScenarioSpec | None:
    wide = [
        g
        for f in rec.findings
        if f.evidence.get("dimension") == "manager"
        for g in f.evidence.get("groups", [])
    ]
    if wide:
        return ScenarioSpec(add_manager=sum(max(1, math.ceil(float(g["value"]) / 10) - 1) for g in wide))
    span = metrics.get("span_of_control_mean")
    if span is None or span.value is None:
        return None
    managers, reports = int(span.inputs.get("managers", 0)), int(span.inputs.get("direct_reports", 0))
    extra = math.ceil(reports / TARGET_SPAN) - managers
    return ScenarioSpec(add_manager=extra) if extra > 0 else None


def _consolidate(rec: Recommendation, metrics: Metrics, roster: Roster) -> ScenarioSpec | None:
    span = metrics.get("span_of_control_mean")
    if span is None or span.value is None:
        return None
    managers, reports = int(span.inputs.get("managers", 0)), int(span.inputs.get("direct_reports", 0))
    spare = managers - max(1, math.ceil(reports / TARGET_SPAN))
    return ScenarioSpec(remove_manager=spare) if spare > 0 else None


def _hire_to_ratio(rec: Recommendation, metrics: Metrics, roster: Roster) -> ScenarioSpec | None:
    ratio = metrics.get("sdr_ae_ratio")
    threshold = rec.lead.evidence.get("threshold")
    if ratio is None or ratio.value is None or not threshold:
        return None
    ae, sdr = int(ratio.inputs.get("active_ae", 0)), int(ratio.inputs.get("active_sdr", 0))
    if rec.lead.direction == "below":
        return ScenarioSpec(hire={"ae": max(1, math.ceil(float(threshold) * sdr - ae))})
    return ScenarioSpec(hire={"sdr": max(1, math.ceil(ae / float(threshold) - sdr))})


def _active_reps(roster: Roster) -> pd.DataFrame:
    df = roster.df
    active = pd.Series(True, index=df.index)
    if "exit_date" in df:
        active &= df["exit_date"].isna() | (df["exit_date"] > pd.Timestamp(roster.as_of))
    if "left" in df:
        active &= ~df["left"].astype(bool)
    return df.loc[active & df["role"].isin(["sdr", "ae", "am"])]


def _channel_move(rec: Recommendation, metrics: Metrics, roster: Roster) -> ScenarioSpec | None:
    threshold = rec.lead.evidence.get("threshold")
    if threshold is None or "channel" not in roster.df:
        return None
    segment = rec.lead.evidence.get("group") if rec.lead.evidence.get("dimension") == "segment" else None
    reps = _active_reps(roster)
    if segment is not None and "segment" in reps:
        reps = reps[reps["segment"].astype(str) == segment]
    inside = int(reps["channel"].eq("inside").sum())
    known = int(reps["channel"].isin(["inside", "field"]).sum())
    share = float(threshold) / _PCT
    target: Literal["inside", "field"] = "field" if rec.lead.direction == "above" else "inside"
    count = math.ceil(inside - share * known) if target == "field" else math.ceil(share * known - inside)
    if count <= 0:
        return None
    return ScenarioSpec(move={target: count}, move_segment=segment)


def _cv(loads: dict[str, float]) -> float:
    values = np.array(list(loads.values()), dtype=float)
    return float(values.std() / values.mean()) if values.mean() else 0.0


def _territory_rebalance(rec: Recommendation, metrics: Metrics, roster: Roster) -> ScenarioSpec | None:
    df = roster.df
    if "territory" not in df:
        return None
    reps = _active_reps(roster)
    reps = reps[reps["territory"].notna() & ~reps["role"].isin(LEADERS)]
    weight = reps["quota"].fillna(0.0) if "quota" in reps and (reps["quota"].fillna(0) > 0).any() else None
    people = [
        (str(t), float(weight.loc[i]) if weight is not None else 1.0, h, str(r))
        for i, t, h, r in zip(reps.index, reps["territory"], reps.get("hire_date", pd.Series(pd.NaT, index=reps.index)),
                              reps["rep_id"], strict=True)
    ]  # fmt: skip
    loads: dict[str, float] = {}
    for territory, load, _, _ in people:
        loads[territory] = loads.get(territory, 0.0) + load
    moves: dict[tuple[str, str], int] = {}
    for _ in range(MAX_TERRITORY_MOVES):
        heavy, light = max(loads, key=loads.__getitem__), min(loads, key=loads.__getitem__)
        candidates = sorted((p for p in people if p[0] == heavy and p[1] > 0),
                            key=lambda p: (pd.Timestamp(p[2]) if not pd.isna(p[2]) else pd.Timestamp.min, p[3]),
                            reverse=True)  # fmt: skip
        if not candidates:
            break
        pick = candidates[0]
        trial = dict(loads)
        trial[heavy] -= pick[1]
        trial[light] += pick[1]
        if _cv(trial) >= _cv(loads):
            break
        loads = trial
        people[people.index(pick)] = (light, *pick[1:])
        moves[(heavy, light)] = moves.get((heavy, light), 0) + 1
    if not moves:
        return None
    return ScenarioSpec(
        territory_moves=[
            TerritoryMove(from_territory=a, to_territory=b, reps=n) for (a, b), n in moves.items()
        ]
    )


def _hire_needed(rec: Recommendation, metrics: Metrics, roster: Roster) -> ScenarioSpec | None:
    needed = metrics.get("hires_by_segment")
    if needed is None or not needed.value:
        needed = metrics.get("reps_needed")
    if needed is None or not needed.value:
        return None
    return ScenarioSpec(hire={"ae": math.ceil(needed.value)})


BUILDERS: dict[str, Callable[[Recommendation, Metrics, Roster], ScenarioSpec | None]] = {
    "attrition_to_benchmark": _attrition_to_benchmark,
    "early_attrition_halved": _early_attrition_halved,
    "add_manager": _add_manager,
    "consolidate": _consolidate,
    "hire_to_ratio": _hire_to_ratio,
    "channel_move": _channel_move,
    "territory_rebalance": _territory_rebalance,
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
    period_start: date | None = None,
    profile: Profile | None,
    benchmarks: BenchmarkSet,
) -> ScenarioRun | None:
    """Run the recommendation's scenario; None when it has none or the roster cannot size it."""
    if rec.action.scenario is None:
        return None
    spec = BUILDERS[rec.action.scenario.kind](rec, {m.id: m for m in metrics}, roster)
    if spec is None:
        return None
    result = run_scenario(
        roster, spec, as_of=as_of, period_start=period_start, profile=profile, benchmarks=benchmarks
    )
    changes = _changes(rec, result.deltas)
    if not changes:
        return None
    return ScenarioRun(id=rec.key, finding_id=rec.lead.id, edits=spec.model_dump(exclude_defaults=True),
                       changes=changes, applied=tuple(result.applied))  # fmt: skip
