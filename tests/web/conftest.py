"""Headless Chromium (Debian's package, driven by Playwright), a real `summarizer serve`, and
host pages on other loopback origins."""

from __future__ import annotations

import html
import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.api.conftest import free_port, start_serve, stop
from tests.conftest import ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = ROOT / "artifacts" / "screenshots"

# What a hostile or careless host stylesheet does; the widget must not be affected.
HOST_CSS = b"button { background: rgb(255, 0, 0) !important; font-size: 40px !important; }\n"


@pytest.fixture(scope="package")
def browser():
    """Chromium for the tests of this folder, stopped when they are done: while Playwright's
    sync API is started, this thread has its event loop marked running (between calls too), so
    an ``asyncio.run`` in any later test (tests/api/test_model_process.py) would fail."""
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium is not installed (scripts/setup.sh --test installs it)")
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, request):
    """A fresh page that records CSP violations and console errors; screenshot at the end."""
    context = browser.new_context(viewport={"width": 1000, "height": 900})
    page = context.new_page()
    page.add_init_script(
        "window.__csp = []; document.addEventListener('securitypolicyviolation',"
        " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    page.console_errors = []
    page.on("console", lambda m: page.console_errors.append(m.text) if m.type == "error" else None)
    yield page
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    try:
        page.screenshot(path=str(SCREENSHOTS / f"{request.node.name}.png"), full_page=True)
    finally:
        context.close()


def host_page(service: str, paragraphs: list[str], timeout_ms: int = 20000) -> bytes:
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Host news site</title>"
        "<link rel='stylesheet' href='/host.css'></head><body>"
        f"<article id='story'><h1>Host headline</h1>{body}</article>"
        "<p id='after'>Comments are below.</p>"
        f"<script src='{service}/widget.js' data-article-selector='#story' "
        f"data-timeout-ms='{timeout_ms}' defer></script></body></html>"
    ).encode()


class HostSite:
    """A news site on its own loopback origin, with a strict CSP that allows only the service."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.pages: dict[str, bytes] = {}
        self.service = ""
        site = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                if self.path == "/host.css":
                    body, ctype = HOST_CSS, "text/css"
                elif self.path in site.pages:
                    body, ctype = site.pages[self.path], "text/html; charset=utf-8"
                else:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.send_header(
                    "Content-Security-Policy",
                    f"default-src 'none'; script-src {site.service}; connect-src {site.service}; "
                    "style-src 'self'; base-uri 'none'",
                )
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def sites() -> Iterator[tuple[HostSite, HostSite]]:
    """Two host sites: the first is on the service's CORS allowlist, the second is not."""
    allowed, refused = HostSite(free_port()), HostSite(free_port())
    yield allowed, refused
    allowed.close()
    refused.close()


@pytest.fixture(scope="module")
def service(sites, tmp_path_factory):
    allowed, refused = sites
    server = start_serve(
        tmp_path_factory.mktemp("serve"),
        env={"SUMMARIZER_CORS_ORIGINS": allowed.url, "SUMMARIZER_LOG_JSON": "false"},
    )
    allowed.service = refused.service = server.url
    yield server
    stop(server.process)
