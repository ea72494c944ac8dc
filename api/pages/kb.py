"""Knowledge pages: documents, their chunks, search and upload."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from api import kb_service
from api.auth import require_login
from api.citations import locate
from api.deps import DOCUMENT_TYPES, PrincipalDep, SettingsDep, ensure_browser_session, read_upload
from api.pages.render import render

router = APIRouter(
    include_in_schema=False, dependencies=[Depends(require_login), Depends(ensure_browser_session)]
)


@router.get("/kb")
async def kb_page(
    request: Request,
    settings: SettingsDep,
    principal: PrincipalDep,
    q: Annotated[str, Query(max_length=1000)] = "",
) -> Response:
    """Every document, and search results when `q` is given."""
    documents = await run_in_threadpool(kb_service.documents, settings, principal)
    results = None
    if q.strip():
        async with request.app.state.model_queue.slot():
            found = await run_in_threadpool(kb_service.search, settings, q.strip(), k=8, reader=principal)
        results = sorted(found, key=lambda passage: -float(passage.get("score") or 0.0))
    return render(request, "kb.html", {"documents": documents, "q": q, "results": results})


@router.get("/kb/docs/{doc_id}")
async def document_page(
    request: Request,
    settings: SettingsDep,
    principal: PrincipalDep,
    doc_id: str,
    chunk: Annotated[str, Query(max_length=200)] = "",
    quote: Annotated[str, Query(max_length=4000)] = "",
    claim: Annotated[str, Query(max_length=2000)] = "",
) -> Response:
    """One document's chunks, in order; the chunk opened from a citation or search is highlighted.

    `chunk` names it; a citation's excerpt (`quote`) finds it, and its sentences backing `claim` are marked.
    """

    def load() -> dict[str, Any]:
        document = kb_service.document(settings, doc_id, principal)
        chunks = [c for c in document["chunks"] if not chunk or c["chunk_id"] == chunk]
        located = locate(chunks, quote=quote, claim=claim) if quote else None
        if located is None:
            return {"document": document, "opened": chunk, "marks": []}
        return {"document": document, "opened": located.chunk_id, "marks": list(located.marks)}

    return render(request, "kb_document.html", await run_in_threadpool(load))


@router.get("/kb/passages/{chunk_id}")
async def passage_page(
    request: Request, settings: SettingsDep, principal: PrincipalDep, chunk_id: str
) -> Response:
    """One chunk, as cited in answers."""
    passage = await run_in_threadpool(kb_service.passage, settings, chunk_id, principal)
    return render(request, "kb_passage.html", {"passage": passage})


@router.post("/kb")
async def upload(
    request: Request, settings: SettingsDep, principal: PrincipalDep, file: Annotated[UploadFile, File()]
) -> Response:
    """Ingest an uploaded document, then open it."""
    filename, data = await read_upload(
        file, allowed=DOCUMENT_TYPES, max_bytes=int(settings.max_upload_mb * 1_000_000)
    )
    async with request.app.state.model_queue.slot():
        result = await run_in_threadpool(
            kb_service.upload, settings, filename=filename, data=data, uploader=principal
        )
    return RedirectResponse(f"/kb/docs/{result['doc_id']}", status_code=303)
