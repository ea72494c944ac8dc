"""The team: who is asking, sharing a conversation or an org with every signed-in user, and the audit log (admins)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict

from advisor import audit
from advisor.config import Settings
from api import ownership
from api.auth import accounts_enabled, require_api_key
from api.deps import Principal, PrincipalDep, SettingsDep

router = APIRouter(prefix="/api", tags=["team"], dependencies=[Depends(require_api_key)])


class SharingRequest(BaseModel):
    """Whether the item is shared with the team."""

    model_config = ConfigDict(extra="forbid")

    shared: bool


class MeOut(BaseModel):
    """Who the server takes the caller for, and how it signs people in."""

    principal: str
    mode: Literal["open", "key", "accounts"]
    name: str | None = None
    role: str | None = None


class AuditEventOut(BaseModel):
    """One audit log entry."""

    at: datetime
    actor: str
    action: str
    target: str
    detail: str


def _mode(settings: Settings) -> Literal["open", "key", "accounts"]:
    if accounts_enabled(settings):
        return "accounts"
    return "key" if settings.api_key is not None else "open"


@router.get("/me", response_model=MeOut)
async def me(request: Request, settings: SettingsDep, principal: PrincipalDep) -> MeOut:
    """The caller's principal (user, browser session or key holder) and the server's sign-in mode."""
    user = getattr(request.state, "user", None)
    mode = await run_in_threadpool(_mode, settings)
    return MeOut(principal=principal.owner, mode=mode, name=user and user.name, role=user and user.role)


def _share(
    settings: Settings, principal: Principal, kind: ownership.Kind, item_id: str, shared: bool
) -> None:
    if principal.kind != "user":
        raise HTTPException(
            400, "Sharing with the team needs accounts: sign in as a user (`advisor users add`)."
        )
    ownership.share(settings, kind, item_id, principal, shared=shared)
    action = "share" if shared else "unshare"
    audit.record(settings, actor=principal.owner, action=action, target=f"{kind}:{item_id}")


@router.put("/conversations/{conversation_id}/sharing", status_code=204)
async def share_conversation(
    settings: SettingsDep, principal: PrincipalDep, conversation_id: str, body: SharingRequest
) -> Response:
    """Share one of your conversations with the team (every signed-in user may read and continue it), or stop."""
    await run_in_threadpool(_share, settings, principal, "conversation", conversation_id, body.shared)
    return Response(status_code=204)


@router.put("/orgs/{org_id}/sharing", status_code=204)
async def share_org(
    settings: SettingsDep, principal: PrincipalDep, org_id: str, body: SharingRequest
) -> Response:
    """Share one of your uploaded orgs with the team (every signed-in user may analyse it), or stop."""
    await run_in_threadpool(_share, settings, principal, "org", org_id, body.shared)
    return Response(status_code=204)


@router.get("/audit", response_model=list[AuditEventOut])
async def audit_log(
    request: Request,
    settings: SettingsDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    action: Annotated[str | None, Query(max_length=40)] = None,
) -> list[AuditEventOut]:
    """Uploads, deletions, sign-ins and account changes, newest first (admins only)."""
    user = getattr(request.state, "user", None)
    if user is None or not user.is_admin:
        raise HTTPException(403, "The audit log is for admins: sign in as a user with the admin role.")
    events = await run_in_threadpool(lambda: audit.recent(settings, limit=limit, action=action))
    return [AuditEventOut(**vars(event)) for event in events]
