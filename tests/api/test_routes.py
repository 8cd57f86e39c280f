"""The routes in-process (TestClient): results, caching, probes, metrics, CORS, keys, OpenAPI."""

from __future__ import annotations

import statistics

from fastapi.testclient import TestClient

from api.app import create_app
from summarizer.text.tokens import count_words
from tests.api.conftest import wait_ready


def test_summary_of_text_names_engine_and_reports_input(client, article):
    r = client.post("/v1/summaries", json={"text": article, "id": "story-1", "length": "short"})
    assert r.status_code == 200, r.text
    data = r.json()
    assert data["engine"] == "extractive" and data["model"] == "extractive"
    assert data["id"] == "story-1"
    assert data["cached"] is False
    assert len(data["sentences"]) == 1 and data["summary"] == data["sentences"][0]
    assert data["summary"] in article
    # Words as every budget counts them (issue #15: the same unit in every script).
    assert data["input"]["words"] == count_words(article)
    assert data["coverage"]["truncated"] is False and data["coverage"]["chunks"] >= 1
    assert data["timing"]["total_ms"] > 0
    assert r.headers["x-request-id"]


def test_same_request_again_is_cached_and_fast(client, article):
    body = {"text": article, "length": "medium"}
    first = client.post("/v1/summaries", json=body).json()
    assert first["cached"] is False
    again = [client.post("/v1/summaries", json=body).json() for _ in range(7)]
    assert all(a["cached"] is True for a in again)
    assert all(a["summary"] == first["summary"] for a in again)
    server_ms = statistics.median(a["timing"]["total_ms"] for a in again)
    assert server_ms < 10, f"cached responses took {server_ms:.1f} ms (median server time)"


def test_options_change_the_summary_and_the_cache_key(client, article):
    medium = client.post("/v1/summaries", json={"text": article}).json()
    bullets = client.post("/v1/summaries", json={"text": article, "format": "bullets"}).json()
    short = client.post("/v1/summaries", json={"text": article, "max_words": 30}).json()
    assert bullets["cached"] is False and short["cached"] is False
    assert bullets["summary"].startswith("- ") or bullets["summary"].startswith("• ")
    assert len(short["summary"].split()) <= max(30, len(short["sentences"][0].split()))
    assert len(medium["sentences"]) >= len(short["sentences"])


def html_page(article: str) -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in article.split("\n") if p.strip())
    return (
        "<html><head><title>T</title><script>var x = 'never in a summary';</script></head>"
        "<body><nav>Home | World</nav>"
        f"<article><h1>Headline</h1>{paragraphs}</article></body></html>"
    )


def test_html_input_is_extracted(client, article):
    r = client.post("/v1/summaries", json={"html": html_page(article)})
    assert r.status_code == 200, r.text
    assert "never in a summary" not in r.json()["summary"]
    assert r.json()["input"]["words"] > 100


def test_batch_gives_each_item_its_own_result_or_error(client, articles):
    items = [
        {"text": articles[0], "id": "a"},
        {"text": ""},
        {"text": "x", "html": "<p>y</p>", "id": "both"},
        42,
        {"text": articles[1], "length": "enormous"},
        {"html": html_page(articles[2]), "id": "c"},
    ]
    r = client.post("/v1/summaries/batch", json={"items": items})
    assert r.status_code == 200, r.text
    data = r.json()
    statuses = [item["status"] for item in data["items"]]
    assert statuses == [200, 422, 422, 422, 422, 200]
    assert [item["index"] for item in data["items"]] == list(range(6))
    assert data["succeeded"] == 2 and data["failed"] == 4
    assert data["items"][0]["id"] == "a" and data["items"][0]["result"]["summary"]
    assert data["items"][2]["id"] == "both" and data["items"][2]["error"]["code"]
    assert data["items"][5]["result"]["engine"] == "extractive"


def test_batch_over_the_item_limit_is_refused(make_settings, articles):
    with TestClient(create_app(make_settings(batch_max_items=2))) as c:
        wait_ready(c)
        r = c.post("/v1/summaries/batch", json={"items": [{"text": a} for a in articles[:3]]})
    assert r.status_code == 422
    assert "at most 2" in r.json()["error"]["message"]


def test_models_lists_the_loaded_engine_and_known_models(client):
    data = client.get("/v1/models").json()
    assert data["loaded"]["engine"] == "extractive"
    names = {m["name"]: m for m in data["models"]}
    assert names["extractive"]["loaded"] is True and names["extractive"]["available"] is True


def test_probes(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").json()["status"] == "ready"


def test_metrics_count_requests_cache_and_batches(client, article):
    client.post("/v1/summaries", json={"text": article})
    client.post("/v1/summaries", json={"text": article})
    client.post("/v1/summaries", json={"text": ""})
    text = client.get("/metrics").text
    assert (
        'summarizer_http_requests_total{method="POST",route="/v1/summaries",status="200"} 2.0'
        in text
    )
    assert 'route="/v1/summaries",status="422"} 1.0' in text
    assert 'summarizer_cache_requests_total{result="hit"} 1.0' in text
    assert 'summarizer_cache_requests_total{result="miss"} 1.0' in text
    assert "summarizer_model_batch_size_count 1.0" in text
    assert "summarizer_http_request_duration_seconds_bucket" in text
    assert "summarizer_queue_depth 0.0" in text
    load = next(
        line for line in text.splitlines() if line.startswith("summarizer_model_load_seconds")
    )
    assert float(load.split()[-1]) > 0


def test_request_id_is_echoed_or_generated(client):
    given = client.get("/healthz", headers={"X-Request-ID": "abc-123"})
    assert given.headers["x-request-id"] == "abc-123"
    bad = client.get("/healthz", headers={"X-Request-ID": "bad id\twith spaces"})
    assert bad.headers["x-request-id"] != "bad id\twith spaces"
    assert len(bad.headers["x-request-id"]) == 32


def test_cors_allowlist(make_settings, article):
    app = create_app(make_settings(cors_origins="https://news.example, https://m.news.example"))
    with TestClient(app) as c:
        wait_ready(c)
        ok = c.options(
            "/v1/summaries",
            headers={
                "Origin": "https://news.example",
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "content-type,x-api-key",
            },
        )
        assert ok.status_code == 200
        assert ok.headers["access-control-allow-origin"] == "https://news.example"
        post = c.post(
            "/v1/summaries", json={"text": article}, headers={"Origin": "https://m.news.example"}
        )
        assert post.headers["access-control-allow-origin"] == "https://m.news.example"
        assert "x-request-id" in post.headers["access-control-expose-headers"].lower()
        refused = c.options(
            "/v1/summaries",
            headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
        )
        assert refused.status_code == 400
        assert "access-control-allow-origin" not in refused.headers


def test_api_keys(make_settings, article, caplog):
    app = create_app(make_settings(api_keys="key-one-secret,key-two-secret"))
    with TestClient(app) as c:
        wait_ready(c)
        missing = c.post("/v1/summaries", json={"text": article})
        wrong = c.post("/v1/summaries", json={"text": article}, headers={"X-API-Key": "key-one"})
        one = c.post(
            "/v1/summaries", json={"text": article}, headers={"X-API-Key": "key-one-secret"}
        )
        two = c.get("/v1/models", headers={"X-API-Key": "key-two-secret"})
        health = c.get("/healthz")
    assert missing.status_code == 401 and missing.json()["error"]["code"] == "unauthorized"
    assert wrong.status_code == 401
    assert one.status_code == 200 and two.status_code == 200
    assert health.status_code == 200  # probes stay open for the load balancer
    assert "secret" not in caplog.text
    assert "secret" not in repr(app.state.settings)


def test_openapi_documents_protocol_and_errors(client):
    spec = client.get("/openapi.json").json()
    post = spec["paths"]["/v1/summaries"]["post"]
    assert post["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "SummaryRequest"
    )
    for status in ("413", "415", "422", "503", "504"):
        ref = post["responses"][status]["content"]["application/json"]["schema"]["$ref"]
        assert ref.endswith("ErrorResponse")
    batch = spec["paths"]["/v1/summaries/batch"]["post"]
    assert "503" in batch["responses"]
    assert {"/v1/models", "/healthz", "/readyz", "/metrics"} <= set(spec["paths"])
    schemas = spec["components"]["schemas"]
    assert {"summary", "engine", "model", "cached", "input", "coverage", "timing"} <= set(
        schemas["SummaryResponse"]["properties"]
    )
