"""The reference `advisor schema` prints: columns, synonyms, vocabularies, metrics, findings, scenarios, profile."""

from __future__ import annotations

from typing import Any

from advisor.org import scenarios
from advisor.org.findings import load_rules
from advisor.org.importer import DEFAULT_MAX_MB
from advisor.org.profile import CostInputs, Profile
from advisor.org.schema import COLUMNS, DATE_FORMATS_DOC, VOCABULARIES

# id -> (unit, definition); tests check that this matches what compute_metrics returns.
METRICS: dict[str, tuple[str, str]] = {
    "headcount_start": ("people", "active at the period start"),
    "headcount_end": ("people", "active at the as-of date"),
    "separations": ("people", "exits in (period_start, as_of] with reason voluntary, involuntary or empty"),
    "voluntary_separations": ("people", "separations with reason voluntary"),
    "internal_moves": ("people", "exits in the period by promotion or transfer (never separations)"),
    "turnover_rate": ("%", "separations ÷ ((headcount_start + headcount_end) ÷ 2) × 12 ÷ period months"),
    "voluntary_turnover_rate": ("%", "voluntary separations ÷ the same average headcount, annualised"),
    "sdr_turnover_rate": ("%", "turnover_rate restricted to role sdr"),
    "early_attrition_share": ("%", "separations with tenure under 365 days ÷ separations"),
    "avg_tenure_months": ("months", "mean (as_of − hire_date) in days ÷ 30.4375 over people active at as_of"),
    "sdr_avg_tenure_months": ("months", "avg_tenure_months restricted to role sdr"),
    "span_of_control_mean": ("reports per manager", "active direct reports per active manager; by manager"),
    "span_of_control_min": ("reports per manager", "smallest span among active managers"),
    "span_of_control_max": ("reports per manager", "largest span among active managers"),
    "managers_outside_span": ("managers", "active managers with fewer than 6 or more than 10 active reports"),
    "sdr_ae_ratio": ("AEs per SDR", "active ae ÷ active sdr (1 SDR : N AEs)"),
    "inside_share": ("%", "active sdr/ae/am selling inside ÷ those selling inside or field"),
    "quota_attainment_share": ("%", "active people with quota > 0 at or above quota ÷ those with quota > 0"),
    "revenue_per_rep": ("USD", "bookings ÷ average quota-carrying headcount"),
    "pipeline_per_rep": ("USD", "open pipeline of active quota carriers ÷ active quota carriers"),
    "territory_load_cv": (
        "%",
        "coefficient of variation of quota (or headcount) per territory; by: % from mean",
    ),
    "tenure_distribution": ("people", "active people by months since hire: 0-6, 6-12, 12-24, 24-36, 36+"),
    "attainment_distribution": (
        "people",
        "active quota carriers by bookings ÷ quota: <50, 50-75, 75-100, 100-125, 125+ %",
    ),
    "ramped_capacity": (
        "USD",
        "Σ quota × ramp fraction × expected attainment × utilisation, active carriers",
    ),
    "reps_needed": ("reps", "capacity gap ÷ bookings per ramped rep + expected leavers (attrition buffer)"),
    "hires_by_segment": ("reps", "reps_needed split by segment from each segment's capacity share and ramp"),
    "turnover_cost": ("USD", "Σ per separation: recruiting + onboarding + lost productivity − salary saved"),
}
ROW_NUMBERS = (
    "Issues give the row as a spreadsheet shows it: the header is row 1, so the first person is row 2 "
    "(in JSON, the first object is row 1)."
)
MAPPING_FILE = (
    "A YAML or JSON file: `columns: {SOURCE HEADER: canonical}` and optionally "
    "`values: {role: {SOURCE VALUE: sdr}, channel: {...}}`; --map and --map-value do the same on the command line."
)
FILES = (
    f"CSV (UTF-8 with or without BOM, UTF-16, GBK/GB18030; comma, semicolon, tab or pipe, detected), XLSX "
    f"(first sheet), JSON (a list of objects). Files over {DEFAULT_MAX_MB:g} MB are refused (--max-mb raises it). "
    "Exported CSVs prefix cells starting with = + - @ with a quote so spreadsheets do not run them as formulas."
)


def _fields(model: type[Profile] | type[CostInputs]) -> list[dict[str, Any]]:
    return [
        {
            "name": name,
            "default": field.get_default(call_default_factory=False),
            "help": field.description or "",
        }
        for name, field in model.model_fields.items()
        if name != "costs"
    ]


def reference() -> dict[str, Any]:
    """Everything `advisor schema` documents, as JSON-ready data."""
    return {
        "files": FILES,
        "columns": [
            {
                "name": c.name,
                "required": c.required,
                "description": c.description,
                "synonyms": list(c.synonyms),
            }
            for c in COLUMNS
        ],
        "values": {column: {k: list(v) for k, v in table.items()} for column, table in VOCABULARIES.items()},
        "dates": DATE_FORMATS_DOC,
        "row_numbers": ROW_NUMBERS,
        "mapping_file": MAPPING_FILE,
        "metrics": [{"id": key, "unit": unit, "definition": text} for key, (unit, text) in METRICS.items()],
        "findings": [
            {
                "id": rule.id,
                "metric": rule.metric,
                "per": rule.per,
                "topics": rule.topics,
                "title": rule.title.en,
            }
            for rule in load_rules()
        ],
        "scenarios": (scenarios.__doc__ or "").strip(),
        "profile": _fields(Profile),
        "profile_costs": _fields(CostInputs),
    }


def reference_markdown() -> str:
    """The reference as Markdown."""
    ref = reference()
    lines = ["# Roster schema", "", ref["files"], "", "## Columns", "", "| column | required | meaning | headers |",
             "| --- | --- | --- | --- |"]  # fmt: skip
    for column in ref["columns"]:
        lines.append(
            f"| `{column['name']}` | {column['required']} | {column['description']} | {', '.join(column['synonyms'])} |"
        )
    lines += ["", "## Values", ""]
    for column, table in ref["values"].items():
        lines.append(
            f"- `{column}`: " + "; ".join(f"**{key}** ← {', '.join(words)}" for key, words in table.items())
        )
    lines += [
        "",
        f"Dates: {ref['dates']}.",
        "",
        ref["row_numbers"],
        "",
        f"Mapping file: {ref['mapping_file']}",
        "",
    ]
    lines += ["## Metrics", "", "| id | unit | definition |", "| --- | --- | --- |"]
    lines += [f"| `{m['id']}` | {m['unit']} | {m['definition']} |" for m in ref["metrics"]]
    lines += ["", "## Findings", "", "| id | metric | per | topics |", "| --- | --- | --- | --- |"]
    lines += [
        f"| `{f['id']}` | {f['metric']} | {f['per'] or ''} | {', '.join(f['topics'])} |"
        for f in ref["findings"]
    ]
    lines += ["", "## Scenarios", "", ref["scenarios"], "", "## Profile (org.yaml)", ""]
    lines += [f"- `{f['name']}` (default {f['default']}): {f['help']}" for f in ref["profile"]]
    lines += [f"- `costs.{f['name']}` (default {f['default']}): {f['help']}" for f in ref["profile_costs"]]
    return "\n".join(lines) + "\n"
