"""The Typer application and its error handling: domain errors become one `Error: ...` line."""

from __future__ import annotations

import sys
from typing import Any

import typer
from rich.console import Console

from advisor.errors import AdvisorError
from advisor.offline import enforce_offline


class AdvisorTyper(typer.Typer):
    """Typer app that prints domain errors as one line (exit 1) unless `--debug` was given."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        enforce_offline()
        try:
            return super().__call__(*args, **kwargs)
        except AdvisorError as exc:
            if "--debug" in sys.argv:
                raise
            Console(stderr=True).print(f"[bold red]Error:[/] {exc}", highlight=False, soft_wrap=True)
            sys.exit(1)


app = AdvisorTyper(
    name="advisor",
    help="Sales structure advisor: grounded answers, roster metrics and restructuring plans, offline.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

console = Console()


@app.callback()
def main(debug: bool = typer.Option(False, "--debug", help="Show full tracebacks for errors.")) -> None:
    """Sales structure advisor."""
