"""A service started without a cache (``SUMMARIZER_CACHE_URL=none``) serves, says so, and
answers every request anew (``Summarizer.cache_health()`` is state "off", not None)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.app import create_app
from tests.api.conftest import wait_ready


def test_readyz_reports_no_cache_and_each_request_is_summarized(make_settings):
    with TestClient(create_app(make_settings(cache_url="none"))) as client:
        wait_ready(client)
        ready = client.get("/readyz")
        assert ready.status_code == 200, ready.text
        assert ready.json()["cache"] is None
        assert client.app.state.service.hot is None  # no hot tier in front of no cache
        body = {"text": "The council met on Monday. It approved the budget after a debate."}
        first, second = (client.post("/v1/summaries", json=body) for _ in range(2))
        assert first.status_code == second.status_code == 200
        assert first.json()["cached"] is False and second.json()["cached"] is False
        metrics = client.get("/metrics").text
        assert not [line for line in metrics.splitlines() if line.startswith("summarizer_cache_")]
