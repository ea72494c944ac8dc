"""How metric values print: one formatter for every edge (CLI tables, findings, plans, web), in English or Chinese."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from advisor.org.types import Metric

_FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_MONTHS = {"en": "months", "zh": "个月"}
_REPORTS = {"en": ("report", "reports"), "zh": ("名下属", "名下属")}


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
        one, many = _REPORTS.get(lang, _REPORTS["en"])
        return f"{number} {one if value == 1 else many}"
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
    writer = csv.writer(buffer)  # CRLF lines, so cells holding \r or \n are quoted too
    writer.writerow([safe_cell(cell) for cell in header])
    for row in rows:
        writer.writerow(["" if cell is None else safe_cell(cell) for cell in row])
    return buffer.getvalue()


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def analysis_markdown(payload: dict[str, Any], *, by: str | None = None) -> str:
    """An `analysis_to_json` payload as Markdown: metrics (and each one per group of `by`), findings, import issues."""
    definitions = payload["definitions"]
    lines = [
        f"# Roster analysis, as of {definitions['as_of']}",
        "",
        f"As of {definitions['as_of_basis']}. Period {definitions['period_start']} to {definitions['as_of']} "
        f"({definitions['period_months']:.2f} months). Attrition: {definitions['attrition_definition']}.",
        "",
        "## Metrics",
        "",
        "| id | value | formula | note |",
        "| --- | --- | --- | --- |",
    ]
    for metric in payload["metrics"]:
        value = format_number(metric["value"], metric["unit"])
        lines.append(f"| `{metric['id']}` | {value} | {_cell(metric['formula'])} | {_cell(metric['note'])} |")
    if by:
        lines += ["", f"## By {by}", "", f"| metric | {by} | value |", "| --- | --- | --- |"]
        for metric in payload["metrics"]:
            for group, value in metric["by"].get(by, {}).items():
                lines.append(
                    f"| `{metric['id']}` | {_cell(group)} | {format_number(value, metric['unit'])} |"
                )
    lines += ["", "## Findings", ""]
    for finding in payload["findings"] or []:
        lines.append(f"- **[{finding['severity']}] {finding['title']}**: {finding['message']}")
    if not payload["findings"]:
        lines.append("No findings.")
    lines += ["", f"## Import issues ({len(payload['errors'])})", ""]
    if payload["errors"]:
        lines += ["| row | column | value | reason | severity |", "| --- | --- | --- | --- | --- |"]
        lines += [
            f"| {e['row']} | {e['column']} | {_cell(e['value'])} | {_cell(e['reason'])} | {e['severity']} |"
            for e in payload["errors"]
        ]
    return "\n".join(lines) + "\n"


def scenario_markdown(result: dict[str, Any]) -> str:
    """A `ScenarioResult.to_dict()` as Markdown: what was done, then every metric before, after and delta."""
    lines = ["# Scenario", ""]
    lines += [f"- {text}" for text in result["applied"]] + [
        f"- warning: {text}" for text in result["warnings"]
    ]
    lines += ["", "| metric | before | after | delta |", "| --- | --- | --- | --- |"]
    for row in result["deltas"]:
        unit = row["unit"]
        delta = format_delta(row["delta"], unit)
        before, after = format_number(row["before"], unit), format_number(row["after"], unit)
        lines.append(f"| `{row['id']}` | {before} | {after} | {delta} |")
    return "\n".join(lines) + "\n"


def format_delta(delta: float | None, unit: str, *, lang: str = "en") -> str:
    """A change in a metric: +3.0pp for percentages, otherwise the unit's form (in `lang`) with a sign; a change
    that rounds to nothing has no sign ("0.0pp", not "-0.0pp")."""
    if delta is None:
        return format_number(None, unit, lang=lang)
    if unit == "%":
        signed = f"{delta:+.1f}pp"
    elif unit == "AEs per SDR":
        signed = f"{delta:+.2f}"
    else:
        signed = ("-" if delta < 0 else "+") + format_number(abs(delta), unit, lang=lang)
    return signed if any(digit in signed for digit in "123456789") else signed[1:]
