"""OpenAI-compatible chat completions, so the official `openai` client and existing chat front ends can ask the
advisor. Citations travel twice: as footnotes in the message text (for front ends that only show text) and as a
`citations` field (for programs)."""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator
from typing import Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from advisor.chat.answer import Answer
from advisor.errors import AdvisorError
from api import chat_runner
from api.auth import require_api_key
from api.deps import Principal, PrincipalDep
from api.sse import SSE_HEADERS, sse_event

router = APIRouter(prefix="/v1", tags=["openai-compatible"], dependencies=[Depends(require_api_key)])

MODEL_ID = "sales-structure-advisor"


class ContentPart(BaseModel):
    """One part of a multi-part message; only text parts are read."""

    model_config = ConfigDict(extra="allow")

    type: str
    text: str | None = None


class Message(BaseModel):
    """A chat message as OpenAI clients send it."""

    model_config = ConfigDict(extra="allow")

    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: str | list[ContentPart] | None = None

    def text(self) -> str:
        """The message's text, with multi-part content joined."""
        if isinstance(self.content, list):
            return "\n".join(part.text or "" for part in self.content if part.type == "text")
        return self.content or ""


class CompletionRequest(BaseModel):
    """The chat-completions request; sampling options are accepted and ignored (grounding decides the text)."""

    model_config = ConfigDict(extra="allow")

    model: str = Field(MODEL_ID, max_length=200)
    messages: list[Message] = Field(min_length=1, max_length=200)
    stream: bool = False
    org_id: str | None = Field(
        None, max_length=64, pattern=r"^[A-Za-z0-9_-]+$", description="Use this org's metrics."
    )
    conversation_id: str | None = Field(None, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")


def question_of(body: CompletionRequest) -> str:
    """The question: the last user message's text."""
    for message in reversed(body.messages):
        if message.role == "user" and message.text().strip():
            return message.text().strip()[:4000]
    raise HTTPException(422, "`messages` holds no user message with text; add one with role `user`.")


def footnotes(answer: Answer) -> str:
    """The answer followed by one footnote line per citation."""
    if not answer.citations:
        return answer.answer
    lines = [f"[{c.id}] {c.title}" + (f" - {c.section}" if c.section else "") for c in answer.citations]
    heading = "来源" if answer.language == "zh" else "Sources"
    return answer.answer + f"\n\n{heading}:\n" + "\n".join(lines)


def _citations(answer: Answer) -> list[dict[str, Any]]:
    return [dict(vars(citation)) for citation in answer.citations]


def completion(answer: Answer, *, completion_id: str, created: int, model: str) -> dict[str, Any]:
    """A `chat.completion` object for a finished answer."""
    return {
        "id": completion_id,
        "object": "chat.completion",
        "created": created,
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": footnotes(answer)},
                "finish_reason": "stop",
                "logprobs": None,
            }
        ],
        "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
        "citations": _citations(answer),
        "advisor": answer.to_dict(),
    }


def _chunk(
    completion_id: str, created: int, model: str, delta: dict[str, Any], finish: str | None = None
) -> dict[str, Any]:
    return {
        "id": completion_id,
        "object": "chat.completion.chunk",
        "created": created,
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}],
    }


async def _chunks(
    request: Request, body: CompletionRequest, question: str, principal: Principal
) -> AsyncIterator[bytes]:
    completion_id = f"chatcmpl-{uuid.uuid4().hex}"
    created = int(time.time())
    yield sse_event(None, _chunk(completion_id, created, body.model, {"role": "assistant", "content": ""}))
    try:
        sent = ""
        async for event in chat_runner.stream(
            request, question, conversation_id=body.conversation_id, org_id=body.org_id
        ):
            if isinstance(event, chat_runner.Token):
                sent += event.text
                yield sse_event(None, _chunk(completion_id, created, body.model, {"content": event.text}))
                continue
            # The model's raw tokens are a draft that grounding may still cut; an OpenAI client cannot take back
            # text it was sent, so this stream carries verified pieces only (the same `text` events as /api/chat),
            # then the footnotes once the answer is final.
            if isinstance(event, chat_runner.Final):
                answer = event.answer
                await run_in_threadpool(
                    chat_runner.claim_conversation, request.app.state.settings, principal, answer
                )
                rest = footnotes(answer)[len(sent) :] if footnotes(answer).startswith(sent) else ""
                if rest:
                    yield sse_event(None, _chunk(completion_id, created, body.model, {"content": rest}))
                last = _chunk(completion_id, created, body.model, {}, "stop")
                last["citations"] = _citations(answer)
                last["advisor"] = answer.to_dict()
                yield sse_event(None, last)
    except AdvisorError as exc:
        yield sse_event(None, {"error": {"message": str(exc), "type": type(exc).__name__}})
    yield sse_event(None, "[DONE]")


@router.post("/chat/completions", responses={200: {"content": {"text/event-stream": {}}}})
async def chat_completions(request: Request, body: CompletionRequest, principal: PrincipalDep) -> Any:
    """Chat completion (streamed when `stream` is true); the answer carries footnotes and a `citations` field."""
    question = question_of(body)
    settings = request.app.state.settings
    ids = {"conversation_id": body.conversation_id, "org_id": body.org_id}
    await run_in_threadpool(lambda: chat_runner.check_access(settings, principal, **ids))
    if body.stream:
        request.app.state.model_queue.check()
        return StreamingResponse(
            _chunks(request, body, question, principal), media_type="text/event-stream", headers=SSE_HEADERS
        )
    answer = await chat_runner.ask(request, question, **ids)
    await run_in_threadpool(chat_runner.claim_conversation, settings, principal, answer)
    return completion(
        answer, completion_id=f"chatcmpl-{uuid.uuid4().hex}", created=int(time.time()), model=body.model
    )


@router.get("/models")
async def models() -> dict[str, Any]:
    """The one model this server offers: the grounded advisor."""
    return {
        "object": "list",
        "data": [{"id": MODEL_ID, "object": "model", "created": 0, "owned_by": "sales-structure-advisor"}],
    }
