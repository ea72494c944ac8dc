"""Test doubles and data for the plan tests: a prompt-reading scripted chat model and the problem roster's path."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import Field

from advisor import models, registry

REPO = Path(__file__).resolve().parents[2]
DATA = Path(__file__).resolve().parent / "data"
PROBLEM_ROSTER = DATA / "problem_roster.csv"
AS_OF = date(2024, 12, 31)
_EVIDENCE_LINE = re.compile(r"^\[(S\d+)\] (.+)$", re.MULTILINE)


def copy_first_passage(messages: list[BaseMessage]) -> str:
    """What a small but obedient model does: restate the first passage's first sentence and cite it."""
    found = _EVIDENCE_LINE.search(str(messages[-1].content))
    if found is None:
        return "The team should act on this."
    first = re.split(r"(?<=[.!?])\s", found.group(2))[0].rstrip(".")
    return f"{first} [{found.group(1)}]."


class ScriptedChat(BaseChatModel):
    """A chat model that answers from a queue, else from `responder`, and records every prompt it was sent."""

    queue: list[str] = Field(default_factory=list)
    responder: Callable[[list[BaseMessage]], str] = copy_first_passage
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
        text = self.queue.pop(0) if self.queue else self.responder(messages)
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])


def install(monkeypatch: pytest.MonkeyPatch, chat: BaseChatModel) -> None:
    """Make `chat` the `local` backend (and empty the model cache) for the duration of the monkeypatch."""

    class Scripted:
        uses = ("chat_model",)

        def create(self, settings: object) -> BaseChatModel:
            return chat

    monkeypatch.setitem(registry._registered["chat"], "local", Scripted)
    monkeypatch.setattr(models, "_cache", {})
