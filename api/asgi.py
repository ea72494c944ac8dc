"""The ASGI entry point for process managers, settings from the environment and advisor.toml.

`advisor serve --workers N` runs `uvicorn --factory api.asgi:app --workers N` with the options of `api.server`
(a process manager of your own must pass them too: deploy/README.md). Each worker process builds its own app and
loads its own models.
"""

from __future__ import annotations

from fastapi import FastAPI

from advisor.config import load_settings
from api.app import create_app


def app() -> FastAPI:
    """A new web app for this worker process."""
    return create_app(load_settings())
