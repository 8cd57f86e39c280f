"""The one admission decision (api/admission.py) before the body is read and at the model's
queue, and the recent tier in front of the shared cache (api/service.py). In-process, with a
deliberately slow engine; the same through nginx is tests/api/test_deployment.py."""

from __future__ import annotations

import asyncio
import json
import time

import pytest

from api.service import RecentSummaries
from tests.api.conftest import http_scope, occupy_model, running, slow_app

JSON = {"Content-Type": "application/json"}


def distinct(articles: list[str], n: int) -> list[str]:
    return [f"{articles[i % len(articles)]}\n\nEdition {i}." for i in range(n)]


async def call_raw(app, body: bytes, path: str = "/v1/summaries"):
    """One request straight into the ASGI app; returns (status, headers, body, body_was_read)."""
    read = False
    messages: list[dict] = []

    async def receive():
        nonlocal read
        read = True
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message):
        messages.append(message)

    headers = [
        (b"host", b"test"),
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
    ]
    scope = http_scope(path, headers)
    await app(scope, receive, send)
    start = next(m for m in messages if m["type"] == "http.response.start")
    payload = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body")
    headers = {k.decode(): v.decode() for k, v in start["headers"]}
    return start["status"], headers, json.loads(payload), read


@pytest.mark.hostile(
    "http",
    "While the summary queue is full a new request gets 503 with Retry-After at once, its body "
    "never read, and /healthz and /readyz answer at once.",
)
def test_a_full_queue_refuses_before_reading_the_body(one_slot_app, articles):
    app, engine = one_slot_app(delay=1.0)
    first, second, third = distinct(articles, 3)

    async def main():
        async with running(app) as c:
            running_one = await occupy_model(c, first)
            queued = asyncio.create_task(c.post("/v1/summaries", json={"text": second}))
            await asyncio.sleep(0.2)  # waiting in the queue (depth 1): full
            start = time.perf_counter()
            refused = await call_raw(app, json.dumps({"text": third}).encode())
            refused_s = time.perf_counter() - start
            probes = []
            for path in ("/healthz", "/readyz"):
                start = time.perf_counter()
                r = await c.get(path)
                probes.append((r.status_code, time.perf_counter() - start))
            metrics = (await c.get("/metrics")).text
            return refused, refused_s, probes, await running_one, await queued, metrics

    refused, refused_s, probes, ok_first, ok_second, metrics = asyncio.run(main())
    status, headers, body, body_read = refused
    assert status == 503 and body["error"]["code"] == "overloaded"
    assert int(headers["retry-after"]) >= 1
    assert headers["connection"] == "close"  # its body was not read
    assert body_read is False  # answered before the body was read
    assert refused_s < 0.1, refused_s
    assert [code for code, _ in probes] == [200, 200]
    assert max(s for _, s in probes) < 0.1, probes
    assert ok_first.status_code == 200 and ok_second.status_code == 200
    assert sum(engine.calls[1:]) == 2  # the refused article never reached the model
    assert 'summarizer_rejected_total{reason="overloaded"} 1.0' in metrics
    # labelled by the route's template, like a refusal from the route itself
    assert 'route="/v1/summaries",status="503"' in metrics


def test_a_repeated_request_is_answered_from_memory_with_the_same_response(make_settings, article):
    app, engine = slow_app(make_settings(), delay=0.05)
    body = {"text": article, "id": "a-1", "length": "short"}

    async def main():
        async with running(app) as c:
            first = await c.post("/v1/summaries", json=body)
            service = app.state.service
            service.recent.clear()
            from_cache = await c.post("/v1/summaries", json=body)  # the shared cache's answer

            lookups = []
            service._lookup = lambda *args, lookup=service._lookup: (
                lookups.append(1) or lookup(*args)
            )
            hot = [await c.post("/v1/summaries", json=body) for _ in range(3)]
            assert lookups == []  # a recent hit never leaves the event loop
            other = await c.post("/v1/summaries", json={**body, "id": "a-2"})
            return first, from_cache, hot, other, (await c.get("/metrics")).text

    first, from_cache, hot, other, metrics = asyncio.run(main())
    assert first.json()["cached"] is False and from_cache.json()["cached"] is True
    expected = {k: v for k, v in from_cache.json().items() if k != "timing"}
    for r in hot:
        assert r.status_code == 200
        assert r.headers["content-type"] == "application/json"
        assert {k: v for k, v in r.json().items() if k != "timing"} == expected
        assert r.json()["timing"]["total_ms"] >= 0
        assert "x-request-id" in r.headers
    assert other.json()["cached"] is True and other.json()["id"] == "a-2"  # the id is not keyed
    assert engine.calls[1:] == [1]
    counted = 'summarizer_http_requests_total{method="POST",route="/v1/summaries",status="200"}'
    assert f"{counted} 6.0" in metrics


def test_no_recent_tier_without_a_cache(make_settings, article):
    app, engine = slow_app(make_settings(cache_url="none"), delay=0.01)

    async def main():
        async with running(app) as c:
            return [await c.post("/v1/summaries", json={"text": article}) for _ in range(3)]

    rs = asyncio.run(main())
    assert [r.json()["cached"] for r in rs] == [False] * 3
    assert engine.calls[1:] == [1, 1, 1]


def test_a_client_that_leaves_gives_up_its_place_in_the_queue(one_slot_app, articles):
    app, engine = one_slot_app(delay=0.6)
    first, second, third = distinct(articles, 3)

    async def main():
        async with running(app) as c:
            running_one = await occupy_model(c, first)
            gone = asyncio.Event()
            body = json.dumps({"text": second}).encode()
            messages = [{"type": "http.request", "body": body, "more_body": False}]

            async def receive():
                if messages:
                    return messages.pop()
                await gone.wait()
                return {"type": "http.disconnect"}

            sent: list[dict] = []

            async def send(message):
                sent.append(message)

            headers = [(b"host", b"test"), (b"content-type", b"application/json")]
            scope = http_scope("/v1/summaries", headers)
            leaving = asyncio.create_task(app(scope, receive, send))
            await asyncio.sleep(0.1)
            depth_queued = app.state.service.queue_depth
            gone.set()  # the client hangs up while its article waits in the queue
            await asyncio.wait_for(leaving, 1)
            depth_after = app.state.service.queue_depth
            after = await c.post("/v1/summaries", json={"text": third})  # its place is free
            await running_one
            metrics = (await c.get("/metrics")).text
            return depth_queued, depth_after, sent, after, metrics

    depth_queued, depth_after, sent, after, metrics = asyncio.run(main())
    assert depth_queued == 1 and depth_after == 0
    # nobody to answer: on a real server this 499 is dropped, the connection being gone
    assert [m["status"] for m in sent if m["type"] == "http.response.start"] in ([], [499])
    assert after.status_code == 200
    assert sum(engine.calls[1:]) == 2  # the first and the third; the abandoned one never ran
    # counted as the client's doing (nginx's 499), not as a server error
    gone = 'summarizer_http_requests_total{method="POST",route="/v1/summaries",status="499"} 1.0'
    assert gone in metrics and 'status="500"' not in metrics


def test_the_counters_return_to_zero_and_a_burst_fills_the_queue_at_the_door(
    one_slot_app, articles
):
    """Requests heading for the queue count in it from the moment they are admitted: a burst
    of new articles larger than the queue is refused at once, not after being prepared."""
    app, _ = one_slot_app(delay=0.5)
    texts = distinct(articles, 12)

    async def main():
        async with running(app) as c:
            rs = await asyncio.gather(*(c.post("/v1/summaries", json={"text": t}) for t in texts))
            admission = app.state.admission
            return rs, (admission.in_service, admission.heading, admission.waiting)

    rs, counters = asyncio.run(main())
    statuses = sorted(r.status_code for r in rs)
    assert statuses.count(200) <= 3 and statuses.count(503) >= 9, statuses
    assert counters == (0, 0, 0)


def test_recent_summaries_are_bounded_in_entries_and_time(monkeypatch):
    now = [0.0]
    monkeypatch.setattr("api.service.time.monotonic", lambda: now[0])
    recent = RecentSummaries(ttl=10.0, max_entries=2)
    for name in ("a", "b", "c"):
        recent.put(name, name)  # type: ignore[arg-type]
    assert len(recent) == 2 and recent.get("a") is None and recent.get("c") == "c"
    now[0] = 10.0
    assert recent.get("c") is None
