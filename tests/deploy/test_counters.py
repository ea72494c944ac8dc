"""Shared token buckets: one budget across workers, on SQLite and on a real PostgreSQL."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from advisor.config import Settings, load_settings
from advisor.counters import SharedBuckets


@pytest.fixture(params=["sqlite", "postgresql"])
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    if request.param == "sqlite":
        return load_settings(home=tmp_path)
    return load_settings(home=tmp_path, database_url=request.getfixturevalue("fresh_postgres_url"))


def test_a_bucket_empties_then_refills(settings: Settings) -> None:
    buckets = SharedBuckets(settings)
    take = lambda key, now: buckets.take(key, capacity=2, refill_per_second=1.0, now=now)  # noqa: E731
    assert take("a", 100.0) == 0.0
    assert take("a", 100.0) == 0.0
    assert take("a", 100.0) == pytest.approx(1.0)  # empty: one token comes back in a second
    assert take("b", 100.0) == 0.0  # another key has its own budget
    assert take("a", 100.5) == pytest.approx(0.5)
    assert take("a", 102.0) == 0.0  # refilled (never past capacity)
    assert take("a", 102.0) == 0.0
    assert take("a", 102.0) > 0.0


def test_workers_share_one_budget(settings: Settings) -> None:
    """Threads with their own bucket objects stand for workers: exactly `capacity` takes get through."""
    allowed: list[bool] = []
    lock = threading.Lock()

    def work() -> None:
        buckets = SharedBuckets(settings)
        for _ in range(20):
            wait = buckets.take("client", capacity=30, refill_per_second=1e-9, now=1000.0)
            with lock:
                allowed.append(wait == 0.0)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(allowed) == 80 and sum(allowed) == 30


def test_the_rate_limit_holds_across_two_workers(advisor_home: Path) -> None:
    """Two apps over one database stand for two workers behind a proxy: together they allow one budget."""
    from fastapi.testclient import TestClient

    from api.app import create_app

    settings = load_settings(home=advisor_home, rate_limit_per_minute=5, rate_limit_shared=True)
    workers = [TestClient(create_app(settings, warm_up=False)) for _ in range(2)]
    statuses = [workers[turn % 2].get("/v1/models").status_code for turn in range(8)]
    assert statuses == [200] * 5 + [429] * 3
    separate = load_settings(home=advisor_home / "other", rate_limit_per_minute=5)
    per_worker = [TestClient(create_app(separate, warm_up=False)) for _ in range(2)]
    assert [per_worker[turn % 2].get("/v1/models").status_code for turn in range(8)] == [200] * 8
