"""Dependencies shared by the routes and pages: settings, who is asking, the model queue, and upload checks."""

from __future__ import annotations

import asyncio
import re
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import PurePath
from typing import Annotated, Literal

from fastapi import Depends, HTTPException, Request, UploadFile

from advisor.config import Settings
from api.errors import PageHTTPException


def get_settings(request: Request) -> Settings:
    """The settings the app was created with."""
    return request.app.state.settings  # type: ignore[no-any-return]


async def _settings(request: Request) -> Settings:
    # async: a plain `def` dependency would cost every request a hop through the threadpool
    return get_settings(request)


SettingsDep = Annotated[Settings, Depends(_settings)]

BROWSER_SESSION_COOKIE = "advisor_sid"
_SESSION_ID = re.compile(r"^[A-Za-z0-9_-]{22}$")


@dataclass(frozen=True)
class Principal:
    """Who is asking: a signed-in user, else the browser session, else whoever holds the API key."""

    kind: Literal["user", "session", "api_key"]
    id: str

    @property
    def owner(self) -> str:
        """The key stored beside what this principal owns (conversations, orgs)."""
        return f"{self.kind}:{self.id}"

    def __str__(self) -> str:
        return self.owner


async def ensure_browser_session(request: Request) -> None:
    """Pages' dependency: the visitor's anonymous session id from its cookie, or a new one the page will set."""
    sid = request.cookies.get(BROWSER_SESSION_COOKIE, "")
    if _SESSION_ID.match(sid):
        request.state.browser_session = sid
    else:
        request.state.browser_session = secrets.token_urlsafe(16)
        request.state.new_browser_session = True


async def get_principal(request: Request) -> Principal:
    """The signed-in user (`request.state.user_id`, set by sign-in), else the browser session, else the key holder."""
    user_id = getattr(request.state, "user_id", None)
    if user_id:
        return Principal("user", str(user_id))
    sid = getattr(request.state, "browser_session", None) or request.cookies.get(BROWSER_SESSION_COOKIE, "")
    if _SESSION_ID.match(sid):
        return Principal("session", sid)
    return Principal("api_key", "default")


PrincipalDep = Annotated[Principal, Depends(get_principal)]


class ModelQueue:
    """Fair admission to model work: a few callers run at once, the rest wait in arrival order, the overflow is told
    to come back later (503) instead of piling threads onto a model that runs one request at a time anyway."""

    def __init__(self, *, workers: int, max_waiting: int) -> None:
        self._slots = asyncio.Semaphore(workers)  # asyncio's semaphore wakes waiters first-in, first-out
        self.max_waiting = max_waiting
        self.waiting = 0

    def check(self) -> None:
        """503 with Retry-After when the waiting line is full (call before a response starts streaming)."""
        if self._slots.locked() and self.waiting >= self.max_waiting:
            raise HTTPException(503, "The advisor is busy; retry shortly.", headers={"Retry-After": "5"})

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """Hold one worker slot for the duration of the block."""
        self.check()
        self.waiting += 1
        try:
            await self._slots.acquire()
        finally:
            self.waiting -= 1
        try:
            yield
        finally:
            self._slots.release()


def model_queue(request: Request) -> ModelQueue:
    """The app's model queue."""
    return request.app.state.model_queue  # type: ignore[no-any-return]


ROSTER_TYPES = {
    ".csv": {"text/csv", "application/csv", "text/plain", "application/vnd.ms-excel"},
    ".xlsx": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/zip"},
    ".json": {"application/json", "text/json", "text/plain"},
}
DOCUMENT_TYPES = {
    ".md": {"text/markdown", "text/x-markdown", "text/plain"},
    ".markdown": {"text/markdown", "text/x-markdown", "text/plain"},
    ".txt": {"text/plain"},
    ".html": {"text/html"},
    ".htm": {"text/html"},
    ".pdf": {"application/pdf"},
    ".docx": {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", "application/zip"},
}
_GENERIC_TYPES = {"", "application/octet-stream"}  # what browsers and curl send when they do not know


def safe_filename(name: str | None) -> str:
    """The last path component of an uploaded file's name, without anything that could climb directories."""
    base = PurePath((name or "").replace("\\", "/")).name
    cleaned = "".join(ch for ch in base if ch.isalnum() or ch in "._- ").strip(" .")
    return cleaned[:120] or "upload"


async def read_upload(
    upload: UploadFile, *, allowed: dict[str, set[str]], max_bytes: int
) -> tuple[str, bytes]:
    """The upload's safe filename and bytes; 415 for a type not in `allowed`, 413 past `max_bytes`."""
    filename = safe_filename(upload.filename)
    suffix = PurePath(filename).suffix.lower()
    content_type = (upload.content_type or "").split(";")[0].strip().lower()
    if suffix not in allowed or (content_type not in _GENERIC_TYPES and content_type not in allowed[suffix]):
        kinds = ", ".join(sorted(allowed))
        raise PageHTTPException(415, "upload_error_type", kind=suffix or content_type, kinds=kinds)
    data = await upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise PageHTTPException(413, "upload_error_size", mb=f"{max_bytes / 1e6:g}")
    if not data:
        raise PageHTTPException(400, "upload_error_empty")
    return filename, data
