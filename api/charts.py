"""The org dashboard's charts, as inline SVG drawn server-side by the plan's chart renderer (no script, no CDN)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from markupsafe import Markup, escape

from advisor.org.metrics import SPAN_RANGE
from advisor.plan.charts import render_svg
from advisor.plan.document import Chart

TENURE_EDGES_YEARS = (0.0, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0)
ATTAINMENT_EDGES_PCT = (0.0, 50.0, 75.0, 100.0, 125.0, 150.0)


@dataclass(frozen=True)
class ChartRow:
    """One bar: its label, its value as shown, and the people filter behind it (empty when there is none)."""

    label: str
    value: str
    people: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class DashboardChart:
    """One chart of the dashboard: id (for tests and anchors), title, SVG (None without data) and its numbers."""

    id: str
    title: str
    svg: Markup | None
    rows: tuple[ChartRow, ...] = ()


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
    chart_id: str,
    title: str,
    rows: list[tuple[str, float]],
    *,
    unit: str = "",
    lang: str = "en",
    people: Sequence[dict[str, str]] = (),
    **extra: Any,
) -> DashboardChart:
    from advisor.org.present import format_number

    if not rows or not any(value for _label, value in rows):
        return DashboardChart(chart_id, title, None)
    chart = Chart(
        title="",  # the page's figcaption carries the title, in the page's own font and language
        style="bars",
        rows=tuple((label, value, None) for label, value in rows),
        unit="%" if unit == "%" else "",  # the bar's text is number + unit, so only a symbol fits
        **extra,
    )
    filters = list(people) or [{}] * len(rows)
    table = tuple(
        ChartRow(label, format_number(value, unit or "people", lang=lang), wanted)
        for (label, value), wanted in zip(rows, filters, strict=True)
    )
    return DashboardChart(chart_id, title, svg_of(chart, title), table)


def svg_of(chart: Chart, name: str, *, lang: str = "en") -> Markup:
    """A chart drawn without its own title (the page's caption has it), named `name` for screen readers, its
    before/after legend in `lang`."""
    from advisor.plan.labels import say

    legend = (say(lang, "chart.before"), say(lang, "chart.after"))
    drawn = render_svg(chart, legend=legend).replace('aria-label=""', f'aria-label="{escape(name)}"', 1)
    return Markup(drawn)  # noqa: S704 - render_svg escapes every label, and the name is escaped here


def dashboard_charts(analysis: Any, t: Callable[..., str], *, lang: str = "en") -> list[DashboardChart]:
    """Turnover by role, span per manager (by name), tenure and attainment distributions, the inside/field mix."""
    from advisor.org.analysis import population
    from advisor.plan.labels import value_label
    from api.org_people import names

    pop = population(analysis.roster)
    active = np.asarray(pop.active_end, dtype=bool)
    tenure_years = np.where(active, np.asarray(pop.tenure_months, dtype=float) / 12.0, np.nan)
    quota = np.asarray(pop.quota, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        attainment = np.where(
            active & (quota > 0), np.asarray(pop.bookings, dtype=float) / quota * 100.0, np.nan
        )
    metrics = analysis.metrics
    who = names(analysis.roster)
    by_role = _by(metrics, "turnover_rate", "role")
    by_manager = sorted(_by(metrics, "span_of_control_mean", "manager"), key=lambda row: -row[1])
    by_channel = _by(metrics, "headcount_end", "channel")
    return [
        _chart(
            "turnover-by-role",
            t("chart_turnover_by_role"),
            [(value_label("role", role, lang), value) for role, value in by_role],
            unit="%",
            lang=lang,
            people=[{"role": role, "status": "left"} for role, _value in by_role],
        ),
        _chart(
            "span-by-manager",
            t("chart_span_by_manager"),
            [(who.get(manager, manager), value) for manager, value in by_manager],
            unit="reports per manager",
            lang=lang,
            people=[{"manager": manager} for manager, _value in by_manager],
            reference=float(SPAN_RANGE[1]),
            reference_label=t("chart_span_max", n=SPAN_RANGE[1]),
        ),
        _chart(
            "tenure", t("chart_tenure"), _binned(histogram(tenure_years, TENURE_EDGES_YEARS), t), lang=lang
        ),
        _chart(
            "channel-mix",
            t("chart_mix"),
            [(value_label("channel", channel, lang), value) for channel, value in by_channel],
            lang=lang,
            people=[{"channel": channel, "status": "active"} for channel, _value in by_channel],
        ),
        _chart(
            "attainment",
            t("chart_attainment"),
            _binned(histogram(attainment, ATTAINMENT_EDGES_PCT), t),
            lang=lang,
        ),
    ]


def _binned(rows: list[tuple[str, float]], t: Callable[..., str]) -> list[tuple[str, float]]:
    return [
        (t("chart_bin_open", low=label[:-1]) if label.endswith("+") else label, value)
        for label, value in rows
    ]
