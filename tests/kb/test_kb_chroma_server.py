"""ADVISOR_CHROMA_URL: ingest and retrieval through HttpClient against a real `chroma run` server on loopback."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from advisor.config import load_settings
from advisor.errors import ConfigError
from advisor.kb.ingest import ingest
from advisor.kb.retriever import KnowledgeRetriever
from advisor.kb.store import corpus_fingerprint, list_documents, store_ready

pytestmark = pytest.mark.integration

CHROMA = Path(sys.executable).with_name("chroma")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for(port: int, server: subprocess.Popen[bytes], *, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"chroma run exited with {server.returncode}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError("chroma run did not start listening")


@pytest.fixture
def chroma_url(tmp_path: Path) -> Iterator[str]:
    """A Chroma server on a free loopback port, stopped after the test."""
    if not CHROMA.exists():
        pytest.skip("the `chroma` command is not installed beside this Python")
    port = _free_port()
    server = subprocess.Popen(
        [
            str(CHROMA),
            "run",
            "--path",
            str(tmp_path / "server-data"),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(port, server)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=30)


def test_ingest_and_search_through_a_chroma_server(chroma_url: str, advisor_home: Path, docs: Path) -> None:
    settings = load_settings(
        home=advisor_home, knowledge_dir=docs, bundled_knowledge=False, chroma_url=chroma_url
    )
    report = ingest(settings=settings)
    assert len(report.of("added")) == 6
    assert not settings.chroma_path.exists()  # the vectors live on the server, not under ADVISOR_HOME
    assert store_ready(settings)
    assert {d.doc_id for d in list_documents(settings)} >= {"fixture-burnout-en", "span-guide"}
    passages = KnowledgeRetriever(settings=settings).search("reps per manager span of control", k=2)
    assert passages[0].doc_id == "span-guide"
    before = corpus_fingerprint(settings)
    again = ingest(settings=settings)
    assert again.embedded == 0 and corpus_fingerprint(settings) == before


def test_an_unreachable_server_is_a_config_error(advisor_home: Path) -> None:
    settings = load_settings(home=advisor_home, chroma_url=f"http://127.0.0.1:{_free_port()}")
    assert not store_ready(settings)
    with pytest.raises(ConfigError, match="Cannot reach the Chroma server"):
        ingest([Path(__file__)], settings=settings)
    with pytest.raises(ConfigError, match="Cannot reach the Chroma server"):
        list_documents(settings)
