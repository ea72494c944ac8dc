"""What the knowledge routes and pages share: search, browsing and document upload (blocking; run in the threadpool)."""

from __future__ import annotations

from typing import Any, Literal

from advisor.config import Settings
from advisor.errors import InputError
from api.serialize import to_jsonable as jsonable

Mode = Literal["hybrid", "dense", "keyword"]


def search(
    settings: Settings,
    query: str,
    *,
    k: int,
    lang: str | None = None,
    topics: list[str] | None = None,
    doc_ids: list[str] | None = None,
    mode: Mode = "hybrid",
) -> list[dict[str, Any]]:
    """Scored passages for a query."""
    from advisor.kb.retriever import get_retriever

    passages = get_retriever(settings).search(
        query, k=k, lang=lang, topics=topics, doc_ids=doc_ids, mode=mode
    )
    return [jsonable(passage) for passage in passages]


def documents(settings: Settings) -> list[dict[str, Any]]:
    """Every ingested document."""
    from advisor.kb.store import list_documents

    return [jsonable(doc) for doc in list_documents(settings)]


def document(settings: Settings, doc_id: str) -> dict[str, Any]:
    """A document's metadata and its chunks."""
    from advisor.kb.store import get_chunks

    chunks = [jsonable(chunk) for chunk in get_chunks(settings, doc_id)]  # NotFoundError for an unknown id
    meta = next((doc for doc in documents(settings) if doc.get("doc_id") == doc_id), {"doc_id": doc_id})
    return {**meta, "chunks": chunks}


def passage(settings: Settings, chunk_id: str) -> dict[str, Any]:
    """One chunk by id."""
    from advisor.kb.store import get_passage

    return jsonable(get_passage(settings, chunk_id))


def upload(settings: Settings, *, filename: str, data: bytes) -> dict[str, Any]:
    """Save an uploaded document under ADVISOR_HOME/documents/ and ingest it; its doc id and the ingest outcome."""
    from advisor.kb.ingest import ingest

    folder = settings.home / "documents"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / filename
    path.write_bytes(data)
    report = ingest([path], settings=settings)
    outcome = next((o for o in report.outcomes if o.path == str(path) or o.path.endswith(filename)), None)
    if outcome is None or outcome.status == "skipped":
        path.unlink(missing_ok=True)
        reason = outcome.reason if outcome else "no text could be read"
        raise InputError(f"{filename} was not added to the knowledge base: {reason}.")
    return {
        "doc_id": outcome.doc_id,
        "status": outcome.status,
        "chunks": outcome.chunks,
        "report": str(report),
    }
