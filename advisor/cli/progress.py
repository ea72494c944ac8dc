"""Progress bars the commands share: ingesting files, and the first use that ingests the bundled knowledge base."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from advisor.cli.app import err_console
from advisor.config import Settings


@contextmanager
def file_progress(title: str) -> Iterator[Callable[[str, int, int], None]]:
    """A transient bar on stderr (stdout stays clean for --json) advanced by `(file, done, total)` calls."""
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err_console, transient=True) as bar:
        task = bar.add_task(title, total=None)

        def advance(label: str, done: int, total: int) -> None:
            bar.update(task, completed=done, total=total, description=f"{title} {Path(label).name[:40]}")

        yield advance


def ensure_knowledge(settings: Settings) -> None:
    """On first use (an empty store), ingest the default knowledge with a progress bar and say so."""
    from advisor.kb import firstrun
    from advisor.kb.store import store_ready

    if store_ready(settings):
        return
    err_console.print("First use: ingesting the bundled knowledge base (about 30 s, once).", style="dim")
    with file_progress("Ingesting") as advance:
        report = firstrun.ensure_knowledge(settings, progress=advance)
    if report is not None:
        err_console.print(report.summary(), style="dim", markup=False)
