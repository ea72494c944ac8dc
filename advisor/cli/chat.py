"""Chat commands: `ask` (one question) and `chat` (an interactive, streaming conversation)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal, cast

import typer

from advisor.chat.answer import Answer
from advisor.cli.app import console, err_console
from advisor.cli.progress import ensure_knowledge
from advisor.config import load_settings

if TYPE_CHECKING:
    from advisor.chat.events import Event
    from advisor.chat.org_context import OrgContext


def _org(path: Path | None) -> OrgContext | None:
    if path is None:
        return None
    from advisor.chat.org_context import OrgContext
    from advisor.org import load_roster

    return OrgContext.from_roster(load_roster(path))


def _print_citations(answer: Answer) -> None:
    if answer.refused or not answer.citations:
        return
    console.print()
    for citation in answer.citations:
        if citation.id.startswith("M:"):
            where = f"{citation.title} (your roster)"
        else:
            section = f" / {citation.section}" if citation.section else ""
            where = f"{citation.title}{section} ({citation.doc_id})"
        console.print(f"[{citation.id}] {where}", markup=False, style="dim")


def _show(event: Event) -> None:
    """A streamed event: the status on stderr (it is not part of the answer), verified text on stdout."""
    from advisor.chat.events import StatusEvent, TextEvent

    if isinstance(event, StatusEvent):
        err_console.print("checking sources…", style="dim", markup=False)
    elif isinstance(event, TextEvent):
        console.print(event.text, end="", markup=False, soft_wrap=True)


def ask(
    question: str = typer.Argument(..., help="Your question, in English or Chinese."),
    as_json: bool = typer.Option(False, "--json", help="Print the Answer contract as JSON."),
    stream: bool = typer.Option(False, "--stream", help="Print the answer as each sentence is verified."),
    conversation: str | None = typer.Option(None, "--conversation", help="Continue this conversation id."),
    org: Annotated[
        Path | None, typer.Option("--org", exists=True, dir_okay=False, help="Roster file to analyse.")
    ] = None,
    lang: str | None = typer.Option(
        None, "--lang", help="Answer language: en or zh (default: the question's)."
    ),
) -> None:
    """Ask one question; the answer is grounded in the knowledge base (and your roster, with --org)."""
    from advisor.chat.advisor import get_advisor
    from advisor.chat.events import FinalEvent
    from advisor.errors import InputError

    if lang not in (None, "en", "zh"):
        raise InputError(f"--lang must be en or zh, not {lang!r}.")
    settings = load_settings()
    ensure_knowledge(settings)
    advisor = get_advisor(settings)
    answer_lang = cast(Literal["en", "zh"] | None, lang)
    answer = None
    for event in advisor.stream(question, conversation_id=conversation, org=_org(org), lang=answer_lang):
        if isinstance(event, FinalEvent):
            answer = event.answer
        elif stream and not as_json:
            _show(event)
    assert answer is not None
    if as_json:
        typer.echo(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
        return
    if stream:  # the verified text is the answer: it streamed already
        console.print()
    else:
        console.print(answer.answer, markup=False)
    _print_citations(answer)
    console.print(f"\nconversation: {answer.conversation_id}", style="dim", markup=False)


def chat(
    conversation: str | None = typer.Option(None, "--conversation", help="Continue this conversation id."),
    org: Annotated[
        Path | None, typer.Option("--org", exists=True, dir_okay=False, help="Roster file to analyse.")
    ] = None,
) -> None:
    """Talk with the advisor in the terminal; answers stream as they are written. Type /quit to leave."""
    from advisor.chat.advisor import get_advisor
    from advisor.chat.events import FinalEvent

    settings = load_settings()
    ensure_knowledge(settings)
    advisor = get_advisor(settings)
    context = _org(org)
    console.print("Ask about your sales organisation. /quit to leave.", style="dim")
    while True:
        try:
            question = input("\n> ").strip()
        except (EOFError, KeyboardInterrupt):
            break
        if question in ("/quit", "/exit"):
            break
        if not question:
            continue
        for event in advisor.stream(question, conversation_id=conversation, org=context):
            if isinstance(event, FinalEvent):
                conversation = event.answer.conversation_id
                console.print()  # the answer streamed sentence by sentence above, each once verified
                _print_citations(event.answer)
            else:
                _show(event)
    if conversation:
        console.print(f"conversation: {conversation}", style="dim", markup=False)


def register(app: typer.Typer) -> None:
    """Add the chat commands."""
    app.command()(ask)
    app.command()(chat)
