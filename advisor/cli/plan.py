"""The `plan` command: draft a restructuring plan from a roster (and/or a goal) as Markdown, HTML or PDF."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from advisor.cli.app import console
from advisor.cli.org import (
    AS_OF,
    BENCHMARKS,
    DAYFIRST,
    DELIMITER,
    MAP,
    MAP_VALUE,
    MAPPING_FILE,
    MAX_MB,
    PERIOD_START,
    STRICT,
    WHERE,
    load_context,
    load_roster_option,
    parse_date_option,
)

OPTIONAL_ROSTER = typer.Argument(
    None, help="Roster export (CSV, XLSX or JSON); leave out for a goal-only plan."
)
OUTPUT = typer.Option(..., "--output", "-o", help="Where to write the plan: .md, .html or .pdf.")
PROFILE = typer.Option(None, "--profile", help="Org profile (org.yaml): name, targets, cost inputs.")
GOAL = typer.Option(None, "--goal", help='What the plan is for, e.g. "grow enterprise bookings 40%".')
LANG = typer.Option("en", "--lang", help="en or zh.")
FORMAT = typer.Option(None, "--format", "-f", help="md, html or pdf (default: from the output's extension).")
INGEST = typer.Option(True, help="Ingest the knowledge folder first (skips unchanged files).")


def plan(
    roster: Path | None = OPTIONAL_ROSTER,
    output: Path = OUTPUT,
    profile: Path | None = PROFILE,
    goal: str | None = GOAL,
    lang: str = LANG,
    output_format: str | None = FORMAT,
    as_of: str | None = AS_OF,
    period_start: str | None = PERIOD_START,
    benchmarks: Path | None = BENCHMARKS,
    mapping: list[str] = MAP,
    mapping_file: Path | None = MAPPING_FILE,
    map_value: list[str] = MAP_VALUE,
    where: list[str] = WHERE,
    dayfirst: bool = DAYFIRST,
    strict: bool = STRICT,
    delimiter: str | None = DELIMITER,
    max_mb: float = MAX_MB,
    ingest: bool = INGEST,
) -> None:
    """Draft a restructuring plan grounded in your roster's metrics and the knowledge base."""
    from advisor.config import load_settings
    from advisor.plan.draft import draft_plan
    from advisor.plan.render import format_for, render_plan

    fmt = format_for(output, output_format)
    settings = load_settings()
    day, start = parse_date_option(as_of, "--as-of"), parse_date_option(period_start, "--period-start")
    loaded = None
    if roster is not None:
        loaded = load_roster_option(roster, as_of=day, mapping=mapping, mapping_file=mapping_file, map_value=map_value,
                       where=where, dayfirst=dayfirst, strict=strict, delimiter=delimiter, max_mb=max_mb)  # fmt: skip
    org_profile, bench = load_context(profile, benchmarks)
    columns = (TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"))
    with Progress(*columns, TimeElapsedColumn(), console=console, transient=True) as bar:
        if ingest:
            from advisor.kb.ingest import ingest as run_ingest

            task = bar.add_task("Checking the knowledge base", total=None)
            run_ingest(None, settings=settings)
            bar.remove_task(task)
        task = bar.add_task("Drafting", total=None)

        def progress(step: str, done: int, total: int) -> None:
            bar.update(task, description=f"Drafting: {step}", completed=done, total=total)

        drafted = draft_plan(loaded, settings=settings, profile=org_profile, goal=goal, lang=lang, as_of=day,
                             period_start=start, benchmarks=bench, progress=progress)  # fmt: skip
        bar.update(task, description=f"Rendering {fmt}")
        data = render_plan(drafted, fmt)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(data)
    seconds = sum(drafted.timings.values())
    console.print(
        f"Wrote {output} ({len(drafted.sections)} sections, {len(drafted.sources)} sources, "
        f"{drafted.slots.get('generated', 0)} generated and {drafted.slots.get('extractive', 0)} extractive "
        f"prose slots) in {seconds:.1f} s.",
        highlight=False,
        soft_wrap=True,
    )


def register(app: typer.Typer) -> None:
    """Add the `plan` command."""
    app.command()(plan)
