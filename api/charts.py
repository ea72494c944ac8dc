"""The org dashboard's charts, as inline SVG drawn server-side by the plan's chart renderer (no script, no CDN)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from markupsafe import Markup

from advisor.org.metrics import SPAN_RANGE
from advisor.plan.charts import render_svg
from advisor.plan.document import Chart

TENURE_EDGES_YEARS = (0.0, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0)
ATTAINMENT_EDGES_PCT = (0.0, 50.0, 75.0, 100.0, 125.0, 150.0)


@dataclass(frozen=True)
class DashboardChart:
    """One chart of the dashboard: its id (for tests and anchors), title and SVG, or None when there is no data."""

    id: str
    title: str
    svg: Markup | None


def histogram(values: Sequence[float] | np.ndarray, edges: Sequence[float]) -> list[tuple[str, float]]:
    """Counts per bin `[edge_i, edge_i+1)`, plus an open last bin `edge_last+`; NaN values are ignored."""
    array = np.asarray(values, dtype=float)
    array = array[~np.isnan(array)]
    bounds = np.append(np.asarray(edges, dtype=float), np.inf)
    counts, _ = np.histogram(array, bins=bounds)
    labels = [f"{_num(low)}–{_num(high)}" for low, high in zip(edges[:-1], edges[1:], strict=True)]
    labels.append(f"{_num(edges[-1])}+")
    return [(label, float(count)) for label, count in zip(labels, counts, strict=True)]


def _num(value: float) -> str:
    return f"{value:g}"


def _by(metrics: Sequence[Any], metric_id: str, dimension: str) -> list[tuple[str, float]]:
    metric = next((m for m in metrics if m.id == metric_id), None)
    if metric is None:
        return []
    groups = metric.by.get(dimension, {})
    return [(str(name), float(value)) for name, value in sorted(groups.items()) if value is not None]


def _chart(
    chart_id: str, title: str, rows: list[tuple[str, float]], *, unit: str = "", **extra: Any
) -> DashboardChart:
    if not rows or not any(value for _label, value in rows):
        return DashboardChart(chart_id, title, None)
    chart = Chart(
        title=title,
        style="bars",
        rows=tuple((label, value, None) for label, value in rows),
        unit=unit,
        **extra,
    )
    return DashboardChart(chart_id, title, Markup(render_svg(chart)))  # noqa: S704 - render_svg escapes every label


def dashboard_charts(analysis: Any, t: Callable[[str], str]) -> list[DashboardChart]:
    """Turnover by role, span per manager, tenure and attainment distributions, and the inside/field mix."""
    from advisor.org.analysis import population

    pop = population(analysis.roster)
    active = np.asarray(pop.active_end, dtype=bool)
    tenure_years = np.where(active, np.asarray(pop.tenure_months, dtype=float) / 12.0, np.nan)
    quota = np.asarray(pop.quota, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        attainment = np.where(
            active & (quota > 0), np.asarray(pop.bookings, dtype=float) / quota * 100.0, np.nan
        )
    metrics = analysis.metrics
    return [
        _chart(
            "turnover-by-role", t("chart_turnover_by_role"), _by(metrics, "turnover_rate", "role"), unit="%"
        ),
        _chart(
            "span-by-manager",
            t("chart_span_by_manager"),
            _by(metrics, "span_of_control_mean", "manager"),
            reference=float(SPAN_RANGE[1]),
            reference_label=f"max {SPAN_RANGE[1]}",
        ),
        _chart("tenure", t("chart_tenure"), histogram(tenure_years, TENURE_EDGES_YEARS)),
        _chart("channel-mix", t("chart_mix"), _by(metrics, "headcount_end", "channel")),
        _chart("attainment", t("chart_attainment"), histogram(attainment, ATTAINMENT_EDGES_PCT)),
    ]
