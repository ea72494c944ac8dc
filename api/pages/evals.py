"""Eval pages: pick a suite and run it, watch progress, read the report."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from api import eval_jobs
from api.auth import require_login
from api.deps import SettingsDep
from api.i18n import MESSAGES, pick_language, translator
from api.pages.render import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(require_login)])


@router.get("/evals")
async def evals_page(request: Request, settings: SettingsDep) -> Response:
    """Suites to run and recent runs."""
    suites = await run_in_threadpool(eval_jobs.suites)
    runs = await run_in_threadpool(eval_jobs.list_runs, settings)
    titles = suite_titles(suites, pick_language(request))
    return render(request, "evals.html", {"suites": suites, "runs": runs, "titles": titles})


def suite_titles(suites: list[str], lang: str) -> dict[str, str]:
    """Each suite's name as people read it (`suite_<name>` in the catalogue), the bare name for a new suite."""
    t = translator(lang)
    return {suite: t(f"suite_{suite}") if f"suite_{suite}" in MESSAGES["en"] else suite for suite in suites}


@router.post("/evals/{suite}/runs")
async def start(settings: SettingsDep, suite: str) -> Response:
    """Start a run and follow it."""
    status = await run_in_threadpool(eval_jobs.start_run, settings, suite)
    return RedirectResponse(f"/evals/runs/{status['run_id']}", status_code=303)


@router.get("/evals/runs/{run_id}")
async def run_page(request: Request, settings: SettingsDep, run_id: str) -> Response:
    """A run's progress (updated by script) and, once finished, its report."""
    status = await run_in_threadpool(eval_jobs.read_status, settings, run_id)
    title = suite_titles([status["suite"]], pick_language(request))[status["suite"]]
    return render(request, "eval_run.html", {"run": status, "title": title})
