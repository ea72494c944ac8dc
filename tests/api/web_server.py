"""Helpers for the web tests: settings over a seeded ADVISOR_HOME, and a real uvicorn server on loopback."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from advisor.config import Settings, load_settings
from api.app import create_app
from api.server import uvicorn_options

REPO = Path(__file__).resolve().parents[2]
ROSTERS = REPO / "tests" / "fixtures" / "rosters"


def web_settings(home: Path, **overrides: Any) -> Settings:
    """Settings for a test app: state under `home`, the repository's knowledge folder."""
    return load_settings(home=home, **overrides)


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def live_server(settings: Settings, *, ready_timeout: float = 300.0, warm_up: bool = True) -> Iterator[str]:
    """Run the real app under uvicorn in a thread; yields its base URL once /readyz (or, cold, /healthz) answers."""
    port = free_port()
    config = uvicorn.Config(
        create_app(settings, warm_up=warm_up),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        lifespan="on",
        **uvicorn_options(settings),
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="uvicorn-test", daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + ready_timeout
    try:
        while True:
            try:
                response = httpx.get(base + ("/readyz" if warm_up else "/healthz"), timeout=5)
                if response.status_code == 200:
                    break
                if response.json().get("error"):
                    raise RuntimeError(f"server failed to warm up: {response.json()['error']}")
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or not thread.is_alive():
                raise RuntimeError("the test server did not become ready")
            time.sleep(0.2)
        yield base
    finally:
        server.should_exit = True
        thread.join(timeout=30)
