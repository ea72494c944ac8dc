"""Org pages: your orgs, upload, the mapping step (columns, values, filters), dashboard, people, scenarios, plans."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from pydantic import ValidationError

from advisor.config import Settings
from advisor.errors import InputError
from api import org_people, org_service, ownership, plans, scenarios
from api.auth import require_login
from api.charts import dashboard_charts
from api.deps import Principal, PrincipalDep, SettingsDep, ensure_browser_session
from api.errors import PageInputError, error_text, invalid_reason
from api.i18n import pick_language, translator
from api.pages.render import redirect, render
from api.routes.orgs import store_upload
from api.schemas import ImportOptions
from api.security import REPORT_CSP
from api.serialize import finding_out, metric_out, web_hint

router = APIRouter(
    include_in_schema=False, dependencies=[Depends(require_login), Depends(ensure_browser_session)]
)
PlanLang = Annotated[str, Query(pattern="^(en|zh)$")]
Goal = Annotated[str, Query(max_length=1000)]
# canonical columns whose values the mapping step lets people rename, and that make useful row filters
VALUE_COLUMNS = ("role", "channel", "segment")
ROLE_VALUES = ("sdr", "ae", "am", "se", "manager", "director", "other")
CHANNEL_VALUES = ("inside", "field", "hybrid")
SEGMENT_VALUES = ("smb", "mid_market", "enterprise")


def _owned_report(settings: Settings, principal: Principal, org_id: str) -> Any:
    ownership.check(settings, "org", org_id, principal)
    return org_service.report(settings, org_id)


@router.get("/orgs")
async def orgs_page(request: Request, settings: SettingsDep, principal: PrincipalDep) -> Response:
    """Your uploaded orgs, and the upload form."""
    orgs = await run_in_threadpool(org_service.summaries, settings, principal)
    return render(request, "org_upload.html", {"orgs": orgs})


@router.post("/orgs")
async def upload(
    request: Request,
    settings: SettingsDep,
    principal: PrincipalDep,
    file: Annotated[UploadFile, File()],
    profile: Annotated[UploadFile | None, File()] = None,
    dayfirst: Annotated[bool, Form()] = False,
) -> Response:
    """Store the upload, then show the dashboard, or the mapping step when headers were not recognised."""
    org = await store_upload(settings, principal, file, profile, mapping=None, dayfirst=dayfirst)
    target = f"/orgs/{org.org_id}" if org.status == "ready" else f"/orgs/{org.org_id}/mapping"
    return redirect(request, target)


@router.post("/orgs/{org_id}/rename")
async def rename(
    request: Request,
    settings: SettingsDep,
    principal: PrincipalDep,
    org_id: str,
    name: Annotated[str, Form(max_length=200)],
) -> Response:
    """Rename one of your orgs."""
    await run_in_threadpool(ownership.rename, settings, "org", org_id, principal, name)
    return redirect(request, "/orgs")


@router.post("/orgs/{org_id}/delete")
async def delete(request: Request, settings: SettingsDep, principal: PrincipalDep, org_id: str) -> Response:
    """Delete one of your orgs."""
    await run_in_threadpool(org_service.delete, settings, principal, org_id)
    return redirect(request, "/orgs")


def _mapping_data(settings: Settings, principal: Principal, org_id: str, lang: str = "en") -> dict[str, Any]:
    org = _owned_report(settings, principal, org_id)
    return {
        "org": org,
        "org_message": org_service.mapping_note(org.missing, lang) if org.missing else org.message,
        "name": org_service.display_name(settings, org_id),
        "sources": org_service.column_values(settings, org_id),
        "options": org_service.options_of(settings, org_id),
        "value_columns": {"role": ROLE_VALUES, "channel": CHANNEL_VALUES, "segment": SEGMENT_VALUES},
    }


@router.get("/orgs/{org_id}/mapping")
async def mapping_page(
    request: Request, settings: SettingsDep, principal: PrincipalDep, org_id: str
) -> Response:
    """Columns, value names and row filters, with a live count of the rows each choice keeps."""
    data = await run_in_threadpool(_mapping_data, settings, principal, org_id, pick_language(request))
    return render(request, "org_mapping.html", data)


def form_options(form: Any) -> tuple[dict[str, str], ImportOptions]:
    """The mapping form's columns, value names, filter, as-of date and period."""
    mapping = {
        str(source): str(target)
        for source, target in zip(form.getlist("source"), form.getlist("target"), strict=False)
        if target
    }
    values: dict[str, dict[str, str]] = {}
    for key, target in form.multi_items():
        # value fields are named value:<column>:<source value>
        if key.startswith("value:") and target:
            _prefix, column, source = key.split(":", 2)
            values.setdefault(column, {})[source] = str(target)
    where = {}
    if form.get("filter_column") and form.get("filter_value"):
        where[str(form["filter_column"])] = str(form["filter_value"])
    as_of = date.fromisoformat(str(form["as_of"])) if form.get("as_of") else None
    period = int(str(form["period_months"])) if form.get("period_months") else None
    return mapping, ImportOptions(values=values, where=where, as_of=as_of, period_months=period)


def _apply(
    settings: Settings, principal: Principal, org_id: str, mapping: dict[str, str], options: ImportOptions
) -> Any:
    ownership.check(settings, "org", org_id, principal)
    org = org_service.remap(settings, org_id, mapping, None)
    if org.status == "ready":
        org_service.set_options(settings, principal, org_id, options)
    return org


@router.post("/orgs/{org_id}/mapping")
async def apply_mapping(
    request: Request, settings: SettingsDep, principal: PrincipalDep, org_id: str
) -> Response:
    """Apply the chosen columns, value names and filters; back to the form if something required is missing."""
    mapping, options = form_options(await request.form())
    try:
        org = await run_in_threadpool(_apply, settings, principal, org_id, mapping, options)
    except InputError as exc:
        lang = pick_language(request)
        data = await run_in_threadpool(_mapping_data, settings, principal, org_id, lang)
        error = error_text(exc, lang)
        return render(request, "org_mapping.html", {**data, "error": error}, status_code=400)
    return redirect(request, f"/orgs/{org_id}" if org.status == "ready" else f"/orgs/{org_id}/mapping")


@router.post("/orgs/{org_id}/period")
async def set_period(
    request: Request,
    settings: SettingsDep,
    principal: PrincipalDep,
    org_id: str,
    as_of: Annotated[str, Form(max_length=10)] = "",
    period_months: Annotated[str, Form(max_length=3)] = "",
) -> Response:
    """Measure the org over another period (as-of date and length), keeping its value names and filters."""

    def change() -> None:
        current = org_service.options_of(settings, org_id)
        chosen = current.model_copy(
            update={
                "as_of": date.fromisoformat(as_of) if as_of else None,
                "period_months": int(period_months) if period_months else None,
            }
        )
        org_service.set_options(
            settings, principal, org_id, ImportOptions.model_validate(chosen.model_dump())
        )

    try:
        await run_in_threadpool(change)
    except ValueError as exc:
        raise PageInputError("period_error", value=f"{as_of} {period_months}".strip()) from exc
    return redirect(request, f"/orgs/{org_id}")


def _dashboard(settings: Settings, principal: Principal, org_id: str, lang: str) -> dict[str, Any]:
    org = _owned_report(settings, principal, org_id)
    if org.status != "ready":
        return {"org": org}
    result = org_service.owned_view(settings, principal, org_id)
    t = translator(lang)
    findings = [{"out": finding_out(f, lang), "people": org_people.filter_for(f)} for f in result.findings]
    if lang != "en" and len(org.issues) == len(result.roster.issues):
        # the API words the notes on cells in English: the page words each issue's message in its language
        worded = [
            shown.model_copy(update={"reason": web_hint(issue.why.text(lang))})
            for shown, issue in zip(org.issues, result.roster.issues, strict=True)
        ]
        org = org.model_copy(update={"issues": worded})
    return {
        "org": org,
        "name": org_service.display_name(settings, org_id),
        "options": result.options,
        "as_of": result.roster.as_of,
        "notes": [web_hint(note.text(lang)) for note in result.roster.notes],
        "metrics": [metric_out(m, lang) for m in result.metrics],
        "headline": {m.id: metric_out(m, lang) for m in result.metrics if m.id in _HEADLINE},
        "findings": findings,
        "charts": dashboard_charts(result, t, lang=lang),
        "tree": org_people.manager_tree(result.roster),
    }


_HEADLINE = (
    "headcount_start",
    "headcount_end",
    "turnover_rate",
    "sdr_turnover_rate",
    "span_of_control_mean",
    "sdr_ae_ratio",
)


@router.get("/orgs/{org_id}")
async def dashboard(
    request: Request, settings: SettingsDep, principal: PrincipalDep, org_id: str
) -> Response:
    """Validation report, period, findings with the people behind them, charts, org chart and every metric."""
    data = await run_in_threadpool(_dashboard, settings, principal, org_id, pick_language(request))
    if data["org"].status != "ready":
        return redirect(request, f"/orgs/{org_id}/mapping")
    return render(request, "org_dashboard.html", data)


@router.get("/orgs/{org_id}/people")
async def people_page(
    request: Request, settings: SettingsDep, principal: PrincipalDep, org_id: str
) -> Response:
    """The people behind a finding or chart bar (filters in the query: manager, role, channel, territory, status)."""
    filters = {
        k: v
        for k, v in request.query_params.items()
        if k in ("manager", "role", "channel", "territory", "status") and v
    }

    def load() -> dict[str, Any]:
        result = org_service.owned_view(settings, principal, org_id)
        who = org_people.names(result.roster)
        return {
            "org_id": org_id,
            "name": org_service.display_name(settings, org_id),
            "people": org_people.people(result.roster, filters),
            "filters": {k: (who.get(v, v) if k == "manager" else v) for k, v in filters.items()},
        }

    return render(request, "org_people.html", await run_in_threadpool(load))


@router.get("/orgs/{org_id}/scenario")
async def scenario_page(
    request: Request, settings: SettingsDep, principal: PrincipalDep, org_id: str
) -> Response:
    """The scenario editor: a form of edits, saved scenarios and a side-by-side comparison."""
    data = await run_in_threadpool(
        scenarios.page_data, settings, principal, org_id, pick_language(request), request.query_params
    )
    return render(request, "org_scenario.html", data)


@router.post("/orgs/{org_id}/scenario")
async def run_scenario(
    request: Request, settings: SettingsDep, principal: PrincipalDep, org_id: str
) -> Response:
    """Run (and optionally save) the scenario in the form, and show each metric before and after."""
    form = await request.form()
    data = await run_in_threadpool(
        scenarios.submit, settings, principal, org_id, pick_language(request), form
    )
    return render(request, "org_scenario.html", data, status_code=400 if data.get("error") else 200)


PlanId = Annotated[str, Query(max_length=40, pattern=r"^[A-Za-z0-9_-]*$")]


def _plan_data(
    settings: Settings, principal: Principal, org_id: str, plan_id: str, lang: str
) -> dict[str, Any]:
    org_service.owned_view(settings, principal, org_id)
    kept = plans.saved(settings, principal, org_id)
    inputs = plans.load(settings, principal, org_id, plan_id) if plan_id else plans.PlanInputs(lang=lang)  # type: ignore[arg-type]
    return {
        "org_id": org_id,
        "name": org_service.display_name(settings, org_id),
        "saved": kept,
        "plan_id": plan_id,
        "inputs": inputs,
        "drafted": bool(plan_id),
    }


@router.get("/orgs/{org_id}/plan")
async def plan_page(
    request: Request, settings: SettingsDep, principal: PrincipalDep, org_id: str, plan: PlanId = ""
) -> Response:
    """The plan form and saved plans; with `plan`, that plan drafted, shown and ready to download."""
    data = await run_in_threadpool(_plan_data, settings, principal, org_id, plan, pick_language(request))
    return render(request, "org_plan.html", data)


@router.post("/orgs/{org_id}/plan")
async def draft_plan(
    request: Request, settings: SettingsDep, principal: PrincipalDep, org_id: str
) -> Response:
    """Save the form's plan inputs for this org, draft the plan, then show it with download links."""
    try:
        inputs = plans.from_form(await request.form())
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(part) for part in first["loc"])
        raise PageInputError("plan_error_field", field=field, reason=invalid_reason(first)) from exc
    await run_in_threadpool(org_service.owned_view, settings, principal, org_id)
    async with request.app.state.model_queue.slot():
        await run_in_threadpool(
            org_service.plan_document,
            settings,
            org_id,
            fmt="html",
            goal=None,
            lang=inputs.lang,
            inputs=inputs,
        )
    plan_id = await run_in_threadpool(plans.save, settings, principal, org_id, inputs)
    return redirect(request, f"/orgs/{org_id}/plan?plan={plan_id}")


async def _plan_bytes(
    request: Request,
    settings: Settings,
    principal: Principal,
    org_id: str,
    fmt: str,
    *,
    plan_id: str,
    lang: str,
    goal: str,
) -> tuple[bytes, str]:
    await run_in_threadpool(org_service.owned_view, settings, principal, org_id)  # another's org is a 404
    inputs = await run_in_threadpool(plans.load, settings, principal, org_id, plan_id) if plan_id else None
    async with request.app.state.model_queue.slot():
        return await run_in_threadpool(
            org_service.plan_document, settings, org_id, fmt=fmt, goal=goal or None, lang=lang, inputs=inputs
        )


@router.get("/orgs/{org_id}/plan/view.html")
async def plan_view(
    request: Request,
    settings: SettingsDep,
    principal: PrincipalDep,
    org_id: str,
    plan: PlanId = "",
    plan_lang: PlanLang = "en",
    goal: Goal = "",
    paper: Annotated[str, Query(pattern="^(summary)?$")] = "",
) -> Response:
    """The plan's HTML, sandboxed for display in the plan page's frame.

    `paper=summary` is the frame the plan page prints: on paper it keeps the plan's title and executive summary.
    """
    data, media_type = await _plan_bytes(
        request, settings, principal, org_id, "html", plan_id=plan, lang=plan_lang, goal=goal
    )
    if paper:
        data = data.replace(b"</head>", _SUMMARY_ON_PAPER + b"</head>", 1)
    return Response(data, media_type=media_type, headers={"Content-Security-Policy": REPORT_CSP})


# the plan document's sections are <section id=...> children of <main>; the first, #summary, is the summary
_SUMMARY_ON_PAPER = b"<style>@media print { main > section:not(#summary) { display: none; } }</style>"


@router.get("/orgs/{org_id}/plan/download.{fmt}")
async def plan_download(
    request: Request,
    settings: SettingsDep,
    principal: PrincipalDep,
    org_id: str,
    fmt: str,
    plan: PlanId = "",
    plan_lang: PlanLang = "en",
    goal: Goal = "",
) -> Response:
    """The plan as a Markdown, HTML or PDF download."""
    if fmt not in ("md", "html", "pdf"):
        raise InputError(f"Unknown plan format `{fmt}`; use md, html or pdf.")
    data, media_type = await _plan_bytes(
        request, settings, principal, org_id, fmt, plan_id=plan, lang=plan_lang, goal=goal
    )
    disposition = f'attachment; filename="plan-{org_id[:8]}-{plan_lang}.{fmt}"'
    return Response(
        data,
        media_type=media_type,
        headers={"Content-Disposition": disposition, "Content-Security-Policy": REPORT_CSP},
    )
