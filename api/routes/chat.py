"""Chat: grounded answers as JSON or as a Server-Sent Events stream, and the asker's own conversations."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response, StreamingResponse

from advisor.config import Settings
from advisor.errors import AdvisorError
from api import chat_runner, conversations, feedback, ownership
from api.auth import require_api_key
from api.deps import Principal, PrincipalDep, SettingsDep
from api.errors import status_for
from api.schemas import (
    AnswerOut,
    ChatRequest,
    ConversationOut,
    ConversationSummaryOut,
    FeedbackRequest,
    RenameRequest,
    TurnOut,
)
from api.sse import SSE_HEADERS, sse_event, wants_event_stream

router = APIRouter(prefix="/api", tags=["chat"], dependencies=[Depends(require_api_key)])

_SSE_DOC = (
    "With `Accept: text/event-stream` the answer streams as Server-Sent Events: `status` "
    '(`{"status": "checking_sources"}`) while sources are checked, `text` (`{"text": ...}`) for each piece of the '
    "answer once grounding has kept it (the pieces concatenate to the answer), then one `final` event holding the "
    "grounded answer (this schema), or an `error` event. Nothing that grounding withdraws is ever sent."
)


def _before_asking(settings: Settings, principal: Principal, body: ChatRequest) -> None:
    """404 for a conversation or org that belongs to someone else, or an unknown org, before any model work."""
    if body.conversation_id:
        ownership.check(settings, "conversation", body.conversation_id, principal)
    if body.org_id:
        ownership.check(settings, "org", body.org_id, principal)
        chat_runner.org_context(settings, body.org_id)


async def answer_events(request: Request, body: ChatRequest, principal: Principal) -> AsyncIterator[bytes]:
    """The SSE body: `status` while sources are checked, `text` for each verified piece, then `final` (or `error`)."""
    settings = request.app.state.settings
    try:
        async for event in chat_runner.stream(
            request, body.question, conversation_id=body.conversation_id, org_id=body.org_id
        ):
            if isinstance(event, chat_runner.Final):
                answer = event.answer.to_dict()
                await run_in_threadpool(_claim, settings, principal, answer)
                yield sse_event("final", answer)
            elif status := getattr(event, "status", None):
                yield sse_event("status", {"status": status})
            else:
                yield sse_event("text", {"text": event.text})
    except AdvisorError as exc:
        yield sse_event("error", {"detail": str(exc), "error": type(exc).__name__, "status": status_for(exc)})


def _claim(settings: Settings, principal: Principal, answer: dict[str, Any]) -> None:
    if answer.get("conversation_id"):
        ownership.claim(settings, "conversation", answer["conversation_id"], principal)


@router.post(
    "/chat",
    response_model=AnswerOut,
    description=_SSE_DOC,
    responses={
        200: {"content": {"text/event-stream": {}}},
        503: {"description": "Busy or model unavailable."},
    },
)
async def chat(
    request: Request,
    settings: SettingsDep,
    principal: PrincipalDep,
    body: ChatRequest,
    accept: str | None = Header(None),
) -> Any:
    """Ask the advisor a question."""
    # fail before streaming starts, so a foreign or unknown id is a plain 404, not an error event
    await run_in_threadpool(_before_asking, settings, principal, body)
    if wants_event_stream(accept):
        request.app.state.model_queue.check()
        return StreamingResponse(
            answer_events(request, body, principal), media_type="text/event-stream", headers=SSE_HEADERS
        )
    answer = await chat_runner.ask(
        request, body.question, conversation_id=body.conversation_id, org_id=body.org_id
    )
    data = answer.to_dict()
    await run_in_threadpool(_claim, settings, principal, data)
    return data


@router.get("/conversations", response_model=list[ConversationSummaryOut])
async def list_conversations(
    settings: SettingsDep, principal: PrincipalDep, q: Annotated[str, Query(max_length=200)] = ""
) -> list[ConversationSummaryOut]:
    """Your conversations, newest first; `q` searches their titles and questions."""
    items = await run_in_threadpool(conversations.summaries, settings, principal, query=q)
    return [ConversationSummaryOut(id=i.id, title=i.title, updated_at=i.updated_at) for i in items]


def _conversation_out(settings: Settings, principal: Principal, conversation_id: str) -> ConversationOut:
    item = conversations.opened(settings, principal, conversation_id)
    rated = feedback.ratings(settings, conversation_id)
    turns = [
        TurnOut(
            question=turn.question,
            answer=turn.answer,
            created_at=turn.created_at,
            details=turn.details,
            rating=rated.get(position, (0, ""))[0],
        )
        for position, turn in enumerate(item.turns)
    ]
    title = conversations.title_of(settings, item)
    return ConversationOut(id=item.id, title=title, updated_at=item.updated_at, turns=turns)


@router.get("/conversations/{conversation_id}", response_model=ConversationOut)
async def conversation(
    settings: SettingsDep, principal: PrincipalDep, conversation_id: str
) -> ConversationOut:
    """One of your conversations with its turns and their ratings."""
    return await run_in_threadpool(_conversation_out, settings, principal, conversation_id)


@router.patch("/conversations/{conversation_id}", status_code=204)
async def rename_conversation(
    settings: SettingsDep, principal: PrincipalDep, conversation_id: str, body: RenameRequest
) -> Response:
    """Rename one of your conversations."""
    await run_in_threadpool(ownership.rename, settings, "conversation", conversation_id, principal, body.name)
    return Response(status_code=204)


@router.delete("/conversations/{conversation_id}", status_code=204)
async def delete_conversation(
    settings: SettingsDep, principal: PrincipalDep, conversation_id: str
) -> Response:
    """Delete one of your conversations, its turns and their ratings."""
    await run_in_threadpool(conversations.remove, settings, principal, conversation_id)
    return Response(status_code=204)


@router.get("/conversations/{conversation_id}/export.md", response_class=Response)
async def export_conversation(
    settings: SettingsDep, principal: PrincipalDep, conversation_id: str
) -> Response:
    """The conversation as Markdown: questions, answers with numbered sources, and ratings."""
    text = await run_in_threadpool(conversations.export_markdown, settings, principal, conversation_id)
    disposition = f'attachment; filename="conversation-{conversation_id[:8]}.md"'
    return Response(
        text, media_type="text/markdown; charset=utf-8", headers={"Content-Disposition": disposition}
    )


def _feedback_suite(settings: Settings, principal: Principal) -> str:
    mine = [
        conversations.opened(settings, principal, c.id) for c in conversations.summaries(settings, principal)
    ]
    return feedback.feedback_suite(settings, mine)


@router.get("/feedback/suite.yaml", response_class=Response)
async def export_feedback(settings: SettingsDep, principal: PrincipalDep) -> Response:
    """Your rated answers as an eval suite: save it and run `advisor eval feedback.yaml`."""
    text = await run_in_threadpool(_feedback_suite, settings, principal)
    disposition = 'attachment; filename="feedback.yaml"'
    return Response(text, media_type="application/yaml", headers={"Content-Disposition": disposition})


def _rate(settings: Settings, principal: Principal, conversation_id: str, body: FeedbackRequest) -> None:
    item = conversations.opened(settings, principal, conversation_id)
    if body.turn >= len(item.turns):
        from advisor.errors import InputError

        raise InputError(f"Turn {body.turn} does not exist; the conversation has {len(item.turns)} turns.")
    feedback.rate(settings, conversation_id, turn=body.turn, rating=body.rating, comment=body.comment)


@router.put("/conversations/{conversation_id}/feedback", status_code=204)
async def rate_turn(
    settings: SettingsDep, principal: PrincipalDep, conversation_id: str, body: FeedbackRequest
) -> Response:
    """Thumbs up (+1) or down (-1) on one turn (0-based), stored with it and included in the export."""
    await run_in_threadpool(_rate, settings, principal, conversation_id, body)
    return Response(status_code=204)
