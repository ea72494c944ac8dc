"""The audit log: who uploaded, deleted or signed in, when, and what it was about (append-only)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import DateTime, Integer, String, select
from sqlalchemy.orm import Mapped, mapped_column

from advisor.config import Settings
from advisor.db import Base, session


class AuditRow(Base):
    """One recorded event."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(40), index=True)
    target: Mapped[str] = mapped_column(String(200), default="")
    detail: Mapped[str] = mapped_column(String(500), default="")


@dataclass(frozen=True)
class AuditEvent:
    """An event as callers see it."""

    at: datetime
    actor: str
    action: str
    target: str
    detail: str

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor} {self.action} {self.target} {self.detail}".rstrip()


def record(settings: Settings, *, actor: str, action: str, target: str = "", detail: str = "") -> None:
    """Append one event (`action` such as upload, delete, sign_in, sign_in_failed, user_add)."""
    with session(settings) as db:
        db.add(
            AuditRow(
                at=datetime.now(UTC),
                actor=actor[:200],
                action=action[:40],
                target=target[:200],
                detail=detail[:500],
            )
        )


def recent(settings: Settings, *, limit: int = 100, action: str | None = None) -> list[AuditEvent]:
    """The latest events, newest first, optionally of one action."""
    query = select(AuditRow).order_by(AuditRow.id.desc()).limit(limit)
    if action:
        query = query.where(AuditRow.action == action)
    with session(settings) as db:
        return [AuditEvent(r.at, r.actor, r.action, r.target, r.detail) for r in db.scalars(query)]
