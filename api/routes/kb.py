"""Knowledge base: search, browse documents and their chunks, upload and ingest a document, remove one."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, HTTPException, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool

from api import kb_service
from api.auth import accounts_enabled, require_api_key
from api.deps import DOCUMENT_TYPES, PrincipalDep, SettingsDep, read_upload
from api.schemas import PassageOut, RemovedDocumentOut

router = APIRouter(prefix="/api/kb", tags=["knowledge"], dependencies=[Depends(require_api_key)])


@router.get("/search", response_model=list[PassageOut])
async def search(
    request: Request,
    settings: SettingsDep,
    principal: PrincipalDep,
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
            kb_service.search,
            settings,
            q,
            k=k,
            lang=lang,
            topics=topic,
            doc_ids=doc_id,
            mode=mode,
            reader=principal,
        )


@router.get("/documents")
async def documents(settings: SettingsDep, principal: PrincipalDep) -> list[dict[str, Any]]:
    """Every ingested document you may read, with its metadata."""
    return await run_in_threadpool(kb_service.documents, settings, principal)


@router.get("/documents/{doc_id}")
async def document(settings: SettingsDep, principal: PrincipalDep, doc_id: str) -> dict[str, Any]:
    """One document's metadata and its chunks in order."""
    return await run_in_threadpool(kb_service.document, settings, doc_id, principal)


@router.delete("/documents/{doc_id}", response_model=RemovedDocumentOut)
async def remove_document(
    request: Request, settings: SettingsDep, principal: PrincipalDep, doc_id: str
) -> dict[str, Any]:
    """Remove a document: its chunks, keyword entries and manifest entry (404 for an unknown id).

    With accounts, a member removes only their own uploads; an admin removes any document.
    """
    user = getattr(request.state, "user", None)
    any_document = (user is not None and user.is_admin) or not await run_in_threadpool(
        accounts_enabled, settings
    )
    try:
        return await run_in_threadpool(
            kb_service.remove, settings, doc_id, principal, any_document=any_document
        )
    except PermissionError as exc:
        raise HTTPException(403, str(exc)) from exc


@router.get("/passages/{chunk_id}", response_model=PassageOut)
async def passage(settings: SettingsDep, principal: PrincipalDep, chunk_id: str) -> dict[str, Any]:
    """One chunk, as cited by answers."""
    return await run_in_threadpool(kb_service.passage, settings, chunk_id, principal)


@router.post("/documents", status_code=201)
async def upload_document(
    request: Request,
    settings: SettingsDep,
    principal: PrincipalDep,
    file: Annotated[UploadFile, File(description="Markdown, text, HTML, PDF or DOCX.")],
) -> dict[str, Any]:
    """Upload a document; it is cleaned, chunked, embedded and indexed, then searchable."""
    filename, data = await read_upload(
        file, allowed=DOCUMENT_TYPES, max_bytes=int(settings.max_upload_mb * 1_000_000)
    )
    async with request.app.state.model_queue.slot():
        return await run_in_threadpool(
            kb_service.upload, settings, filename=filename, data=data, uploader=principal
        )
