"""Access control in three modes, chosen by what the deployment has configured.

- Open (no `api_key`, no accounts): the laptop default; everything is reachable.
- Key (`ADVISOR_API_KEY` set, no accounts): programs send `Authorization: Bearer <key>`; people sign in once with
  the key.
- Accounts (at least one user from `advisor users add`): programs send `Bearer <personal API token>`, people sign
  in with their name and password; the signed-in user becomes the request's principal, so conversations and orgs
  are theirs. The key, when set, still opens the API as the key holder.

Page sessions are signed, HttpOnly, SameSite=Strict cookies that the pages' own scripts also use to call /api. In
accounts mode they are signed with a secret kept in the state database, so every worker accepts every session.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import Depends, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.responses import Response

from advisor.config import Settings
from advisor.users import User

SESSION_COOKIE = "advisor_session"
SESSION_MAX_AGE = 12 * 3600
# How long a worker trusts its answer to "are there accounts?" (the first `advisor users add` turns sign-in on).
MODE_RECHECK_SECONDS = 5.0
_bearer = HTTPBearer(
    auto_error=False, description="A personal API token (`advisor users add`), or ADVISOR_API_KEY."
)
_accounts_seen: dict[str, tuple[bool, float]] = {}


def accounts_enabled(settings: Settings) -> bool:
    """Whether any account exists, rechecked every few seconds (blocking: call it off the event loop)."""
    from advisor.users import has_users

    seen = _accounts_seen.get(settings.state_url)
    if seen is None or time.monotonic() - seen[1] > MODE_RECHECK_SECONDS:
        seen = (has_users(settings), time.monotonic())
        _accounts_seen[settings.state_url] = seen
    return seen[0]


def _secret(settings: Settings) -> str:
    if accounts_enabled(settings):
        from advisor.db import shared_secret

        return shared_secret(settings, "page-sessions")
    key = settings.api_key.get_secret_value() if settings.api_key else ""
    # derived from the API key, so rotating the key also ends every session
    return hashlib.sha256(b"advisor-session:" + key.encode()).hexdigest()


def _serializer(settings: Settings) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(_secret(settings), salt="advisor.session")


def key_matches(settings: Settings, candidate: str) -> bool:
    """Whether `candidate` is the configured API key (constant-time comparison)."""
    if settings.api_key is None:
        return True
    return hmac.compare_digest(candidate.encode(), settings.api_key.get_secret_value().encode())


def start_session(response: Response, settings: Settings, *, secure: bool, user: User | None = None) -> None:
    """Set the signed session cookie after a successful sign-in (blocking in accounts mode)."""
    token = _serializer(settings).dumps({"uid": user.id} if user else {"ok": True})
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=SESSION_MAX_AGE,
        httponly=True,
        samesite="strict",
        secure=secure,
        path="/",
    )


def sign_in(settings: Settings, *, key: str, name: str, password: str) -> tuple[bool, bool, User | None]:
    """Check a sign-in (name and password with accounts, else the key) and audit it: (accounts, ok, user)."""
    from advisor import audit
    from advisor.users import authenticate

    if not accounts_enabled(settings):
        return False, key_matches(settings, key), None
    user = authenticate(settings, name=name, password=password)
    audit.record(
        settings, actor=f"user:{name}", action="sign_in" if user else "sign_in_failed", target="pages"
    )
    return True, user is not None, user


def end_session(response: Response) -> None:
    """Remove the session cookie."""
    response.delete_cookie(SESSION_COOKIE, path="/")


def _session_payload(request: Request, settings: Settings) -> dict[str, Any] | None:
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    try:
        payload = _serializer(settings).loads(token, max_age=SESSION_MAX_AGE)
    except BadSignature:
        return None
    return payload if isinstance(payload, dict) else None


def session_user(request: Request, settings: Settings) -> User | None:
    """The still-existing user a valid session cookie names (blocking)."""
    from advisor.users import get_user

    payload = _session_payload(request, settings)
    uid = payload.get("uid") if payload else None
    return get_user(settings, uid) if isinstance(uid, str) else None


def has_session(request: Request, settings: Settings) -> bool:
    """Whether the request may use the pages: open mode, a key session, or a signed-in user (blocking)."""
    if accounts_enabled(settings):
        return _remember(request, session_user(request, settings))
    if settings.api_key is None:
        return True
    payload = _session_payload(request, settings)
    return bool(payload and payload.get("ok"))


def _remember(request: Request, user: User | None) -> bool:
    """Make the user the request's principal (`api.deps.get_principal` reads `request.state.user_id`)."""
    if user is None:
        return False
    request.state.user = user
    request.state.user_id = user.id
    return True


def same_origin(request: Request) -> bool:
    """False only when a browser says the request came from another site (a cross-site form or script)."""
    origin = request.headers.get("origin")
    if not origin or origin == "null":
        return origin is None
    return urlsplit(origin).netloc == request.headers.get("host", "")


def _settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


def _api_caller(request: Request, settings: Settings, bearer: str | None) -> bool:
    """Whether the caller may use /api and /v1; a user caller becomes the principal (blocking)."""
    from advisor.users import user_for_token

    accounts = accounts_enabled(settings)
    if settings.api_key is None and not accounts:
        return True  # open mode: any caller; the OpenAI clients send a placeholder key, which is not refused
    if bearer is not None:
        if settings.api_key is not None and key_matches(settings, bearer):
            return True
        return accounts and _remember(request, user_for_token(settings, bearer))
    return same_origin(request) and has_session(request, settings)


async def require_api_key(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> None:
    """Dependency of every /api and /v1 route: a token or key, or a signed-in page session from this site."""
    settings = _settings(request)
    bearer = credentials.credentials if credentials is not None else None
    if await run_in_threadpool(_api_caller, request, settings, bearer):
        return
    what = (
        "a personal API token" if await run_in_threadpool(accounts_enabled, settings) else "ADVISOR_API_KEY"
    )
    raise HTTPException(
        401,
        f"Missing or invalid credentials: send `Authorization: Bearer <{what}>`.",
        headers={"WWW-Authenticate": "Bearer"},
    )


class LoginRequired(Exception):
    """A page was requested without a session while a key or accounts are configured."""


async def require_login(request: Request) -> None:
    """Dependency of every page: redirect to the sign-in form when needed; refuse cross-site form posts."""
    settings = _settings(request)
    if not await run_in_threadpool(has_session, request, settings):
        raise LoginRequired
    if request.method not in ("GET", "HEAD") and not same_origin(request):
        raise HTTPException(403, "Cross-site form submission refused.")
