"""Metrics and findings as spreadsheet downloads (CSV or XLSX), every text cell neutralised against formulas."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from advisor.org.present import safe_cell, to_csv

MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def metric_rows(metrics: Sequence[Any]) -> tuple[list[str], list[list[object]]]:
    """Header and rows of the metrics table (public `MetricOut` objects)."""
    header = ["id", "metric", "value", "unit", "shown as", "formula", "note"]
    return header, [[m.id, m.label, m.value, m.unit, m.display, m.formula, m.note] for m in metrics]


def finding_rows(findings: Sequence[Any]) -> tuple[list[str], list[list[object]]]:
    """Header and rows of the findings table (public `FindingOut` objects)."""
    header = ["id", "severity", "finding", "detail", "metric", "benchmark"]
    return header, [
        [f.id, f.severity, f.title, f.message, f.metric_id, f.benchmark.citation if f.benchmark else ""]
        for f in findings
    ]


def table_bytes(header: Sequence[str], rows: Sequence[Sequence[object]], fmt: str, *, sheet: str) -> bytes:
    """The table as CSV (UTF-8 with BOM, so spreadsheet apps read accents and Chinese) or as an XLSX workbook."""
    if fmt == "csv":
        return ("\ufeff" + to_csv(header, rows)).encode()
    from openpyxl import Workbook

    book = Workbook()
    page = book.active
    assert page is not None
    page.title = sheet[:31]
    page.append([safe_cell(cell) for cell in header])
    for row in rows:
        page.append(["" if cell is None else safe_cell(cell) for cell in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
