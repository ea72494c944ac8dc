"""How uvicorn must run the app so the limits hold at the server, before any request reaches Python code."""

from __future__ import annotations

from typing import Any

from advisor.config import Settings


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    """Options for `uvicorn.run`/`uvicorn.Config`: a bounded header block, and no client-supplied client address.

    h11 buffers at most `max_header_kb` of request line and headers and answers 400 past it (httptools has no such
    cap); uvicorn's own proxy-header handling is off because it believes `X-Forwarded-For` from any loopback peer,
    so `api.ratelimit` decides which proxies to believe (`ADVISOR_TRUSTED_PROXIES`).
    """
    return {
        "http": "h11",
        "h11_max_incomplete_event_size": settings.max_header_kb * 1024,
        "proxy_headers": False,
        "server_header": False,
    }
