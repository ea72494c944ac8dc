"""What the org routes and pages share: reports, cached JSON, scenarios and plans for one uploaded org.

Every function here is blocking (pandas, SQLite, the model) and is called through the threadpool.
"""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup

from advisor.config import Settings
from advisor.errors import InputError
from api import org_store
from api.schemas import IssueOut, OrgOut

MEDIA_TYPES = {
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "json": "application/json",
}


def _dumps(value: Any) -> bytes:
    # metrics can be NaN-free floats, numpy scalars or dates: `default=str` keeps the JSON valid either way
    return json.dumps(value, ensure_ascii=False, default=_plain, allow_nan=False).encode()


def _plain(value: Any) -> Any:
    if hasattr(value, "item"):
        return value.item()
    return str(value)


def _out(settings: Settings, record: org_store.OrgUpload) -> OrgOut:
    from advisor.org.schema import COLUMN_NAMES, map_headers

    headers = org_store.read_headers(settings, record.id)
    mapping, unmapped = map_headers(headers, json.loads(record.mapping))
    out = OrgOut(
        org_id=record.id,
        status="ready" if record.status == "ready" else "needs_mapping",
        filename=record.filename,
        message=record.message,
        rows=record.rows,
        headers=headers,
        mapping=mapping,
        unmapped=unmapped,
        columns=list(COLUMN_NAMES),
    )
    if record.status == "ready":
        roster = org_store.analysis(settings, record.id).roster
        out.issues = [
            IssueOut(row=issue.row, column=issue.column, value=str(issue.value), reason=issue.reason)
            for issue in roster.issues
        ]
        out.set_aside = int(roster.set_aside)
    return out


def upload(
    settings: Settings,
    *,
    filename: str,
    data: bytes,
    profile: bytes | None,
    mapping: dict[str, str] | None,
    dayfirst: bool,
) -> OrgOut:
    """Store and validate a new upload; its report."""
    record = org_store.create_org(
        settings, filename=filename, data=data, profile=profile, mapping=mapping, dayfirst=dayfirst
    )
    return _out(settings, record)


def report(settings: Settings, org_id: str) -> OrgOut:
    """The org's status and validation report."""
    return _out(settings, org_store.get_org(settings, org_id))


def remap(settings: Settings, org_id: str, mapping: dict[str, str], dayfirst: bool | None) -> OrgOut:
    """Apply a column mapping and validate again."""
    return _out(settings, org_store.apply_mapping(settings, org_id, mapping=mapping, dayfirst=dayfirst))


def cached_json(settings: Settings, org_id: str, kind: str) -> bytes:
    """`{"metrics": [...]}` or `{"findings": [...]}` as JSON bytes, serialised once per upload version."""
    return _json_of(org_store.analysis(settings, org_id), kind)


def recent_json(org_id: str, kind: str) -> bytes | None:
    """The same bytes when they are already cached and fresh, without any I/O (for the event loop's fast path)."""
    result = org_store.recent_analysis(org_id)
    return result.cache.get(f"{kind}.json") if result is not None else None


def _json_of(result: org_store.OrgAnalysis, kind: str) -> bytes:
    key = f"{kind}.json"
    if key not in result.cache:
        items = result.metrics if kind == "metrics" else result.findings
        result.cache[key] = _dumps({kind: [item.to_dict() for item in items]})
    return result.cache[key]  # type: ignore[no-any-return]


def scenario_spec(spec: dict[str, Any]) -> Any:
    """A checked scenario spec, or InputError naming the bad field."""
    from pydantic import ValidationError

    from advisor.org.scenarios import ScenarioSpec

    try:
        return ScenarioSpec.model_validate(spec)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "spec"
        raise InputError(
            f"Scenario `{where}`: {first['msg']}. Use hire {{role: n}}, move {{inside|field: n}}, "
            "add_manager n and attrition_pp (percentage points)."
        ) from exc


def scenario(settings: Settings, org_id: str, spec: Any) -> dict[str, Any]:
    """Run a what-if spec on the org's roster; JSON-ready before/after metrics and deltas."""
    from advisor.org.scenarios import run_scenario

    result = org_store.analysis(settings, org_id)
    checked = spec if not isinstance(spec, dict) else scenario_spec(spec)
    return run_scenario(result.roster, checked, profile=result.profile).to_dict()  # type: ignore[no-any-return]


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:,.1f}"


def scenario_view(outcome: dict[str, Any]) -> dict[str, Any]:
    """Rows for the scenario page (changed metrics first) and the before/after chart of what changed."""
    from advisor.plan.charts import render_svg
    from advisor.plan.document import Chart

    labels = {metric["id"]: metric.get("label") or metric["id"] for metric in outcome["after"]}
    rows = [
        {
            "id": delta["id"],
            "label": labels.get(delta["id"], delta["id"]),
            "before": _fmt(delta["before"]),
            "after": _fmt(delta["after"]),
            "delta": "" if not delta["delta"] else f"{delta['delta']:+,.1f} {delta['unit']}",
        }
        for delta in outcome["deltas"]
    ]
    rows.sort(key=lambda row: row["delta"] == "")
    changed = [
        d for d in outcome["deltas"] if d["delta"] and d["unit"] in ("people", "reports per manager", "%")
    ]
    chart = None
    if changed:
        pairs = tuple((labels[d["id"]], float(d["before"]), float(d["after"])) for d in changed[:12])
        chart = Markup(render_svg(Chart(title="", style="before_after", rows=pairs)))  # noqa: S704 - escaped
    return {"changes": rows, "chart": chart, "applied": outcome["applied"], "warnings": outcome["warnings"]}


def plan_document(
    settings: Settings, org_id: str, *, fmt: str, goal: str | None, lang: str
) -> tuple[bytes, str]:
    """The org's plan in one format (drafted once per upload version, goal and language), with its media type."""
    from advisor.plan.draft import draft_plan
    from advisor.plan.render import render_plan

    result = org_store.analysis(settings, org_id)
    key = f"plan:{lang}:{goal or ''}"
    if key not in result.cache:
        result.cache[key] = draft_plan(
            result.roster, settings=settings, profile=result.profile, goal=goal, lang=lang
        )
    plan = result.cache[key]
    data = _dumps(plan.to_dict()) if fmt == "json" else render_plan(plan, fmt)  # type: ignore[arg-type]
    return data, MEDIA_TYPES[fmt]
