"""The chat page: conversation list, past turns and the streaming question box."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from advisor.config import Settings
from api.auth import require_login
from api.deps import get_settings
from api.pages.render import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(require_login)])
_ID = r"^[A-Za-z0-9_-]{1,64}$"


def _page_data(settings: Settings, conversation_id: str | None) -> dict[str, object]:
    from advisor.chat.memory import get_conversation, list_conversations

    turns = []
    if conversation_id:
        for turn in get_conversation(settings, conversation_id).turns:
            answer = turn.details if "answer" in turn.details else {"answer": turn.answer}
            answer = {"citations": [], "language": "en", "refused": False, **answer}
            turns.append(
                {
                    "question": turn.question,
                    "answer_json": json.dumps(answer, ensure_ascii=False, default=str),
                }
            )
    return {"conversations": list_conversations(settings), "turns": turns}


@router.get("/chat")
async def chat_page(
    request: Request,
    settings: Annotated[Settings, Depends(get_settings)],
    c: Annotated[str | None, Query(pattern=_ID)] = None,
    org: Annotated[str | None, Query(pattern=_ID)] = None,
) -> Response:
    """Ask questions; answers stream in with their citations."""
    data = await run_in_threadpool(_page_data, settings, c)
    return render(request, "chat.html", {**data, "conversation_id": c, "org_id": org})
