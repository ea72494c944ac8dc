"""Fixtures of the web app tests: a bare app per test, and one seeded app and live server per session."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from advisor.config import Settings
from api.app import create_app

# the helper module beside this file must import under both the prepend and the importlib import modes
sys.path.insert(0, str(Path(__file__).resolve().parent))
from web_server import live_server, web_settings  # noqa: E402


@pytest.fixture
def make_client(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., TestClient]:
    """Build a TestClient over a fresh app whose state lives in this test's tmp folder (models not warmed)."""
    monkeypatch.setenv("ADVISOR_HOME", str(tmp_path))

    def make(**overrides: Any) -> TestClient:
        return TestClient(
            create_app(web_settings(tmp_path, **overrides), warm_up=False), raise_server_exceptions=False
        )

    return make


@pytest.fixture
def client(make_client: Callable[..., TestClient]) -> TestClient:
    """A bare app with default settings."""
    return make_client()


@pytest.fixture(scope="session")
def seeded_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings over an ADVISOR_HOME holding the real knowledge folder, ingested once per session."""
    from advisor.kb.ingest import ingest

    settings = web_settings(tmp_path_factory.mktemp("web-home"), rate_limit_per_minute=0)
    report = ingest(None, settings=settings)
    assert report.total_chunks > 0, str(report)
    return settings


@pytest.fixture(scope="session")
def seeded_client(seeded_settings: Settings) -> Iterator[TestClient]:
    """The real app over the seeded state, with its models warmed (lifespan runs)."""
    with TestClient(create_app(seeded_settings), raise_server_exceptions=False) as test_client:
        test_client.app.state.readiness.done.wait(300)
        yield test_client


@pytest.fixture(scope="session")
def server_url(seeded_settings: Settings) -> Iterator[str]:
    """A live uvicorn server on loopback over the seeded state."""
    with live_server(seeded_settings) as base:
        yield base
