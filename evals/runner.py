"""Run eval suites against the advisor: every case through the real pipeline, scored deterministically.

The CLI (`advisor eval`) and the web app's eval page both call `run_suites`; the result is an `EvalRun` that knows
how to gate itself and serialise, and that `evals.report` renders as HTML or JUnit XML.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from advisor.config import Settings
from advisor.errors import ConfigError, InputError, ModelError
from advisor.kb.store import corpus_fingerprint
from evals.cases import SUITES_DIR, Case, Suite, load_suites
from evals.claims import run_claim
from evals.harness import AskAdvisor, Harness
from evals.ingest import run_ingest
from evals.judge import get_judge
from evals.kinds import run_answer, run_plan, run_retrieval
from evals.results import SPLITS, CaseResult, EvalRun, SuiteResult
from evals.specs import MODES

Progress = Callable[[int, int, CaseResult], None]
_RUNNERS = {
    "retrieval": run_retrieval, "answer": run_answer, "plan": run_plan, "ingest": run_ingest, "claim": run_claim,
}  # fmt: skip


def _blank(case: Case) -> CaseResult:
    return CaseResult(
        id=case.id, suite=case.suite, kind=case.kind, split=case.split, lang=case.lang, question=case.prompt,
        tags=list(case.tags), must_refuse=case.must_refuse,
    )  # fmt: skip


def run_case(case: Case, *, suite: Suite, harness: Harness) -> CaseResult:
    """Run and score one case; an exception becomes the case's error, except a configuration or model error."""
    result = _blank(case)
    started = time.perf_counter()
    try:
        _RUNNERS[case.kind](case, suite=suite, harness=harness, result=result)
    except (ConfigError, ModelError):
        raise  # a setup problem would fail every case the same way: say it once
    except Exception as exc:  # one broken case must not hide the scores of the others
        result.error = f"{type(exc).__name__}: {exc}"
    if not result.latency_s:
        result.latency_s = time.perf_counter() - started
    return result


def _config(settings: Settings) -> dict[str, Any]:
    return settings.model_dump(mode="json", exclude={"openai_api_key", "api_key"})


def run_suites(
    names: Sequence[str],
    *,
    settings: Settings,
    split: str = "all",
    progress: Progress | None = None,
    advisor: AskAdvisor | None = None,
    retriever: Any = None,
    modes: Sequence[str] = ("hybrid",),
    judge_runs: int = 3,
    suites_dir: Path = SUITES_DIR,
) -> EvalRun:
    """Run suites (by name, or paths of suite files) on one split and return the scored run.

    `progress(done, total, case_result)` is called after every case. `advisor` replaces the advisor built from
    settings (its retriever should be the `RecordingRetriever` passed as `retriever`, so citations can be checked
    against what it retrieved). `modes` adds dense-only and keyword-only retrieval scores beside hybrid.
    """
    if split not in SPLITS:
        raise InputError(f"Unknown split `{split}`; choose from {', '.join(SPLITS)}.")
    unknown = [mode for mode in modes if mode not in MODES]
    if unknown:
        raise InputError(f"Unknown retrieval mode `{unknown[0]}`; choose from {', '.join(MODES)}.")
    started_at = datetime.now(UTC).isoformat(timespec="seconds")
    clock = time.perf_counter()
    suites = [suite.select(split) for suite in load_suites(names, directory=suites_dir)]
    harness = Harness(
        settings,
        advisor=advisor,
        retriever=retriever,
        modes=tuple(dict.fromkeys(("hybrid", *modes))),
        judge=get_judge(settings),
        judge_runs=judge_runs,
    )
    uses_kb = any(case.kind in ("retrieval", "answer") for suite in suites for case in suite.cases)
    if uses_kb:
        harness.warm_up()
    total = sum(len(suite.cases) for suite in suites)
    done = 0
    results = []
    for suite in suites:
        cases = []
        for case in suite.cases:
            cases.append(run_case(case, suite=suite, harness=harness))
            done += 1
            if progress is not None:
                progress(done, total, cases[-1])
        results.append(
            SuiteResult(suite.name, suite.description, suite.thresholds, suite.tolerances, cases).finish()
        )
    return EvalRun(
        started_at=started_at,
        duration_s=round(time.perf_counter() - clock, 2),
        split=split,
        modes=list(harness.modes),
        model=harness.model_info(),
        config=_config(settings),
        kb_fingerprint=corpus_fingerprint(settings) if uses_kb else None,
        suites=results,
    )
