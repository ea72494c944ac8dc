"""A principal's conversations: list and search, rename, delete, and export as Markdown with citations and feedback.

Blocking (SQL); the routes call these through the threadpool.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from advisor import audit
from advisor.config import Settings
from advisor.errors import NotFoundError
from api import feedback, ownership
from api.deps import Principal

_MARKER = re.compile(r"\[(S\d+|M:[a-z0-9_]+)\]")


@dataclass(frozen=True)
class ConversationSummary:
    """One entry of the conversation list."""

    id: str
    title: str
    updated_at: datetime


def summaries(settings: Settings, principal: Principal, *, query: str = "") -> list[ConversationSummary]:
    """The principal's conversations, newest first; `query` keeps those whose title or questions contain it."""
    from advisor.chat.memory import get_conversation

    items = []
    for conversation_id, name in ownership.owned(settings, "conversation", principal).items():
        try:
            conversation = get_conversation(settings, conversation_id)
        except NotFoundError:
            continue  # deleted outside the web app
        title = name or conversation.title or conversation_id
        text = " ".join([title, *(turn.question for turn in conversation.turns)]).casefold()
        if query.strip().casefold() in text:
            items.append(ConversationSummary(conversation_id, title, conversation.updated_at))
    return sorted(items, key=lambda item: item.updated_at, reverse=True)


def opened(settings: Settings, principal: Principal, conversation_id: str) -> Any:
    """The conversation with its turns, if the principal may read it (NotFoundError otherwise)."""
    from advisor.chat.memory import get_conversation

    ownership.check(settings, "conversation", conversation_id, principal)
    return get_conversation(settings, conversation_id)


def title_of(settings: Settings, conversation: Any) -> str:
    """The name the owner gave the conversation, else its first question."""
    return ownership.name_of(settings, "conversation", conversation.id) or conversation.title


def remove(settings: Settings, principal: Principal, conversation_id: str) -> None:
    """Delete one of the principal's conversations with its turns and ratings."""
    from advisor.chat.memory import delete_conversation

    ownership.check_owner(settings, "conversation", conversation_id, principal)
    delete_conversation(settings, conversation_id)
    audit.record(settings, actor=principal.owner, action="delete", target=f"conversation:{conversation_id}")
    feedback.forget(settings, conversation_id)
    ownership.release(settings, "conversation", conversation_id)


def numbered(answer: dict[str, Any]) -> tuple[str, list[dict[str, Any]]]:
    """The answer text with `[S3]` / `[M:id]` markers as contiguous numbers `[1]`, and the citations in that order."""
    by_id = {citation["id"]: citation for citation in answer.get("citations", [])}
    order: dict[str, int] = {}

    def number(match: re.Match[str]) -> str:
        if match.group(1) not in by_id:
            return ""
        order.setdefault(match.group(1), len(order) + 1)
        return f"[{order[match.group(1)]}]"

    text = _MARKER.sub(number, answer.get("answer", ""))
    for citation_id in by_id:
        order.setdefault(citation_id, len(order) + 1)
    cited = sorted(by_id.values(), key=lambda citation: order[citation["id"]])
    return text, [{**citation, "number": order[citation["id"]]} for citation in cited]


def export_markdown(settings: Settings, principal: Principal, conversation_id: str) -> str:
    """The whole conversation as Markdown: each question, the answer with numbered sources, and its rating."""
    conversation = opened(settings, principal, conversation_id)
    rated = feedback.ratings(settings, conversation_id)
    lines = [f"# {title_of(settings, conversation)}", ""]
    for position, turn in enumerate(conversation.turns):
        text, citations = numbered(turn.details if "answer" in turn.details else {"answer": turn.answer})
        lines += [f"## {turn.question}", "", text.strip(), ""]
        if citations:
            lines += ["Sources:", ""]
            lines += [
                f"{c['number']}. {c['title']}" + (f" — {c['section']}" if c.get("section") else "")
                for c in citations
            ]
            lines.append("")
        if position in rated:
            rating, comment = rated[position]
            lines += [
                f"Feedback: {'helpful' if rating > 0 else 'not helpful'}"
                + (f" ({comment})" if comment else ""),
                "",
            ]
    return "\n".join(lines)
