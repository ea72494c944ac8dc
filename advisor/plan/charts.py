"""Tiny SVG charts for the HTML and PDF plan: horizontal bars and before/after pairs, no script, no fonts to fetch."""

from __future__ import annotations

from xml.sax.saxutils import escape

from advisor.plan.document import Chart

_WIDTH = 640
_LABEL_W = 170
_VALUE_W = 70
_ROW_H = 22
_BAR_H = 14
_TOP = 30
_COLOURS = ("#2f6db5", "#e08a2c")  # before (or only) bar, after bar
_REFERENCE = "#c0392b"


def _number(value: float) -> str:
    return f"{value:,.1f}".rstrip("0").rstrip(".") if value % 1 else f"{value:,.0f}"


def _label(text: str, limit: int = 26) -> str:
    return escape(text if len(text) <= limit else text[: limit - 1] + "…")


def _scale(chart: Chart) -> float:
    values = [v for row in chart.rows for v in row[1:] if v is not None]
    if chart.reference is not None:
        values.append(chart.reference)
    top = max(values, default=0.0)
    return (_WIDTH - _LABEL_W - _VALUE_W) / top if top > 0 else 0.0


def _bar(x: float, y: float, width: float, colour: str, height: float = _BAR_H) -> str:
    return (
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(width, 0.0):.1f}" height="{height:.1f}" fill="{colour}"/>'
    )


def _text(
    x: float, y: float, text: str, *, anchor: str = "start", size: int = 11, weight: str = "normal"
) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
        f'font-weight="{weight}">{text}</text>'
    )


def _rows(chart: Chart, scale: float) -> tuple[list[str], float]:
    parts: list[str] = []
    y = float(_TOP)
    pair = chart.style == "before_after"
    for label, first, second in chart.rows:
        height = _ROW_H * (2 if pair else 1)
        parts.append(_text(_LABEL_W - 6, y + height / 2 + 4, _label(label), anchor="end"))
        values = (first, second) if pair else (first,)
        for i, value in enumerate(values):
            bar_y = y + 4 + i * _ROW_H
            if value is None:
                continue
            width = value * scale
            parts.append(_bar(_LABEL_W, bar_y, width, _COLOURS[i]))
            parts.append(_text(_LABEL_W + width + 4, bar_y + _BAR_H - 3, escape(_number(value) + chart.unit)))
        y += height
    return parts, y


def _legend(chart: Chart, labels: tuple[str, str], y: float) -> list[str]:
    if chart.style != "before_after":
        return []
    parts = []
    for i, name in enumerate(labels):
        x = _LABEL_W + i * 120
        parts.append(_bar(x, y + 4, 12, _COLOURS[i], height=10))
        parts.append(_text(x + 16, y + 13, escape(name)))
    return parts


def render_svg(chart: Chart, *, legend: tuple[str, str] = ("before", "after")) -> str:
    """An inline `<svg>` element for the chart; every label is escaped."""
    scale = _scale(chart)
    parts = [_text(0, 16, escape(chart.title), size=13, weight="bold")]
    body, bottom = _rows(chart, scale)
    parts.extend(body)
    if chart.reference is not None and scale:
        x = _LABEL_W + chart.reference * scale
        parts.append(
            f'<line x1="{x:.1f}" y1="{_TOP - 4}" x2="{x:.1f}" y2="{bottom:.1f}" stroke="{_REFERENCE}" '
            'stroke-dasharray="4 3" stroke-width="1.5"/>'
        )
        parts.append(_text(x, _TOP - 8, escape(chart.reference_label or _number(chart.reference)), size=10))
    parts.extend(_legend(chart, legend, bottom))
    height = bottom + (24 if chart.style == "before_after" else 8)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{_WIDTH}" height="{height:.0f}" '
        f'viewBox="0 0 {_WIDTH} {height:.0f}" aria-label="{escape(chart.title, {chr(34): "&quot;"})}">'
        + "".join(parts)
        + "</svg>"
    )
