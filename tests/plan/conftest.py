"""Fixtures for the plan tests: the scripted chat model installed through the real backend registry, the real
knowledge base ingested once into a throwaway ADVISOR_HOME, and the hand-built problem roster."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from plan_doubles import AS_OF, PROBLEM_ROSTER, ScriptedChat, install

from advisor.config import Settings, load_settings


@pytest.fixture
def scripted_chat(monkeypatch: pytest.MonkeyPatch) -> Iterator[ScriptedChat]:
    """The scripted model, installed as the `local` backend for one test."""
    chat = ScriptedChat()
    install(monkeypatch, chat)
    yield chat


@pytest.fixture(scope="session")
def kb_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings whose ADVISOR_HOME holds the real knowledge base, ingested once for the session."""
    from advisor.kb.ingest import ingest

    settings = load_settings(home=tmp_path_factory.mktemp("plan-home"))
    ingest(None, settings=settings)
    return settings


@pytest.fixture(scope="session")
def problem_roster() -> Any:
    """The hand-built roster with known problems (see tests/plan/data/README.md)."""
    from advisor.org.roster import load_roster

    return load_roster(PROBLEM_ROSTER, as_of=AS_OF)
