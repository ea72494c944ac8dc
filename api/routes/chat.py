"""Chat: grounded answers as JSON or as a Server-Sent Events stream, and the stored conversations."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, Depends, Header, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse

from advisor.errors import AdvisorError
from api import chat_runner
from api.auth import require_api_key
from api.deps import get_settings
from api.errors import status_for
from api.schemas import AnswerOut, ChatRequest
from api.serialize import to_jsonable
from api.sse import SSE_HEADERS, sse_event, wants_event_stream

router = APIRouter(prefix="/api", tags=["chat"], dependencies=[Depends(require_api_key)])

_SSE_DOC = (
    "With `Accept: text/event-stream` the answer streams as Server-Sent Events: `token` events "
    '(`{"text": ...}`), then one `final` event holding the grounded answer (this schema), or an `error` event.'
)


async def answer_events(request: Request, body: ChatRequest) -> AsyncIterator[bytes]:
    """The SSE body: token events, then the final grounded answer (or an error event)."""
    try:
        async for event in chat_runner.stream(
            request, body.question, conversation_id=body.conversation_id, org_id=body.org_id
        ):
            if isinstance(event, chat_runner.Final):
                yield sse_event("final", event.answer.to_dict())
            else:
                yield sse_event("token", {"text": event.text})
    except AdvisorError as exc:
        yield sse_event("error", {"detail": str(exc), "error": type(exc).__name__, "status": status_for(exc)})


@router.post(
    "/chat",
    response_model=AnswerOut,
    description=_SSE_DOC,
    responses={
        200: {"content": {"text/event-stream": {}}},
        503: {"description": "Busy or model unavailable."},
    },
)
async def chat(request: Request, body: ChatRequest, accept: str | None = Header(None)) -> Any:
    """Ask the advisor a question."""
    if body.org_id:
        # fail before streaming starts, so an unknown org is a plain 404, not an error event
        await run_in_threadpool(chat_runner.org_context, get_settings(request), body.org_id)
    if wants_event_stream(accept):
        request.app.state.model_queue.check()
        return StreamingResponse(
            answer_events(request, body), media_type="text/event-stream", headers=SSE_HEADERS
        )
    answer = await chat_runner.ask(
        request, body.question, conversation_id=body.conversation_id, org_id=body.org_id
    )
    return answer.to_dict()


@router.get("/conversations")
async def conversations(request: Request) -> list[dict[str, Any]]:
    """Stored conversations, newest first."""
    from advisor.chat.memory import list_conversations

    items = await run_in_threadpool(list_conversations, get_settings(request))
    return [to_jsonable(item) for item in items]


@router.get("/conversations/{conversation_id}")
async def conversation(request: Request, conversation_id: str) -> dict[str, Any]:
    """One conversation with its turns."""
    from advisor.chat.memory import get_conversation

    item = await run_in_threadpool(get_conversation, get_settings(request), conversation_id)
    return to_jsonable(item)
