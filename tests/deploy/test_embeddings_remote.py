"""The `openai` embedding backend against a real OpenAI-compatible `/v1/embeddings` server on loopback.

The server (uvicorn, in a thread) serves the bundled MiniLM, so the remote vectors must equal the local ones: the
same model behind a server gives the same retrieval. It answers unnormalised vectors, which the client normalises.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import uvicorn
from fastapi import FastAPI

from advisor import registry
from advisor.config import Settings, load_settings
from advisor.embeddings_remote import OpenAIEmbedding
from advisor.errors import ModelError
from advisor.models import get_embedder

pytestmark = pytest.mark.integration

TEXTS = ["How wide should a sales manager's span of control be?", "SDR turnover and burnout", "销售团队结构"]


def _embedding_app() -> FastAPI:
    from advisor.models import SentenceEmbeddings

    model = SentenceEmbeddings("all-MiniLM-L6-v2")
    app = FastAPI()

    @app.post("/v1/embeddings")
    def embeddings(body: dict[str, Any]) -> dict[str, Any]:
        texts = body["input"] if isinstance(body["input"], list) else [body["input"]]
        vectors = model.encode(texts) * 3.0  # unnormalised on purpose
        data = [{"object": "embedding", "index": i, "embedding": v.tolist()} for i, v in enumerate(vectors)]
        return {
            "object": "list",
            "data": data[::-1],
            "model": body["model"],
            "usage": {"prompt_tokens": 0, "total_tokens": 0},
        }

    return app


@pytest.fixture(scope="module")
def server_url() -> Iterator[str]:
    from deploy_helpers import free_port

    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(_embedding_app(), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the embedding server did not start"
        time.sleep(0.1)
    yield f"{base}/v1"
    server.should_exit = True
    thread.join(10)


@pytest.fixture
def remote_settings(server_url: str, tmp_path: Path) -> Iterator[Settings]:
    known = "openai" in registry.names("embedding")
    if not known:  # until the package is reinstalled with its new entry point
        registry.register("embedding", "openai", OpenAIEmbedding)
    yield load_settings(
        home=tmp_path,
        embedding_backend="openai",
        embedding_base_url=server_url,
        embedding_model="minilm-on-server",
    )
    if not known:
        registry.unregister("embedding", "openai")


def test_remote_vectors_equal_the_local_model(remote_settings: Settings) -> None:
    remote = get_embedder(remote_settings)
    local = get_embedder(load_settings(home=remote_settings.home))
    got, want = remote.encode(TEXTS), local.encode(TEXTS)
    assert got.shape == want.shape == (3, 384)
    assert remote.dimension == 384
    np.testing.assert_allclose(np.linalg.norm(got, axis=1), 1.0, rtol=1e-5)
    assert float(np.min(np.sum(got * want, axis=1))) > 0.999  # the server's reply order does not matter
    assert len(remote.embed_query(TEXTS[0])) == 384


def test_ingest_and_search_through_the_remote_backend(remote_settings: Settings, tmp_path: Path) -> None:
    from advisor.kb.ingest import ingest
    from advisor.kb.retriever import get_retriever

    repo = Path(__file__).resolve().parents[2]
    folder = tmp_path / "kb"
    folder.mkdir()
    for name in ("metrics-span-of-control.md", "retention-sdr-burnout.md"):
        (folder / name).write_bytes((repo / "advisor" / "bundled" / "knowledge" / "en" / name).read_bytes())
    report = ingest([folder], settings=remote_settings)
    assert report.total_chunks > 0, str(report)
    hits = get_retriever(remote_settings).search("How many reps should one manager have?", k=3, mode="dense")
    assert hits and "span" in hits[0].doc_id


def test_an_unreachable_server_is_a_model_error_with_the_fix(tmp_path: Path) -> None:
    from deploy_helpers import free_port

    registry.register("embedding", "openai-test-down", OpenAIEmbedding)
    try:
        url = f"http://127.0.0.1:{free_port()}/v1"
        settings = load_settings(home=tmp_path, embedding_backend="openai-test-down", embedding_base_url=url)
        with pytest.raises(ModelError, match="serves /v1/embeddings .*ADVISOR_EMBEDDING_BACKEND=local"):
            get_embedder(settings).encode(["x"])
    finally:
        registry.unregister("embedding", "openai-test-down")
