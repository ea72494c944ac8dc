"""Structural metrics: pure, vectorised functions over a Population, each returning a `Metric` with its working."""

from __future__ import annotations

import numpy as np
import pandas as pd

from advisor.org.population import DIMENSIONS, Population
from advisor.org.types import Metric

SPAN_RANGE = (6, 10)  # the first-line span most sources call healthy: best 6-8, at most 10
LEADERS = ("manager", "director")  # people who lead others: never counted as territory load
EARLY_DAYS = 365
# tenure bands in months, [low, high); attainment bands in % of quota, [low, high)
TENURE_BANDS: tuple[tuple[float, float | None], ...] = ((0, 6), (6, 12), (12, 24), (24, 36), (36, None))
ATTAINMENT_BANDS: tuple[tuple[float, float | None], ...] = (
    (0, 50),
    (50, 75),
    (75, 100),
    (100, 125),
    (125, None),
)
PCT = 100.0
_ALL = DIMENSIONS
NOT_ROLE = tuple(dim for dim in DIMENSIONS if dim != "role")


def by_ratio(
    pop: Population, numer: np.ndarray, denom: np.ndarray, *, scale: float, dims: tuple[str, ...]
) -> dict[str, dict[str, float | None]]:
    """Per group of each dimension: Σ numer ÷ Σ denom × scale, for groups with a positive denominator."""
    by: dict[str, dict[str, float | None]] = {}
    for dim in dims:
        top, labels = pop.group_sums(dim, numer)
        bottom, _ = pop.group_sums(dim, denom)
        shown = bottom > 0
        if shown.any():
            values = top[shown] / bottom[shown] * scale
            by[dim] = dict(zip(labels[shown].tolist(), values.tolist(), strict=True))
    return by


def by_total(
    pop: Population, weights: np.ndarray, presence: np.ndarray, *, dims: tuple[str, ...]
) -> dict[str, dict[str, float | None]]:
    """Per group of each dimension: Σ weights, for groups with someone in `presence`."""
    by: dict[str, dict[str, float | None]] = {}
    for dim in dims:
        sums, labels = pop.group_sums(dim, weights)
        present, _ = pop.group_sums(dim, presence)
        shown = present > 0
        if shown.any():
            by[dim] = dict(zip(labels[shown].tolist(), sums[shown].tolist(), strict=True))
    return by


def _count(
    metric_id: str, label: str, mask: np.ndarray, presence: np.ndarray, pop: Population, formula: str
) -> Metric:
    return Metric(
        id=metric_id,
        value=float(mask.sum()),
        unit="people",
        formula=formula,
        inputs={"people_in_roster": pop.size},
        by=by_total(pop, mask.astype(float), presence, dims=_ALL),
        label=label,
    )


def _missing(metric_id: str, label: str, unit: str, formula: str, note: str, **inputs: object) -> Metric:
    return Metric(
        id=metric_id, value=None, unit=unit, formula=formula, inputs=dict(inputs), label=label, note=note
    )


def headcounts(*, pop: Population) -> list[Metric]:
    """Active people at the period start and at the as-of date."""
    everyone = np.ones(pop.size, dtype=bool)
    if pop.definition == "status":
        start_rule = "every row of a status export (all were employed during the period)"
        end_rule = "rows whose left/stayed flag says stayed"
    else:
        start_rule = (
            f"hire_date <= {pop.period.start} and (exit_date empty or exit_date > {pop.period.start})"
        )
        end_rule = f"hire_date <= {pop.period.as_of} and (exit_date empty or exit_date > {pop.period.as_of})"
    return [
        _count("headcount_start", "Headcount at period start", pop.active_start, everyone, pop, start_rule),
        _count("headcount_end", "Headcount at the as-of date", pop.active_end, everyone, pop, end_rule),
    ]


def separation_counts(*, pop: Population) -> list[Metric]:
    """Separations and voluntary separations in the period; promotions and transfers reported apart."""
    label = "Separations in the period"
    if not pop.has_exits:
        note = "Add an exit_date column (empty for active people), or an attrition flag for a status export."
        return [
            _missing("separations", label, "people", "exits in the period", note),
            _missing("voluntary_separations", "Voluntary separations", "people", "voluntary exits", note),
            _missing("internal_moves", "Promotions and transfers out", "people", "internal exits", note),
        ]
    window = (
        "leavers flagged in a status export"
        if pop.definition == "status"
        else f"exit_date in ({pop.period.start}, {pop.period.as_of}]"
    )
    everyone = np.ones(pop.size, dtype=bool)
    metrics = [
        _count(
            "separations",
            label,
            pop.separated,
            everyone,
            pop,
            f"{window}, exit_reason voluntary, involuntary or empty (promotions and transfers excluded)",
        ),
    ]
    if pop.voluntary_known:
        metrics.append(
            _count(
                "voluntary_separations",
                "Voluntary separations",
                pop.voluntary,
                everyone,
                pop,
                f"{window}, exit_reason voluntary",
            )
        )
    else:
        metrics.append(
            _missing(
                "voluntary_separations",
                "Voluntary separations",
                "people",
                "voluntary exits",
                "Add an exit_reason column (voluntary, involuntary, promotion, transfer).",
            )
        )
    moves = _count(
        "internal_moves",
        "Promotions and transfers out",
        pop.promotions | pop.transfers,
        everyone,
        pop,
        f"{window}, exit_reason promotion or transfer (not separations)",
    )
    moves.inputs.update(promotions=int(pop.promotions.sum()), transfers=int(pop.transfers.sum()))
    return [*metrics, moves]


def turnover_rate(
    *,
    pop: Population,
    scope: np.ndarray | None = None,
    voluntary: bool = False,
    metric_id: str = "turnover_rate",
    label: str = "Turnover rate",
    dims: tuple[str, ...] = _ALL,
    scope_text: str = "",
) -> Metric:
    """Separations (or voluntary ones) ÷ average headcount, annualised; a status export uses leavers ÷ start."""
    scope = np.ones(pop.size, dtype=bool) if scope is None else scope
    leavers = (pop.voluntary if voluntary else pop.separated) & scope
    kind = "voluntary separations" if voluntary else "separations"
    if not pop.has_exits or (voluntary and not pop.voluntary_known):
        column = "exit_reason" if pop.has_exits else "exit_date (or an attrition flag)"
        return _missing(metric_id, label, "%", f"{kind} ÷ average headcount", f"Add an {column} column.")
    start, end = pop.active_start & scope, pop.active_end & scope
    inputs: dict[str, object] = {
        kind.replace(" ", "_"): int(leavers.sum()),
        "headcount_start": int(start.sum()),
        "headcount_end": int(end.sum()),
    }
    if pop.definition == "status":
        denom = start.astype(float)
        scale = PCT
        formula = (
            f"{scope_text}{kind} ÷ headcount at period start × 100 (simple attrition rate, status export)"
        )
        inputs["definition"] = "simple attrition rate (status export, not annualised)"
    else:
        denom = (start.astype(float) + end.astype(float)) / 2
        scale = PCT * 12 / pop.period.months
        formula = f"{scope_text}{kind} ÷ ((headcount_start + headcount_end) ÷ 2) × 100 × 12 ÷ period_months"
        inputs.update(
            average_headcount=float(denom.sum()),
            period_months=pop.period.months,
            definition="separations ÷ average headcount, annualised",
        )
    total = float(denom.sum())
    if total == 0:
        return _missing(metric_id, label, "%", formula, "Nobody in scope was active in the period.", **inputs)
    return Metric(
        id=metric_id,
        value=float(leavers.sum()) / total * scale,
        unit="%",
        formula=formula,
        inputs=inputs,
        by=by_ratio(pop, leavers.astype(float), denom, scale=scale, dims=dims),
        label=label,
    )


def early_attrition_share(*, pop: Population) -> Metric:
    """Share of separations whose tenure at exit was under 365 days."""
    label = "Early attrition share"
    formula = "separations with tenure at exit < 365 days ÷ separations × 100"
    if not pop.has_exits:
        return _missing("early_attrition_share", label, "%", formula, "Add an exit_date column.")
    early = pop.separated & (pop.tenure_at_exit_days < EARLY_DAYS)
    total = int(pop.separated.sum())
    inputs = {"early_separations": int(early.sum()), "separations": total}
    if total == 0:
        return _missing(
            "early_attrition_share", label, "%", formula, "No separations in the period.", **inputs
        )
    return Metric(
        id="early_attrition_share",
        value=float(early.sum()) / total * PCT,
        unit="%",
        formula=formula,
        inputs=inputs,
        by=by_ratio(pop, early.astype(float), pop.separated.astype(float), scale=PCT, dims=_ALL),
        label=label,
    )


def avg_tenure_months(
    *,
    pop: Population,
    scope: np.ndarray | None = None,
    metric_id: str = "avg_tenure_months",
    label: str = "Average tenure",
    dims: tuple[str, ...] = _ALL,
    scope_text: str = "",
) -> Metric:
    """Mean tenure in months of the people active at the as-of date."""
    scope = np.ones(pop.size, dtype=bool) if scope is None else scope
    active = pop.active_end & scope & ~np.isnan(pop.tenure_months)
    formula = scope_text + (
        "mean tenure_months of people who stayed (status export)"
        if pop.definition == "status"
        else f"mean of ({pop.period.as_of} − hire_date) in days ÷ 30.4375, over people active at the as-of date"
    )
    if not active.any():
        return _missing(metric_id, label, "months", formula, "Nobody in scope is active at the as-of date.")
    tenure = np.where(active, pop.tenure_months, 0.0)
    return Metric(
        id=metric_id,
        value=float(tenure.sum() / active.sum()),
        unit="months",
        formula=formula,
        inputs={"people": int(active.sum()), "total_tenure_months": float(tenure.sum())},
        by=by_ratio(pop, tenure, active.astype(float), scale=1.0, dims=dims),
        label=label,
    )


def span_of_control(*, pop: Population) -> list[Metric]:
    """Active direct reports per active manager: mean, min, max, and managers outside 6-10."""
    ids = ("span_of_control_mean", "span_of_control_min", "span_of_control_max", "managers_outside_span")
    labels = (
        "Span of control (mean)",
        "Span of control (smallest)",
        "Span of control (largest)",
        f"Managers outside {SPAN_RANGE[0]}-{SPAN_RANGE[1]} reports",
    )
    formula = "active direct reports (any role) per active person with role manager"
    managers = pop.active_end & pop.is_role("manager")
    note = ""
    if not pop.has("manager_id"):
        note = "No reporting lines: add a manager_id column holding each person's manager's rep_id."
    elif not managers.any():
        note = "No active people with role manager: map your first-line managers' titles to `manager`."
    if note:
        return [
            _missing(i, lab, "reports per manager" if k < 3 else "managers", formula, note)
            for k, (i, lab) in enumerate(zip(ids, labels, strict=True))
        ]
    reports, labels_ = pop.group_sums("manager", pop.active_end.astype(float))
    manager_ids = pop.rep_id[managers].astype(str)
    where = pd.Index(labels_.astype(str)).get_indexer(manager_ids)
    spans = np.where(where >= 0, reports[np.maximum(where, 0)] if len(reports) else 0.0, 0.0)
    by_manager: dict[str, float | None] = dict(zip(manager_ids.tolist(), spans.tolist(), strict=True))
    low, high = SPAN_RANGE
    below, above = int((spans < low).sum()), int((spans > high).sum())
    inputs = {"managers": len(spans), "direct_reports": int(spans.sum())}
    names = pop.roster.df["name"].to_numpy()[managers] if pop.has("name") else manager_ids
    outside = (spans < low) | (spans > high)
    # Names only for the managers outside the range: findings name them, and the list stays short.
    outlier_names = dict(zip(manager_ids[outside].tolist(), [str(n) for n in names[outside]], strict=True))
    outliers = dict(zip(manager_ids[outside].tolist(), spans[outside].tolist(), strict=True))
    unit = "reports per manager"
    return [
        Metric(
            ids[0],
            float(spans.mean()),
            unit,
            formula,
            {**inputs, "names": outlier_names},
            {"manager": by_manager},
            label=labels[0],
        ),
        Metric(ids[1], float(spans.min()), unit, formula, inputs, label=labels[1]),
        Metric(ids[2], float(spans.max()), unit, formula, inputs, label=labels[2]),
        Metric(
            id=ids[3],
            value=float(below + above),
            unit="managers",
            formula=f"active managers with fewer than {low} or more than {high} active direct reports",
            inputs={**inputs, "below_range": below, "above_range": above, "outside": outliers},
            label=labels[3],
        ),
    ]


def sdr_ae_ratio(*, pop: Population) -> Metric:
    """Active AEs per active SDR (reads as 1 SDR : N AEs)."""
    ae, sdr = pop.active_end & pop.is_role("ae"), pop.active_end & pop.is_role("sdr")
    formula = "active ae ÷ active sdr (1 SDR : N AEs)"
    inputs = {"active_ae": int(ae.sum()), "active_sdr": int(sdr.sum())}
    if not sdr.any():
        return _missing(
            "sdr_ae_ratio",
            "SDR:AE ratio",
            "AEs per SDR",
            formula,
            "No active SDRs: the ratio is undefined (map SDR/BDR titles to `sdr` if you have them).",
            **inputs,
        )
    return Metric(
        id="sdr_ae_ratio",
        value=float(ae.sum()) / float(sdr.sum()),
        unit="AEs per SDR",
        formula=formula,
        inputs=inputs,
        by=by_ratio(pop, ae.astype(float), sdr.astype(float), scale=1.0, dims=NOT_ROLE),
        label="SDR:AE ratio",
    )


def inside_share(*, pop: Population) -> Metric:
    """Active sdr/ae/am selling inside ÷ those selling inside or field (hybrid left out)."""
    formula = "active sdr/ae/am with channel inside ÷ active sdr/ae/am with channel inside or field × 100"
    if not pop.has("channel"):
        return _missing(
            "inside_share", "Inside share", "%", formula, "Add a channel column (inside, field, hybrid)."
        )
    reps = pop.active_end & pop.is_role("sdr", "ae", "am")
    inside = reps & (pop.channel == "inside").to_numpy()
    known = reps & pop.channel.isin(["inside", "field"]).to_numpy()
    inputs = {
        "inside": int(inside.sum()),
        "inside_or_field": int(known.sum()),
        "hybrid": int((reps & (pop.channel == "hybrid").to_numpy()).sum()),
    }
    if not known.any():
        return _missing(
            "inside_share",
            "Inside share",
            "%",
            formula,
            "No active reps with channel inside or field.",
            **inputs,
        )
    return Metric(
        id="inside_share",
        value=float(inside.sum()) / float(known.sum()) * PCT,
        unit="%",
        formula=formula,
        inputs=inputs,
        by=by_ratio(
            pop,
            inside.astype(float),
            known.astype(float),
            scale=PCT,
            dims=("role", "segment", "territory", "manager"),
        ),
        label="Inside share",
    )


def quota_attainment_share(*, pop: Population) -> Metric:
    """Share of active people with a quota whose bookings reached it."""
    formula = "active people with quota > 0 and bookings ÷ quota >= 1 ÷ active people with quota > 0 × 100"
    label = "Share of reps at or above quota"
    if not pop.has("quota") or not pop.has("bookings"):
        missing = "quota" if not pop.has("quota") else "bookings"
        return _missing(
            "quota_attainment_share",
            label,
            "%",
            formula,
            f"Add a {missing} column (quota and bookings for the same period).",
        )
    carriers = pop.active_end & (np.nan_to_num(pop.quota) > 0)
    counted = carriers & ~np.isnan(pop.bookings)
    with np.errstate(invalid="ignore", divide="ignore"):
        attained = counted & (pop.bookings / pop.quota >= 1)
    inputs = {
        "at_or_above_quota": int(attained.sum()),
        "with_quota": int(counted.sum()),
        "missing_bookings": int((carriers & ~counted).sum()),
    }
    if not counted.any():
        return _missing(
            "quota_attainment_share", label, "%", formula, "No active people with quota > 0.", **inputs
        )
    return Metric(
        id="quota_attainment_share",
        value=float(attained.sum()) / float(counted.sum()) * PCT,
        unit="%",
        formula=formula,
        inputs=inputs,
        by=by_ratio(pop, attained.astype(float), counted.astype(float), scale=PCT, dims=_ALL),
        label=label,
    )


def quota_carriers(pop: Population) -> np.ndarray:
    """People who carry a quota: quota > 0, or roles ae/am when the roster has no quota column."""
    if pop.has("quota"):
        return np.nan_to_num(pop.quota) > 0
    return pop.is_role("ae", "am")


def revenue_per_rep(*, pop: Population) -> Metric:
    """Bookings ÷ average quota-carrying headcount."""
    formula = "Σ bookings ÷ ((quota carriers active at start + at the as-of date) ÷ 2)"
    if not pop.has("bookings"):
        return _missing("revenue_per_rep", "Revenue per rep", "USD", formula, "Add a bookings column.")
    carriers = quota_carriers(pop)
    denom = ((pop.active_start & carriers).astype(float) + (pop.active_end & carriers).astype(float)) / 2
    bookings = np.nan_to_num(pop.bookings)
    inputs = {
        "bookings_usd": float(bookings.sum()),
        "average_quota_carriers": float(denom.sum()),
        "quota_carrier_rule": "quota > 0" if pop.has("quota") else "role ae or am (no quota column)",
    }
    if denom.sum() == 0:
        return _missing(
            "revenue_per_rep", "Revenue per rep", "USD", formula, "No quota carriers in the period.", **inputs
        )
    return Metric(
        id="revenue_per_rep",
        value=float(bookings.sum() / denom.sum()),
        unit="USD",
        formula=formula,
        inputs=inputs,
        by=by_ratio(pop, bookings, denom, scale=1.0, dims=_ALL),
        label="Revenue per rep",
    )


def pipeline_per_rep(*, pop: Population) -> Metric:
    """Open pipeline ÷ active quota carriers at the as-of date."""
    label = "Open pipeline per rep"
    formula = "Σ open pipeline of active quota carriers ÷ active quota carriers at the as-of date"
    if not pop.has("pipeline"):
        return _missing(
            "pipeline_per_rep", label, "USD", formula, "Add a pipeline column (open pipeline in USD)."
        )
    carriers = (pop.active_end & quota_carriers(pop)).astype(float)
    pipeline = np.where(carriers > 0, np.nan_to_num(pop.pipeline), 0.0)
    inputs = {"pipeline_usd": float(pipeline.sum()), "active_quota_carriers": float(carriers.sum())}
    if carriers.sum() == 0:
        return _missing("pipeline_per_rep", label, "USD", formula, "No active quota carriers.", **inputs)
    return Metric(
        id="pipeline_per_rep",
        value=float(pipeline.sum() / carriers.sum()),
        unit="USD",
        formula=formula,
        inputs=inputs,
        by=by_ratio(pop, pipeline, carriers, scale=1.0, dims=_ALL),
        label=label,
    )


def territory_load_cv(*, pop: Population) -> Metric:
    """Coefficient of variation of quota (or headcount) per territory; `by` gives each one's % from the mean."""
    label = "Territory load imbalance (CV)"
    if not pop.has("territory"):
        return _missing(
            "territory_load_cv", label, "%", "std ÷ mean of load per territory", "Add a territory column."
        )
    active = pop.active_end & ~pop.is_role(*LEADERS)
    basis = "quota" if pop.has("quota") else "headcount"
    weights = np.where(active, np.nan_to_num(pop.quota), 0.0) if basis == "quota" else active.astype(float)
    loads, labels = pop.group_sums("territory", weights)
    present, _ = pop.group_sums("territory", active.astype(float))
    loads, labels = loads[present > 0], labels[present > 0]
    formula = (
        f"population std ÷ mean of active {basis} per territory × 100, managers and directors left out; "
        "by: (load − mean) ÷ mean × 100"
    )
    inputs: dict[str, object] = {"basis": basis, "territories": len(loads)}
    if len(loads) < 2 or loads.mean() == 0:
        return _missing(
            "territory_load_cv", label, "%", formula, "Needs at least two territories with load.", **inputs
        )
    mean = float(loads.mean())
    inputs.update(
        mean_load=mean,
        std_load=float(loads.std()),
        load=dict(zip(labels.astype(str).tolist(), loads.tolist(), strict=True)),
    )
    deviation = (loads - mean) / mean * PCT
    return Metric(
        id="territory_load_cv",
        value=float(loads.std() / mean * PCT),
        unit="%",
        formula=formula,
        inputs=inputs,
        by={"territory": dict(zip(labels.astype(str).tolist(), deviation.tolist(), strict=True))},
        label=label,
    )


def _bands(values: np.ndarray, bands: tuple[tuple[float, float | None], ...]) -> dict[str, float | None]:
    counts: dict[str, float | None] = {}
    for low, high in bands:
        upper = np.inf if high is None else high
        counts[f"{low:g}-{'' if high is None else f'{high:g}'}"] = float(
            ((values >= low) & (values < upper)).sum()
        )
    return counts


def tenure_distribution(*, pop: Population) -> Metric:
    """Active people by tenure band (months since hire): the one definition every chart and table shows."""
    known = pop.active_end & ~np.isnan(pop.tenure_months)
    formula = "people active at the as-of date, counted by months since hire_date in bands [low, high)"
    if not known.any():
        return _missing(
            "tenure_distribution", "Tenure distribution", "people", formula, "Add a hire_date column."
        )
    return Metric(
        id="tenure_distribution",
        value=float(known.sum()),
        unit="people",
        formula=formula,
        inputs={"people": int(known.sum())},
        by={"tenure_band": _bands(pop.tenure_months[known], TENURE_BANDS)},
        label="Tenure distribution",
    )


def attainment_distribution(*, pop: Population) -> Metric:
    """Active quota carriers by attainment band (bookings ÷ quota, %): one definition for every output."""
    formula = (
        "active people with quota > 0 and bookings, counted by bookings ÷ quota × 100 in bands [low, high)"
    )
    label = "Attainment distribution"
    if not pop.has("quota") or not pop.has("bookings"):
        return _missing(
            "attainment_distribution", label, "people", formula, "Add quota and bookings columns."
        )
    counted = pop.active_end & (np.nan_to_num(pop.quota) > 0) & ~np.isnan(pop.bookings)
    if not counted.any():
        return _missing(
            "attainment_distribution", label, "people", formula, "No active people with quota > 0."
        )
    attainment = pop.bookings[counted] / pop.quota[counted] * PCT
    return Metric(
        id="attainment_distribution",
        value=float(counted.sum()),
        unit="people",
        formula=formula,
        inputs={"people": int(counted.sum()), "median_attainment_pct": float(np.median(attainment))},
        by={"attainment_band": _bands(attainment, ATTAINMENT_BANDS)},
        label=label,
    )
