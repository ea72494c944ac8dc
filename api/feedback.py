"""Thumbs up or down on an answer, stored with its turn; a conversation's export shows it, and `feedback_suite`
turns a reader's rated answers into an eval suite (`advisor eval path/to/feedback.yaml`)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import yaml
from sqlalchemy import DateTime, Integer, String, Text, delete, select
from sqlalchemy.orm import Mapped, mapped_column

from advisor.config import Settings
from advisor.db import Base, session

if TYPE_CHECKING:
    from advisor.chat.memory import Conversation


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


def _case(conversation_id: str, position: int, turn: Any, rating: int, comment: str) -> dict[str, Any]:
    details = turn.details if isinstance(turn.details, dict) else {}
    helpful, refused = rating > 0, bool(details.get("refused"))
    passages = {c["doc_id"] for c in details.get("citations", ()) if not c["id"].startswith("M:")}
    tags = ["feedback", "helpful" if helpful else "not-helpful"]
    if comment:
        tags.append(f"reader: {comment}")  # cases take no free text; a tag keeps the comment with the case
    return {
        "id": f"feedback-{conversation_id[:8]}-{position}",
        "question": turn.question,
        "lang": "zh" if details.get("language") == "zh" else "en",
        "split": "test",
        "in_scope": not (helpful and refused),
        "must_refuse": helpful and refused,
        "gold": sorted(passages) if helpful else [],  # a poor answer's sources are no guide
        "tags": tags,
    }


def feedback_suite(settings: Settings, conversations: list[Conversation]) -> str:
    """An eval suite (YAML) with one case per rated turn of these conversations, for `advisor eval`.

    Helpful answers become regression cases (their cited documents are the gold passages, a helpful refusal must stay
    a refusal); not-helpful ones are cases to look at, tagged `not-helpful`, with the reader's comment.
    """
    cases = []
    for conversation in conversations:
        rated = ratings(settings, conversation.id)
        for position, turn in enumerate(conversation.turns):
            if position in rated:
                cases.append(_case(conversation.id, position, turn, *rated[position]))
    suite = {
        "suite": "feedback",
        "description": "Answers readers rated in the web app: helpful ones must stay as good; not-helpful ones to fix.",
        "thresholds": {"citation_validity": 1.0, "language_match": 1.0},
        "cases": cases,
    }
    return yaml.safe_dump(suite, allow_unicode=True, sort_keys=False)
