"""Uploaded orgs: roster upload and validation, metrics, findings, what-if scenarios and plans."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response

from advisor.config import Settings
from advisor.org.scenarios import ScenarioSpec
from api import org_service
from api.auth import require_api_key
from api.deps import ROSTER_TYPES, get_settings, read_upload
from api.schemas import MappingRequest, OrgOut, PlanRequest

router = APIRouter(prefix="/api/orgs", tags=["orgs"], dependencies=[Depends(require_api_key)])
SettingsDep = Annotated[Settings, Depends(get_settings)]


def _mapping_field(raw: str | None) -> dict[str, str] | None:
    if not raw:
        return None
    try:
        mapping = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise HTTPException(
            422, f"`mapping` must be a JSON object of source header -> column: {exc.msg}."
        ) from exc
    if not isinstance(mapping, dict) or not all(isinstance(v, str) for v in mapping.values()):
        raise HTTPException(422, "`mapping` must be a JSON object of source header -> canonical column name.")
    return {str(key): value for key, value in mapping.items()}


@router.post("", status_code=201, response_model=OrgOut)
async def upload_org(
    settings: SettingsDep,
    file: Annotated[UploadFile, File(description="Roster export: CSV, XLSX or JSON.")],
    profile: Annotated[UploadFile | None, File(description="Optional org profile (YAML).")] = None,
    mapping: Annotated[str | None, Form(description='JSON object, e.g. {"Staff": "rep_id"}.')] = None,
    dayfirst: Annotated[bool, Form(description="Dates are day-first (31/12/2024).")] = False,
) -> OrgOut:
    """Upload a roster; the answer holds the org's private id and its validation report."""
    limit = int(settings.max_upload_mb * 1_000_000)
    filename, data = await read_upload(file, allowed=ROSTER_TYPES, max_bytes=limit)
    profile_bytes = None
    if profile is not None and profile.filename:
        _name, profile_bytes = await read_upload(
            profile,
            allowed={
                ".yaml": {"application/yaml", "text/yaml", "application/x-yaml", "text/plain"},
                ".yml": {"application/yaml", "text/yaml", "application/x-yaml", "text/plain"},
            },
            max_bytes=limit,
        )
    return await run_in_threadpool(
        org_service.upload,
        settings,
        filename=filename,
        data=data,
        profile=profile_bytes,
        mapping=_mapping_field(mapping),
        dayfirst=dayfirst,
    )


@router.get("/{org_id}", response_model=OrgOut)
async def get_org(settings: SettingsDep, org_id: str) -> OrgOut:
    """The org's status and validation report."""
    return await run_in_threadpool(org_service.report, settings, org_id)


@router.post("/{org_id}/mapping", response_model=OrgOut)
async def map_columns(settings: SettingsDep, org_id: str, body: MappingRequest) -> OrgOut:
    """Say which source header holds each canonical column, then validate again."""
    return await run_in_threadpool(org_service.remap, settings, org_id, body.mapping, body.dayfirst)


@router.get("/{org_id}/metrics")
async def metrics(settings: SettingsDep, org_id: str) -> Response:
    """Every metric computed on the roster: value, unit, formula, inputs and per-group values."""
    body = org_service.recent_json(org_id, "metrics") or await run_in_threadpool(
        org_service.cached_json, settings, org_id, "metrics"
    )
    return Response(body, media_type="application/json")


@router.get("/{org_id}/findings")
async def findings(settings: SettingsDep, org_id: str) -> Response:
    """Metrics compared with published benchmarks: severity, evidence and the topics that address them."""
    body = org_service.recent_json(org_id, "findings") or await run_in_threadpool(
        org_service.cached_json, settings, org_id, "findings"
    )
    return Response(body, media_type="application/json")


@router.post("/{org_id}/scenarios")
async def scenario(settings: SettingsDep, org_id: str, spec: ScenarioSpec) -> JSONResponse:
    """Apply a what-if spec (hire, move, add_manager, attrition_pp) and return each metric before and after."""
    result = await run_in_threadpool(org_service.scenario, settings, org_id, spec)
    return JSONResponse(result)


@router.post(
    "/{org_id}/plan",
    responses={200: {"content": {"text/markdown": {}, "text/html": {}, "application/pdf": {}}}},
)
async def plan(request: Request, settings: SettingsDep, org_id: str, body: PlanRequest) -> Response:
    """Draft a restructuring plan for the org (Markdown, HTML, PDF or JSON)."""
    async with request.app.state.model_queue.slot():
        data, media_type = await run_in_threadpool(
            org_service.plan_document, settings, org_id, fmt=body.format, goal=body.goal, lang=body.lang
        )
    headers = {}
    if body.format != "json":
        headers["Content-Disposition"] = f'attachment; filename="plan-{org_id[:8]}.{body.format}"'
    return Response(data, media_type=media_type, headers=headers)
