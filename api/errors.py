"""One place that turns errors into responses: JSON for /api, OpenAI-style JSON for /v1, an error page for pages.

Messages name files by the name the user gave them, never by where the server keeps them: absolute paths are cut
to their last part. `declare_error_responses` lists in the OpenAPI schema every status a route can answer with.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from advisor.errors import AdvisorError, ConfigError, InputError, ModelError, NotFoundError
from api.auth import LoginRequired

log = logging.getLogger("advisor.api")

# Most specific first: the first class the error is an instance of decides the status.
ERROR_STATUS: tuple[tuple[type[AdvisorError], int], ...] = (
    (NotFoundError, 404),
    (InputError, 400),
    (ModelError, 503),
    (ConfigError, 500),
    (AdvisorError, 500),
)


def status_for(exc: AdvisorError) -> int:
    """HTTP status of a domain error."""
    return next(status for cls, status in ERROR_STATUS if isinstance(exc, cls))


# An absolute path on the server (POSIX roots people keep data under, or a Windows drive), cut to its last part.
_SERVER_PATH = re.compile(
    r"(?<![\w.:/])(?:/(?:tmp|home|root|var|usr|opt|srv|etc|mnt|data|work|private|Users|run|media)|[A-Za-z]:\\)"
    r"(?:[/\\][^\s/\\'\"`:;,()<>]+)+"
)


def public_message(message: str) -> str:
    """The message with every server path reduced to its file name."""
    return _SERVER_PATH.sub(lambda match: re.split(r"[/\\]", match.group(0))[-1], message)


def error_body(path: str, status: int, message: str, kind: str) -> dict[str, Any]:
    """The JSON error of a request path: an OpenAI error object under /v1, else `{"detail", "error"}`."""
    message = public_message(message)
    if path.startswith("/v1/"):
        return {"error": {"message": message, "type": kind, "code": status}}
    return {"detail": message, "error": kind}


def _wants_json(request: Request) -> bool:
    path = request.url.path
    return path.startswith(("/api/", "/v1/")) or path in ("/healthz", "/readyz", "/openapi.json")


def _catalogued(key: str, values: dict[str, Any], lang: str) -> str:
    """An interface catalogue message in `lang`; a value that is a function of the language is worded first."""
    from api.i18n import translator

    return translator(lang)(key, **{k: v(lang) if callable(v) else v for k, v in values.items()})


class PageInputError(InputError):
    """An input error of the web app whose text is an interface catalogue key, worded in the page's language."""

    def __init__(self, key: str, **values: Any) -> None:
        self.key, self.values = key, values
        super().__init__(_catalogued(key, values, "en"))

    def text(self, lang: str) -> str:
        """The error in `lang`."""
        return _catalogued(self.key, self.values, lang)


def invalid_reason(error: Any) -> Callable[[str], str]:
    """Why pydantic refused a value, as a function of the language: pydantic's own words in English, the
    catalogue's (by error type) in Chinese."""
    kinds = {
        "extra_forbidden": "reason_unknown_field",
        "literal_error": "reason_choice",
        "int_parsing": "reason_integer",
        "int_type": "reason_integer",
        "int_from_float": "reason_integer",
        "float_parsing": "reason_number",
        "float_type": "reason_number",
        "greater_than_equal": "reason_at_least",
        "greater_than": "reason_above",
        "dict_type": "reason_mapping",
        "missing": "reason_missing",
    }
    key = kinds.get(str(error.get("type")), "reason_invalid")
    limit = (error.get("ctx") or {}).get("ge", (error.get("ctx") or {}).get("gt", ""))

    def reason(lang: str) -> str:
        from api.i18n import translator

        return str(error.get("msg", "")) if lang == "en" else translator(lang)(key, limit=limit)

    return reason


def error_text(exc: BaseException, lang: str) -> str:
    """An error's message for a page in `lang`: catalogued errors are worded in it, others read as raised."""
    from advisor.org.messages import worded

    return public_message(exc.text(lang) if isinstance(exc, PageInputError) else worded(exc, lang))


class PageHTTPException(HTTPException):
    """An HTTP error whose page text is an interface catalogue key (`api/locales`); the API answers in English."""

    def __init__(self, status_code: int, key: str, **values: object) -> None:
        from api.i18n import translator

        self.key, self.values = key, values
        super().__init__(status_code, translator("en")(key, **values))


def error_response(
    request: Request,
    status: int,
    message: str,
    kind: str,
    headers: dict[str, str] | None = None,
    *,
    worded: Callable[[str], str] | None = None,
) -> Response:
    """The error in the form the caller reads: OpenAI error object, API JSON, or the HTML error page.

    `worded(lang)` gives the message in the page's language when it is catalogued; the API keeps the English text.
    """
    if _wants_json(request):
        return JSONResponse(
            error_body(request.url.path, status, message, kind), status_code=status, headers=headers
        )
    from api.i18n import pick_language
    from api.pages.render import render  # pages import this module's handlers, so the import is deferred

    lang = pick_language(request)
    shown = public_message(worded(lang) if worded else message)
    translated = lang == "en" or shown != public_message(message)
    context = {"status": status, "message": shown, "message_lang": lang if translated else "en"}
    return render(request, "error.html", context, status_code=status, headers=headers)


async def _advisor_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, AdvisorError)
    status = status_for(exc)
    if status >= 500:
        log.error("%s on %s: %s", type(exc).__name__, request.url.path, exc)
    headers = {"Retry-After": "10"} if isinstance(exc, ModelError) else None
    return error_response(
        request, status, str(exc), type(exc).__name__, headers, worded=lambda lang: error_text(exc, lang)
    )


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        headers["Allow"] = _allowed_methods(request) or headers.get("Allow", "")
    words = None
    if isinstance(exc, PageHTTPException):
        from api.i18n import translator

        def words(lang: str) -> str:
            return translator(lang)(exc.key, **exc.values)

    return error_response(request, exc.status_code, str(exc.detail), "HTTPError", headers, worded=words)


def _allowed_methods(request: Request) -> str:
    """Every method the schema lists for the request's path (the router names only the first route it tried)."""
    paths = request.app.openapi().get("paths", {})
    for template, operations in paths.items():
        pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template))
        if re.fullmatch(pattern, request.url.path):
            return ", ".join(method.upper() for method in operations)
    return ""


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = exc.errors()
    if request.url.path.startswith("/v1/") or not _wants_json(request):
        first = errors[0] if errors else {"loc": (), "msg": "invalid request"}
        where = ".".join(str(part) for part in first.get("loc", ()))
        return error_response(request, 422, f"Invalid `{where}`: {first.get('msg')}", "ValidationError")
    return JSONResponse({"detail": jsonable(errors), "error": "ValidationError"}, status_code=422)


def jsonable(errors: object) -> object:
    """Validation errors without the non-JSON `ctx` objects pydantic may attach."""
    from fastapi.encoders import jsonable_encoder

    return jsonable_encoder(
        errors, custom_encoder={Exception: str, bytes: lambda b: b.decode("utf-8", "replace")}
    )


async def _login_required(request: Request, exc: Exception) -> Response:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)


async def _unexpected(request: Request, exc: Exception) -> Response:
    log.exception("Unhandled error on %s", request.url.path)
    from api.i18n import translator

    return error_response(
        request,
        500,
        translator("en")("error_internal"),
        "InternalError",
        worded=lambda lang: translator(lang)("error_internal"),
    )


class UnexpectedErrorMiddleware:
    """Turns any unhandled exception into the same JSON or error page (never a traceback) while still inside the
    security middleware, so even a 500 carries the hardening headers."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            if started:  # a streamed body broke midway: nothing sensible can be sent any more
                raise
            response = await _unexpected(Request(scope), exc)
            await response(scope, receive, send)


class ErrorBody(BaseModel):
    """An error of /api and the probes: what went wrong and how to fix it, and the kind of error."""

    detail: str | list[Any]
    error: str


class OpenAIErrorDetail(BaseModel):
    """The OpenAI error object's fields."""

    message: str
    type: str
    code: int


class OpenAIErrorBody(BaseModel):
    """An error of /v1, shaped as the OpenAI API shapes them."""

    error: OpenAIErrorDetail


_REASONS = {
    400: "The input cannot be used; the message says how to fix it.",
    401: "Missing or invalid credentials.",
    403: "Not allowed for this caller.",
    404: "No such object.",
    413: "The request body is over the upload limit.",
    415: "The uploaded file's type is not supported.",
    429: "Too many requests; retry after the Retry-After seconds.",
    431: "The request headers are over the header limit.",
    500: "Internal error.",
    503: "Busy or not ready (the model queue is full, a model or store is unavailable); retry later.",
}
_UNLIMITED = ("/healthz", "/readyz")


def _statuses(path: str, method: str) -> set[int]:
    """Every status the middleware, the auth dependency and the error handlers can answer an operation with."""
    statuses = {431, 500}
    if path not in _UNLIMITED:
        statuses |= {429}
    if path.startswith(("/api/", "/v1/")):
        statuses |= {400, 401, 403, 404, 503}
    if method in ("post", "put", "patch"):
        statuses |= {413, 415}
    return statuses


def _add_error_responses(schema: dict[str, Any]) -> None:
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for model in (ErrorBody, OpenAIErrorBody):
        body = model.model_json_schema(ref_template="#/components/schemas/{model}")
        components.update(body.pop("$defs", {}))
        components[model.__name__] = body
    for path, operations in schema.get("paths", {}).items():
        name = "OpenAIErrorBody" if path.startswith("/v1/") else "ErrorBody"
        content = {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}}
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            if "422" in responses:  # routes also answer 422 with a sentence (a bad mapping), not only a list
                responses["422"]["content"] = content
            for status in sorted(_statuses(path, method)):
                responses.setdefault(str(status), {"description": _REASONS[status], "content": content})


def declare_error_responses(app: FastAPI) -> None:
    """Declare in the OpenAPI schema, on every operation, the error statuses it can return and their bodies."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            _add_error_responses(generate())
        assert app.openapi_schema is not None
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers and the catch-all middleware on the app (call before adding other middleware)."""
    app.add_exception_handler(AdvisorError, _advisor_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(LoginRequired, _login_required)
    app.add_middleware(UnexpectedErrorMiddleware)
