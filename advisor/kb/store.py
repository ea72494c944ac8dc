"""The Chroma collection that holds chunks and their vectors, and read access to what it holds.

The embedded default is a `PersistentClient` under ADVISOR_HOME; when `chroma_url` is set, an `HttpClient` talks to
a Chroma server instead. The collection's metadata carries a revision token that every writer changes before it
writes, so a reader's derived data (the keyword index) can tell that it is stale, even after a crash mid-write.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from advisor.config import Settings
from advisor.errors import ConfigError, NotFoundError
from advisor.kb.chunk import Chunk
from advisor.kb.manifest import removed_documents
from advisor.kb.passage import Passage
from advisor.offline import enforce_offline

if TYPE_CHECKING:
    from chromadb.api import ClientAPI
    from chromadb.api.models.Collection import Collection

REVISION_KEY = "kb_revision"
PAGE = 5000


@dataclass(frozen=True)
class DocumentInfo:
    """One stored document as the knowledge base lists it."""

    doc_id: str
    title: str
    lang: str
    topics: tuple[str, ...]
    source: str
    chunks: int
    translation_of: str = ""
    trust: str = "uploaded"
    owner: str = ""  # the uploader (a principal's owner key); empty for what the installation ingested

    def __str__(self) -> str:
        return f"{self.doc_id} ({self.lang}, {self.chunks} chunks): {self.title}"


@lru_cache(maxsize=8)
def _client(path: str, url: str | None) -> ClientAPI:
    enforce_offline()
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if url is None:
        return chromadb.PersistentClient(path=path, settings=chroma_settings)
    parsed = urlparse(url if "://" in url else f"http://{url}")
    if not parsed.hostname:
        raise ConfigError(f"ADVISOR_CHROMA_URL `{url}` has no host; use e.g. http://127.0.0.1:8001.")
    try:
        return chromadb.HttpClient(
            host=parsed.hostname,
            port=parsed.port or (443 if parsed.scheme == "https" else 8000),
            ssl=parsed.scheme == "https",
            settings=chroma_settings,
        )
    except Exception as exc:  # chromadb raises plain ValueError/ConnectionError variants here
        raise ConfigError(
            f"Cannot reach the Chroma server at {url}: {exc}. Start it or unset ADVISOR_CHROMA_URL."
        ) from exc


def client(settings: Settings) -> ClientAPI:
    """The process-wide Chroma client for these settings."""
    if settings.chroma_url is None:
        settings.chroma_path.mkdir(parents=True, exist_ok=True)
    return _client(str(settings.chroma_path), settings.chroma_url)


def collection(settings: Settings) -> Collection:
    """The knowledge collection, created (cosine space, no embedding function) when missing."""
    try:
        return client(settings).get_or_create_collection(
            settings.collection,
            embedding_function=None,
            configuration={"hnsw": {"space": "cosine"}},
            metadata={REVISION_KEY: "empty"},
        )
    except ValueError as exc:
        raise ConfigError(f"Collection name `{settings.collection}` is not valid for Chroma: {exc}") from exc


def existing_collection(settings: Settings) -> Collection | None:
    """The knowledge collection if it exists (reading never creates one); `ConfigError` if the server is down."""
    api = client(settings)
    try:
        return api.get_collection(settings.collection)
    except Exception:  # chromadb raises NotFoundError, ValueError or InvalidCollection depending on version
        return None


def revision(coll: Collection) -> str:
    """The token that changes whenever the collection's contents may have changed."""
    return str((coll.metadata or {}).get(REVISION_KEY, ""))


def bump_revision(coll: Collection) -> str:
    """Mark the collection as changing (call before writing) and return the new token."""
    token = uuid.uuid4().hex
    coll.modify(metadata={REVISION_KEY: token})
    return token


def chunk_metadata(chunk: Chunk) -> dict[str, Any]:
    """What Chroma stores beside a chunk's text and vector (lists must not be empty)."""
    meta: dict[str, Any] = {
        "doc_id": chunk.doc_id,
        "title": chunk.title,
        "section": chunk.section,
        "lang": chunk.lang,
        "source": chunk.source,
        "translation_of": chunk.translation_of,
        "start": chunk.start,
        "end": chunk.end,
        "ordinal": chunk.ordinal,
        "section_index": chunk.section_index,
        "trust": chunk.trust,
    }
    if chunk.topics:
        meta["topics"] = list(chunk.topics)
    if chunk.role:  # answer-unit annotations (issue 12): the section's role, the document's questions
        meta["role"] = chunk.role
    if chunk.questions:
        meta["questions"] = list(chunk.questions)
    if chunk.owner:  # an upload's owner: retrieval keeps it to them unless uploads are shared
        meta["owner"] = chunk.owner
    return meta


def to_passage(chunk_id: str, text: str, meta: dict[str, Any], **scores: Any) -> Passage:
    """A passage from a stored chunk's id, text and metadata."""
    return Passage(
        chunk_id=chunk_id,
        doc_id=str(meta.get("doc_id", "")),
        title=str(meta.get("title", "")),
        section=str(meta.get("section", "")),
        lang=str(meta.get("lang", "")),
        text=text,
        topics=tuple(meta.get("topics") or ()),
        source=str(meta.get("source", "")),
        translation_of=str(meta.get("translation_of", "")),
        role=str(meta.get("role", "")),
        trust=str(meta.get("trust", "uploaded")),
        owner=str(meta.get("owner", "")),
        start=int(meta.get("start", 0)),
        end=int(meta.get("end", 0)),
        **scores,
    )


def iter_chunks(
    coll: Collection, *, include: list[str], where: dict[str, Any] | None = None
) -> Iterator[Any]:
    """Every stored chunk (id, document, metadata), read page by page so a big store does not load at once."""
    offset = 0
    while True:
        page = coll.get(include=include, where=where, limit=PAGE, offset=offset)  # type: ignore[arg-type]
        ids = page["ids"]
        if not ids:
            return
        docs = page.get("documents") or [""] * len(ids)
        metas = page.get("metadatas") or [{}] * len(ids)
        yield from zip(ids, docs, metas, strict=True)
        offset += len(ids)


def store_ready(settings: Settings) -> bool:
    """Whether a knowledge collection exists and holds at least one chunk (False when the server is down)."""
    try:
        coll = existing_collection(settings)
        return coll is not None and coll.count() > 0
    except Exception:  # ConfigError for an unreachable server, chromadb errors for one that went away
        return False


def _require(settings: Settings) -> Collection:
    coll = existing_collection(settings)
    if coll is None:
        raise NotFoundError("The knowledge base is empty; run `advisor ingest` first.")
    return coll


def list_documents(settings: Settings) -> list[DocumentInfo]:
    """Every stored document with its chunk count, sorted by doc id."""
    coll = existing_collection(settings)
    if coll is None:
        return []
    removed = removed_documents(settings, collection_id=str(coll.id))
    docs: dict[str, DocumentInfo] = {}
    for _, _, meta in iter_chunks(coll, include=["metadatas"]):
        doc_id = str(meta["doc_id"])
        if doc_id in removed:  # a removal a crash cut short: its chunks go with the next ingest or removal
            continue
        known = docs.get(doc_id)
        docs[doc_id] = DocumentInfo(
            doc_id=doc_id,
            title=str(meta.get("title", "")),
            lang=str(meta.get("lang", "")),
            topics=tuple(meta.get("topics") or ()),
            source=str(meta.get("source", "")),
            chunks=(known.chunks if known else 0) + 1,
            translation_of=str(meta.get("translation_of", "")),
            trust=str(meta.get("trust", "uploaded")),
            owner=str(meta.get("owner", "")),
        )
    return [docs[key] for key in sorted(docs)]


def get_chunks(settings: Settings, doc_id: str) -> list[Passage]:
    """A document's chunks in reading order; `NotFoundError` if no such document is stored."""
    coll = _require(settings)
    rows = list(iter_chunks(coll, include=["documents", "metadatas"], where={"doc_id": doc_id}))
    if not rows or doc_id in removed_documents(settings, collection_id=str(coll.id)):
        raise NotFoundError(
            f"No document `{doc_id}` in the knowledge base; `advisor kb list` shows what is there."
        )
    rows.sort(key=lambda row: int(row[2].get("ordinal", 0)))
    return [to_passage(cid, text or "", meta) for cid, text, meta in rows]


def get_passage(settings: Settings, chunk_id: str) -> Passage:
    """One stored chunk by id; `NotFoundError` if it is not stored."""
    page = _require(settings).get(ids=[chunk_id], include=["documents", "metadatas"])
    if not page["ids"]:
        raise NotFoundError(f"No passage `{chunk_id}` in the knowledge base; it may have been re-ingested.")
    return to_passage(chunk_id, (page["documents"] or [""])[0] or "", dict((page["metadatas"] or [{}])[0]))


def fingerprint(ids: list[str]) -> str:
    """Hash of a set of chunk ids (order does not matter)."""
    digest = hashlib.sha256()
    for chunk_id in sorted(ids):
        digest.update(chunk_id.encode() + b"\n")
    return digest.hexdigest()[:16]


def corpus_fingerprint(settings: Settings) -> str:
    """Hash of every stored chunk id: equal fingerprints mean the same corpus (evals record it)."""
    coll = existing_collection(settings)
    ids = [cid for cid, _, _ in iter_chunks(coll, include=[])] if coll is not None else []
    return fingerprint(ids)
