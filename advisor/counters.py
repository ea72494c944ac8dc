"""Token buckets shared by every web worker, in the state database: one atomic upsert per request.

What a rate limit needs when several workers (on several machines) serve one deployment: each take refills the
key's bucket for the time since its last take and removes one token, in a single `INSERT ... ON CONFLICT DO UPDATE
... RETURNING` statement (atomic on PostgreSQL and on SQLite alike), so the budget holds whichever worker a request
reaches. Time is the wall clock in seconds (monotonic clocks differ between processes and machines).
"""

from __future__ import annotations

import time

from sqlalchemy import Boolean, Float, String, case
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, mapped_column

from advisor.config import Settings
from advisor.db import Base, session


class BucketRow(Base):
    """One key's bucket: tokens left at the time of its last take."""

    __tablename__ = "shared_buckets"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    tokens: Mapped[float] = mapped_column(Float)
    at: Mapped[float] = mapped_column(Float)  # wall-clock seconds of the last take
    allowed: Mapped[bool] = mapped_column(Boolean)  # whether the last take got a token


class SharedBuckets:
    """Token buckets counted in the state database, so every process using it shares each key's budget."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def take(self, key: str, *, capacity: float, refill_per_second: float, now: float | None = None) -> float:
        """Take one token from `key`'s bucket: 0.0 when allowed, else the seconds until one is available."""
        now = time.time() if now is None else now
        with session(self.settings) as db:
            dialect = db.get_bind().dialect.name
            insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
            grown = BucketRow.tokens + (now - BucketRow.at) * refill_per_second
            refilled = case((grown > capacity, capacity), else_=grown)
            upsert = (
                insert(BucketRow)
                .values(key=key[:200], tokens=capacity - 1.0, at=now, allowed=capacity >= 1.0)
                .on_conflict_do_update(
                    index_elements=[BucketRow.key],
                    set_={
                        "tokens": case((refilled >= 1.0, refilled - 1.0), else_=refilled),
                        "at": now,
                        "allowed": refilled >= 1.0,
                    },
                )
                .returning(BucketRow.tokens, BucketRow.allowed)
            )
            tokens, allowed = db.execute(upsert).one()
        return 0.0 if allowed else (1.0 - float(tokens)) / refill_per_second
