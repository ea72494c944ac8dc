"""Knowledge-base commands: `advisor ingest`, `advisor search`, and `advisor kb list|remove` for stored documents."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from advisor.cli.app import console, err_console
from advisor.cli.progress import ensure_knowledge, file_progress
from advisor.config import load_settings
from advisor.errors import InputError


def _table(title: str, *columns: str) -> Table:
    """A table whose cells wrap (long paths and texts fold rather than being cut)."""
    table = Table(title=title)
    for column in columns:
        table.add_column(column, overflow="fold")
    return table


EMBED_NOTICE_SECONDS = 10.0  # an embedding step that took longer is reported even when it was the only one


def ingest(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Files or folders to ingest (default: the knowledge folder).")
    ] = None,
    prune: bool = typer.Option(False, "--prune", help="Remove documents whose source file is gone."),
) -> None:
    """Add Markdown, text, HTML, PDF and DOCX files to the knowledge base (unchanged files are skipped)."""
    from advisor.kb.ingest import BATCH_CHUNKS, EmbedProgress
    from advisor.kb.ingest import ingest as run_ingest

    def embedding(step: EmbedProgress) -> None:
        # a batch of several steps, or one slow step, is too long to wait for in silence
        if step.total > BATCH_CHUNKS or step.seconds > EMBED_NOTICE_SECONDS:
            err_console.print(f"Embedding: {step}", style="dim", markup=False, highlight=False)

    settings = load_settings()
    with file_progress("Ingesting") as advance:
        report = run_ingest(
            paths or None, settings=settings, prune=prune, progress=advance, embedding=embedding
        )
    table = _table(
        f"Ingested into `{settings.collection}` ({report.seconds:.1f} s)",
        "file",
        "status",
        "doc id",
        "chunks",
        "reason",
    )
    for outcome in report.outcomes:
        if outcome.status != "unchanged":
            table.add_row(outcome.path, outcome.status, outcome.doc_id, str(outcome.chunks), outcome.reason)
    if table.row_count:
        console.print(table)
    console.print(report.summary())


def search(
    query: str = typer.Argument(..., help="A question or keywords."),
    k: int | None = typer.Option(
        None, "--k", min=1, max=50, help="Passages to return (default: retrieval_k)."
    ),
    lang: str | None = typer.Option(None, "--lang", help="Only passages in this language: en or zh."),
    topic: Annotated[
        list[str] | None, typer.Option("--topic", help="Only passages with this topic (repeatable).")
    ] = None,
    mode: str = typer.Option("hybrid", "--mode", help="hybrid, dense or keyword."),
    as_json: bool = typer.Option(False, "--json", help="Print the passages as JSON."),
) -> None:
    """Search the knowledge base and show the best passages with their relevance."""
    from advisor.kb.retriever import MODES, get_retriever

    if lang not in (None, "en", "zh"):
        raise InputError(f"Unknown language `{lang}`; use --lang en or --lang zh.")
    if mode not in MODES:
        raise InputError(f"Unknown mode `{mode}`; use --mode hybrid, dense or keyword.")
    settings = load_settings()
    ensure_knowledge(settings)
    passages = get_retriever(settings).search(query, k=k, lang=lang, topics=topic or None, mode=mode)  # type: ignore[arg-type]
    if as_json:
        typer.echo(json.dumps([asdict(p) for p in passages], ensure_ascii=False, indent=2))
        return
    if not passages:
        console.print("No passages found. Is the knowledge base ingested (`advisor ingest`)?")
        return
    table = _table(f"{len(passages)} passages ({mode})", "score", "document", "section", "text")
    for passage in passages:
        text = " ".join(passage.text.split())
        table.add_row(f"{passage.score:.2f}", passage.doc_id, passage.section, text[:200])
    console.print(table)


kb_app = typer.Typer(help="The documents in the knowledge base: list them, remove one.", no_args_is_help=True)


@kb_app.command("list")
def list_documents(
    as_json: bool = typer.Option(False, "--json", help="Print the documents as JSON."),
) -> None:
    """Every stored document: doc id, language, chunks, title and source file."""
    from advisor.kb.store import list_documents as stored

    settings = load_settings()
    documents = stored(settings)
    if as_json:
        typer.echo(json.dumps([asdict(d) for d in documents], ensure_ascii=False, indent=2))
        return
    if not documents:
        console.print("The knowledge base is empty; run `advisor ingest` first.")
        return
    table = _table(
        f"{len(documents)} documents in `{settings.collection}`",
        "doc id",
        "lang",
        "chunks",
        "title",
        "source",
    )
    for doc in documents:
        table.add_row(doc.doc_id, doc.lang, str(doc.chunks), doc.title, doc.source)
    console.print(table)


@kb_app.command("remove")
def remove(doc_id: str = typer.Argument(..., help="The doc id, as `advisor kb list` shows it.")) -> None:
    """Remove one document (its chunks, keyword entries and manifest entry) from the knowledge base."""
    from advisor.kb.ingest import remove_document

    outcome = remove_document(doc_id, settings=load_settings())
    console.print(
        f"Removed `{outcome.doc_id}` ({outcome.chunks} chunks, from {outcome.path}) from the knowledge base.",
        highlight=False,
        soft_wrap=True,
    )


def register(app: typer.Typer) -> None:
    """Add the knowledge-base commands."""
    app.command()(ingest)
    app.command()(search)
    app.add_typer(kb_app, name="kb")
