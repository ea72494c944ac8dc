"""What an eval run produced: every case with its answer and scores, aggregates per split, and the run's context."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from advisor.errors import InputError
from evals.gate import GateFailure, case_failures, gate_suite
from evals.scores import percentile, refusal_precision_recall

SPLITS = ("dev", "test", "all")


@dataclass
class CaseResult:
    """One case as run: the question, what came back, each score, and which thresholds it failed."""

    id: str
    suite: str
    kind: str
    split: str
    lang: str
    question: str
    tags: list[str] = field(default_factory=list)
    must_refuse: bool = False
    answer: str = ""
    refused: bool | None = None
    language: str | None = None
    path: str | None = None
    citations: list[dict[str, Any]] = field(default_factory=list)
    retrieved: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    scores: dict[str, float | None] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)
    judge: dict[str, list[float]] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    latency_s: float = 0.0
    error: str | None = None
    failed: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        """Whether the case ran and met every per-case threshold of its suite."""
        return self.error is None and not self.failed

    def __str__(self) -> str:
        return f"{self.suite}/{self.id}: {'pass' if self.passed else 'FAIL ' + ', '.join(self.failed)}"


def aggregate(cases: Sequence[CaseResult]) -> dict[str, float | None]:
    """Suite-level scores over some cases: means of per-case scores, refusal precision/recall, latency percentiles."""
    names = sorted({name for case in cases for name in case.scores})
    totals: dict[str, float | None] = {"cases": float(len(cases))}
    for name in names:
        values = [v for case in cases if (v := case.scores.get(name)) is not None]
        totals[name] = sum(values) / len(values) if values else None
    answered = [case for case in cases if case.refused is not None]
    if answered:
        precision, recall = refusal_precision_recall(
            outcomes=[(c.must_refuse, bool(c.refused)) for c in answered]
        )
        totals["refusal_precision"], totals["refusal_recall"] = precision, recall
    drafted = [case for case in cases if case.kind == "claim" and case.error is None]
    if drafted:  # rejected sentences that were wrong: a faithful one rejected costs the answer a true point
        wrong = sum(case.scores.get("wrong_rejected") == 1.0 for case in drafted)
        rejected = wrong + sum(case.scores.get("faithful_kept") == 0.0 for case in drafted)
        totals["rejection_precision"] = wrong / rejected if rejected else None
    # retrieval takes milliseconds and answers seconds: time the slow kind when a suite mixes them
    timed = [c.latency_s for c in cases if c.kind != "retrieval" and c.error is None] or [
        c.latency_s for c in cases if c.error is None
    ]
    totals["latency_p50"] = percentile(values=timed, q=50)
    totals["latency_p95"] = percentile(values=timed, q=95)
    totals["errors"] = sum(case.error is not None for case in cases) / len(cases) if cases else None
    judge_runs = _judge_run_means(cases)
    for name, means in judge_runs.items():
        totals[f"{name}_spread"] = max(means) - min(means) if len(means) > 1 else None
    return totals


def _judge_run_means(cases: Sequence[CaseResult]) -> dict[str, list[float]]:
    """For each judge score, the mean over cases of the i-th judge run: the spread between runs is its noise."""
    runs: dict[str, list[list[float]]] = {}
    for case in cases:
        for name, values in case.judge.items():
            slots = runs.setdefault(name, [[] for _ in values])
            for index, value in enumerate(values[: len(slots)]):
                slots[index].append(value)
    return {name: [sum(slot) / len(slot) for slot in slots if slot] for name, slots in runs.items()}


@dataclass
class SuiteResult:
    """A suite's cases as run, with its thresholds and its aggregates per split."""

    name: str
    description: str
    thresholds: dict[str, float]
    tolerances: dict[str, float]
    cases: list[CaseResult]
    aggregates: dict[str, dict[str, float | None]] = field(default_factory=dict)

    def finish(self) -> SuiteResult:
        """Mark each case's failed thresholds and compute the aggregates of dev, test and all cases."""
        for case in self.cases:
            case.failed = case_failures(case, self.thresholds)
        self.aggregates = {
            split: aggregate([c for c in self.cases if split == "all" or c.split == split])
            for split in SPLITS
        }
        self.aggregates = {split: agg for split, agg in self.aggregates.items() if agg["cases"]}
        return self

    def case(self, case_id: str) -> CaseResult | None:
        """The result of one case, or None."""
        return next((case for case in self.cases if case.id == case_id), None)

    def __str__(self) -> str:
        failed = sum(not case.passed for case in self.cases)
        return f"{self.name}: {len(self.cases)} cases, {failed} failed"


@dataclass
class EvalRun:
    """One run of one or more suites: results, the model and settings used, and the knowledge base's fingerprint."""

    started_at: str
    duration_s: float
    split: str
    modes: list[str]
    model: dict[str, Any]
    config: dict[str, Any]
    kb_fingerprint: str | None
    suites: list[SuiteResult]

    def suite(self, name: str) -> SuiteResult | None:
        """One suite's result, or None."""
        return next((suite for suite in self.suites if suite.name == name), None)

    def gate(self, baseline: EvalRun | None = None) -> list[GateFailure]:
        """Every threshold this run misses and every score that regressed against the baseline beyond tolerance."""
        failures: list[GateFailure] = []
        for suite in self.suites:
            reference = baseline.suite(suite.name) if baseline is not None else None
            failures += gate_suite(suite, reference, aggregate=aggregate)
        return failures

    def to_json(self) -> dict[str, Any]:
        """JSON-ready form: every case with its answer, citations and scores, plus model, config and KB fingerprint."""
        data = asdict(self)
        data["gate"] = [asdict(failure) for failure in self.gate()]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> EvalRun:
        """Rebuild a run from `to_json()` output (for baselines)."""
        try:
            suites = [
                SuiteResult(
                    **{
                        **_known(SuiteResult, s),
                        "cases": [CaseResult(**_known(CaseResult, c)) for c in s["cases"]],
                    }
                )
                for s in data["suites"]
            ]
            return cls(**{**_known(cls, data), "suites": suites})
        except (KeyError, TypeError) as exc:
            raise InputError(
                f"Not an eval run written by `advisor eval --json` ({exc}); pass that file."
            ) from exc

    @classmethod
    def load(cls, path: Path) -> EvalRun:
        """Read a run saved with `--json`."""
        try:
            return cls.from_json(json.loads(path.read_text(encoding="utf-8")))
        except FileNotFoundError as exc:
            raise InputError(
                f"Baseline {path} does not exist; save one with `advisor eval ... --json {path}`."
            ) from exc
        except json.JSONDecodeError as exc:
            raise InputError(f"Baseline {path} is not JSON: {exc.msg}.") from exc

    def __str__(self) -> str:
        return f"EvalRun({', '.join(str(s) for s in self.suites)}; {self.duration_s:.1f}s)"


def _known(cls: type, data: dict[str, Any]) -> dict[str, Any]:
    names = {f.name for f in fields(cls)}
    return {key: value for key, value in data.items() if key in names}
