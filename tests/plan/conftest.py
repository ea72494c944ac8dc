"""Fixtures for the plan tests: a scripted chat model registered through the real backend registry."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import Field

from advisor import models


class ScriptedChat(BaseChatModel):
    """A chat model that answers from a queue (then with `default`) and records every prompt it was sent."""

    queue: list[str] = Field(default_factory=list)
    default: str = "The team should act on this."
    history: list[list[BaseMessage]] = Field(default_factory=list)

    @property
    def _llm_type(self) -> str:
        return "scripted"

    def enqueue(self, *responses: str) -> None:
        """Add responses, returned in order by the next calls."""
        self.queue.extend(responses)

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        self.history.append(list(messages))
        text = self.queue.pop(0) if self.queue else self.default
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])


@pytest.fixture
def scripted_chat(monkeypatch: pytest.MonkeyPatch, advisor_home: Any) -> Iterator[ScriptedChat]:
    """The scripted model, installed as the `local` backend for the test (and the model cache emptied)."""
    chat = ScriptedChat()
    monkeypatch.setitem(models.CHAT_BACKENDS, "local", lambda _settings: chat)
    monkeypatch.setattr(models, "_chat_cache", {})
    yield chat
