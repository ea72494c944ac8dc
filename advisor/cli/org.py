"""Roster commands: `analyze`, `scenario`, `validate` and `schema`."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from advisor.cli.app import console
from advisor.errors import InputError

FORMATS = ("table", "md", "json")
ROSTER = typer.Argument(..., help="Roster export: CSV (any common encoding/delimiter), XLSX or JSON.")
AS_OF = typer.Option(
    None, "--as-of", help="As-of date, YYYY-MM-DD (default: the latest hire or exit in the roster)."
)
PERIOD_START = typer.Option(
    None, "--period-start", help="Period start, YYYY-MM-DD (default: 12 months before)."
)
PROFILE = typer.Option(None, "--profile", help="Org profile (org.yaml): targets, attainment, cost inputs.")
BENCHMARKS = typer.Option(
    None, "--benchmarks", help="Benchmarks file (default: the bundled benchmarks.yaml)."
)
MAP = typer.Option([], "--map", help="Map a header: SOURCE=canonical (repeatable; see `advisor schema`).")
MAPPING_FILE = typer.Option(None, "--mapping", help="YAML/JSON mapping file with `columns:` and `values:`.")
MAP_VALUE = typer.Option([], "--map-value", help="Map a value: COLUMN:SOURCE=canonical, e.g. 'role:Rep=ae'.")
WHERE = typer.Option([], "--where", help="Keep rows where COLUMN=VALUE, e.g. department=Sales (repeatable).")
DAYFIRST = typer.Option(False, "--dayfirst", help="Read 01/02/2024 as 1 February (D/M/YYYY).")
STRICT = typer.Option(False, "--strict", help="Fail on any import issue instead of setting rows aside.")
DELIMITER = typer.Option(None, "--delimiter", help="CSV delimiter, when detection guesses wrong.")
MAX_MB = typer.Option(150.0, "--max-mb", help="Largest roster file accepted, in MB.")
FORMAT = typer.Option("table", "--format", "-f", help="table, md or json.")
BY = typer.Option(
    None, "--by", help="Also show each metric per role, channel, segment, territory or manager."
)
MOVE = typer.Option([], "--move", help="Move N reps to a channel: inside:3 or field:2.")
HIRE = typer.Option([], "--hire", help="Hire N people of a role on the as-of date: sdr:2.")
ADD_MANAGER = typer.Option(0, "--add-manager", help="Add N managers and rebalance reports onto them.")
REMOVE_MANAGER = typer.Option(
    0, "--remove-manager", help="Consolidate the N smallest teams into their neighbours."
)
ATTRITION = typer.Option(None, "--attrition", help="Change expected turnover in percentage points: -5pp.")
SPEC = typer.Option(None, "--spec", help="Scenario as JSON/YAML (hire, move, add_manager, attrition_pp).")
VALIDATE_FORMAT = typer.Option("table", "--format", "-f", help="table, json or csv.")
CLEAN_CSV = typer.Option(None, "--clean-csv", help="Write the rows that passed to this CSV file.")
SCHEMA_FORMAT = typer.Option("md", "--format", "-f", help="md or json.")


def parse_date_option(text: str | None, option: str) -> date | None:
    """A YYYY-MM-DD option value as a date (None when not given); a bad value is an InputError naming the option."""
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise InputError(f"{option} expects a date as YYYY-MM-DD, got {text!r}.") from exc


def _format(value: str, allowed: tuple[str, ...] = FORMATS) -> str:
    if value not in allowed:
        raise InputError(f"--format must be one of {', '.join(allowed)}, got {value!r}.")
    return value


def load_roster_option(
    roster: Path,
    *,
    as_of: date | None,
    mapping: list[str],
    mapping_file: Path | None,
    map_value: list[str],
    where: list[str],
    dayfirst: bool,
    strict: bool,
    delimiter: str | None,
    max_mb: float,
) -> Any:
    """Load a roster from the shared import options (--map, --mapping, --map-value, --where, ...)."""
    from advisor.org.roster import load_mapping_file, load_roster, parse_pairs

    columns: dict[str, str] = {}
    values: dict[str, dict[str, str]] = {}
    if mapping_file is not None:
        columns, values = load_mapping_file(mapping_file)
    columns |= parse_pairs(mapping, option="--map")
    for column_and_source, target in parse_pairs(map_value, option="--map-value").items():
        column, sep, source = column_and_source.partition(":")
        if not sep:
            raise InputError(
                f"--map-value expects COLUMN:SOURCE=canonical, got {column_and_source}={target}."
            )
        values.setdefault(column.strip(), {})[source.strip()] = target
    return load_roster(
        roster,
        mapping=columns or None,
        value_map=values or None,
        where=parse_pairs(where, option="--where") or None,
        dayfirst=dayfirst,
        strict=strict,
        as_of=as_of,
        delimiter=delimiter,
        max_mb=max_mb,
    )


def load_context(profile: Path | None, benchmarks: Path | None) -> tuple[Any, Any]:
    """The profile (default: empty) and the benchmarks (default: the bundled file); a missing file is an error."""
    from advisor.bundled import BENCHMARKS_FILE
    from advisor.org.benchmarks import load_benchmarks
    from advisor.org.profile import Profile, load_profile

    return load_profile(profile) if profile else Profile(), load_benchmarks(benchmarks or BENCHMARKS_FILE)


def analyze(
    roster: Path = ROSTER,
    as_of: str | None = AS_OF,
    period_start: str | None = PERIOD_START,
    profile: Path | None = PROFILE,
    benchmarks: Path | None = BENCHMARKS,
    output_format: str = FORMAT,
    by: str | None = BY,
    mapping: list[str] = MAP,
    mapping_file: Path | None = MAPPING_FILE,
    map_value: list[str] = MAP_VALUE,
    where: list[str] = WHERE,
    dayfirst: bool = DAYFIRST,
    strict: bool = STRICT,
    delimiter: str | None = DELIMITER,
    max_mb: float = MAX_MB,
) -> None:
    """Compute the structural metrics of a roster and compare them with published benchmarks."""
    from advisor.org.analysis import analyze as analyse_roster
    from advisor.org.present import analysis_markdown

    output_format = _format(output_format)
    day, start = parse_date_option(as_of, "--as-of"), parse_date_option(period_start, "--period-start")
    people = load_roster_option(roster, as_of=day, mapping=mapping, mapping_file=mapping_file, map_value=map_value,
                   where=where, dayfirst=dayfirst, strict=strict, delimiter=delimiter, max_mb=max_mb)  # fmt: skip
    org, bench = load_context(profile, benchmarks)
    payload = analyse_roster(people, benchmarks=bench, profile=org, period_start=start).to_json()
    if output_format == "json":
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    elif output_format == "md":
        typer.echo(analysis_markdown(payload, by=by))
    else:
        _print_analysis(payload, by)


def _print_analysis(payload: dict[str, Any], by: str | None) -> None:
    from advisor.org.present import format_number

    definitions = payload["definitions"]
    summary = definitions["roster"]
    console.print(
        f"[bold]{summary['source']}[/]: {summary['rows']} people, {summary['set_aside']} set aside, "
        f"{summary['issues']} issues; period {definitions['period_start']} → {definitions['as_of']} "
        f"(as of {definitions['as_of_basis']})"
    )
    for note in summary["notes"]:
        console.print(f"  note: {note}", markup=False)
    table = Table(title="Metrics")
    table.add_column("id", no_wrap=True)
    table.add_column("value", no_wrap=True)
    table.add_column("formula", overflow="fold")
    table.add_column("note", overflow="fold")
    for metric in payload["metrics"]:
        table.add_row(
            metric["id"], format_number(metric["value"], metric["unit"]), metric["formula"], metric["note"]
        )
    console.print(table)
    if by:
        breakdown = Table(title=f"By {by}")
        for column in ("metric", by, "value"):
            breakdown.add_column(column, overflow="fold")
        for metric in payload["metrics"]:
            for group, value in metric["by"].get(by, {}).items():
                breakdown.add_row(metric["id"], group, format_number(value, metric["unit"]))
        console.print(breakdown)
    findings = Table(title="Findings")
    for column in ("severity", "id", "message"):
        findings.add_column(column, overflow="fold")
    for finding in payload["findings"]:
        findings.add_row(finding["severity"], finding["id"], finding["message"])
    console.print(findings)
    if payload["errors"]:
        console.print(f"{len(payload['errors'])} import issue(s): run `advisor validate` to list them.")


def scenario(
    roster: Path = ROSTER,
    move: list[str] = MOVE,
    hire: list[str] = HIRE,
    add_manager: int = ADD_MANAGER,
    remove_manager: int = REMOVE_MANAGER,
    attrition: str | None = ATTRITION,
    spec: Path | None = SPEC,
    as_of: str | None = AS_OF,
    period_start: str | None = PERIOD_START,
    profile: Path | None = PROFILE,
    benchmarks: Path | None = BENCHMARKS,
    output_format: str = FORMAT,
    mapping: list[str] = MAP,
    mapping_file: Path | None = MAPPING_FILE,
    map_value: list[str] = MAP_VALUE,
    where: list[str] = WHERE,
    dayfirst: bool = DAYFIRST,
    strict: bool = STRICT,
    delimiter: str | None = DELIMITER,
    max_mb: float = MAX_MB,
) -> None:
    """Try changes on a copy of the roster and show every metric before, after and the delta."""
    from advisor.org.present import format_delta, format_number, scenario_markdown
    from advisor.org.scenarios import run_scenario, spec_from_cli

    output_format = _format(output_format)
    edits = spec_from_cli(move=move, hire=hire, add_manager=add_manager, attrition=attrition, spec_file=spec,
                          remove_manager=remove_manager)  # fmt: skip
    day, start = parse_date_option(as_of, "--as-of"), parse_date_option(period_start, "--period-start")
    people = load_roster_option(roster, as_of=day, mapping=mapping, mapping_file=mapping_file, map_value=map_value,
                   where=where, dayfirst=dayfirst, strict=strict, delimiter=delimiter, max_mb=max_mb)  # fmt: skip
    org, bench = load_context(profile, benchmarks)
    result = run_scenario(people, edits, period_start=start, profile=org, benchmarks=bench).to_dict()
    if output_format == "json":
        typer.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    if output_format == "md":
        typer.echo(scenario_markdown(result))
        return
    for text in result["applied"]:
        console.print(f"• {text}", markup=False)
    for text in result["warnings"]:
        console.print(f"warning: {text}", markup=False)
    table = Table(title="Scenario: before → after")
    for column in ("metric", "before", "after", "delta"):
        table.add_column(column)
    for row in result["deltas"]:
        unit = row["unit"]
        table.add_row(row["id"], format_number(row["before"], unit), format_number(row["after"], unit),
                      format_delta(row["delta"], unit))  # fmt: skip
    console.print(table)


def validate(
    roster: Path = ROSTER,
    as_of: str | None = AS_OF,
    output_format: str = VALIDATE_FORMAT,
    clean: Path | None = CLEAN_CSV,
    mapping: list[str] = MAP,
    mapping_file: Path | None = MAPPING_FILE,
    map_value: list[str] = MAP_VALUE,
    where: list[str] = WHERE,
    dayfirst: bool = DAYFIRST,
    strict: bool = STRICT,
    delimiter: str | None = DELIMITER,
    max_mb: float = MAX_MB,
) -> None:
    """List every import problem (row, column, value, reason); --strict exits 1 when there is any."""
    from advisor.org.present import to_csv
    from advisor.org.roster import RosterError

    output_format = _format(output_format, ("table", "json", "csv"))
    # Strict is applied after printing, so the reader sees every issue before the command fails.
    people = load_roster_option(roster, as_of=parse_date_option(as_of, "--as-of"), mapping=mapping, mapping_file=mapping_file,
                   map_value=map_value, where=where, dayfirst=dayfirst, strict=False, delimiter=delimiter,
                   max_mb=max_mb)  # fmt: skip
    issues = [issue.to_dict() for issue in people.issues]
    if output_format == "json":
        typer.echo(json.dumps({"summary": people.summary(), "issues": issues}, ensure_ascii=False, indent=2))
    elif output_format == "csv":
        header = ("row", "column", "value", "reason", "severity")
        typer.echo(to_csv(header, [[issue[key] for key in header] for issue in issues]), nl=False)
    else:
        console.print(str(people), markup=False)
        for note in people.notes:
            console.print(f"  note: {note}", markup=False)
        table = Table(title=f"{len(issues)} issue(s)")
        for column in ("row", "column", "value", "reason", "severity"):
            table.add_column(column, overflow="fold")
        for issue in issues:
            table.add_row(
                str(issue["row"]), issue["column"], issue["value"], issue["reason"], issue["severity"]
            )
        console.print(table)
    if clean is not None:
        frame = people.df.drop(columns="source_row")
        for column in ("hire_date", "exit_date"):
            if column in frame:
                frame[column] = frame[column].dt.strftime("%Y-%m-%d")
        rows = frame.astype(object).where(frame.notna(), None).itertuples(index=False)
        clean.write_text(to_csv(list(frame.columns), rows), encoding="utf-8")
    if strict and issues:
        raise RosterError(f"{len(issues)} issue(s) in {people.source}; fix them or run without --strict.", [])


def schema(output_format: str = SCHEMA_FORMAT) -> None:
    """Document the roster columns, header synonyms, values, metrics, findings, scenarios and profile."""
    from advisor.org.reference import reference, reference_markdown

    if _format(output_format, ("md", "json")) == "json":
        typer.echo(json.dumps(reference(), ensure_ascii=False, indent=2, default=str))
    else:
        typer.echo(reference_markdown())


def register(app: typer.Typer) -> None:
    """Add the roster commands."""
    app.command()(analyze)
    app.command()(scenario)
    app.command()(validate)
    app.command()(schema)
