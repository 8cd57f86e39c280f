"""A real redis-server (started here on a loopback port): replicas share one cache."""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.app import create_app
from summarizer.cache import RedisCache, open_cache
from tests.api.conftest import stop, wait_ready


def test_two_app_instances_share_one_redis_cache(redis_server, make_settings, article):
    settings = make_settings(cache_url=redis_server.url, cache_ttl_seconds=60)
    with TestClient(create_app(settings)) as one, TestClient(create_app(settings)) as two:
        wait_ready(one)
        wait_ready(two)
        first = one.post("/v1/summaries", json={"text": article, "length": "short"})
        second = two.post("/v1/summaries", json={"text": article, "length": "short"})
        metrics_two = two.get("/metrics").text
    assert first.status_code == 200 and first.json()["cached"] is False
    assert second.status_code == 200 and second.json()["cached"] is True
    assert second.json()["summary"] == first.json()["summary"]
    assert 'summarizer_cache_requests_total{result="hit"} 1.0' in metrics_two

    cache = open_cache(redis_server.url)
    assert isinstance(cache, RedisCache)
    keys = cache.client.keys("summary:*")
    assert len(keys) == 1
    assert 0 < cache.client.ttl(keys[0]) <= 60
    cache.close()


def test_service_keeps_answering_when_redis_goes_away(redis_server, make_settings, article):
    settings = make_settings(cache_url=redis_server.url)
    with TestClient(create_app(settings)) as client:
        wait_ready(client)
        assert client.post("/v1/summaries", json={"text": article}).status_code == 200
        stop(redis_server.process)
        r = client.post("/v1/summaries", json={"text": article, "length": "long"})
        metrics = client.get("/metrics").text
    assert r.status_code == 200 and r.json()["cached"] is False
    assert 'summarizer_cache_requests_total{result="error"} 1.0' in metrics
