"""``GET /docs``: Swagger UI served by the service itself, so it works offline.

FastAPI's "Custom Docs UI Static Assets (Self-Hosting)": its ``get_swagger_ui_html`` page with
the JavaScript and CSS from the ``swagger-ui-bundle-v2`` package (Swagger UI 5, which reads the
OpenAPI 3.1 document FastAPI writes), mounted at ``/docs-assets`` by ``api.app``."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse
from swagger_ui_bundle import swagger_ui_path

ASSETS = Path(str(swagger_ui_path))

router = APIRouter(include_in_schema=False)


@router.get("/docs")
async def swagger_ui(request: Request) -> HTMLResponse:
    root = request.scope.get("root_path", "")
    return get_swagger_ui_html(
        openapi_url=f"{root}{request.app.openapi_url}",
        title=f"{request.app.title} - Swagger UI",
        oauth2_redirect_url=f"{root}/docs/oauth2-redirect",
        swagger_js_url=f"{root}/docs-assets/swagger-ui-bundle.js",
        swagger_css_url=f"{root}/docs-assets/swagger-ui.css",
        swagger_favicon_url=f"{root}/docs-assets/favicon-32x32.png",
    )


@router.get("/docs/oauth2-redirect")
async def swagger_ui_redirect() -> HTMLResponse:
    return get_swagger_ui_oauth2_redirect_html()
