"""Template rendering for the pages: one autoescaping Jinja2 environment, the interface language, the catalogue."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from api.i18n import LANG_COOKIE, LANGUAGES, pick_language, translator
from api.markdown import render_markdown

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The pages' Jinja2 environment: every template autoescaped, Markdown only through the sanitiser."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["markdown"] = render_markdown
    return env


def render(
    request: Request,
    name: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    """Render a page in the visitor's language; `?lang=` is remembered in a cookie."""
    lang = pick_language(request)
    settings = request.app.state.settings
    values = {
        "request": request,
        "lang": lang,
        "t": translator(lang),
        "languages": LANGUAGES,
        "auth_enabled": settings.api_key is not None,
        "path": request.url.path,
        **(context or {}),
    }
    html = environment().get_template(name).render(values)
    response = HTMLResponse(html, status_code=status_code, headers=headers)
    if request.query_params.get("lang") in LANGUAGES:
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, samesite="lax", httponly=True)
    return response
