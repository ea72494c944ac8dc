"""Uploaded orgs: upload and validation, import options, metrics, findings, people, exports, scenarios and plans."""

from __future__ import annotations

import json
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response

from advisor.config import Settings
from advisor.org.scenarios import ScenarioSpec
from api import exports, org_people, org_service, ownership
from api.auth import require_api_key
from api.deps import ROSTER_TYPES, Principal, PrincipalDep, SettingsDep, read_upload
from api.i18n import pick_language
from api.schemas import (
    ColumnValuesOut,
    FindingsOut,
    ImportOptions,
    MappingRequest,
    MetricsOut,
    OrgOut,
    OrgSummaryOut,
    PlanRequest,
    PreviewOut,
    RenameRequest,
)
from api.serialize import finding_out, metric_out

router = APIRouter(prefix="/api/orgs", tags=["orgs"], dependencies=[Depends(require_api_key)])
Lang = Annotated[Literal["en", "zh"], Query(description="Language of labels, titles and messages.")]
_PROFILE_TYPES = {".yaml": {"application/yaml", "text/yaml", "application/x-yaml", "text/plain"}}
_PROFILE_TYPES[".yml"] = _PROFILE_TYPES[".yaml"]


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


async def store_upload(
    settings: Settings,
    principal: Principal,
    file: UploadFile,
    profile: UploadFile | None,
    *,
    mapping: dict[str, str] | None,
    dayfirst: bool,
) -> OrgOut:
    """Check, store and validate an uploaded roster (and optional profile) as one of the principal's orgs."""
    limit = int(settings.max_upload_mb * 1_000_000)
    filename, data = await read_upload(file, allowed=ROSTER_TYPES, max_bytes=limit)
    profile_bytes = None
    if profile is not None and profile.filename:
        profile_bytes = (await read_upload(profile, allowed=_PROFILE_TYPES, max_bytes=limit))[1]
    return await run_in_threadpool(
        org_service.upload,
        settings,
        principal,
        filename=filename,
        data=data,
        profile=profile_bytes,
        mapping=mapping,
        dayfirst=dayfirst,
    )


@router.post("", status_code=201, response_model=OrgOut)
async def upload_org(
    settings: SettingsDep,
    principal: PrincipalDep,
    file: Annotated[UploadFile, File(description="Roster export: CSV, XLSX or JSON.")],
    profile: Annotated[UploadFile | None, File(description="Optional org profile (YAML).")] = None,
    mapping: Annotated[str | None, Form(description='JSON object, e.g. {"Staff": "rep_id"}.')] = None,
    dayfirst: Annotated[bool, Form(description="Dates are day-first (31/12/2024).")] = False,
) -> OrgOut:
    """Upload a roster; the answer holds the org's private id and its validation report."""
    return await store_upload(
        settings, principal, file, profile, mapping=_mapping_field(mapping), dayfirst=dayfirst
    )


@router.get("", response_model=list[OrgSummaryOut])
async def list_orgs(settings: SettingsDep, principal: PrincipalDep) -> list[OrgSummaryOut]:
    """Your uploaded orgs, newest first (nobody else's)."""
    return await run_in_threadpool(org_service.summaries, settings, principal)


def _report(settings: Settings, principal: Principal, org_id: str) -> OrgOut:
    ownership.check(settings, "org", org_id, principal)
    return org_service.report(settings, org_id)


@router.get("/{org_id}", response_model=OrgOut)
async def get_org(settings: SettingsDep, principal: PrincipalDep, org_id: str) -> OrgOut:
    """The org's status and validation report."""
    return await run_in_threadpool(_report, settings, principal, org_id)


@router.patch("/{org_id}", status_code=204)
async def rename_org(
    settings: SettingsDep, principal: PrincipalDep, org_id: str, body: RenameRequest
) -> Response:
    """Give one of your orgs a name (the file name is shown until then)."""
    await run_in_threadpool(ownership.rename, settings, "org", org_id, principal, body.name)
    return Response(status_code=204)


@router.delete("/{org_id}", status_code=204)
async def delete_org(settings: SettingsDep, principal: PrincipalDep, org_id: str) -> Response:
    """Delete one of your orgs: its files, report and cached analyses."""
    await run_in_threadpool(org_service.delete, settings, principal, org_id)
    return Response(status_code=204)


def _remap(settings: Settings, principal: Principal, org_id: str, body: MappingRequest) -> OrgOut:
    ownership.check(settings, "org", org_id, principal)
    org = org_service.remap(settings, org_id, body.mapping, body.dayfirst)
    if body.options is not None and org.status == "ready":
        org_service.set_options(settings, principal, org_id, body.options)
    return org


@router.post("/{org_id}/mapping", response_model=OrgOut)
async def map_columns(
    settings: SettingsDep, principal: PrincipalDep, org_id: str, body: MappingRequest
) -> OrgOut:
    """Say which source header holds each canonical column (and optionally value names and filters); validate."""
    return await run_in_threadpool(_remap, settings, principal, org_id, body)


@router.get("/{org_id}/columns", response_model=list[ColumnValuesOut])
async def columns(settings: SettingsDep, principal: PrincipalDep, org_id: str) -> list[ColumnValuesOut]:
    """Each column of the file, the canonical column it maps to and its most common values with counts."""
    await run_in_threadpool(ownership.check, settings, "org", org_id, principal)
    return await run_in_threadpool(org_service.column_values, settings, org_id)


@router.post("/{org_id}/preview", response_model=PreviewOut)
async def preview(
    request: Request, settings: SettingsDep, principal: PrincipalDep, org_id: str, body: MappingRequest
) -> PreviewOut:
    """How many rows this mapping, these value names and filters would keep (nothing is stored); a problem is
    worded in the caller's language (`?lang=`, the page's cookie, Accept-Language)."""
    await run_in_threadpool(ownership.check, settings, "org", org_id, principal)
    options = body.options or ImportOptions()
    lang = pick_language(request)
    return await run_in_threadpool(org_service.preview, settings, org_id, body.mapping, options, lang)


@router.get("/{org_id}/options", response_model=ImportOptions)
async def get_options(settings: SettingsDep, principal: PrincipalDep, org_id: str) -> ImportOptions:
    """The value names, row filters, as-of date and period the org is read with."""
    await run_in_threadpool(ownership.check, settings, "org", org_id, principal)
    return await run_in_threadpool(org_service.options_of, settings, org_id)


@router.put("/{org_id}/options", response_model=ImportOptions)
async def put_options(
    settings: SettingsDep, principal: PrincipalDep, org_id: str, body: ImportOptions
) -> ImportOptions:
    """Read the org with these value names, row filters, as-of date and period from now on."""
    view = await run_in_threadpool(org_service.set_options, settings, principal, org_id, body)
    return view.options


async def _json_body(settings: Settings, principal: Principal, org_id: str, kind: str, lang: str) -> Response:
    # the fast path answers from memory on the event loop; the first call (or one after a re-check) goes to a thread
    body = org_service.recent_json(principal, org_id, kind, lang) or await run_in_threadpool(
        org_service.cached_json, settings, principal, org_id, kind, lang
    )
    return Response(body, media_type="application/json")


@router.get("/{org_id}/metrics", response_model=MetricsOut)
async def metrics(settings: SettingsDep, principal: PrincipalDep, org_id: str, lang: Lang = "en") -> Response:
    """Every metric computed on the roster: value, unit, formula, inputs and per-group values."""
    return await _json_body(settings, principal, org_id, "metrics", lang)


@router.get("/{org_id}/findings", response_model=FindingsOut)
async def findings(
    settings: SettingsDep, principal: PrincipalDep, org_id: str, lang: Lang = "en"
) -> Response:
    """Metrics compared with published benchmarks: severity, evidence and the topics that address them."""
    return await _json_body(settings, principal, org_id, "findings", lang)


def _export(
    settings: Settings, principal: Principal, org_id: str, kind: str, fmt: str, lang: str
) -> tuple[bytes, str]:
    view = org_service.owned_view(settings, principal, org_id)
    if kind == "metrics":
        header, rows = exports.metric_rows([metric_out(m, lang) for m in view.metrics])
    else:
        header, rows = exports.finding_rows([finding_out(f, lang) for f in view.findings])
    stem = view.filename.rsplit(".", 1)[0]
    return exports.table_bytes(header, rows, fmt, sheet=kind), f"{stem}-{kind}.{fmt}"


@router.get(
    "/{org_id}/{kind}.{fmt}",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}, exports.MEDIA["xlsx"]: {}}}},
)
async def export(
    settings: SettingsDep,
    principal: PrincipalDep,
    org_id: str,
    kind: Literal["metrics", "findings"],
    fmt: Literal["csv", "xlsx"],
    lang: Lang = "en",
) -> Response:
    """Metrics or findings as a CSV or XLSX download (cells that would run as formulas are quoted)."""
    data, filename = await run_in_threadpool(_export, settings, principal, org_id, kind, fmt, lang)
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(data, media_type=exports.MEDIA[fmt], headers=headers)


def _people(
    settings: Settings, principal: Principal, org_id: str, filters: dict[str, str]
) -> list[dict[str, str]]:
    return org_people.people(org_service.owned_view(settings, principal, org_id).roster, filters)


@router.get("/{org_id}/people")
async def people(
    settings: SettingsDep,
    principal: PrincipalDep,
    org_id: str,
    manager: Annotated[str | None, Query(max_length=100, description="The manager's rep_id.")] = None,
    role: Annotated[str | None, Query(max_length=50)] = None,
    channel: Annotated[str | None, Query(max_length=50)] = None,
    territory: Annotated[str | None, Query(max_length=100)] = None,
    status: Annotated[Literal["active", "left"] | None, Query()] = None,
) -> list[dict[str, str]]:
    """The people behind a number: filter by manager, role, channel, territory and active or left."""
    wanted = {"manager": manager, "role": role, "channel": channel, "territory": territory, "status": status}
    filters = {key: value for key, value in wanted.items() if value}
    return await run_in_threadpool(_people, settings, principal, org_id, filters)


def _scenario(settings: Settings, principal: Principal, org_id: str, spec: ScenarioSpec) -> dict[str, object]:
    org_service.owned_view(settings, principal, org_id)
    return org_service.scenario(settings, org_id, spec)


@router.post("/{org_id}/scenarios")
async def scenario(
    settings: SettingsDep, principal: PrincipalDep, org_id: str, spec: ScenarioSpec
) -> JSONResponse:
    """Apply a what-if spec (hire, move, add_manager, attrition_pp) and return each metric before and after."""
    return JSONResponse(await run_in_threadpool(_scenario, settings, principal, org_id, spec))


@router.post(
    "/{org_id}/plan",
    responses={200: {"content": {"text/markdown": {}, "text/html": {}, "application/pdf": {}}}},
)
async def plan(
    request: Request, settings: SettingsDep, principal: PrincipalDep, org_id: str, body: PlanRequest
) -> Response:
    """Draft a restructuring plan for the org (Markdown, HTML, PDF or JSON)."""
    await run_in_threadpool(org_service.owned_view, settings, principal, org_id)
    async with request.app.state.model_queue.slot():
        data, media_type = await run_in_threadpool(
            org_service.plan_document, settings, org_id, fmt=body.format, goal=body.goal, lang=body.lang
        )
    headers = {}
    if body.format != "json":
        headers["Content-Disposition"] = f'attachment; filename="plan-{org_id[:8]}.{body.format}"'
    return Response(data, media_type=media_type, headers=headers)
