"""Template rendering for the pages: one autoescaping Jinja2 environment, the interface language, the catalogue."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from api.deps import BROWSER_SESSION_COOKIE
from api.i18n import LANG_COOKIE, LANGUAGES, pick_language, translator, value_name
from api.markdown import render_markdown

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
# each language named in itself, as the language switch names them
LANGUAGE_NAMES = {"en": "English", "zh": "中文"}


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


def html_lang(code: str | None) -> str:
    """A content language as an HTML `lang` value (`zh` is written `zh-CN`; unknown is empty)."""
    return "zh-CN" if code == "zh" else (code or "")


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
        "value_name": lambda dimension, value: value_name(dimension, value, lang),
        "languages": LANGUAGES,
        "language_name": lambda code: LANGUAGE_NAMES.get(code, code),
        "html_lang": html_lang,
        "auth_enabled": settings.api_key is not None or getattr(request.state, "user", None) is not None,
        "path": request.url.path,
        **(context or {}),
    }
    html = environment().get_template(name).render(values)
    response = HTMLResponse(html, status_code=status_code, headers=headers)
    remember_session(request, response)
    if request.query_params.get("lang") in LANGUAGES:
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, samesite="lax", httponly=True)
    return response


def remember_session(request: Request, response: Response) -> None:
    """Set the visitor's new anonymous session cookie: what they upload and ask is listed for them alone."""
    if getattr(request.state, "new_browser_session", False):
        response.set_cookie(
            BROWSER_SESSION_COOKIE,
            request.state.browser_session,
            max_age=365 * 86400,
            samesite="lax",
            httponly=True,
            secure=request.url.scheme == "https",
        )


def redirect(request: Request, url: str) -> RedirectResponse:
    """A 303 to another page (after a form), carrying a new session cookie when the visitor had none."""
    response = RedirectResponse(url, status_code=303)
    remember_session(request, response)
    return response
