"""How metric values print: one formatter for every edge (CLI tables, findings, plans, web), in English or Chinese."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from advisor.org.types import Metric

_FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_MONTHS = {"en": "months", "zh": "个月"}
_REPORTS = {"en": "reports", "zh": "名下属"}


def format_number(value: float | None, unit: str, *, lang: str = "en") -> str:
    """A value in its unit for people: 27.0%, $1,234,567, 1:2.5, 14.2 months, 12; `n/a` when missing."""
    if value is None:
        return "n/a" if lang == "en" else "无数据"
    if unit == "%":
        return f"{value:.1f}%"
    if unit == "USD":
        return f"-${-value:,.0f}" if value < 0 else f"${value:,.0f}"
    if unit == "AEs per SDR":
        return f"1:{value:.1f}"
    if unit == "months":
        return f"{value:.1f} {_MONTHS.get(lang, 'months')}"
    if unit == "reports per manager":
        number = f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"
        return f"{number} {_REPORTS.get(lang, 'reports')}"
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.1f}"


def format_value(metric: Metric, *, lang: str = "en") -> str:
    """A metric's overall value for people (see `format_number`)."""
    return format_number(metric.value, metric.unit, lang=lang)


def safe_cell(value: object) -> object:
    """Neutralise spreadsheet formula injection: text starting with = + - @ or a control char gets a quote."""
    if isinstance(value, str) and value.startswith(_FORMULA_TRIGGERS):
        return "'" + value
    return value


def to_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """CSV text with every text cell neutralised against formula injection (numbers are left as numbers)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([safe_cell(cell) for cell in header])
    for row in rows:
        writer.writerow(["" if cell is None else safe_cell(cell) for cell in row])
    return buffer.getvalue()
