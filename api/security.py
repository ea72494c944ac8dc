"""Protective middleware: security headers and early refusal of oversized request headers and bodies.

Rate limiting lives in `api.ratelimit`.

Written as plain ASGI middleware (not `BaseHTTPMiddleware`) so streaming responses pass through untouched and the
per-request cost stays small under load.
"""

from __future__ import annotations

import json

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import error_body

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


async def send_error(
    send: Send, scope: Scope, status: int, message: str, kind: str, headers: list[tuple[bytes, bytes]]
) -> None:
    """Answer with the path's JSON error form from middleware, before the app runs."""
    payload = json.dumps(error_body(scope["path"], status, message, kind)).encode()
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


class BodySizeLimitMiddleware:
    """Refuses bodies over the upload limit with 413, by Content-Length up front and by counting while streaming."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        too_large = f"Body larger than the {self.max_bytes / 1e6:g} MB limit."
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await send_error(send, scope, 413, too_large, "TooLarge", [(b"connection", b"close")])
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    # raised inside the app, so the app's error handler answers in JSON or HTML as usual
                    raise HTTPException(413, too_large)
            return message

        await self.app(scope, counting_receive, send)


class HeaderSizeLimitMiddleware:
    """Refuses a request whose header block exceeds the cap with 431, behind the server's own limit (`api.server`)."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            size = sum(len(name) + len(value) + 4 for name, value in scope["headers"])
            if size > self.max_bytes:
                message = f"Request headers of {size:,} bytes exceed the {self.max_bytes // 1024} KB limit."
                await send_error(send, scope, 431, message, "HeadersTooLarge", [(b"connection", b"close")])
                return
        await self.app(scope, receive, send)
