"""Load both models and generate a few tokens, in a process of its own: `advisor doctor` runs this as a subprocess.

A llama.cpp build that does not suit the CPU dies with SIGSEGV or SIGILL on its first decode; in a child process
that is a return code the doctor can explain, not a crash of the command (or the web app) that asked.
Prints one JSON line: what loaded and how fast.
"""

from __future__ import annotations

import json
import sys
import time

from advisor.config import load_settings
from advisor.errors import AdvisorError

PROBE_TOKENS = 16


def main() -> int:
    """Probe the configured models; exit 0 with a JSON report, or 1 with the error."""
    from advisor.models import QUERY_BATCH, get_chat_model, get_embedder

    try:
        settings = load_settings(max_tokens=PROBE_TOKENS, temperature=0.0)
        started = time.perf_counter()
        embedder = get_embedder(settings)
        query = embedder.encode(["How many reps should a sales manager lead?"])
        embedder.encode(["warm up the batch path"] * (QUERY_BATCH + 1))  # the ingest path loads torch
        embed_s = time.perf_counter() - started
        started = time.perf_counter()
        pieces = list(get_chat_model(settings).stream("Name three sales roles."))
        chat_s = time.perf_counter() - started
    except AdvisorError as exc:
        print(json.dumps({"error": str(exc)}))
        return 1
    report = {
        "embedding_dimension": int(query.shape[1]),
        "embed_seconds": round(embed_s, 2),
        "tokens": len(pieces),
        "chat_seconds": round(chat_s, 2),
        "tokens_per_second": round(len(pieces) / chat_s, 1) if chat_s else None,
    }
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
