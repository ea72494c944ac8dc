"""Core commands: `config`, `doctor` and `serve`."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Annotated

import typer
from rich.table import Table

from advisor.cli.app import console
from advisor.cli.progress import file_progress
from advisor.config import Settings, config_file, load_settings, setting_sources
from advisor.doctor import CHECKS, run_checks
from advisor.errors import InputError


def _display(name: str, value: object) -> str:
    if name.endswith("api_key") and value is not None:
        return "********"
    return "" if value is None else str(value)


def config(as_json: bool = typer.Option(False, "--json", help="Print as JSON.")) -> None:
    """Print the effective settings and where each came from (env, advisor.toml, default)."""
    settings = load_settings()
    sources = setting_sources()
    rows = [
        {
            "name": name,
            "value": _display(name, getattr(settings, name)),
            "source": sources[name],
            "help": field.description or "",
        }
        for name, field in Settings.model_fields.items()
    ]
    if as_json:
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    table = Table(title=f"Settings (env ADVISOR_*, then {config_file()}, then defaults)")
    for column in ("name", "value", "source", "help"):
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(row["name"], row["value"], row["source"], row["help"])
    console.print(table)


def serve(
    host: str | None = typer.Option(None, help="Address to listen on (default: the `host` setting)."),
    port: int | None = typer.Option(None, help="Port to listen on (default: the `port` setting)."),
    ingest: bool = typer.Option(True, help="Ingest the knowledge folder first (skips unchanged files)."),
    workers: int = typer.Option(
        1, min=1, help="Worker processes sharing the state database and the Chroma store."
    ),
) -> None:
    """Serve the web app (chat, org dashboard, plans, evals and the JSON/OpenAI-compatible APIs)."""
    import uvicorn

    from advisor.kb.ingest import ingest as run_ingest

    settings = load_settings()
    if ingest:
        with file_progress("Ingesting") as advance:
            report = run_ingest(None, settings=settings, progress=advance)
        console.print(report.summary(), markup=False)
    from api.app import create_app
    from api.server import uvicorn_options

    where = {"host": host or settings.host, "port": port or settings.port, "log_level": "info"}
    where |= uvicorn_options(settings)
    if (
        workers > 1
    ):  # each process builds its app from the environment, so flags other than these do not apply
        uvicorn.run("api.asgi:app", factory=True, workers=workers, **where)  # type: ignore[arg-type]
        return
    uvicorn.run(create_app(settings), **where)  # type: ignore[arg-type]


def doctor(
    check: Annotated[
        list[str] | None,
        typer.Option(
            "--check", help=f"Run only this check (repeatable): {', '.join(CHECKS)}.", show_default=False
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """Check the installation (models generate, store, knowledge, benchmarks, font, browser), each with a fix."""
    unknown = sorted(set(check or ()) - set(CHECKS))
    if unknown:
        raise InputError(f"No check `{unknown[0]}`; choose from {', '.join(CHECKS)}.")
    results = run_checks(load_settings(), list(check) if check else None)
    if as_json:
        typer.echo(json.dumps([asdict(result) | {"status": result.status} for result in results], indent=2))
    else:
        for result in results:
            typer.echo(f"{result.status:<5} {result.name:<11} {result.detail}")
            if result.fix:
                typer.echo(f"{'':<17} fix: {result.fix}")
    if any(result.status == "FAIL" for result in results):
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add the core commands."""
    app.command()(config)
    app.command()(doctor)
    app.command()(serve)
