"""Liveness and readiness probes."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

router = APIRouter(tags=["health"])


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    """The process is up and serving."""
    return {"status": "ok"}


@router.get("/readyz", responses={503: {"description": "Models still loading or the store unreachable."}})
async def readyz(request: Request) -> JSONResponse:
    """Ready for chat: both models loaded and the knowledge store reachable."""
    from advisor.kb.store import store_ready

    readiness = request.app.state.readiness
    try:
        store = bool(await run_in_threadpool(store_ready, request.app.state.settings))
    except Exception:  # an unreachable Chroma server is exactly what this probe reports
        store = False
    checks = {"embedder": readiness.embedder, "chat_model": readiness.chat_model, "store": store}
    ready = all(checks.values())
    body = {"status": "ready" if ready else "not ready", "checks": checks, "error": readiness.error}
    return JSONResponse(body, status_code=200 if ready else 503)
