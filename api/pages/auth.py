"""Login and logout for the pages (only meaningful when an API key is configured), and the front door."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from api.auth import accounts_enabled, end_session, sign_in, start_session
from api.pages.render import render

router = APIRouter(include_in_schema=False)


def _local_target(target: str) -> str:
    """Only same-site paths are followed after login (no open redirect to another host)."""
    return target if target.startswith("/") and not target.startswith(("//", "/\\")) else "/chat"


@router.get("/")
async def home() -> RedirectResponse:
    """The chat is the front page."""
    return RedirectResponse("/chat", status_code=307)


@router.get("/login")
async def login_form(request: Request, next: str = "/chat") -> Response:
    """The login form: name and password when the deployment has accounts, else the API key."""
    accounts = await run_in_threadpool(accounts_enabled, request.app.state.settings)
    return render(request, "login.html", {"next": _local_target(next), "failed": False, "accounts": accounts})


@router.post("/login")
async def login(
    request: Request,
    key: Annotated[str, Form(max_length=500)] = "",
    name: Annotated[str, Form(max_length=80)] = "",
    password: Annotated[str, Form(max_length=500)] = "",
    next: Annotated[str, Form()] = "/chat",
) -> Response:
    """Check the credentials and start a session."""
    settings = request.app.state.settings
    accounts, ok, user = await run_in_threadpool(sign_in, settings, key=key, name=name, password=password)
    if not ok:
        context = {"next": _local_target(next), "failed": True, "accounts": accounts}
        return render(request, "login.html", context, status_code=401)
    response = RedirectResponse(_local_target(next), status_code=303)
    await run_in_threadpool(
        start_session, response, settings, secure=request.url.scheme == "https", user=user
    )
    return response


@router.post("/logout")
async def logout() -> RedirectResponse:
    """End the session."""
    response = RedirectResponse("/login", status_code=303)
    end_session(response)
    return response
