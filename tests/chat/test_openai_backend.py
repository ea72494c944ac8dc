"""The `openai` backend against a real OpenAI-compatible server (llama.cpp's) started on loopback by the test."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from chat_doubles import FixtureRetriever, load_sections
from langchain_openai import ChatOpenAI

from advisor.chat.advisor import Advisor
from advisor.chat.events import FinalEvent, TextEvent
from advisor.config import Settings, load_settings
from advisor.errors import ModelError
from advisor.models import chat_model_path, get_chat_model, supports_tools

pytestmark = pytest.mark.integration

# a tool-calling server for the agent test, when one runs on this machine (loopback only: tests stay offline)
TOOLS_URL = os.environ.get("CHAT_TEST_TOOLS_BASE_URL", "")
TOOLS_MODEL = os.environ.get("CHAT_TEST_TOOLS_MODEL", "")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A llama.cpp OpenAI-compatible server serving the bundled SmolLM2, stopped after the module."""
    port = _free_port()
    log = tmp_path_factory.mktemp("server") / "server.log"  # a file, not a pipe: llama.cpp logs a lot at load
    command = [
        sys.executable, "-m", "llama_cpp.server", "--model", str(chat_model_path("smollm2")),
        "--model_alias", "smollm2", "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "2048",
    ]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=log.open("wb"))
    url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                no_proxy = urllib.request.build_opener(urllib.request.ProxyHandler({}))
                no_proxy.open(f"{url}/models", timeout=2).read()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"llama_cpp.server did not start: {log.read_text(errors='replace')[-500:]}")
                time.sleep(0.5)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture
def openai_settings(server_url: str, tmp_path: Path) -> Settings:
    return load_settings(
        home=tmp_path, chat_backend="openai", openai_base_url=server_url, chat_model="smollm2",
        max_tokens=40, temperature=0.0, agent_mode="off",
    )  # fmt: skip


def test_the_openai_backend_streams_a_grounded_answer(openai_settings: Settings) -> None:
    model = get_chat_model(openai_settings)
    assert isinstance(model, ChatOpenAI) and supports_tools(model)
    advisor = Advisor(openai_settings, retriever=FixtureRetriever(passages=load_sections()))
    events = list(advisor.stream("What span of control should a first-line sales manager have?"))
    tokens = [e for e in events if isinstance(e, TextEvent)]
    final = events[-1]
    assert isinstance(final, FinalEvent) and len(tokens) >= 2  # generated over HTTP, token by token
    assert not final.answer.refused and final.answer.citations
    assert all(f"[{c.id}]" in final.answer.answer for c in final.answer.citations)


def test_the_agent_runs_against_a_tool_calling_server(tmp_path: Path) -> None:
    if not TOOLS_URL.startswith(("http://127.", "http://localhost")) or not TOOLS_MODEL:
        pytest.skip(
            "no tool-calling server: set CHAT_TEST_TOOLS_BASE_URL (loopback) and CHAT_TEST_TOOLS_MODEL"
        )
    settings = load_settings(
        home=tmp_path,
        chat_backend="openai",
        openai_base_url=TOOLS_URL,
        chat_model=TOOLS_MODEL,
        agent_mode="on",
    )
    advisor = Advisor(settings, retriever=FixtureRetriever(passages=load_sections()))
    answer = advisor.ask("What span of control should a first-line sales manager have?")
    assert answer.timings["agent_steps"] >= 1 and answer.citations


def test_a_server_that_fails_is_a_model_error_naming_it(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{_free_port()}/v1"  # nothing listens there
    settings = load_settings(home=tmp_path, chat_backend="openai", openai_base_url=url, chat_model="absent")
    model = get_chat_model(settings)
    with pytest.raises(ModelError, match=rf"server at {re.escape(url)} failed: .*`absent`"):
        model.invoke("Hello")
    with pytest.raises(ModelError, match=rf"server at {re.escape(url)} failed"):
        list(model.stream("Hello"))
