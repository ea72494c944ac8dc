"""OpenAPI docs served from the vendored Swagger UI, started by a static script (the CSP forbids inline ones)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.pages.render import environment

router = APIRouter(include_in_schema=False)

SWAGGER_DIR = "/static/vendor/swagger-ui-5.35.0"


@router.get("/docs")
async def docs(request: Request) -> HTMLResponse:
    """Swagger UI for /openapi.json."""
    html = environment().get_template("docs.html").render(swagger=SWAGGER_DIR, title=request.app.title)
    return HTMLResponse(html)
