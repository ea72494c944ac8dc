"""Knowledge base: search, browse documents and their chunks, upload and ingest a document."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool

from advisor.config import Settings
from api import kb_service
from api.auth import require_api_key
from api.deps import DOCUMENT_TYPES, get_settings, read_upload
from api.schemas import PassageOut

router = APIRouter(prefix="/api/kb", tags=["knowledge"], dependencies=[Depends(require_api_key)])
SettingsDep = Annotated[Settings, Depends(get_settings)]


@router.get("/search", response_model=list[PassageOut])
async def search(
    request: Request,
    settings: SettingsDep,
    q: Annotated[str, Query(min_length=1, max_length=1000, description="The query, English or Chinese.")],
    k: Annotated[int, Query(ge=1, le=50)] = 8,
    lang: Annotated[Literal["en", "zh"] | None, Query()] = None,
    topic: Annotated[list[str] | None, Query(max_length=20)] = None,
    doc_id: Annotated[list[str] | None, Query(max_length=50)] = None,
    mode: Annotated[Literal["hybrid", "dense", "keyword"], Query()] = "hybrid",
) -> list[dict[str, Any]]:
    """Hybrid (dense + keyword) search over the knowledge base."""
    async with request.app.state.model_queue.slot():
        return await run_in_threadpool(
            kb_service.search, settings, q, k=k, lang=lang, topics=topic, doc_ids=doc_id, mode=mode
        )


@router.get("/documents")
async def documents(settings: SettingsDep) -> list[dict[str, Any]]:
    """Every ingested document with its metadata."""
    return await run_in_threadpool(kb_service.documents, settings)


@router.get("/documents/{doc_id}")
async def document(settings: SettingsDep, doc_id: str) -> dict[str, Any]:
    """One document's metadata and its chunks in order."""
    return await run_in_threadpool(kb_service.document, settings, doc_id)


@router.get("/passages/{chunk_id}", response_model=PassageOut)
async def passage(settings: SettingsDep, chunk_id: str) -> dict[str, Any]:
    """One chunk, as cited by answers."""
    return await run_in_threadpool(kb_service.passage, settings, chunk_id)


@router.post("/documents", status_code=201)
async def upload_document(
    request: Request,
    settings: SettingsDep,
    file: Annotated[UploadFile, File(description="Markdown, text, HTML, PDF or DOCX.")],
) -> dict[str, Any]:
    """Upload a document; it is cleaned, chunked, embedded and indexed, then searchable."""
    filename, data = await read_upload(
        file, allowed=DOCUMENT_TYPES, max_bytes=int(settings.max_upload_mb * 1_000_000)
    )
    async with request.app.state.model_queue.slot():
        return await run_in_threadpool(kb_service.upload, settings, filename=filename, data=data)
