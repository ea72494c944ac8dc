"""Eval runs: start a suite as a background job, follow its progress, read its report."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from api import eval_jobs
from api.auth import require_api_key
from api.deps import SettingsDep
from api.schemas import EvalRunOut
from api.security import REPORT_CSP

router = APIRouter(prefix="/api/evals", tags=["evals"], dependencies=[Depends(require_api_key)])


def run_out(status: dict[str, Any]) -> EvalRunOut:
    """The public form of a run's status."""
    finished = status.get("status") == "finished"
    return EvalRunOut(
        run_id=status["run_id"],
        suite=status["suite"],
        status=status["status"],
        done=status.get("done", 0),
        total=status.get("total", 0),
        message=status.get("message", ""),
        result=status.get("result"),
        report_url=f"/api/evals/runs/{status['run_id']}/report.html" if finished else None,
    )


@router.get("/suites")
async def suites() -> list[str]:
    """The suites that can be run."""
    return await run_in_threadpool(eval_jobs.suites)


@router.post("/{suite}/runs", status_code=202, response_model=EvalRunOut)
async def start(settings: SettingsDep, suite: str) -> EvalRunOut:
    """Start a run of the suite in the background; poll GET /api/evals/runs/{run_id} for progress."""
    return run_out(await run_in_threadpool(eval_jobs.start_run, settings, suite))


@router.get("/runs", response_model=list[EvalRunOut])
async def runs(settings: SettingsDep) -> list[EvalRunOut]:
    """Recent runs, newest first."""
    return [run_out(status) for status in await run_in_threadpool(eval_jobs.list_runs, settings)]


@router.get("/runs/{run_id}", response_model=EvalRunOut)
async def run(settings: SettingsDep, run_id: str) -> EvalRunOut:
    """A run's status and progress, and its summary once finished."""
    return run_out(await run_in_threadpool(eval_jobs.read_status, settings, run_id))


@router.get("/runs/{run_id}/report.json")
async def report_json(settings: SettingsDep, run_id: str) -> Response:
    """The finished run's full JSON result."""
    return Response(
        await run_in_threadpool(eval_jobs.report_json, settings, run_id), media_type="application/json"
    )


@router.get("/runs/{run_id}/report.html", response_class=Response)
async def report_html(settings: SettingsDep, run_id: str) -> Response:
    """The finished run's HTML report (sandboxed: it may be framed by our pages but runs no script)."""
    body = await run_in_threadpool(eval_jobs.report_html, settings, run_id)
    return Response(
        body, media_type="text/html; charset=utf-8", headers={"Content-Security-Policy": REPORT_CSP}
    )
