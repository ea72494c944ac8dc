"""Capacity planning metrics: ramped capacity, reps needed for a target, and the cost of turnover."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from advisor.org.benchmarks import BenchmarkSet, RampCurve
from advisor.org.metrics import PCT, by_total, quota_carriers
from advisor.org.population import DIMENSIONS, Population
from advisor.org.profile import CostInputs, Profile
from advisor.org.types import Metric

DEFAULT_SEGMENT = "mid_market"
_DIMS = DIMENSIONS


@dataclass(frozen=True)
class PlanInputs:
    """Planning assumptions resolved from the profile, the benchmarks and the roster, each with its origin."""

    quota_per_rep: float | None
    quota_source: str
    attainment_pct: float
    attainment_source: str
    utilisation_pct: float
    turnover_pct: float | None  # expected annual turnover of quota carriers, for the attrition buffer
    turnover_source: str
    cost_turnover_pct: float | None  # expected turnover of everyone, for turnover_cost
    measured_turnover_pct: float | None  # measured turnover of everyone
    bookings_target: float | None
    curves: dict[str, RampCurve]
    default_segment: str
    costs: CostInputs


def plan_inputs(
    *,
    pop: Population,
    profile: Profile,
    benchmarks: BenchmarkSet,
    carrier_turnover: float | None,
    overall_turnover: float | None,
) -> PlanInputs:
    """Resolve every planning input: the profile wins, then what the roster shows, then documented defaults."""
    active_carriers = pop.active_end & quota_carriers(pop)
    quotas = pop.quota[active_carriers & (np.nan_to_num(pop.quota) > 0)]
    if profile.quota_per_rep_usd is not None:
        quota, quota_source = profile.quota_per_rep_usd, "profile quota_per_rep_usd"
    elif len(quotas):
        quota, quota_source = float(np.median(quotas)), "median quota of active quota carriers"
    else:
        quota, quota_source = None, "unknown: add a quota column or set quota_per_rep_usd"
    with_bookings = active_carriers & ~np.isnan(pop.bookings) & (np.nan_to_num(pop.quota) > 0)
    if profile.expected_attainment_pct is not None:
        attainment, attainment_source = profile.expected_attainment_pct, "profile expected_attainment_pct"
    elif with_bookings.any():
        attainment = float(pop.bookings[with_bookings].sum() / pop.quota[with_bookings].sum() * PCT)
        attainment_source = "measured: Σ bookings ÷ Σ quota of active quota carriers"
    else:
        attainment, attainment_source = PCT, "assumed 100% (no bookings; set expected_attainment_pct)"
    change = profile.turnover_change_pp
    turnover: float | None
    cost_turnover: float | None
    if profile.expected_turnover_pct is not None:
        turnover, cost_turnover = profile.expected_turnover_pct, profile.expected_turnover_pct
        turnover_source = "profile expected_turnover_pct"
    else:
        turnover, cost_turnover = carrier_turnover, overall_turnover
        turnover_source = "measured turnover of quota carriers"
    if change:
        turnover = None if turnover is None else max(0.0, turnover + change)
        cost_turnover = None if cost_turnover is None else max(0.0, cost_turnover + change)
        turnover_source += f" {change:+g}pp"
    curves = dict(benchmarks.ramp_curves)
    for key, fractions in (profile.ramp_curves or {}).items():
        curves[key] = RampCurve(tuple(fractions), "profile ramp_curves")
    return PlanInputs(
        quota_per_rep=quota,
        quota_source=quota_source,
        attainment_pct=attainment,
        attainment_source=attainment_source,
        utilisation_pct=profile.utilisation_pct,
        turnover_pct=turnover,
        turnover_source=turnover_source,
        bookings_target=profile.bookings_target_usd,
        curves=curves,
        default_segment=profile.segment or DEFAULT_SEGMENT,
        costs=profile.costs,
        cost_turnover_pct=cost_turnover,
        measured_turnover_pct=overall_turnover,
    )


def _curve_keys(pop: Population, plan: PlanInputs) -> np.ndarray:
    """The ramp curve each person follows: `sdr` for SDRs, else their segment, else the profile's segment."""
    segment = pop.segment.fillna(plan.default_segment).to_numpy(dtype=object)
    keys = np.where(pop.is_role("sdr"), "sdr", segment)
    return np.where(np.isin(keys, list(plan.curves)), keys, plan.default_segment)


def ramp_factors(pop: Population, plan: PlanInputs) -> np.ndarray:
    """Fraction of full productivity at the as-of date: the curve's value for the current month of tenure."""
    factors = np.ones(pop.size)
    month = np.floor(np.nan_to_num(pop.tenure_months, nan=np.inf))
    keys = _curve_keys(pop, plan)
    for key, curve in plan.curves.items():
        mine = keys == key
        if mine.any():
            fractions = np.append(np.asarray(curve.fractions, dtype=float), 1.0)
            index = np.minimum(month[mine], len(curve.fractions)).astype(np.int64)
            factors[mine] = fractions[index]
    return factors


def _own_quota(pop: Population, plan: PlanInputs) -> np.ndarray:
    quota = np.nan_to_num(pop.quota)
    return np.where(quota > 0, quota, plan.quota_per_rep or 0.0)


def ramped_capacity(*, pop: Population, plan: PlanInputs) -> Metric:
    """Bookings the active quota carriers can deliver: Σ quota × ramp % × expected attainment × utilisation."""
    formula = (
        "Σ over active quota carriers of quota × ramp fraction for the current month of tenure "
        "× expected attainment × utilisation"
    )
    carriers = pop.active_end & quota_carriers(pop)
    if plan.quota_per_rep is None and not (np.nan_to_num(pop.quota) > 0).any():
        return Metric(
            "ramped_capacity",
            None,
            "USD",
            formula,
            label="Ramped capacity",
            note="Add a quota column, or set quota_per_rep_usd in the profile.",
        )
    factors = np.where(carriers, ramp_factors(pop, plan), 0.0)
    scale = plan.attainment_pct / PCT * plan.utilisation_pct / PCT
    capacity = _own_quota(pop, plan) * factors * scale
    inputs = {
        "quota_carriers": int(carriers.sum()),
        "ramped_rep_equivalent": float(factors.sum()),
        "fully_ramped": int((carriers & (factors >= 1)).sum()),
        "ramping": int((carriers & (factors < 1)).sum()),
        "attainment_pct": plan.attainment_pct,
        "attainment_source": plan.attainment_source,
        "utilisation_pct": plan.utilisation_pct,
        "ramp_curves": {key: list(curve.fractions) for key, curve in plan.curves.items()},
    }
    return Metric(
        id="ramped_capacity",
        value=float(capacity.sum()),
        unit="USD",
        formula=formula,
        inputs=inputs,
        by=by_total(pop, capacity, carriers, dims=_DIMS),
        label="Ramped capacity",
        note="" if plan.curves else "No ramp curves found: everyone counts as fully ramped.",
    )


def reps_needed(*, pop: Population, plan: PlanInputs, capacity: Metric) -> Metric:
    """Hires needed to reach the bookings target, plus an attrition buffer for expected leavers."""
    formula = (
        "max(0, bookings_target − ramped_capacity) ÷ (quota_per_rep × expected attainment × utilisation) "
        "+ active quota carriers × expected turnover"
    )
    note = ""
    if plan.bookings_target is None:
        note = "Set bookings_target_usd in the profile (org.yaml)."
    elif plan.quota_per_rep is None or capacity.value is None:
        note = "Add a quota column, or set quota_per_rep_usd in the profile."
    elif plan.turnover_pct is None:
        note = "Add exit dates, or set expected_turnover_pct in the profile."
    if note:
        return Metric("reps_needed", None, "reps", formula, label="Hires needed", note=note)
    assert (
        plan.bookings_target is not None and plan.quota_per_rep is not None and plan.turnover_pct is not None
    )
    assert capacity.value is not None
    per_rep = plan.quota_per_rep * plan.attainment_pct / PCT * plan.utilisation_pct / PCT
    gap = max(0.0, plan.bookings_target - capacity.value)
    carriers = int((pop.active_end & quota_carriers(pop)).sum())
    leavers = carriers * plan.turnover_pct / PCT
    return Metric(
        id="reps_needed",
        value=gap / per_rep + leavers,
        unit="reps",
        formula=formula,
        inputs={
            "bookings_target_usd": plan.bookings_target,
            "ramped_capacity_usd": capacity.value,
            "capacity_gap_usd": gap,
            "quota_per_rep_usd": plan.quota_per_rep,
            "quota_source": plan.quota_source,
            "bookings_per_ramped_rep_usd": per_rep,
            "reps_for_gap": gap / per_rep,
            "active_quota_carriers": carriers,
            "expected_turnover_pct": plan.turnover_pct,
            "turnover_source": plan.turnover_source,
            "expected_leavers": leavers,
        },
        label="Hires needed",
        note="Hires ramp too: hire early enough for them to reach full productivity in the period.",
    )


def turnover_cost(*, pop: Population, plan: PlanInputs) -> Metric:
    """Cost of separations: recruiting + onboarding + lost productivity (vacancy and ramp) − salary saved."""
    costs = plan.costs
    formula = (
        "Σ over separations of (recruiting + onboarding + monthly value × (vacancy months + ramp months lost) "
        "− monthly salary × vacancy months); monthly value = quota × expected attainment ÷ period months "
        "for quota carriers, 0 otherwise"
    )
    if not pop.has_exits:
        return Metric(
            "turnover_cost",
            None,
            "USD",
            formula,
            label="Cost of turnover",
            note="Add an exit_date column (or an attrition flag).",
        )
    keys = _curve_keys(pop, plan)
    lost = np.zeros(pop.size)
    for key, curve in plan.curves.items():
        lost[keys == key] = curve.lost_months
    monthly_value = np.where(
        quota_carriers(pop), _own_quota(pop, plan) * plan.attainment_pct / PCT / pop.period.months, 0.0
    )
    per_person = (
        costs.recruiting_usd
        + costs.onboarding_usd
        + monthly_value * (costs.vacancy_months + lost)
        - costs.monthly_salary_usd * costs.vacancy_months
    )
    leavers = pop.separated
    inputs: dict[str, object] = {
        "separations": int(leavers.sum()),
        "recruiting_usd": costs.recruiting_usd,
        "onboarding_usd": costs.onboarding_usd,
        "vacancy_months": costs.vacancy_months,
        "monthly_salary_usd": costs.monthly_salary_usd,
        "attainment_pct": plan.attainment_pct,
    }
    basis = leavers if leavers.any() else pop.active_end
    mean_cost = float(per_person[basis].mean()) if basis.any() else 0.0
    inputs["cost_per_separation_usd"] = mean_cost
    cost = np.where(leavers, per_person, 0.0)
    target, measured = plan.cost_turnover_pct, plan.measured_turnover_pct
    if target is not None and target != measured:
        inputs.update(expected_turnover_pct=target, measured_turnover_pct=measured)
        if measured:
            # Scale the measured cost: same people, same mix, more or fewer of them leaving.
            scale = target / measured
            return Metric(
                id="turnover_cost",
                value=float(cost.sum()) * scale,
                unit="USD",
                formula=f"({formula}) × expected turnover ÷ measured turnover",
                inputs=inputs,
                by=by_total(pop, cost * scale, leavers, dims=_DIMS),
                label="Cost of turnover",
            )
        average = float((pop.active_start.sum() + pop.active_end.sum()) / 2)
        expected = average * target / PCT * pop.period.months / 12
        inputs.update(average_headcount=average, expected_separations=expected)
        return Metric(
            id="turnover_cost",
            value=expected * mean_cost,
            unit="USD",
            formula="average headcount × expected turnover × period months ÷ 12 × mean cost per person",
            inputs=inputs,
            label="Cost of turnover",
        )
    return Metric(
        id="turnover_cost",
        value=float(cost.sum()),
        unit="USD",
        formula=formula,
        inputs=inputs,
        by=by_total(pop, cost, leavers, dims=_DIMS),
        label="Cost of turnover",
        note="Cost inputs are the profile's (defaults are placeholders: set your own under `costs:`).",
    )


HORIZON_MONTHS = 12  # a hire made now sells for the next 12 months, ramping on its segment's curve


def hires_by_segment(*, pop: Population, plan: PlanInputs, needed: Metric) -> Metric:
    """The hires of `reps_needed` per segment, sized from each segment's capacity share and ramp.

    The capacity gap is shared across segments in proportion to their ramped capacity today; a hire in a segment
    yields its median quota × expected attainment × utilisation × the mean ramp fraction over the next 12 months.
    """
    formula = (
        "per segment: ceil(capacity gap × segment share of ramped capacity ÷ (segment median quota × attainment × "
        "utilisation × mean ramp fraction over 12 months)) + the segment's share of expected leavers"
    )
    label = "Hires needed by segment"
    if needed.value is None or not pop.has("segment"):
        note = needed.note or "Add a segment column."
        return Metric("hires_by_segment", None, "reps", formula, label=label, note=note)
    carriers = pop.active_end & quota_carriers(pop)
    capacity = _own_quota(pop, plan) * np.where(carriers, ramp_factors(pop, plan), 0.0)
    segments = pop.segment.fillna(plan.default_segment).to_numpy(dtype=object)
    known = sorted({str(s) for s in segments[carriers]})
    total = float(capacity.sum())
    gap, leavers = float(needed.inputs["capacity_gap_usd"]), float(needed.inputs["expected_leavers"])
    by: dict[str, float | None] = {}
    yields: dict[str, float] = {}
    scale = plan.attainment_pct / PCT * plan.utilisation_pct / PCT
    for segment in known:
        mine = carriers & (segments == segment)
        share = (
            float(capacity[mine].sum()) / total if total else float(mine.sum()) / max(1, int(carriers.sum()))
        )
        curve = plan.curves.get(segment) or plan.curves.get(plan.default_segment)
        fractions = list(curve.fractions) if curve else []
        ramp = sum((fractions + [1.0] * HORIZON_MONTHS)[:HORIZON_MONTHS]) / HORIZON_MONTHS
        quota = float(np.median(_own_quota(pop, plan)[mine])) if mine.any() else plan.quota_per_rep or 0.0
        yields[segment] = quota * scale * ramp
        hires = gap * share / yields[segment] if yields[segment] else 0.0
        by[segment] = float(math.ceil(hires + leavers * float(mine.sum()) / max(1, int(carriers.sum()))))
    return Metric(
        id="hires_by_segment",
        value=float(sum(v or 0 for v in by.values())),
        unit="reps",
        formula=formula,
        inputs={
            "capacity_gap_usd": gap,
            "expected_leavers": leavers,
            "yield_per_hire_usd": yields,
            "horizon_months": HORIZON_MONTHS,
        },  # fmt: skip
        by={"segment": by},
        label=label,
    )
