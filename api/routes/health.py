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


@router.get(
    "/readyz",
    responses={
        503: {"description": "Models still loading, or a readiness check failed (each with its fix)."}
    },
)
async def readyz(request: Request) -> JSONResponse:
    """Ready for chat: both models loaded, and the doctor's knowledge, benchmarks and store checks pass."""
    from advisor.doctor import READINESS, run_checks

    readiness = request.app.state.readiness
    results = await run_in_threadpool(run_checks, request.app.state.settings, list(READINESS))
    checks = {"embedder": readiness.embedder, "chat_model": readiness.chat_model}
    checks |= {result.name: result.ok for result in results}
    ready = all(checks.values())
    body = {
        "status": "ready" if ready else "not ready",
        "checks": checks,
        "fixes": {result.name: result.fix for result in results if not result.ok},
        "error": readiness.error,
    }
    return JSONResponse(body, status_code=200 if ready else 503)
