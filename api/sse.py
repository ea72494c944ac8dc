"""Server-Sent Events framing."""

from __future__ import annotations

import json
from typing import Any


def sse_event(event: str | None, data: Any) -> bytes:
    """One SSE message; `data` is sent as compact JSON on a single line (JSON escapes every newline)."""
    payload = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    head = f"event: {event}\n" if event else ""
    return f"{head}data: {payload}\n\n".encode()


SSE_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}


def wants_event_stream(accept: str | None) -> bool:
    """Whether the client asked for Server-Sent Events."""
    return "text/event-stream" in (accept or "")
