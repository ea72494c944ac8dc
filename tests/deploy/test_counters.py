"""Shared counters: one budget across workers, on SQLite and on a real PostgreSQL."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from advisor.config import Settings, load_settings
from advisor.counters import SharedCounter


@pytest.fixture(params=["sqlite", "postgresql"])
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    if request.param == "sqlite":
        return load_settings(home=tmp_path)
    return load_settings(home=tmp_path, database_url=request.getfixturevalue("fresh_postgres_url"))


def test_hits_count_per_key_and_window(settings: Settings) -> None:
    counter = SharedCounter(settings, window_seconds=60)
    assert counter.hit("a", now=120.0) == (1, 60.0)
    assert counter.hit("a", now=150.0) == (2, 30.0)
    assert counter.hit("b", now=150.0) == (1, 30.0)
    assert counter.hit("a", now=180.0) == (1, 60.0)  # a new window starts afresh
    assert counter.allow("c", limit=1, now=200.0) == 0.0
    assert counter.allow("c", limit=1, now=200.0) == 40.0


def test_workers_share_one_budget(settings: Settings) -> None:
    """Threads with their own counters stand for workers: every hit is counted exactly once."""
    counters = [SharedCounter(settings) for _ in range(4)]
    results: list[int] = []
    lock = threading.Lock()

    def work(counter: SharedCounter) -> None:
        for _ in range(25):
            count, _remaining = counter.hit("client", now=1000.0)
            with lock:
                results.append(count)

    threads = [threading.Thread(target=work, args=(counter,)) for counter in counters]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(results) == list(range(1, 101))
