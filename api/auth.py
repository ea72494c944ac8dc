"""Access control: a Bearer key for /api and /v1, and a signed session cookie for people using the pages.

With no `api_key` configured everything is open (the laptop default). With one, programs send
`Authorization: Bearer <key>`; people log in once with the key and get a signed, HttpOnly, SameSite=Strict cookie
that the pages' own scripts also use to call /api.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.responses import Response

from advisor.config import Settings

SESSION_COOKIE = "advisor_session"
SESSION_MAX_AGE = 12 * 3600
_bearer = HTTPBearer(auto_error=False, description="The server's ADVISOR_API_KEY.")


def _serializer(settings: Settings) -> URLSafeTimedSerializer:
    key = settings.api_key.get_secret_value() if settings.api_key else ""
    # derived from the API key, so rotating the key also ends every session
    secret = hashlib.sha256(b"advisor-session:" + key.encode()).hexdigest()
    return URLSafeTimedSerializer(secret, salt="advisor.session")


def key_matches(settings: Settings, candidate: str) -> bool:
    """Whether `candidate` is the configured API key (constant-time comparison)."""
    if settings.api_key is None:
        return True
    return hmac.compare_digest(candidate.encode(), settings.api_key.get_secret_value().encode())


def start_session(response: Response, settings: Settings, *, secure: bool) -> None:
    """Set the signed session cookie after a successful login."""
    token = _serializer(settings).dumps({"ok": True})
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=SESSION_MAX_AGE,
        httponly=True,
        samesite="strict",
        secure=secure,
        path="/",
    )


def end_session(response: Response) -> None:
    """Remove the session cookie."""
    response.delete_cookie(SESSION_COOKIE, path="/")


def has_session(request: Request, settings: Settings) -> bool:
    """Whether the request carries a valid, unexpired session cookie (always true when no key is configured)."""
    if settings.api_key is None:
        return True
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return False
    try:
        _serializer(settings).loads(token, max_age=SESSION_MAX_AGE)
    except BadSignature:
        return False
    return True


def same_origin(request: Request) -> bool:
    """False only when a browser says the request came from another site (a cross-site form or script)."""
    origin = request.headers.get("origin")
    if not origin or origin == "null":
        return origin is None
    return urlsplit(origin).netloc == request.headers.get("host", "")


def _settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


async def require_api_key(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> None:
    """Dependency of every /api and /v1 route: a Bearer key, or a logged-in page session from this site."""
    settings = _settings(request)
    if settings.api_key is None:
        return
    if credentials is not None and key_matches(settings, credentials.credentials):
        return
    if credentials is None and has_session(request, settings) and same_origin(request):
        return
    raise HTTPException(
        401,
        "Missing or invalid API key: send `Authorization: Bearer <ADVISOR_API_KEY>`.",
        headers={"WWW-Authenticate": "Bearer"},
    )


class LoginRequired(Exception):
    """A page was requested without a session while an API key is configured."""


async def require_login(request: Request) -> None:
    """Dependency of every page: redirect to the login form when a key is configured and there is no session."""
    settings = _settings(request)
    if not has_session(request, settings):
        raise LoginRequired
    if request.method not in ("GET", "HEAD") and not same_origin(request):
        raise HTTPException(403, "Cross-site form submission refused.")
