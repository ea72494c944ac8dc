"""The `openai` embedding backend: vectors from any OpenAI-compatible `/v1/embeddings` server (vLLM, Ollama, a
llama.cpp server started with `--embedding`, text-embeddings-inference, a hosted API), so web workers load no model.

Vectors are L2-normalised here, as the local backend's are, so scores mean the same whichever server made them.
A different model means different vectors: ingest again into a new collection (`ADVISOR_COLLECTION`) when you
switch.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings

from advisor.config import Settings
from advisor.errors import ModelError

BATCH = 64  # texts per request: servers cap the input list, and one large ingest should not be one request


class RemoteEmbeddings(Embeddings):
    """An embedding model on an OpenAI-compatible server, behind LangChain's `Embeddings` interface."""

    def __init__(self, *, base_url: str, model: str, api_key: str | None, timeout: float = 60.0) -> None:
        from openai import OpenAI

        self.base_url = base_url
        self.model = model
        self._client = OpenAI(
            base_url=base_url, api_key=api_key or "not-needed", timeout=timeout, max_retries=1
        )
        self._dimension: int | None = None

    def encode(self, texts: list[str], *, batch_size: int = BATCH) -> Any:
        """Normalised float32 matrix, one row per text."""
        from openai import OpenAIError

        rows: list[list[float]] = []
        for start in range(0, len(texts), batch_size):
            try:
                reply = self._client.embeddings.create(
                    model=self.model, input=texts[start : start + batch_size]
                )
            except OpenAIError as exc:
                raise ModelError(
                    f"The embedding server at {self.base_url} failed for model `{self.model}`: {exc}. Check that it "
                    "runs and serves /v1/embeddings (llama.cpp needs --embedding), or set "
                    "ADVISOR_EMBEDDING_BACKEND=local."
                ) from exc
            rows.extend(item.embedding for item in sorted(reply.data, key=lambda item: item.index))
        matrix = np.asarray(rows, dtype=np.float32).reshape(len(rows), -1)
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        return matrix / np.where(norms == 0, 1.0, norms)

    @property
    def dimension(self) -> int:
        """Length of each vector (asked of the server once)."""
        if self._dimension is None:
            self._dimension = int(self.encode(["dimension"]).shape[1])
        return self._dimension

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed passages."""
        return self.encode(texts).tolist()  # type: ignore[no-any-return]

    def embed_query(self, text: str) -> list[float]:
        """Embed one query."""
        return self.encode([text])[0].tolist()  # type: ignore[no-any-return]

    def __repr__(self) -> str:
        return f"RemoteEmbeddings({self.model!r} at {self.base_url})"


class OpenAIEmbedding:
    """The `openai` embedding backend: `embedding_model` names the model on the server at `embedding_base_url`."""

    uses = ("embedding_model", "embedding_base_url", "openai_base_url", "openai_api_key")

    def create(self, settings: Settings) -> Embeddings:
        """A client for the configured server (the chat server's URL when no embedding URL is set)."""
        base_url = settings.embedding_base_url or settings.openai_base_url
        if not base_url:
            raise ModelError(
                "The `openai` embedding backend needs ADVISOR_EMBEDDING_BASE_URL (or ADVISOR_OPENAI_BASE_URL), "
                "e.g. http://127.0.0.1:8081/v1."
            )
        return RemoteEmbeddings(
            base_url=base_url, model=settings.embedding_model, api_key=settings.openai_key()
        )
