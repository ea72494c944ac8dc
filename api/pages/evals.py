"""Eval pages: pick a suite and run it, watch progress, read the report."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from api import eval_jobs
from api.auth import require_login
from api.deps import SettingsDep
from api.pages.render import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(require_login)])


@router.get("/evals")
async def evals_page(request: Request, settings: SettingsDep) -> Response:
    """Suites to run and recent runs."""
    suites = await run_in_threadpool(eval_jobs.suites)
    runs = await run_in_threadpool(eval_jobs.list_runs, settings)
    return render(request, "evals.html", {"suites": suites, "runs": runs})


@router.post("/evals/{suite}/runs")
async def start(settings: SettingsDep, suite: str) -> Response:
    """Start a run and follow it."""
    status = await run_in_threadpool(eval_jobs.start_run, settings, suite)
    return RedirectResponse(f"/evals/runs/{status['run_id']}", status_code=303)


@router.get("/evals/runs/{run_id}")
async def run_page(request: Request, settings: SettingsDep, run_id: str) -> Response:
    """A run's progress (updated by script) and, once finished, its report."""
    status = await run_in_threadpool(eval_jobs.read_status, settings, run_id)
    return render(request, "eval_run.html", {"run": status})
