"""What the knowledge routes and pages share: search, browsing, upload and removal (blocking; run in the threadpool)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any, Literal

from advisor import audit
from advisor.config import Settings
from advisor.errors import InputError, NotFoundError
from api.deps import Principal
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
    reader: Principal | None = None,
) -> list[dict[str, Any]]:
    """Scored passages for a query, as `reader` may see them."""
    from advisor.kb.retriever import get_retriever

    passages = get_retriever(settings).search(
        query, k=k, lang=lang, topics=topics, doc_ids=doc_ids, mode=mode, reader=reader_key(reader)
    )
    return [jsonable(passage) for passage in passages]


def reader_key(principal: Principal | None) -> str | None:
    """What an upload records as its owner, and retrieval compares: a digest of the principal's owner key, since a
    browser session's key holds its cookie (chunk metadata must not carry a secret)."""
    if principal is None:
        return None
    return "owner:" + hashlib.sha256(principal.owner.encode("utf-8")).hexdigest()[:24]


def _visible(settings: Settings, owner: str, reader: Principal | None) -> bool:
    """Whether a document with this owner is there for `reader` (private uploads only for their uploader)."""
    return settings.uploads_shared or owner in ("", reader_key(reader))


def documents(settings: Settings, reader: Principal | None = None) -> list[dict[str, Any]]:
    """Every ingested document `reader` may see."""
    from advisor.kb.store import list_documents

    visible = [doc for doc in list_documents(settings) if _visible(settings, doc.owner, reader)]
    return [{key: value for key, value in jsonable(doc).items() if key != "owner"} for doc in visible]


def document(settings: Settings, doc_id: str, reader: Principal | None = None) -> dict[str, Any]:
    """A document's metadata and its chunks (`NotFoundError` for an unknown id or another user's private upload)."""
    from advisor.kb.store import get_chunks

    meta = next((doc for doc in documents(settings, reader) if doc.get("doc_id") == doc_id), None)
    if meta is None:
        raise NotFoundError(
            f"No document `{doc_id}` in the knowledge base; `advisor kb list` shows what is there."
        )
    return {**meta, "chunks": [jsonable(chunk) for chunk in get_chunks(settings, doc_id)]}


def passage(settings: Settings, chunk_id: str, reader: Principal | None = None) -> dict[str, Any]:
    """One chunk by id (`NotFoundError` for an unknown id or a chunk of another user's private upload)."""
    from advisor.kb.store import get_passage

    found = get_passage(settings, chunk_id)
    if not _visible(settings, found.owner, reader):
        raise NotFoundError(f"No passage `{chunk_id}` in the knowledge base; it may have been re-ingested.")
    return jsonable(found)


def upload(
    settings: Settings, *, filename: str, data: bytes, uploader: Principal | None = None
) -> dict[str, Any]:
    """Keep an uploaded document under ADVISOR_HOME/documents/ and ingest it; its doc id and the ingest outcome.

    A failed upload leaves nothing behind: when ingest rejects the file (unreadable, nothing but spam, a duplicate,
    a doc id taken, over the chunk cap) or raises, the file is deleted (or the earlier upload of that name put
    back) and any chunk it stored that the manifest does not record is deleted.
    """
    from advisor.kb.ingest import discard_unrecorded, ingest, uploads_dir

    owner = reader_key(uploader) or ""
    # private uploads live apart, so one person's file never replaces another's of the same name
    folder = uploads_dir(settings) / (
        owner.removeprefix("owner:") if owner and not settings.uploads_shared else ""
    )
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / filename
    earlier = path.read_bytes() if path.is_file() else None

    def undo() -> None:
        try:
            discard_unrecorded(path, settings=settings)
        finally:  # the file goes even when the store cannot be reached
            if earlier is None:
                path.unlink(missing_ok=True)
            else:
                path.write_bytes(earlier)

    path.write_bytes(data)
    try:
        report = ingest([path], settings=settings, owner=owner)
    except BaseException:
        undo()
        raise
    outcome = next((o for o in report.outcomes if o.path == str(path)), None)
    if outcome is None or outcome.status in ("skipped", "duplicate"):
        undo()
        reason = outcome.reason if outcome else "no text could be read"
        raise InputError(f"{filename} was not added to the knowledge base: {reason}.")
    audit.record(
        settings, actor=uploader.owner if uploader else "cli", action="upload", target=f"document:{outcome.doc_id}",
        detail=filename,
    )  # fmt: skip
    return {
        "doc_id": outcome.doc_id,
        "status": outcome.status,
        "chunks": outcome.chunks,
        "report": str(report),
    }


def remove(
    settings: Settings, doc_id: str, principal: Principal | None = None, *, any_document: bool = True
) -> dict[str, Any]:
    """Remove one document from the knowledge base; what was removed.

    `NotFoundError` for an unknown id or another user's private upload; `PermissionError` for a document that is
    not the caller's own upload when they may not remove `any_document` (a signed-in member, not an admin).
    """
    from advisor.kb.ingest import remove_document
    from advisor.kb.store import list_documents

    doc = next((d for d in list_documents(settings) if d.doc_id == doc_id), None)
    if doc is not None and not _visible(settings, doc.owner, principal):
        raise NotFoundError(f"No document `{doc_id}` in the knowledge base; the list shows what is there.")
    if doc is not None and not any_document and doc.owner != reader_key(principal):
        raise PermissionError(f"Only an admin or its uploader may remove `{doc_id}`.")
    outcome = remove_document(doc_id, settings=settings)
    audit.record(
        settings, actor=principal.owner if principal else "cli", action="delete", target=f"document:{doc_id}"
    )
    return {
        "doc_id": outcome.doc_id,
        "chunks": outcome.chunks,
        "source": Path(outcome.path).name,  # the file's name, never a server path
        "status": outcome.status,
    }
