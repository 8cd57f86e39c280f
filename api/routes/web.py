"""The website side: ``GET /widget.js`` (the embeddable button) and ``GET /`` (a demo page)."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

STATIC = Path(__file__).resolve().parent.parent / "static"

# The demo page runs under the strict policy a careful news site would use: the widget must
# work without inline scripts, inline styles, eval or third-party requests.
DEMO_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)

router = APIRouter(include_in_schema=False)


@router.get("/widget.js")
async def widget() -> Response:
    return Response(
        (STATIC / "widget.js").read_bytes(),
        media_type="text/javascript; charset=utf-8",
        headers={
            "Cache-Control": "public, max-age=300",
            "X-Content-Type-Options": "nosniff",
            # loaded by <script src> from the news site's pages, which live on other origins
            "Cross-Origin-Resource-Policy": "cross-origin",
        },
    )


@router.get("/favicon.ico")
async def favicon() -> Response:
    """The demo page's icon (an SVG; browsers ask for /favicon.ico whatever the page says)."""
    return Response(
        (STATIC / "favicon.svg").read_bytes(),
        media_type="image/svg+xml",
        headers={"Cache-Control": "public, max-age=86400", "X-Content-Type-Options": "nosniff"},
    )


@router.get("/")
async def demo() -> HTMLResponse:
    return HTMLResponse(
        (STATIC / "index.html").read_text(encoding="utf-8"),
        headers={
            "Content-Security-Policy": DEMO_CSP,
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer",
        },
    )
