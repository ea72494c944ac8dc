"""Fixtures for the runner's tests: settings under a temporary home, the doubles, and a runner over mini suites."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from eval_doubles import MINI_SUITES, NaiveAdvisor, TermRetriever, echo_model

from advisor.config import Settings, load_settings
from evals.harness import RecordingRetriever
from evals.results import EvalRun
from evals.runner import run_suites


@pytest.fixture
def settings(advisor_home: Path) -> Settings:
    """Settings whose state lives in a fresh temporary ADVISOR_HOME."""
    return load_settings()


@pytest.fixture
def run_naive(settings: Settings) -> Callable[..., EvalRun]:
    """Run mini suites against the naive advisor with the given model faults (none: a well-behaved model)."""

    def run(
        *faults: str, names: tuple[str, ...] = ("mini",), scope_check: bool = True, **kwargs: Any
    ) -> EvalRun:
        retriever = RecordingRetriever(TermRetriever())
        model = echo_model(faults=frozenset(faults))
        advisor = NaiveAdvisor(retriever=retriever, chat_model=model, scope_check=scope_check)
        return run_suites(names, settings=settings, advisor=advisor, retriever=retriever, suites_dir=MINI_SUITES,
                          **kwargs)  # fmt: skip

    return run
