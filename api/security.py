"""Protective middleware: security headers, per-client rate limiting and early refusal of oversized bodies.

Written as plain ASGI middleware (not `BaseHTTPMiddleware`) so streaming responses pass through untouched and the
per-request cost stays small under load.
"""

from __future__ import annotations

import json
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Mapping

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# No inline scripts or styles anywhere; the Swagger UI page alone needs inline styles (it injects them at runtime).
_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-src 'self'; "
    "frame-ancestors 'none'"
)
_DOCS_CSP = _CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
# Eval reports are self-contained HTML written by the eval runner: sandboxed, no scripts, framable by our pages.
REPORT_CSP = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'"

_BASE_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    # not "no-referrer": with it browsers send `Origin: null` on form posts and the same-site check cannot work
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=()"),
]


class SecurityHeadersMiddleware:
    """Adds a strict Content-Security-Policy and the usual hardening headers to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        csp = (_DOCS_CSP if scope["path"] == "/docs" else _CSP).encode()

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers.extend(item for item in _BASE_HEADERS if item[0] not in present)
                if b"content-security-policy" not in present:
                    headers.append((b"content-security-policy", csp))
                if b"x-frame-options" not in present and b"frame-ancestors 'self'" not in _header(headers):
                    headers.append((b"x-frame-options", b"DENY"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _header(headers: list[tuple[bytes, bytes]], name: bytes = b"content-security-policy") -> bytes:
    return next((value for key, value in headers if key.lower() == name), b"")


class RateLimiter:
    """Token bucket per client: `per_minute` requests, refilled continuously; thread-safe and bounded in memory."""

    def __init__(self, per_minute: int, *, max_clients: int = 10_000) -> None:
        self.capacity = float(per_minute)
        self.refill_per_second = per_minute / 60.0
        self.max_clients = max_clients
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def acquire(self, client: str, *, now: float | None = None) -> float:
        """Take one token for `client`: 0.0 when allowed, else the seconds to wait before retrying."""
        now = time.monotonic() if now is None else now
        with self._lock:
            tokens, last = self._buckets.pop(client, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - last) * self.refill_per_second)
            wait = 0.0
            if tokens >= 1.0:
                tokens -= 1.0
            else:
                wait = (1.0 - tokens) / self.refill_per_second
            self._buckets[client] = (tokens, now)
            while len(self._buckets) > self.max_clients:
                self._buckets.popitem(last=False)  # forget the least recently seen client
            return wait


# Static assets and health probes are cheap and are fetched in bursts by every page load or orchestrator.
_UNLIMITED_PREFIXES = ("/static/", "/healthz", "/readyz")


def _client_key(scope: Scope) -> str:
    client = scope.get("client")
    return client[0] if client else "unknown"


async def _send_json(
    send: Send, status: int, body: Mapping[str, object], headers: list[tuple[bytes, bytes]]
) -> None:
    payload = json.dumps(body).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(payload)).encode()),
            ]
            + headers,
        }
    )
    await send({"type": "http.response.body", "body": payload})


class RateLimitMiddleware:
    """Answers 429 with Retry-After once a client exceeds its per-minute budget."""

    def __init__(self, app: ASGIApp, *, per_minute: int) -> None:
        self.app = app
        self.limiter = RateLimiter(per_minute) if per_minute > 0 else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.limiter is None or scope["type"] != "http" or scope["path"].startswith(_UNLIMITED_PREFIXES):
            await self.app(scope, receive, send)
            return
        wait = self.limiter.acquire(_client_key(scope))
        if wait > 0:
            retry_after = str(max(1, math.ceil(wait)))
            await _send_json(
                send,
                429,
                {"detail": f"Too many requests; retry in {retry_after} s.", "error": "RateLimited"},
                [(b"retry-after", retry_after.encode())],
            )
            return
        await self.app(scope, receive, send)


class BodySizeLimitMiddleware:
    """Refuses bodies over the upload limit with 413, by Content-Length up front and by counting while streaming."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        detail = {
            "detail": f"Body larger than the {self.max_bytes / 1e6:g} MB limit.",
            "error": "TooLarge",
        }
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await _send_json(send, 413, detail, [(b"connection", b"close")])
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    # raised inside the app, so the app's error handler answers in JSON or HTML as usual
                    raise HTTPException(413, str(detail["detail"]))
            return message

        await self.app(scope, counting_receive, send)
