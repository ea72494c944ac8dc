"""Org pages: upload with a mapping step, dashboard with report, findings and charts, scenario editor, plan view."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from advisor.config import Settings
from advisor.errors import InputError
from api import org_service, org_store
from api.auth import require_login
from api.charts import dashboard_charts
from api.deps import ROSTER_TYPES, get_settings, read_upload
from api.i18n import pick_language, translator
from api.pages.render import render
from api.security import REPORT_CSP

router = APIRouter(include_in_schema=False, dependencies=[Depends(require_login)])
SettingsDep = Annotated[Settings, Depends(get_settings)]
PlanLang = Annotated[str, Query(pattern="^(en|zh)$")]
Goal = Annotated[str, Query(max_length=1000)]


@router.get("/orgs")
async def upload_page(request: Request) -> Response:
    """The roster upload form."""
    return render(request, "org_upload.html")


@router.post("/orgs")
async def upload(
    request: Request,
    settings: SettingsDep,
    file: Annotated[UploadFile, File()],
    profile: Annotated[UploadFile | None, File()] = None,
    dayfirst: Annotated[bool, Form()] = False,
) -> Response:
    """Store the upload, then show the dashboard, or the mapping step when headers were not recognised."""
    limit = int(settings.max_upload_mb * 1_000_000)
    filename, data = await read_upload(file, allowed=ROSTER_TYPES, max_bytes=limit)
    profile_bytes = None
    if profile is not None and profile.filename:
        allowed = {".yaml": {"text/yaml", "application/yaml", "application/x-yaml", "text/plain"}}
        allowed[".yml"] = allowed[".yaml"]
        profile_bytes = (await read_upload(profile, allowed=allowed, max_bytes=limit))[1]
    org = await run_in_threadpool(
        org_service.upload,
        settings,
        filename=filename,
        data=data,
        profile=profile_bytes,
        mapping=None,
        dayfirst=dayfirst,
    )
    target = f"/orgs/{org.org_id}" if org.status == "ready" else f"/orgs/{org.org_id}/mapping"
    return RedirectResponse(target, status_code=303)


@router.get("/orgs/{org_id}/mapping")
async def mapping_page(request: Request, settings: SettingsDep, org_id: str) -> Response:
    """Choose which source column holds each canonical field."""
    org = await run_in_threadpool(org_service.report, settings, org_id)
    return render(request, "org_mapping.html", {"org": org})


@router.post("/orgs/{org_id}/mapping")
async def apply_mapping(request: Request, settings: SettingsDep, org_id: str) -> Response:
    """Apply the chosen mapping; back to the form if something required is still missing."""
    form = await request.form()
    sources = [str(value) for value in form.getlist("source")]
    targets = [str(value) for value in form.getlist("target")]
    mapping = {source: target for source, target in zip(sources, targets, strict=False) if target}
    org = await run_in_threadpool(org_service.remap, settings, org_id, mapping, None)
    target = f"/orgs/{org_id}" if org.status == "ready" else f"/orgs/{org_id}/mapping"
    return RedirectResponse(target, status_code=303)


def _dashboard(settings: Settings, org_id: str, lang: str) -> dict[str, Any]:
    org = org_service.report(settings, org_id)
    if org.status != "ready":
        return {"org": org}
    result = org_store.analysis(settings, org_id)
    return {
        "org": org,
        "metrics": result.metrics,
        "findings": result.findings,
        "charts": dashboard_charts(result, translator(lang)),
    }


@router.get("/orgs/{org_id}")
async def dashboard(request: Request, settings: SettingsDep, org_id: str) -> Response:
    """Validation report, findings, charts and every metric."""
    data = await run_in_threadpool(_dashboard, settings, org_id, pick_language(request))
    if data["org"].status != "ready":
        return RedirectResponse(f"/orgs/{org_id}/mapping", status_code=303)
    return render(request, "org_dashboard.html", data)


_EXAMPLE_SPEC = {"hire": {"sdr": 2}, "move": {"inside": 0}, "add_manager": 1, "attrition_pp": 0}


@router.get("/orgs/{org_id}/scenario")
async def scenario_page(request: Request, settings: SettingsDep, org_id: str) -> Response:
    """The scenario editor."""
    await run_in_threadpool(org_store.analysis, settings, org_id)  # 404 for an unknown org
    spec = json.dumps(_EXAMPLE_SPEC, indent=2)
    return render(request, "org_scenario.html", {"org_id": org_id, "spec": spec, "changes": None})


@router.post("/orgs/{org_id}/scenario")
async def run_scenario(
    request: Request, settings: SettingsDep, org_id: str, spec: Annotated[str, Form(max_length=20000)]
) -> Response:
    """Run the edited spec and show each metric before and after."""
    context: dict[str, Any] = {"org_id": org_id, "spec": spec, "changes": None}
    try:
        parsed = json.loads(spec)
        if not isinstance(parsed, dict):
            raise InputError("The scenario spec must be a JSON object.")
        outcome = await run_in_threadpool(org_service.scenario, settings, org_id, parsed)
        context.update(org_service.scenario_view(outcome))
    except (json.JSONDecodeError, InputError) as exc:
        context["error"] = str(exc)
    return render(request, "org_scenario.html", context, status_code=400 if "error" in context else 200)


@router.get("/orgs/{org_id}/plan")
async def plan_page(request: Request, settings: SettingsDep, org_id: str) -> Response:
    """The plan form (drafting happens on submit)."""
    await run_in_threadpool(org_store.analysis, settings, org_id)
    lang = pick_language(request)
    return render(
        request, "org_plan.html", {"org_id": org_id, "drafted": False, "plan_lang": lang, "goal": ""}
    )


@router.post("/orgs/{org_id}/plan")
async def draft_plan(
    request: Request,
    settings: SettingsDep,
    org_id: str,
    goal: Annotated[str, Form(max_length=1000)] = "",
    plan_lang: Annotated[str, Form(pattern="^(en|zh)$")] = "en",
) -> Response:
    """Draft the plan, then show it with download links."""
    async with request.app.state.model_queue.slot():
        await run_in_threadpool(
            org_service.plan_document, settings, org_id, fmt="html", goal=goal or None, lang=plan_lang
        )
    context = {"org_id": org_id, "drafted": True, "plan_lang": plan_lang, "goal": goal}
    return render(request, "org_plan.html", context)


async def _plan_bytes(
    request: Request, settings: Settings, org_id: str, fmt: str, lang: str, goal: str
) -> tuple[bytes, str]:
    async with request.app.state.model_queue.slot():
        return await run_in_threadpool(
            org_service.plan_document, settings, org_id, fmt=fmt, goal=goal or None, lang=lang
        )


@router.get("/orgs/{org_id}/plan/view.html")
async def plan_view(
    request: Request, settings: SettingsDep, org_id: str, plan_lang: PlanLang = "en", goal: Goal = ""
) -> Response:
    """The plan's HTML, sandboxed for display in the plan page's frame."""
    data, media_type = await _plan_bytes(request, settings, org_id, "html", plan_lang, goal)
    return Response(data, media_type=media_type, headers={"Content-Security-Policy": REPORT_CSP})


@router.get("/orgs/{org_id}/plan/download.{fmt}")
async def plan_download(
    request: Request,
    settings: SettingsDep,
    org_id: str,
    fmt: str,
    plan_lang: PlanLang = "en",
    goal: Goal = "",
) -> Response:
    """The plan as a Markdown, HTML or PDF download."""
    if fmt not in ("md", "html", "pdf"):
        raise InputError(f"Unknown plan format `{fmt}`; use md, html or pdf.")
    data, media_type = await _plan_bytes(request, settings, org_id, fmt, plan_lang, goal)
    disposition = f'attachment; filename="plan-{org_id[:8]}-{plan_lang}.{fmt}"'
    return Response(
        data,
        media_type=media_type,
        headers={"Content-Disposition": disposition, "Content-Security-Policy": REPORT_CSP},
    )
