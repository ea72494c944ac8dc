"""Server-Sent Events framing, and the events the two streaming routes send.

`POST /api/chat` with `Accept: text/event-stream` (the web page and the CLI's `--stream` read the same sequence):

- `status`: `{"status": "checking_sources"}`, once, while retrieval, metrics and the scope check run;
- `text`: `{"text": "..."}`, one per verified piece of the answer (a sentence, a list item, a trust notice) once
  grounding has kept it; the pieces concatenate to the final answer's text and none is ever withdrawn;
- `final`: the `Answer` contract (`answer`, `citations` with `id`, `doc_id`, `title`, `section`, `text`, `trust`,
  `metrics_used`, `refused`, `refusal_reason`, `language`, `path`, `intent`, `timings`, `conversation_id`), last;
- `error`: `{"detail", "error", "status"}` instead of `final` when the question cannot be answered.

`POST /v1/chat/completions` with `"stream": true` sends unnamed `chat.completion.chunk` events: the assistant role,
then one `content` delta per verified piece (the same pieces as the `text` events), then the footnotes
(`\n\nSources:\n[S1] title - section`), a last chunk with `finish_reason: "stop"` carrying `citations` and the
whole `advisor` answer, and `[DONE]`. An error is sent as `{"error": {"message", "type"}}` before `[DONE]`.
"""

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
