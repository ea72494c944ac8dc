"""Eval runs as background jobs: one at a time in a worker thread, state on disk so any web worker can report it.

Each run lives in ADVISOR_HOME/evals/runs/<id>/: `status.json` (updated as cases finish), then `run.json` and
`report.html` written by the eval runner's own renderers, so the page shows exactly what `advisor eval` writes.
"""

from __future__ import annotations

import json
import re
import secrets
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from advisor.config import Settings
from advisor.errors import AdvisorError, InputError, NotFoundError

_RUN_ID = re.compile(r"^[A-Za-z0-9_-]{16}$")
_executor: ThreadPoolExecutor | None = None
_executor_lock = threading.Lock()
_write_lock = threading.Lock()


def _runs_dir(settings: Settings) -> Path:
    return settings.home / "evals" / "runs"


def run_dir(settings: Settings, run_id: str) -> Path:
    """A run's folder; the id is checked so it can never name another path."""
    if not _RUN_ID.match(run_id):
        raise NotFoundError(f"No eval run {run_id!r}; start one with POST /api/evals/<suite>/runs.")
    return _runs_dir(settings) / run_id


def suites() -> list[str]:
    """Names of the eval suites that can be run."""
    from evals.cases import suite_names

    return list(suite_names())


def _write_status(folder: Path, **changes: Any) -> dict[str, Any]:
    path = folder / "status.json"
    with _write_lock:
        status = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        status.update(changes, updated_at=datetime.now(UTC).isoformat())
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(status, ensure_ascii=False), encoding="utf-8")
        temporary.replace(path)  # readers never see a half-written file
    return status


def read_status(settings: Settings, run_id: str) -> dict[str, Any]:
    """A run's current state: status, done/total, message and, once finished, its summary."""
    path = run_dir(settings, run_id) / "status.json"
    if not path.exists():
        raise NotFoundError(f"No eval run {run_id!r}; start one with POST /api/evals/<suite>/runs.")
    return json.loads(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def report_html(settings: Settings, run_id: str) -> bytes:
    """The finished run's HTML report, as the eval runner rendered it."""
    path = run_dir(settings, run_id) / "report.html"
    if not path.exists():
        raise NotFoundError(f"Eval run {run_id} has no report yet; wait until its status is `finished`.")
    return path.read_bytes()


def report_json(settings: Settings, run_id: str) -> bytes:
    """The finished run's JSON result."""
    path = run_dir(settings, run_id) / "run.json"
    if not path.exists():
        raise NotFoundError(f"Eval run {run_id} has no result yet; wait until its status is `finished`.")
    return path.read_bytes()


def _execute(settings: Settings, suite: str, folder: Path) -> None:
    from evals.report import render_html
    from evals.runner import run_suites

    def progress(done: int, total: int, case: Any) -> None:
        _write_status(folder, status="running", done=done, total=total, message=str(case)[:300])

    _write_status(folder, status="running")
    try:
        run = run_suites([suite], settings=settings, progress=progress)
        data = run.to_json()
        (folder / "run.json").write_text(json.dumps(data, ensure_ascii=False, default=str), encoding="utf-8")
        (folder / "report.html").write_text(render_html(run), encoding="utf-8")
        summary = _summary(data)
        _write_status(folder, status="finished", message=_headline(summary), result=summary)
    except Exception as exc:  # the failure is the run's result: shown on its page, not lost in a thread
        message = str(exc) if isinstance(exc, AdvisorError) else f"{type(exc).__name__}: {exc}"
        _write_status(folder, status="failed", message=message[:1000])


def _summary(run: dict[str, Any]) -> dict[str, Any]:
    """The headline of a run for the status endpoint: cases passed, each suite's aggregate scores and the gate."""
    cases = [case for suite in run.get("suites", []) for case in suite.get("cases", [])]
    failed = sum(1 for case in cases if case.get("failed") or case.get("error"))
    return {
        "duration_s": run.get("duration_s"),
        "model": run.get("model"),
        "gate": run.get("gate", []),
        "cases": len(cases),
        "failed_cases": failed,
        "pass_rate": (len(cases) - failed) / len(cases) if cases else None,
        "suites": [
            {key: value for key, value in suite.items() if key != "cases"} for suite in run.get("suites", [])
        ],
    }


def _headline(summary: dict[str, Any]) -> str:
    """One line for people: cases passed and whether every threshold was met."""
    gate = "every threshold met" if not summary["gate"] else f"{len(summary['gate'])} threshold(s) missed"
    return f"{summary['cases'] - summary['failed_cases']} of {summary['cases']} cases passed; {gate}."


def start_run(settings: Settings, suite: str) -> dict[str, Any]:
    """Queue a run of one suite; its initial status (with the run id)."""
    global _executor
    if suite not in suites():
        raise InputError(f"Unknown eval suite {suite!r}; choose one of {', '.join(suites())}.")
    run_id = secrets.token_urlsafe(12)
    folder = run_dir(settings, run_id)
    folder.mkdir(parents=True)
    status = _write_status(
        folder,
        run_id=run_id,
        suite=suite,
        status="queued",
        done=0,
        total=0,
        message="",
        result=None,
        created_at=datetime.now(UTC).isoformat(),
    )
    with _executor_lock:
        if _executor is None:
            # one run at a time: evals drive the same single model the chat uses
            _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="advisor-eval")
        _executor.submit(_execute, settings, suite, folder)
    return status


def list_runs(settings: Settings, *, limit: int = 20) -> list[dict[str, Any]]:
    """Recent runs, newest first."""
    folder = _runs_dir(settings)
    if not folder.exists():
        return []
    statuses = []
    for path in folder.glob("*/status.json"):
        try:
            statuses.append(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, json.JSONDecodeError):
            continue  # a run being created right now
    return sorted(statuses, key=lambda s: s.get("created_at", ""), reverse=True)[:limit]
