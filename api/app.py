"""The web app factory: JSON, streaming and OpenAI-compatible APIs plus Jinja2 pages over the advisor library."""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

import advisor
from advisor.config import Settings
from advisor.offline import enforce_offline
from api.deps import ModelQueue
from api.errors import declare_error_responses, install_error_handlers
from api.ratelimit import RateLimitMiddleware
from api.security import BodySizeLimitMiddleware, HeaderSizeLimitMiddleware, SecurityHeadersMiddleware

STATIC_DIR = Path(__file__).resolve().parent / "static"
log = logging.getLogger("advisor.api")

_DESCRIPTION = """Grounded answers about sales organisation design, metrics on your own roster, plans and evals.

When the server has `ADVISOR_API_KEY` set, every `/api` and `/v1` route needs `Authorization: Bearer <key>`.
`/v1` speaks the OpenAI chat-completions protocol, so the official `openai` client works against it."""


class Readiness:
    """What the warm-up has loaded so far; `/readyz` reports it."""

    def __init__(self) -> None:
        self.embedder = False
        self.chat_model = False
        self.error: str | None = None
        self.done = threading.Event()

    def warm(self, settings: Settings) -> None:
        """Load the embedding and chat models once so the first visitor does not pay for it.

        A worker that starts on an empty store (no `advisor serve` ingest before it) ingests the default knowledge.
        """
        from advisor.kb.firstrun import ensure_knowledge
        from advisor.models import get_chat_model, get_embedder

        try:
            ensure_knowledge(settings)
            get_embedder(settings).embed_query("warm up")
            self.embedder = True
            get_chat_model(settings).invoke("Say OK.", max_tokens=1)
            self.chat_model = True
        except Exception as exc:  # reported by /readyz; the app still serves pages and the rules layer
            self.error = f"{type(exc).__name__}: {exc}"
            log.error("Model warm-up failed: %s", self.error)
        finally:
            self.done.set()


def create_app(settings: Settings, *, warm_up: bool = True) -> FastAPI:
    """Build the web app for these settings (models are loaded in the background once it starts)."""
    enforce_offline()
    readiness = Readiness()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if warm_up:
            threading.Thread(
                target=readiness.warm, args=(settings,), name="advisor-warm-up", daemon=True
            ).start()
        yield

    app = FastAPI(
        title="Sales structure advisor",
        version=advisor.__version__,
        description=_DESCRIPTION,
        docs_url=None,  # served by api.routes.docs from vendored assets, with no inline script
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.readiness = readiness
    app.state.model_queue = ModelQueue(workers=settings.chat_workers, max_waiting=settings.chat_queue)

    install_error_handlers(app)
    # added innermost first: headers wrap everything, so even 413 and 429 answers carry them
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=int(settings.max_upload_mb * 1_000_000))
    app.add_middleware(RateLimitMiddleware, settings=settings)
    app.add_middleware(HeaderSizeLimitMiddleware, max_bytes=settings.max_header_kb * 1024)
    app.add_middleware(SecurityHeadersMiddleware)

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    _include_routers(app)
    declare_error_responses(app)
    return app


def _include_routers(app: FastAPI) -> None:
    from api.pages import auth as auth_pages
    from api.pages import chat as chat_pages
    from api.pages import evals as eval_pages
    from api.pages import kb as kb_pages
    from api.pages import orgs as org_pages
    from api.routes import chat, docs, evals, health, kb, openai_compat, orgs, team

    for module in (health, docs, team, chat, orgs, kb, evals, openai_compat):
        app.include_router(module.router)
    for page in (auth_pages, chat_pages, org_pages, kb_pages, eval_pages):
        app.include_router(page.router)
