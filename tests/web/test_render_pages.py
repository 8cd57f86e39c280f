"""``scripts/render_pages.py``: the article's innerText from Chromium, and nothing fetched."""

from __future__ import annotations

import gzip
import http.server
import importlib.util
import json
import threading
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.subprocesses import run_python
from tests.web.conftest import CHROMIUM


@pytest.fixture
def counting_server():
    """A loopback server that counts the requests it gets: the renderer must send none."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()


@pytest.mark.slow
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="chromium is not installed")
@pytest.mark.hostile(
    "eval", "rendering a stored page fetches nothing: every sub-request is blocked"
)
def test_the_article_text_is_recorded_and_no_request_leaves(tmp_path, counting_server):
    base, hits = counting_server
    pytest.importorskip("playwright.sync_api")
    story = (
        f"<html><head><script src='{base}/app.js'></script>"
        f"<link rel='stylesheet' href='{base}/site.css'></head><body>"
        "<nav>Home World Sport</nav><article><h1>Bridge reopens</h1>"
        "<p>The old bridge reopened on Monday after two years of repairs.</p>"
        f"<img src='{base}/photo.jpg'><p style='display:none'>Hidden teaser</p></article>"
        "<footer>All rights reserved</footer></body></html>"
    )
    plain = "<html><body><div><p>A page without an article element.</p></div></body></html>"
    # Teaser cards are <article> elements too; the story itself sits in <main>.
    cards = (
        "<html><body><article><a>Other story</a></article><main><h1>Dam opens</h1>"
        "<p>The dam opened today.</p></main><article>A comment.</article></body></html>"
    )
    marked = (
        "<html><body><article><h1>Ferry returns</h1><p>By A. Writer</p>"
        "<div itemprop='articleBody'><p>The ferry returned to service.</p></div>"
        "</article></body></html>"
    )
    rows = [
        {"id": "story", "url": f"{base}/story", "lang": "en", "html": story, "body": "x"},
        {"id": "plain", "url": f"{base}/plain", "lang": "en", "html": plain, "body": "x"},
        {"id": "cards", "url": f"{base}/cards", "lang": "en", "html": cards, "body": "x"},
        {"id": "marked", "url": f"{base}/marked", "lang": "en", "html": marked, "body": "x"},
    ]
    pages = tmp_path / "pages.jsonl.gz"
    pages.write_bytes(gzip.compress("".join(json.dumps(r) + "\n" for r in rows).encode()))
    out = tmp_path / "rendered.jsonl"
    result = run_python("scripts/render_pages.py", "--pages", pages, "--out", out, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    got = {r["id"]: r for r in map(json.loads, out.read_text().splitlines())}
    assert got["story"]["element"] == "article with the h1"
    assert got["story"]["text"].splitlines()[0] == "Bridge reopens"
    assert "reopened on Monday" in got["story"]["text"]
    assert "Hidden teaser" not in got["story"]["text"]  # innerText: what is shown
    assert "Home World" not in got["story"]["text"] and "rights" not in got["story"]["text"]
    assert got["plain"] == {
        "id": "plain",
        "element": "body",
        "text": "A page without an article element.",
    }
    # A site names the element that holds its article: not a card or a comment before it.
    assert got["cards"] == {
        "id": "cards",
        "element": "main",
        "text": "Dam opens\n\nThe dam opened today.",
    }
    assert got["marked"]["element"] == "[itemprop=articleBody]"
    assert got["marked"]["text"] == "The ferry returned to service."
    assert hits == []  # not even the page's own address: it was served from the file


def test_the_renderer_chooses_by_the_widgets_own_function(tmp_path):
    # One rule, written once: the renderer evaluates widget.js's articleElement, and refuses to
    # run on a widget without it rather than fall back to a rule of its own.
    spec = importlib.util.spec_from_file_location("render_pages", ROOT / "scripts/render_pages.py")
    render_pages = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(render_pages)
    source = render_pages.widget_rule()
    assert source in (ROOT / "api/static/widget.js").read_text(encoding="utf-8")
    assert "function articleElement(" in source and source in render_pages.CANDIDATES
    other = tmp_path / "widget.js"
    other.write_text("(function () { var selector = 'article'; })();\n")
    with pytest.raises(SystemExit, match="no articleElement function"):
        render_pages.widget_rule(other)
