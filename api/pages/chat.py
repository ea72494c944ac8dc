"""The chat page: your conversations (search, rename, delete, export), past turns, and the streaming question box."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from advisor.config import Settings
from api import conversations, feedback, org_service, ownership
from api.auth import require_login
from api.deps import Principal, PrincipalDep, SettingsDep, ensure_browser_session
from api.pages.render import redirect, render

router = APIRouter(
    include_in_schema=False, dependencies=[Depends(require_login), Depends(ensure_browser_session)]
)
_ID = r"^[A-Za-z0-9_-]{1,64}$"


def _page_data(
    settings: Settings, principal: Principal, conversation_id: str | None, query: str
) -> dict[str, Any]:
    turns: list[dict[str, Any]] = []
    title = ""
    if conversation_id:
        conversation = conversations.opened(settings, principal, conversation_id)
        title = conversations.title_of(settings, conversation)
        rated = feedback.ratings(settings, conversation_id)
        for position, turn in enumerate(conversation.turns):
            answer = turn.details if "answer" in turn.details else {"answer": turn.answer}
            answer = {"citations": [], "language": "en", "refused": False, **answer}
            turns.append(
                {
                    "question": turn.question,
                    "answer_json": json.dumps(answer, ensure_ascii=False, default=str),
                    "rating": rated.get(position, (0, ""))[0],
                }
            )
    return {
        "conversations": conversations.summaries(settings, principal, query=query),
        "turns": turns,
        "title": title,
        "orgs": [org for org in org_service.summaries(settings, principal) if org.status == "ready"],
    }


@router.get("/chat")
async def chat_page(
    request: Request,
    settings: SettingsDep,
    principal: PrincipalDep,
    c: Annotated[str | None, Query(pattern=_ID)] = None,
    org: Annotated[str | None, Query(pattern=_ID)] = None,
    q: Annotated[str, Query(max_length=200)] = "",
) -> Response:
    """Ask questions; answers stream in with their citations."""
    data = await run_in_threadpool(_page_data, settings, principal, c, q)
    return render(request, "chat.html", {**data, "conversation_id": c, "org_id": org, "q": q})


@router.post("/chat/{conversation_id}/rename")
async def rename(
    request: Request,
    settings: SettingsDep,
    principal: PrincipalDep,
    conversation_id: str,
    name: Annotated[str, Form(max_length=200)],
) -> Response:
    """Rename one of your conversations."""
    await run_in_threadpool(ownership.rename, settings, "conversation", conversation_id, principal, name)
    return redirect(request, f"/chat?c={conversation_id}")


@router.post("/chat/{conversation_id}/delete")
async def delete(
    request: Request, settings: SettingsDep, principal: PrincipalDep, conversation_id: str
) -> Response:
    """Delete one of your conversations."""
    await run_in_threadpool(conversations.remove, settings, principal, conversation_id)
    return redirect(request, "/chat")
