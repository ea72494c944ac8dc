"""What the org routes and pages share: reports, cached JSON, scenarios and plans for one uploaded org.

Every function here is blocking (pandas, SQLite, the model) and is called through the threadpool.
"""

from __future__ import annotations

import json
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from advisor import audit
from advisor.config import Settings
from advisor.errors import InputError, NotFoundError
from advisor.org import store as org_store
from api import ownership
from api.deps import Principal
from api.schemas import (
    ColumnValuesOut,
    FindingsOut,
    ImportOptions,
    IssueOut,
    MetricsOut,
    OrgOut,
    OrgSummaryOut,
    PreviewOut,
)
from api.serialize import finding_out, metric_out, web_hint

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

    headers = org_store.read_headers(settings, record.id, filename=record.filename)
    mapping, unmapped = map_headers(headers, json.loads(record.mapping))
    out = OrgOut(
        org_id=record.id,
        status="ready" if record.status == "ready" else "needs_mapping",
        filename=record.filename,
        message=record.message,
        rows=record.rows,
        missing=[]
        if record.status == "ready"
        else org_store.missing_required(headers, json.loads(record.mapping)),
        headers=headers,
        mapping=mapping,
        unmapped=unmapped,
        columns=list(COLUMN_NAMES),
    )
    if record.status == "ready":
        roster = view(settings, record.id).roster
        out.rows = len(roster.df)
        out.issues = [
            IssueOut.model_validate({**issue.to_dict(), "reason": web_hint(issue.reason)})
            for issue in roster.issues
        ]
        out.set_aside = int(roster.set_aside)
    return out


def mapping_note(missing: list[str], lang: str) -> str:
    """What an upload needs mapped before it can be read ("Choose the columns holding: Role."), in `lang`."""
    from api.i18n import translator

    t = translator(lang)
    named = [" / ".join(t(f"col_{column}") for column in group.split(" or ")) for group in missing]
    return t("mapping_choose", columns=("、" if lang == "zh" else ", ").join(named))


def upload(
    settings: Settings,
    principal: Principal,
    *,
    filename: str,
    data: bytes,
    profile: bytes | None,
    mapping: dict[str, str] | None,
    dayfirst: bool,
) -> OrgOut:
    """Store and validate a new upload as one of the principal's orgs; its report."""
    record = org_store.create_org(
        settings, filename=filename, data=data, profile=profile, mapping=mapping, dayfirst=dayfirst
    )
    ownership.claim(settings, "org", record.id, principal)
    audit.record(settings, actor=principal.owner, action="upload", target=f"org:{record.id}", detail=filename)
    return _out(settings, record)


def report(settings: Settings, org_id: str) -> OrgOut:
    """The org's status and validation report."""
    return _out(settings, org_store.get_org(settings, org_id))


def remap(settings: Settings, org_id: str, mapping: dict[str, str], dayfirst: bool | None) -> OrgOut:
    """Apply a column mapping and validate again."""
    record = org_store.apply_mapping(settings, org_id, mapping=mapping, dayfirst=dayfirst)
    with _views_lock:
        _recent.pop(org_id, None)
    return _out(settings, record)


def summaries(settings: Settings, principal: Principal) -> list[OrgSummaryOut]:
    """The principal's uploaded orgs, newest first, with the people each holds."""
    out = []
    for org_id, name in ownership.owned(settings, "org", principal).items():
        try:
            record = org_store.get_org(settings, org_id)
        except NotFoundError:
            continue
        out.append(
            OrgSummaryOut(
                org_id=org_id,
                name=name or record.filename,
                filename=record.filename,
                created_at=record.created_at,
                people=len(view(settings, org_id).roster.df) if record.status == "ready" else 0,
                status="ready" if record.status == "ready" else "needs_mapping",
            )
        )
    return out


def display_name(settings: Settings, org_id: str) -> str:
    """The name the owner gave the org, else its file name."""
    return ownership.name_of(settings, "org", org_id) or org_store.get_org(settings, org_id).filename


def delete(settings: Settings, principal: Principal, org_id: str) -> None:
    """Remove one of the principal's orgs: its files, its record and its cached analyses."""
    import shutil

    from advisor.db import session

    ownership.check_owner(settings, "org", org_id, principal)
    folder = org_store.org_dir(settings, org_id)
    with session(settings) as db:
        record = db.get(org_store.OrgUpload, org_id)
        if record is not None:
            db.delete(record)
    shutil.rmtree(folder, ignore_errors=True)
    org_store.delete_files(settings, org_id)
    audit.record(settings, actor=principal.owner, action="delete", target=f"org:{org_id}")
    org_store.forget(org_id)
    ownership.release(settings, "org", org_id)
    with _views_lock:
        _recent.pop(org_id, None)
        for key in [key for key in _views if key[0] == org_id]:
            del _views[key]


@dataclass
class OrgView:
    """One org as its owner chose to read it (value names, row filters, as-of and period): roster, metrics, findings."""

    org_id: str
    filename: str
    options: ImportOptions
    roster: Any
    profile: Any
    metrics: list[Any]
    findings: list[Any]
    owner: str | None = None  # the owning principal, for the no-I/O ownership check of the fast path
    cache: dict[str, Any] = field(default_factory=dict)  # serialised responses and chat context


_views: OrderedDict[tuple[str, int, str], OrgView] = OrderedDict()
_recent: dict[str, tuple[OrgView, float]] = {}  # org id -> (its current view, when confirmed)
_views_lock = threading.Lock()
_CACHE_SIZE = 64


@lru_cache(maxsize=1)
def bundled_benchmarks() -> Any:
    """The bundled benchmarks, read once per process."""
    from advisor.bundled import BENCHMARKS_FILE
    from advisor.org.benchmarks import load_benchmarks

    return load_benchmarks(BENCHMARKS_FILE)


def _roster_file(settings: Settings, org_id: str) -> Any:
    return org_store.roster_file(settings, org_id)


def options_of(settings: Settings, org_id: str) -> ImportOptions:
    """The owner's stored import options for an org (defaults when none)."""
    return ImportOptions.model_validate(ownership.options(settings, "org", org_id))


def _period_start(options: ImportOptions, as_of: date) -> date | None:
    if not options.period_months:
        return None
    import pandas as pd

    return (pd.Timestamp(as_of) - pd.DateOffset(months=options.period_months)).date()  # type: ignore[no-any-return]


def load_with(settings: Settings, record: org_store.OrgUpload, options: ImportOptions) -> Any:
    """The stored roster read with the record's columns and these value names, filters and as-of date."""
    from advisor.org.roster import load_roster

    path = _roster_file(settings, record.id)
    return load_roster(
        path.read_bytes(),
        filename=record.filename,
        mapping=json.loads(record.mapping) or None,
        dayfirst=record.dayfirst,
        as_of=options.as_of,
        value_map=options.values or None,
        where=options.where or None,
    )


def view(settings: Settings, org_id: str) -> OrgView:
    """The org read with its owner's options, computed once per upload version and options, and cached."""
    record = org_store.get_org(settings, org_id)
    if record.status != "ready":
        from api.errors import PageInputError

        headers = org_store.read_headers(settings, record.id, filename=record.filename)
        missing = org_store.missing_required(headers, json.loads(record.mapping))
        raise PageInputError(
            "org_needs_mapping", name=record.filename, note=lambda lang: mapping_note(missing, lang)
        )
    options = options_of(settings, org_id)
    key = (org_id, record.version, options.model_dump_json())
    with _views_lock:
        if key in _views:
            _views.move_to_end(key)
            _recent[org_id] = (_views[key], time.monotonic())
            return _views[key]
    from advisor.org.analysis import analyze

    roster = load_with(settings, record, options)
    profile = org_store.load_profile_for(settings, record)
    analysed = analyze(
        roster,
        benchmarks=bundled_benchmarks(),
        profile=profile,
        as_of=options.as_of,
        period_start=_period_start(options, options.as_of or roster.as_of),
    )
    result = OrgView(
        org_id=org_id,
        filename=record.filename,
        options=options,
        roster=roster,
        profile=profile,
        metrics=analysed.metrics,
        findings=analysed.findings,
        owner=ownership.owner_of(settings, "org", org_id),
    )
    with _views_lock:
        _views[key] = result
        _recent[org_id] = (result, time.monotonic())
        while len(_views) > _CACHE_SIZE:
            _views.popitem(last=False)
    return result


def owned_view(settings: Settings, principal: Principal, org_id: str) -> OrgView:
    """The org's view, if the principal may read it (NotFoundError when it belongs to someone else)."""
    result = view(settings, org_id)
    if not ownership.readable(result.owner, principal):
        ownership.check(settings, "org", org_id, principal)  # shared with the team, or a 404
    return result


def cached_json(settings: Settings, principal: Principal, org_id: str, kind: str, lang: str) -> bytes:
    """The metrics or findings response (`MetricsOut` / `FindingsOut`) as JSON bytes, serialised once per view."""
    return _json_of(owned_view(settings, principal, org_id), kind, lang)


def recent_json(principal: Principal, org_id: str, kind: str, lang: str) -> bytes | None:
    """The same bytes when they are cached and fresh, without any I/O (for the event loop's fast path)."""
    with _views_lock:
        seen = _recent.get(org_id)
    if seen is None or time.monotonic() - seen[1] > org_store.RECHECK_SECONDS:
        return None
    if not ownership.readable(seen[0].owner, principal):
        return None  # the slow path says 404
    return seen[0].cache.get(f"{kind}.{lang}.json")  # type: ignore[no-any-return]


def _json_of(result: OrgView, kind: str, lang: str) -> bytes:
    key = f"{kind}.{lang}.json"
    if key not in result.cache:
        if kind == "metrics":
            body: Any = MetricsOut(metrics=[metric_out(m, lang) for m in result.metrics])
        else:
            body = FindingsOut(findings=[finding_out(f, lang) for f in result.findings])
        result.cache[key] = body.model_dump_json().encode()
    return result.cache[key]  # type: ignore[no-any-return]


def set_options(settings: Settings, principal: Principal, org_id: str, options: ImportOptions) -> OrgView:
    """Store new import options for the org (checked by reading the roster with them first)."""
    record = org_store.get_org(settings, org_id)
    ownership.check(settings, "org", org_id, principal)
    load_with(
        settings, record, options
    )  # an impossible filter is reported now, with the stored options untouched
    ownership.set_options(settings, "org", org_id, principal, options.model_dump(mode="json"))
    with _views_lock:
        _recent.pop(org_id, None)
    return view(settings, org_id)


def preview(
    settings: Settings, org_id: str, mapping: dict[str, str], options: ImportOptions, lang: str = "en"
) -> PreviewOut:
    """How many rows a mapping with these options keeps, without storing anything (a problem worded in `lang`)."""
    from api.errors import error_text

    record = org_store.get_org(settings, org_id)
    trial = org_store.OrgUpload(
        id=record.id, filename=record.filename, mapping=json.dumps(mapping), dayfirst=record.dayfirst
    )
    try:
        roster = load_with(settings, trial, options)
    except InputError as exc:
        message = web_hint(error_text(exc, lang))
        return PreviewOut(rows=record.rows, kept=0, filtered_out=0, set_aside=0, message=message)
    kept = len(roster.df)
    total = kept + roster.set_aside + roster.filtered_out
    return PreviewOut(rows=total, kept=kept, filtered_out=roster.filtered_out, set_aside=roster.set_aside)


def column_values(settings: Settings, org_id: str, *, top: int = 25) -> list[ColumnValuesOut]:
    """Each source column with its canonical column and most common values (for value names and filters)."""
    from advisor.org.importer import read_source
    from advisor.org.schema import map_headers

    record = org_store.get_org(settings, org_id)
    path = _roster_file(settings, org_id)
    frame = read_source(path.read_bytes(), filename=path.name).frame
    mapped, _unmapped = map_headers([str(c) for c in frame.columns], json.loads(record.mapping))
    out = []
    for header in frame.columns:
        counts = frame[header].astype(str).str.strip().value_counts()
        values = {str(k): int(v) for k, v in counts.head(top).items()} if counts.size <= 60 else {}
        out.append(ColumnValuesOut(header=str(header), column=mapped.get(str(header)), values=values))
    return out


def scenario_spec(spec: dict[str, Any]) -> Any:
    """A checked scenario spec, or InputError naming the bad field."""
    from pydantic import ValidationError

    from advisor.org.scenarios import ScenarioSpec
    from api.errors import PageInputError, invalid_reason

    try:
        return ScenarioSpec.model_validate(spec)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "spec"
        raise PageInputError("scenario_error_field", field=where, reason=invalid_reason(first)) from exc


def scenario(settings: Settings, org_id: str, spec: Any) -> dict[str, Any]:
    """Run a what-if spec on the org's roster; JSON-ready before/after metrics and deltas."""
    from advisor.org.scenarios import run_scenario

    result = view(settings, org_id)
    checked = spec if not isinstance(spec, dict) else scenario_spec(spec)
    outcome = run_scenario(result.roster, checked, profile=result.profile, benchmarks=bundled_benchmarks())
    return outcome.to_dict()  # type: ignore[no-any-return]


def scenario_view(outcome: dict[str, Any], lang: str, name: str = "") -> dict[str, Any]:
    """Rows for the scenario page (changed metrics first, named in `lang`) and the before/after chart."""
    from advisor.org.present import format_delta, format_number
    from advisor.org.types import Metric
    from advisor.plan.document import Chart
    from advisor.plan.labels import metric_label
    from api.charts import svg_of

    labels = {m["id"]: metric_label(Metric(**m), lang) for m in outcome["after"]}
    rows = [
        {
            "id": delta["id"],
            "label": labels.get(delta["id"], delta["id"]),
            "before": format_number(delta["before"], delta["unit"], lang=lang),
            "after": format_number(delta["after"], delta["unit"], lang=lang),
            "delta": "" if not delta["delta"] else format_delta(delta["delta"], delta["unit"], lang=lang),
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
        chart = svg_of(Chart(title="", style="before_after", rows=pairs), name, lang=lang)
    return {
        "changes": rows,
        "chart": chart,
        "applied": _worded(outcome, "applied", lang),
        "warnings": _worded(outcome, "warning", lang),
    }


def _worded(outcome: dict[str, Any], kind: str, lang: str) -> list[str]:
    """A scenario's lines (what was done, or could not be) worded in `lang` from their catalogue keys."""
    from advisor.org.messages import Message

    coded = outcome.get(f"{kind}_messages")
    if coded is None:  # an outcome stored before the lines were coded
        return list(outcome.get("applied" if kind == "applied" else "warnings", []))
    return [Message.from_dict(line).text(lang) for line in coded]


def plan_document(
    settings: Settings, org_id: str, *, fmt: str, goal: str | None, lang: str, inputs: Any = None
) -> tuple[bytes, str]:
    """The org's plan in one format (drafted once per view and inputs), with its media type.

    `inputs` (`api.plans.PlanInputs`) lays the form's goal, language and figures over the uploaded profile; without
    it the plan uses `goal` and `lang` alone.
    """
    from advisor.plan.draft import draft_plan
    from advisor.plan.render import render_plan
    from api.plans import PlanInputs

    result = view(settings, org_id)
    chosen = inputs or PlanInputs(goal=goal or "", lang=lang)  # type: ignore[arg-type]
    key = f"plan:{chosen.model_dump_json()}"
    if key not in result.cache:
        as_of = result.options.as_of or result.roster.as_of
        result.cache[key] = draft_plan(
            result.roster,
            settings=settings,
            profile=chosen.profile(result.profile),
            goal=chosen.goal or None,
            lang=chosen.lang,
            as_of=as_of,
            period_start=_period_start(result.options, as_of),
            benchmarks=bundled_benchmarks(),
        )
    plan = result.cache[key]
    data = _dumps(plan.to_dict()) if fmt == "json" else render_plan(plan, fmt)  # type: ignore[arg-type]
    return data, MEDIA_TYPES[fmt]
