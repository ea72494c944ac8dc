"""`advisor eval`: run evaluation suites, show the scores, write JSON/HTML/JUnit, exit 1 when the gate fails."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from advisor.cli.app import console
from advisor.config import Settings, load_settings

if TYPE_CHECKING:
    from evals.results import CaseResult, EvalRun, SuiteResult

ALL_MODES = "hybrid,dense,keyword"


class SplitChoice(StrEnum):
    """Which cases to run."""

    dev = "dev"
    test = "test"
    all = "all"


def _suite_table(suite: SuiteResult) -> Table:
    from evals.specs import display_order, format_score, verdict

    splits = list(suite.aggregates)
    counts = {split: int(suite.aggregates[split]["cases"] or 0) for split in splits}
    failed = sum(not case.passed for case in suite.cases)
    table = Table(title=f"{suite.name}: {len(suite.cases)} cases, {failed} failed", title_justify="left")
    table.add_column("score")
    for split in splits:
        table.add_column(f"{split} ({counts[split]})", justify="right")
    table.add_column("threshold", justify="right")
    table.add_column("", justify="center")
    names = display_order(suite.aggregates.get("all", {}), thresholds=suite.thresholds)
    for name in names:
        threshold = suite.thresholds.get(name)
        status = {"ok": "[green]ok[/]", "fail": "[bold red]FAIL[/]"}.get(
            verdict(name, suite.aggregates["all"].get(name), threshold), ""
        )
        cells = [format_score(suite.aggregates[split].get(name), name) for split in splits]
        table.add_row(name, *cells, "" if threshold is None else format_score(threshold, name), status)
    return table


def _write(path: Path | None, text: str, what: str) -> None:
    if path is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    console.print(f"{what}: {path}")


def _run(names: list[str], settings: Settings, split: str, modes: list[str], judge_runs: int) -> EvalRun:
    from evals.runner import run_suites

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("evaluating", total=None)
        failures = 0

        def advance(done: int, total: int, result: CaseResult) -> None:
            nonlocal failures
            failures += result.error is not None
            note = f" [red]{failures} error(s)[/]" if failures else ""
            bar.update(task, completed=done, total=total, description=f"{result.suite}/{result.id}{note}")

        return run_suites(
            names, settings=settings, split=split, progress=advance, modes=modes, judge_runs=judge_runs
        )


def eval_command(
    suites: Annotated[
        list[str], typer.Argument(help="Suites (smoke, retrieval, answers, refusal, plans) or files.")
    ],
    model: Annotated[
        str | None, typer.Option(help="Chat model to evaluate (overrides ADVISOR_CHAT_MODEL).")
    ] = None,
    baseline: Annotated[
        Path | None, typer.Option(help="A previous `--json` run: fail on regressions.")
    ] = None,
    report: Annotated[Path | None, typer.Option(help="Write a self-contained HTML report here.")] = None,
    junit: Annotated[
        Path | None, typer.Option(help="Write JUnit XML here (a test per case and threshold).")
    ] = None,
    json_out: Annotated[
        Path | None, typer.Option("--json", help="Write every case and its scores as JSON.")
    ] = None,
    split: Annotated[
        SplitChoice, typer.Option(help="Run the dev cases, the test cases, or all.")
    ] = SplitChoice.all,
    modes: Annotated[
        str, typer.Option(help=f"Retrieval modes, comma separated ({ALL_MODES}) or `all`.")
    ] = "hybrid",
    ingest: Annotated[
        bool, typer.Option(help="Ingest the knowledge folder first (skips unchanged files).")
    ] = True,
    judge_runs: Annotated[
        int, typer.Option(min=1, help="Runs per judge score, when a judge is configured.")
    ] = 3,
) -> None:
    """Score the advisor on evaluation suites; exit 1 when a threshold fails or a score regresses."""
    from evals.report import render_html, render_junit
    from evals.results import EvalRun

    settings = load_settings(**({"chat_model": model} if model else {}))
    reference = EvalRun.load(baseline) if baseline else None
    if ingest:
        from advisor.kb.ingest import ingest as run_ingest

        console.print(str(run_ingest(None, settings=settings)))
    run = _run(suites, settings, split.value, (ALL_MODES if modes == "all" else modes).split(","), judge_runs)
    for suite in run.suites:
        console.print(_suite_table(suite))
    console.print(f"{run.model['chat_backend']}:{run.model['chat_model']}, {run.duration_s:.1f}s")
    _write(json_out, json.dumps(run.to_json(), ensure_ascii=False, indent=1), "JSON")
    _write(report, render_html(run, baseline=reference), "HTML report")
    _write(junit, render_junit(run, baseline=reference), "JUnit XML")
    failures = run.gate(reference)
    for failure in failures:
        console.print(f"[bold red]FAIL[/] {failure}", highlight=False, soft_wrap=True)
    if failures:
        raise typer.Exit(1)
    console.print(
        "[green]All thresholds met.[/]" + (" No regressions against the baseline." if reference else "")
    )


def register(app: typer.Typer) -> None:
    """Add `advisor eval`."""
    app.command("eval")(eval_command)
