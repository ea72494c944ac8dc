"""The Typer application and its error edge: domain errors become one `Error: ...` line and exit status 1."""

from __future__ import annotations

from typing import Any

import typer
from rich.console import Console
from typer.core import TyperGroup

from advisor.errors import AdvisorError
from advisor.offline import enforce_offline

console = Console()
err_console = Console(stderr=True, highlight=False, soft_wrap=True)


class AdvisorGroup(TyperGroup):
    """Runs a command; an `AdvisorError` prints as one line (no traceback) unless `--debug` was given."""

    def invoke(self, ctx: Any) -> Any:  # typer vendors click; its Context type is private
        try:
            return super().invoke(ctx)
        except AdvisorError as exc:
            if ctx.params.get("debug"):
                raise
            err_console.print(f"Error: {exc}", markup=False)
            raise SystemExit(1) from None


app = typer.Typer(
    name="advisor",
    cls=AdvisorGroup,
    help="Sales structure advisor: grounded answers, roster metrics and restructuring plans, offline.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def main(debug: bool = typer.Option(False, "--debug", help="Show full tracebacks for errors.")) -> None:
    """Sales structure advisor: ask questions, analyse a roster, draft plans, serve the web app, run evals."""
    enforce_offline()
    if debug:
        from advisor.models import show_native_logs

        show_native_logs(True)
