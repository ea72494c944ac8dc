"""The one scripted chat model the tests use, and its registration as a chat backend through the real registry.

`ScriptedChatModel` is a real LangChain chat model: it replies from a queue (text or `AIMessage`, tool calls
included), else from a `responder(messages)` function, streams word by word and records every call. Tests hand it
to the code under test directly (`Advisor(chat_model=...)`) or register it as a backend with `install`, the way an
extension package registers its own.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import pytest
from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import Field

from advisor import registry

Responder = Callable[[list[BaseMessage]], str]


class ScriptedChatModel(BaseChatModel):
    """Replies from `responses` in order, then from `responder`; records each call's messages in `history`."""

    responses: list[Any] = Field(default_factory=list)
    responder: Responder | None = None
    history: list[list[BaseMessage]] = Field(default_factory=list)
    bound_tools: list[Any] = Field(default_factory=list)
    supports_tools: bool = False

    @property
    def _llm_type(self) -> str:
        return "scripted"

    @property
    def prompts(self) -> list[str]:
        """The last message of every call, as text."""
        return [str(messages[-1].content) for messages in self.history]

    def enqueue(self, *responses: Any) -> ScriptedChatModel:
        """Add replies to the end of the queue."""
        self.responses.extend(responses)
        return self

    def _next(self, messages: list[BaseMessage]) -> AIMessage:
        self.history.append(list(messages))
        if self.responses:
            reply = self.responses.pop(0)
            return reply if isinstance(reply, AIMessage) else AIMessage(content=reply)
        if self.responder is None:
            raise AssertionError("ScriptedChatModel was called more often than scripted")
        return AIMessage(content=self.responder(list(messages)))

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        return ChatResult(generations=[ChatGeneration(message=self._next(messages))])

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        reply = self._next(messages)
        if reply.tool_calls:
            calls = [
                {"name": call["name"], "args": json.dumps(call["args"]), "id": call["id"], "index": index}
                for index, call in enumerate(reply.tool_calls)
            ]
            yield ChatGenerationChunk(
                message=AIMessageChunk(content=str(reply.content), tool_call_chunks=calls)
            )
            return
        for piece in re.findall(r"\S+\s*|\s+", str(reply.content)):
            yield ChatGenerationChunk(message=AIMessageChunk(content=piece))

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> ScriptedChatModel:  # type: ignore[override]
        """Record the tools and return the same model: the script decides which tools get called."""
        self.bound_tools = list(tools)
        return self


def backend_for(model: BaseChatModel) -> type:
    """A chat backend class whose models are `model`, to register under any name."""

    class Scripted:
        uses = ("chat_model",)

        def create(self, settings: object) -> BaseChatModel:
            return model

    return Scripted


def install(monkeypatch: pytest.MonkeyPatch, model: BaseChatModel, *, name: str = "local") -> None:
    """Register `model` as chat backend `name` for the monkeypatch's lifetime (the registry's own lookup order:
    run-time registrations before entry points, so `local` is replaced and comes back afterwards)."""
    monkeypatch.setitem(registry.registered("chat"), name, backend_for(model))
