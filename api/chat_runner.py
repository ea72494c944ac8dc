"""Runs the advisor for web requests: through the fair model queue, in the threadpool, never on the event loop."""

from __future__ import annotations

from collections.abc import AsyncIterator, Generator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from fastapi import Request
from fastapi.concurrency import iterate_in_threadpool, run_in_threadpool

from advisor.chat.answer import Answer
from advisor.chat.events import FinalEvent
from advisor.config import Settings
from api import ownership
from api.deps import ModelQueue, Principal, get_principal
from api.kb_service import reader_key

if TYPE_CHECKING:
    from advisor.chat.advisor import Advisor


@dataclass(frozen=True)
class Token:
    """A piece of streamed text."""

    text: str


@dataclass(frozen=True)
class Final:
    """The grounded answer that ends a stream."""

    answer: Answer


def org_context(settings: Settings, org_id: str | None) -> Any:
    """The chat context for an uploaded org (its cached metrics and findings), or None."""
    if not org_id:
        return None
    from advisor.chat.org_context import OrgContext
    from api.org_service import view

    result = view(settings, org_id)  # the org as its owner chose to read it (value names, filters, as-of)
    if "org_context" not in result.cache:
        result.cache["org_context"] = OrgContext.from_metrics(result.metrics, result.findings, name=org_id)
    return result.cache["org_context"]


def check_access(
    settings: Settings, principal: Principal, *, conversation_id: str | None, org_id: str | None
) -> None:
    """NotFoundError for a conversation or org that belongs to someone else, or an unknown org (blocking)."""
    if conversation_id:
        ownership.check(settings, "conversation", conversation_id, principal)
    if org_id:
        ownership.check(settings, "org", org_id, principal)
        org_context(settings, org_id)


def claim_conversation(settings: Settings, principal: Principal, answer: Answer) -> None:
    """Record the principal as the owner of the conversation an answer started (blocking)."""
    if answer.conversation_id:
        ownership.claim(settings, "conversation", answer.conversation_id, principal)


def _advisor(settings: Settings, reader: str | None) -> Advisor:
    """The shared advisor, or with private uploads one whose retrieval searches as `reader` (same models)."""
    from advisor.chat.advisor import Advisor, get_advisor  # noqa: F811 (imported at run time, not at import)
    from advisor.kb.retriever import get_retriever

    if settings.uploads_shared or reader is None:
        return get_advisor(settings)
    return Advisor(settings, retriever=get_retriever(settings).reading_as(reader))


def _ask(
    settings: Settings, question: str, conversation_id: str | None, org_id: str | None, reader: str | None
) -> Answer:
    org = org_context(settings, org_id)
    return _advisor(settings, reader).ask(question, conversation_id=conversation_id, org=org)


def _stream(
    settings: Settings, question: str, conversation_id: str | None, org_id: str | None, reader: str | None
) -> Generator[Any, None, None]:
    org = org_context(settings, org_id)
    yield from _advisor(settings, reader).stream(question, conversation_id=conversation_id, org=org)


async def ask(request: Request, question: str, *, conversation_id: str | None, org_id: str | None) -> Answer:
    """One grounded answer, computed in a worker thread once the model queue admits the request."""
    queue: ModelQueue = request.app.state.model_queue
    settings: Settings = request.app.state.settings
    reader = reader_key(await get_principal(request))
    async with queue.slot():
        return await run_in_threadpool(_ask, settings, question, conversation_id, org_id, reader)


async def stream(
    request: Request, question: str, *, conversation_id: str | None, org_id: str | None
) -> AsyncIterator[Token | Final]:
    """Tokens then the final answer; the generator is closed (releasing the model) if the client goes away."""
    queue: ModelQueue = request.app.state.model_queue
    settings: Settings = request.app.state.settings
    reader = reader_key(await get_principal(request))
    async with queue.slot():
        events = _stream(settings, question, conversation_id, org_id, reader)
        try:
            async for event in iterate_in_threadpool(events):
                # status events pass through as they are; text events carry verified text only
                yield (
                    Final(event.answer)
                    if isinstance(event, FinalEvent)
                    else (Token(event.text) if hasattr(event, "text") else event)
                )
        finally:
            # a half-read generator would keep the model's lock until garbage collection
            await run_in_threadpool(events.close)
