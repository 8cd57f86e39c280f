"""The hot path (api/hotpath.py): admission before the body is read, and the in-process tier of
recent responses in front of the shared cache. In-process, with a deliberately slow engine."""

from __future__ import annotations

import asyncio
import json
import time

import pytest

from api.hotpath import HotSummaries, render
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
    assert headers["connection"] == "close"  # a flooding client must reconnect first
    assert body_read is False  # answered before the body was read
    assert refused_s < 0.1, refused_s
    assert [code for code, _ in probes] == [200, 200]
    assert max(s for _, s in probes) < 0.1, probes
    assert ok_first.status_code == 200 and ok_second.status_code == 200
    assert sum(engine.calls[1:]) == 2  # the refused article never reached the model
    assert 'summarizer_rejected_total{reason="overloaded"} 1.0' in metrics
    # labelled by the route's template, like a refusal from the route itself
    assert 'route="/v1/summaries",status="503"' in metrics


@pytest.mark.hostile(
    "http",
    "While the summary queue is full a summary the service holds in memory is still answered "
    "(200, a viral article's flood of repeats), and every other request gets 503 without its "
    "body being parsed.",
)
def test_a_full_queue_still_answers_a_summary_held_in_memory(make_settings, articles):
    app, engine = slow_app(
        make_settings(queue_max_depth=1, microbatch_max_size=1, microbatch_wait_ms=0), delay=0.8
    )
    viral, first, second, other = distinct(articles, 4)
    viral_body = json.dumps({"text": viral}).encode()
    # The same length as the viral body, other bytes: read and hashed, then refused.
    twin_body = viral_body[:-3] + (b"Y" if viral_body[-3:-2] != b"Y" else b"Z") + viral_body[-2:]
    other_body = json.dumps({"text": other}).encode()
    assert len(twin_body) == len(viral_body) != len(other_body)

    async def main():
        async with running(app) as c:
            ok = await c.post("/v1/summaries", content=viral_body, headers=JSON)
            running_one = asyncio.create_task(c.post("/v1/summaries", json={"text": first}))
            await asyncio.sleep(0.2)  # in the model now
            queued = asyncio.create_task(c.post("/v1/summaries", json={"text": second}))
            await asyncio.sleep(0.2)  # waiting in the queue (depth 1): full
            answers = [await call_raw(app, b) for b in (viral_body, other_body, twin_body)]
            metrics = (await c.get("/metrics")).text
            return ok, answers, await running_one, await queued, metrics

    ok, (hot, refused, twin), ok_first, ok_second, metrics = asyncio.run(main())
    assert ok.status_code == 200 and ok_first.status_code == 200 and ok_second.status_code == 200
    status, _, body, _ = hot
    assert status == 200 and body["cached"] is True
    assert body["summary"] == ok.json()["summary"]
    status, headers, body, body_read = refused
    assert status == 503 and body["error"]["code"] == "overloaded" and body_read is False
    status, headers, body, body_read = twin
    assert status == 503 and body["error"]["code"] == "overloaded" and body_read is True
    assert int(headers["retry-after"]) >= 1
    assert sum(engine.calls[1:]) == 3  # viral, first, second: neither refused one ran
    assert 'summarizer_rejected_total{reason="overloaded"} 2.0' in metrics  # counted once each


@pytest.mark.hostile(
    "http",
    "A body of a hot summary's length gets past a full queue only within a bounded number of "
    "reads at once, never past the in-flight limit: beyond them it is refused unread.",
)
@pytest.mark.parametrize("limit", ["in-flight requests", "hot reads at once"])
def test_a_hot_length_never_gets_past_the_other_limits(make_settings, articles, monkeypatch, limit):
    settings = dict(queue_max_depth=1, microbatch_max_size=1, microbatch_wait_ms=0)
    if limit == "in-flight requests":
        settings["max_concurrent_requests"] = 2
    else:
        monkeypatch.setattr("api.hotpath.HOT_READS_MAX", 0)
    app, _ = slow_app(make_settings(**settings), delay=0.8)
    viral, first, second = distinct(articles, 3)
    viral_body = json.dumps({"text": viral}).encode()

    async def main():
        async with running(app) as c:
            assert (await c.post("/v1/summaries", content=viral_body, headers=JSON)).is_success
            running_one = await occupy_model(c, first)
            queued = asyncio.create_task(c.post("/v1/summaries", json={"text": second}))
            await asyncio.sleep(0.2)  # the queue (depth 1) is full, two requests in flight
            answer = await call_raw(app, viral_body)
            return answer, await running_one, await queued

    (status, _, body, body_read), ok_first, ok_second = asyncio.run(main())
    assert ok_first.status_code == 200 and ok_second.status_code == 200
    assert status == 503 and body["error"]["code"] == "overloaded"
    assert body_read is False


def test_a_repeated_request_is_answered_from_memory_with_the_same_response(make_settings, article):
    app, engine = slow_app(make_settings(), delay=0.05)
    body = {"text": article, "id": "a-1", "length": "short"}

    async def main():
        async with running(app) as c:
            first = await c.post("/v1/summaries", json=body)
            service = app.state.service
            service.hot.clear()
            from_cache = await c.post("/v1/summaries", json=body)  # the shared cache's answer

            calls = []
            summarize = service.summarize

            async def counted(*args, **kwargs):
                calls.append(args)
                return await summarize(*args, **kwargs)

            service.summarize = counted
            hot = [await c.post("/v1/summaries", json=body) for _ in range(3)]
            assert calls == []  # a hot hit never reaches the service
            other = await c.post("/v1/summaries", json={**body, "id": "a-2"})
            assert len(calls) == 1  # another id is another raw request
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
    assert other.json()["cached"] is True and other.json()["id"] == "a-2"
    assert engine.calls[1:] == [1]
    counted = 'summarizer_http_requests_total{method="POST",route="/v1/summaries",status="200"}'
    assert f"{counted} 6.0" in metrics


@pytest.mark.hostile("http", "A summary held in memory is never served without a valid API key.")
def test_the_hot_tier_still_needs_the_api_key(make_settings, article):
    app, _ = slow_app(make_settings(api_keys="k1"), delay=0.01)

    async def main():
        async with running(app) as c:
            good = {"X-API-Key": "k1"}
            ok = await c.post("/v1/summaries", json={"text": article}, headers=good)
            again = await c.post("/v1/summaries", json={"text": article}, headers=good)
            none = await c.post("/v1/summaries", json={"text": article})
            wrong = await c.post(
                "/v1/summaries", json={"text": article}, headers={"X-API-Key": "k2"}
            )
            return ok, again, none, wrong

    ok, again, none, wrong = asyncio.run(main())
    assert ok.status_code == 200 and again.json()["cached"] is True
    assert none.status_code == 401 and wrong.status_code == 401


def test_hot_summaries_are_bounded_in_entries_bytes_and_time():
    now = [0.0]
    hot = HotSummaries(ttl_seconds=5, max_entries=3, max_bytes=10_000, clock=lambda: now[0])
    response = {"summary": "x" * 100, "cached": False, "timing": {"total_ms": 1.0}}
    for i in range(5):
        hot.put(HotSummaries.key(str(i).encode()), response)
    assert len(hot) == 3  # the two least recently used went first
    assert hot.get(HotSummaries.key(b"0")) is None
    head = hot.get(HotSummaries.key(b"4"))
    assert json.loads(render(head, 2.5)) == {
        "summary": "x" * 100,
        "cached": True,
        "timing": {"total_ms": 2.5},
    }
    now[0] = 5.0
    assert hot.get(HotSummaries.key(b"4")) is None  # expired
    big = HotSummaries(max_entries=100, max_bytes=1_000)
    for i in range(20):
        big.put(HotSummaries.key(str(i).encode()), {"summary": "y" * 200})
    assert 0 < len(big) <= 4 and big.size <= 1_000


@pytest.mark.hostile(
    "http",
    "While the queue is full, a body of the length of an expired hot summary is refused unread.",
)
def test_an_expired_hot_entrys_length_no_longer_passes_admission():
    now = [0.0]
    hot = HotSummaries(ttl_seconds=5, clock=lambda: now[0])
    body = b'{"text": "viral"}'
    hot.put(HotSummaries.key(body), {"summary": "s", "cached": False})
    assert hot.may_hold(len(body)) and not hot.may_hold(len(body) + 1)
    now[0] = 5.0  # expired, but not asked for: still held until a get() or an eviction
    assert len(hot) == 1
    assert not hot.may_hold(len(body))  # it was True: bodies of that length were read
    hot.put(HotSummaries.key(body[::-1]), {"summary": "s", "cached": False})  # same length
    assert hot.may_hold(len(body))
    hot.clear()
    assert not hot.may_hold(len(body))


def test_the_hot_tier_never_outlives_the_cache_ttl(make_settings):
    app, _ = slow_app(make_settings(cache_ttl_seconds=1), delay=0.01)

    async def main():
        async with running(app):
            return app.state.service.hot.ttl

    assert asyncio.run(main()) == 1


def test_no_hot_tier_without_a_cache(make_settings, article):
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
    assert sent == []  # nobody to answer
    assert after.status_code == 200
    assert sum(engine.calls[1:]) == 2  # the first and the third; the abandoned one never ran
    # counted as the client's doing (nginx's 499), not as a server error
    gone = 'summarizer_http_requests_total{method="POST",route="/v1/summaries",status="499"} 1.0'
    assert gone in metrics and 'status="500"' not in metrics
