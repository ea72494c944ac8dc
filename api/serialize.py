"""Library objects in their public shapes: JSON-ready dicts, and metrics and findings worded for people."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from api.schemas import BenchmarkOut, FindingOut, MetricOut


def to_jsonable(item: Any) -> dict[str, Any]:
    """A dataclass, an object with `to_dict`, or a mapping, as a dict (tuples become lists)."""
    if hasattr(item, "to_dict"):
        data = item.to_dict()
    elif dataclasses.is_dataclass(item) and not isinstance(item, type):
        data = dataclasses.asdict(item)
    else:
        data = dict(item)
    return {key: list(value) if isinstance(value, tuple) else value for key, value in data.items()}


_FILE_REFERENCE = re.compile(r",?\s*(?:collected in\s+)?[\w./-]+\.(?:md|yaml|csv)\b(?:\s*\([^)]*\))?")


def source_name(source: str) -> str:
    """A benchmark's source as people read it: no file names from the knowledge folder."""
    return _FILE_REFERENCE.sub("", source).strip(" ,") or source


def citation(benchmark: Any, lang: str = "en") -> str:
    """How a page cites a benchmark: "(The Bridge Group, 2017)"; the year says n.d. when unknown."""
    year = benchmark.year if benchmark.year else ("n.d." if lang == "en" else "年份不详")
    return f"({source_name(benchmark.source)}, {year})"


def metric_out(metric: Any, lang: str) -> MetricOut:
    """A metric in the public shape, its name and value worded in `lang`."""
    from advisor.org.present import format_value
    from advisor.plan.labels import metric_formula, metric_label, metric_note

    return MetricOut(
        id=metric.id,
        value=metric.value,
        unit=metric.unit,
        formula=metric_formula(metric, lang),
        inputs=metric.inputs,
        by=metric.by,
        label=metric_label(metric, lang),
        display=format_value(metric, lang=lang),
        note=metric_note(metric, lang),
    )


def finding_out(finding: Any, lang: str) -> FindingOut:
    """A finding in the public shape, worded in `lang` (the `*_zh` fields are read here, never sent)."""
    from advisor.plan.labels import finding_message, finding_title

    benchmark = finding.benchmark
    return FindingOut(
        id=finding.id,
        severity=finding.severity,
        title=finding_title(finding, lang),
        message=finding_message(finding, lang),
        metric_id=finding.metric_id,
        evidence=finding.evidence,
        benchmark=None
        if benchmark is None
        else BenchmarkOut(
            metric_id=benchmark.metric_id,
            low=benchmark.low,
            high=benchmark.high,
            unit=benchmark.unit,
            source=source_name(benchmark.source),
            year=benchmark.year,
            secondary=benchmark.secondary,
            note=benchmark.note,
            citation=citation(benchmark, lang),
        ),
        topics=list(finding.topics),
    )


_FLAG = re.compile(r"`?(--[a-z][a-z-]*)(?:[ =]'[^']*')?`?")
_PAGE_STEPS = {
    "--map-value": "the Values step of “Columns and filters”",
    "--map": "the Columns step of “Columns and filters”",
    "--mapping": "the Columns step of “Columns and filters”",
    "--where": "the “Which rows” step of “Columns and filters”",
    "--as-of": "the “As of” date on the dashboard",
    "--dayfirst": "“Dates are day-first” when uploading",
}


def web_hint(text: str) -> str:
    """A library message with its command-line fix hints (`--map-value`) reworded as the page's own steps."""
    return _FLAG.sub(lambda match: _PAGE_STEPS.get(match.group(1), match.group(0)), text)
