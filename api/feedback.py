"""Thumbs up or down on an answer, stored with its turn so a conversation's export (and the evals) can read it."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime, Integer, String, Text, delete, select
from sqlalchemy.orm import Mapped, mapped_column

from advisor.config import Settings
from advisor.db import Base, session


class TurnFeedback(Base):
    """A reader's rating of one turn (its 0-based position in the conversation), with an optional comment."""

    __tablename__ = "web_turn_feedback"

    conversation_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    turn: Mapped[int] = mapped_column(Integer, primary_key=True)
    rating: Mapped[int] = mapped_column(Integer)  # +1 or -1
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


def rate(settings: Settings, conversation_id: str, *, turn: int, rating: int, comment: str = "") -> None:
    """Store (or replace) the rating of a turn."""
    with session(settings) as db:
        db.merge(
            TurnFeedback(
                conversation_id=conversation_id,
                turn=turn,
                rating=rating,
                comment=comment[:2000],
                created_at=datetime.now(UTC),
            )
        )


def ratings(settings: Settings, conversation_id: str) -> dict[int, tuple[int, str]]:
    """Turn position -> (rating, comment) for one conversation."""
    with session(settings) as db:
        rows = db.scalars(select(TurnFeedback).where(TurnFeedback.conversation_id == conversation_id))
        return {row.turn: (row.rating, row.comment) for row in rows}


def forget(settings: Settings, conversation_id: str) -> None:
    """Drop the ratings of a deleted conversation."""
    with session(settings) as db:
        db.execute(delete(TurnFeedback).where(TurnFeedback.conversation_id == conversation_id))
