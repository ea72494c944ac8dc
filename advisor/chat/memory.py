"""Conversations: unguessable ids, turns kept in the state database, the recent history for follow-ups."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, delete, select
from sqlalchemy.orm import Mapped, mapped_column

from advisor.chat.answer import Answer
from advisor.config import Settings
from advisor.db import Base, session
from advisor.errors import NotFoundError


def _now() -> datetime:
    return datetime.now(UTC)


class ConversationRow(Base):
    """A stored conversation."""

    __tablename__ = "chat_conversations"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    title: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


class TurnRow(Base):
    """One question and its answer within a conversation."""

    __tablename__ = "chat_turns"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(
        ForeignKey("chat_conversations.id", ondelete="CASCADE"), index=True
    )
    question: Mapped[str] = mapped_column(Text)
    standalone: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    answer_json: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


@dataclass(frozen=True)
class Turn:
    """A past turn as callers see it."""

    question: str
    standalone: str
    answer: str
    created_at: datetime
    details: dict[str, Any] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Conversation:
    """A conversation and its turns, oldest first."""

    id: str
    title: str
    created_at: datetime
    updated_at: datetime
    turns: tuple[Turn, ...] = ()

    def __str__(self) -> str:
        return f"{self.id}: {self.title} ({len(self.turns)} turns)"


def _not_found(conversation_id: str) -> NotFoundError:
    return NotFoundError(f"No conversation {conversation_id!r}; start a new one (omit the conversation id).")


def new_conversation_id() -> str:
    """An unguessable id: knowing it is what gives access to the conversation."""
    return secrets.token_urlsafe(16)


def create_conversation(settings: Settings, *, title: str = "") -> str:
    """Start a conversation and return its id."""
    conversation_id = new_conversation_id()
    with session(settings) as db:
        db.add(ConversationRow(id=conversation_id, title=title[:200]))
    return conversation_id


def _turn(row: TurnRow) -> Turn:
    return Turn(row.question, row.standalone, row.answer, row.created_at, json.loads(row.answer_json or "{}"))


def get_conversation(settings: Settings, conversation_id: str) -> Conversation:
    """A conversation with all its turns; NotFoundError when the id is unknown."""
    with session(settings) as db:
        row = db.get(ConversationRow, conversation_id)
        if row is None:
            raise _not_found(conversation_id)
        turns = db.scalars(
            select(TurnRow).where(TurnRow.conversation_id == conversation_id).order_by(TurnRow.id)
        )
        return Conversation(row.id, row.title, row.created_at, row.updated_at, tuple(_turn(t) for t in turns))


def list_conversations(settings: Settings, *, limit: int = 50) -> list[Conversation]:
    """The most recently updated conversations, without their turns."""
    with session(settings) as db:
        rows = db.scalars(select(ConversationRow).order_by(ConversationRow.updated_at.desc()).limit(limit))
        return [Conversation(r.id, r.title, r.created_at, r.updated_at) for r in rows]


def recent_turns(settings: Settings, conversation_id: str, *, limit: int) -> list[Turn]:
    """The last `limit` turns of a conversation, oldest first; NotFoundError when the id is unknown."""
    with session(settings) as db:
        if db.get(ConversationRow, conversation_id) is None:
            raise _not_found(conversation_id)
        if limit <= 0:
            return []
        rows = db.scalars(
            select(TurnRow)
            .where(TurnRow.conversation_id == conversation_id)
            .order_by(TurnRow.id.desc())
            .limit(limit)
        )
        return [_turn(row) for row in reversed(list(rows))]


def add_turn(
    settings: Settings, conversation_id: str, *, question: str, standalone: str, answer: Answer
) -> None:
    """Record a turn in an existing conversation (NotFoundError otherwise)."""
    with session(settings) as db:
        row = db.get(ConversationRow, conversation_id)
        if row is None:
            raise _not_found(conversation_id)
        if not row.title:
            row.title = question[:200]
        row.updated_at = _now()
        details = answer.to_dict()
        db.add(
            TurnRow(
                conversation_id=conversation_id,
                question=question,
                standalone=standalone,
                answer=answer.answer,
                answer_json=json.dumps(details, ensure_ascii=False),
            )
        )


def delete_conversation(settings: Settings, conversation_id: str) -> None:
    """Remove a conversation and its turns; NotFoundError when the id is unknown."""
    with session(settings) as db:
        row = db.get(ConversationRow, conversation_id)
        if row is None:
            raise _not_found(conversation_id)
        # one statement for the turns: a database without cascading foreign keys (or with them off) still ends clean
        db.execute(delete(TurnRow).where(TurnRow.conversation_id == conversation_id))
        db.delete(row)
