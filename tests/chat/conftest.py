"""Fixtures for the advisor's tests: settings under a temporary home, test doubles, the real embedder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from chat_doubles import FixtureRetriever, ScriptedChatModel, load_sections

from advisor.chat.advisor import Advisor
from advisor.config import Settings, load_settings
from advisor.kb.passage import Passage
from advisor.models import SentenceEmbeddings, get_embedder


@pytest.fixture(scope="session")
def embedder() -> SentenceEmbeddings:
    """The real bundled embedding model, loaded once for the session."""
    return get_embedder(load_settings())


@pytest.fixture(scope="session")
def sections() -> list[Passage]:
    """The knowledge base's sections as passages."""
    return load_sections()


@pytest.fixture
def settings(advisor_home: Path) -> Settings:
    """Settings with state in a fresh temporary home."""
    return load_settings(home=advisor_home)


@pytest.fixture
def model() -> ScriptedChatModel:
    """A scripted chat model with an empty queue."""
    return ScriptedChatModel()


@pytest.fixture
def retriever(sections: list[Passage]) -> FixtureRetriever:
    """A keyword retriever over the knowledge base's sections."""
    return FixtureRetriever(passages=sections)


@pytest.fixture
def make_advisor(
    settings: Settings, retriever: FixtureRetriever, model: ScriptedChatModel, embedder: SentenceEmbeddings
) -> Callable[..., Advisor]:
    """Build an advisor over the doubles, with settings overrides; the scripted model stands for a capable one
    (it writes the answers) unless `capable_model=False` is passed."""

    def make(**overrides: Any) -> Advisor:
        merged = settings.model_copy(update={"capable_model": True, **overrides})
        return Advisor(merged, retriever=retriever, chat_model=model, embedder=embedder)

    return make
