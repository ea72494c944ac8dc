"""Model factories: the bundled embedding model and GGUF load offline, produce output, and load once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from langchain_core.language_models import BaseChatModel, FakeListChatModel
from langchain_core.messages import HumanMessage, SystemMessage
from langchain_openai import ChatOpenAI

from advisor import registry
from advisor.config import Settings, load_settings
from advisor.errors import ConfigError, ModelError
from advisor.models import (
    LlamaCppChat,
    LocalChat,
    chat_model_path,
    embedding_model_path,
    get_chat_model,
    get_embedder,
    supports_tools,
)


def test_bundled_paths_come_from_site_packages() -> None:
    assert Path(embedding_model_path("all-MiniLM-L6-v2"), "model.safetensors").is_file()
    assert "site-packages" in embedding_model_path("all-MiniLM-L6-v2")
    gguf = chat_model_path("smollm2")
    assert gguf.suffix == ".gguf" and gguf.stat().st_size > 50_000_000


def test_other_embedding_names_pass_through() -> None:
    assert embedding_model_path("/models/e5") == "/models/e5"


def test_missing_gguf_says_how_to_fix(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match=r"No GGUF model at .*nothing\.gguf; set ADVISOR_CHAT_MODEL"):
        chat_model_path(str(tmp_path / "nothing.gguf"))


def test_openai_backend_needs_a_base_url() -> None:
    settings = load_settings(chat_backend="openai", chat_model="any")
    with pytest.raises(ModelError, match="ADVISOR_OPENAI_BASE_URL"):
        get_chat_model(settings)


def test_openai_backend_is_configured_from_settings() -> None:
    settings = load_settings(
        chat_backend="openai",
        chat_model="served-model",
        openai_base_url="http://127.0.0.1:9/v1",
        max_tokens=33,
    )
    model = get_chat_model(settings)
    assert isinstance(model, ChatOpenAI)
    assert (model.model_name, model.max_tokens) == ("served-model", 33)  # type: ignore[attr-defined]
    assert supports_tools(model)


@pytest.mark.integration
def test_real_embedding_model_is_loaded_once_and_normalised() -> None:
    settings = load_settings()
    embedder = get_embedder(settings)
    assert get_embedder(load_settings()) is embedder
    vectors = embedder.encode(["span of control for sales managers", "how to bake bread"])
    assert vectors.shape == (2, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    related = embedder.encode(["number of direct reports per manager"])[0]
    assert related @ vectors[0] > related @ vectors[1]


@pytest.mark.integration
def test_real_gguf_generates_and_streams() -> None:
    settings = load_settings(max_tokens=12)
    model = get_chat_model(settings)
    assert isinstance(model, LlamaCppChat)
    assert get_chat_model(load_settings(max_tokens=12)) is model
    assert not supports_tools(model)
    messages = [SystemMessage("You answer briefly."), HumanMessage("Name one sales role.")]
    text = model.invoke(messages).content
    assert isinstance(text, str) and text.strip()
    chunks = [chunk.content for chunk in model.stream(messages)]
    assert len(chunks) > 1
    assert "".join(str(c) for c in chunks) == text  # same seed, same prompt: same tokens


class _Echo:
    """A third backend, registered at run time the way an extension would be."""

    uses = ("chat_model", "temperature")

    def create(self, settings: Settings) -> BaseChatModel:
        return FakeListChatModel(responses=[f"{settings.chat_model} at {settings.temperature}"])


@pytest.fixture
def echo_backend() -> Iterator[None]:
    registry.register("chat", "echo", _Echo)
    yield
    registry.unregister("chat", "echo")


def test_built_in_backends_are_entry_points() -> None:
    assert {"local", "openai"} <= set(registry.names("chat"))
    assert registry.backend("chat", "local") is LocalChat
    assert "local" in registry.names("embedding")


@pytest.mark.usefixtures("echo_backend")
def test_a_registered_backend_is_selectable_and_cached_per_setting_it_uses() -> None:
    first = get_chat_model(load_settings(chat_backend="echo", chat_model="m1"))
    assert first.invoke("hi").content == "m1 at 0.2"
    assert get_chat_model(load_settings(chat_backend="echo", chat_model="m1", port=9001)) is first
    assert get_chat_model(load_settings(chat_backend="echo", chat_model="m1", temperature=0.5)) is not first
    assert get_chat_model(load_settings(chat_backend="echo", chat_model="m2")) is not first


def test_an_unregistered_backend_is_rejected_with_the_choices() -> None:
    with pytest.raises(
        ConfigError, match="no chat backend `nope` is registered; choose one of local, openai"
    ):
        load_settings(chat_backend="nope")


@pytest.mark.integration
def test_query_encoder_matches_sentence_transformers() -> None:
    embedder = get_embedder(load_settings())
    texts = ["How wide should a sales manager's span be?", "为什么我们的SDR一年后就离职？", "pipeline " * 300]
    fast = embedder.encode(texts)  # a few texts: the numpy encoder
    slow = embedder.encode(texts * 11)[: len(texts)]  # a batch: sentence-transformers
    assert np.all((fast * slow).sum(axis=1) > 0.9999)
