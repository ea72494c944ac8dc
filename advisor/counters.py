"""Counters shared by every web worker, in the state database: fixed windows, one atomic upsert per hit.

What a rate limit needs when several workers (on several machines) serve one deployment: each hit increments the
row for (key, current window) with `INSERT ... ON CONFLICT DO UPDATE ... RETURNING`, atomic on PostgreSQL and on
SQLite alike, so the budget holds whichever worker a request reaches. Rows of past windows are swept now and then.
"""

from __future__ import annotations

import math
import time

from sqlalchemy import Integer, String, delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, mapped_column

from advisor.config import Settings
from advisor.db import Base, session

SWEEP_EVERY = 500  # hits between deletions of finished windows


class CounterRow(Base):
    """Hits of one key in one window."""

    __tablename__ = "shared_counters"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    window: Mapped[int] = mapped_column(Integer, primary_key=True)  # window start, in seconds since the epoch
    count: Mapped[int] = mapped_column(Integer, default=0)


class SharedCounter:
    """Counts hits per key over fixed windows of `window_seconds`, across every process using the database."""

    def __init__(self, settings: Settings, *, window_seconds: int = 60) -> None:
        self.settings = settings
        self.window_seconds = window_seconds
        self._hits = 0

    def _window(self, now: float) -> int:
        return int(now // self.window_seconds) * self.window_seconds

    def hit(self, key: str, *, now: float | None = None) -> tuple[int, float]:
        """Count one hit for `key`: (hits in the current window including this one, seconds until it ends)."""
        now = time.time() if now is None else now
        window = self._window(now)
        with session(self.settings) as db:
            insert = postgresql.insert if db.get_bind().dialect.name == "postgresql" else sqlite.insert
            upsert = (
                insert(CounterRow)
                .values(key=key[:200], window=window, count=1)
                .on_conflict_do_update(
                    index_elements=[CounterRow.key, CounterRow.window], set_={"count": CounterRow.count + 1}
                )
                .returning(CounterRow.count)
            )
            count = int(db.execute(upsert).scalar_one())
            self._hits += 1
            if self._hits % SWEEP_EVERY == 0:
                db.execute(delete(CounterRow).where(CounterRow.window < window))
        return count, max(0.0, window + self.window_seconds - now)

    def allow(self, key: str, *, limit: int, now: float | None = None) -> float:
        """0.0 when `key` is within `limit` hits this window, else the seconds to wait (the hit still counts)."""
        count, remaining = self.hit(key, now=now)
        return 0.0 if count <= limit else float(max(1, math.ceil(remaining)))
