"""Micro-batching, single flight, the bounded queue, deadlines, readiness and shutdown, with a
deliberately slow engine, in-process (httpx ASGITransport) and bounded in time."""

from __future__ import annotations

import asyncio
import time

import httpx

from api.app import create_app
from summarizer.cache import open_cache
from summarizer.core import Summarizer
from tests.api.conftest import SlowEngine, await_ready, running, slow_app


def distinct(articles: list[str], n: int) -> list[str]:
    return [f"{articles[i % len(articles)]}\n\nEdition {i}." for i in range(n)]


async def timed(client: httpx.AsyncClient, method: str, url: str, **kw):
    start = time.perf_counter()
    r = await client.request(method, url, **kw)
    return r, time.perf_counter() - start


def test_concurrent_requests_share_one_model_call(make_settings, articles):
    app, engine = slow_app(
        make_settings(microbatch_wait_ms=100, microbatch_max_size=8, cache_url="none"), delay=0.2
    )

    async def main():
        async with running(app) as c:
            texts = distinct(articles, 6)
            rs = await asyncio.gather(*(c.post("/v1/summaries", json={"text": t}) for t in texts))
            assert [r.status_code for r in rs] == [200] * 6
            for r, text in zip(rs, texts, strict=True):
                assert r.json()["summary"] in text  # each gets its own article's summary
            return (await c.get("/metrics")).text

    metrics = asyncio.run(main())
    model_calls = engine.calls[1:]  # the first call is the warm-up
    assert sum(model_calls) == 6
    assert len(model_calls) < 6 and max(model_calls) >= 3, model_calls
    assert f"summarizer_model_batch_size_count {len(model_calls)}.0" in metrics


def test_identical_requests_in_flight_are_computed_once(make_settings, article):
    app, engine = slow_app(make_settings(), delay=0.3)

    async def main():
        async with running(app) as c:
            rs = await asyncio.gather(
                *(c.post("/v1/summaries", json={"text": article}) for _ in range(10))
            )
            return rs, (await c.get("/metrics")).text

    rs, metrics = asyncio.run(main())
    assert all(r.status_code == 200 for r in rs)
    assert len({r.json()["summary"] for r in rs}) == 1
    assert engine.calls[1:] == [1]
    assert "summarizer_single_flight_joins_total 9.0" in metrics


def test_flood_beyond_the_queue_gets_fast_503_while_healthz_answers(make_settings, articles):
    app, engine = slow_app(
        make_settings(queue_max_depth=2, microbatch_max_size=1, microbatch_wait_ms=0), delay=1.0
    )

    async def main():
        async with running(app) as c:
            flood = [
                asyncio.create_task(timed(c, "POST", "/v1/summaries", json={"text": t}))
                for t in distinct(articles, 40)
            ]
            await asyncio.sleep(0.05)
            health = [await timed(c, "GET", "/healthz") for _ in range(5)]
            return await asyncio.gather(*flood), health

    results, health = asyncio.run(main())
    ok = [(r, s) for r, s in results if r.status_code == 200]
    busy = [(r, s) for r, s in results if r.status_code == 503]
    assert len(ok) + len(busy) == 40
    assert 1 <= len(ok) <= 4  # one running + two queued (+ one racing the first batch)
    assert len(busy) >= 36
    for r, seconds in busy:
        assert r.json()["error"]["code"] == "overloaded"
        assert int(r.headers["retry-after"]) >= 1
        # Refused at once: well before even one model call (1 s) could have ended.
        assert seconds < 0.5, f"a 503 took {seconds:.3f}s"
    assert all(r.status_code == 200 for r, _ in health)
    assert max(s for _, s in health) < 0.25, health
    assert max(s for _, s in busy) < min(s for _, s in ok)
    assert sum(engine.calls[1:]) == len(ok)


def test_deadline_gives_504_frees_the_slot_and_drops_abandoned_work(make_settings, articles):
    settings = make_settings(
        queue_max_depth=1,
        microbatch_max_size=1,
        microbatch_wait_ms=0,
        request_deadline_seconds=0.3,
    )
    app, engine = slow_app(settings, delay=0.5)
    a, b, c_, d = distinct(articles, 4)

    async def main():
        async with running(app) as c:
            post = lambda text: c.post("/v1/summaries", json={"text": text})  # noqa: E731
            task_a = asyncio.create_task(post(a))  # runs in the model for 0.5 s
            await asyncio.sleep(0.05)
            task_b = asyncio.create_task(post(b))  # waits in the queue (depth 1)
            await asyncio.sleep(0.05)
            r_c = await post(c_)  # queue full
            r_a, r_b = await task_a, await task_b  # both past their 0.3 s deadline
            depth = app.state.service.queue_depth
            r_d = await post(d)  # the freed slot takes it: queued, not refused
            await asyncio.sleep(0.6)  # let the model finish d
            r_a2 = await post(a)
            return r_a, r_b, r_c, r_d, depth, r_a2

    r_a, r_b, r_c, r_d, depth, r_a2 = asyncio.run(main())
    assert r_c.status_code == 503
    for r in (r_a, r_b):
        assert r.status_code == 504, r.text
        assert r.json()["error"]["code"] == "deadline_exceeded"
    assert depth == 0
    assert r_d.status_code == 504  # waited for a's model call to end, but it was queued
    assert engine.calls[1:] == [1, 1]  # a and d ran; b, abandoned in the queue, never did
    assert r_a2.status_code == 200 and r_a2.json()["cached"] is True  # a's work was kept


def test_not_ready_until_the_model_is_warm(make_settings, article):
    app, _ = slow_app(make_settings(), delay=0.6)  # the warm-up call takes 0.6 s

    async def main():
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
                early = await c.get("/readyz")
                summary = await c.post("/v1/summaries", json={"text": article})
                metrics = (await c.get("/metrics")).text
                health = await c.get("/healthz")
                for _ in range(200):
                    if (late := await c.get("/readyz")).status_code == 200:
                        break
                    await asyncio.sleep(0.02)
                return early, summary, metrics, health, late

    early, summary, metrics, health, late = asyncio.run(main())
    assert early.status_code == 503 and early.json()["error"]["code"] == "not_ready"
    assert summary.status_code == 503 and "retry-after" in summary.headers
    assert 'summarizer_rejected_total{reason="not_ready"} 1.0' in metrics
    assert health.status_code == 200
    assert late.status_code == 200


def test_a_failed_model_load_keeps_readyz_503_and_tells_only_the_log(make_settings, caplog):
    app = create_app(make_settings(model="no-such-model"))

    async def main():
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
                for _ in range(200):
                    r = await c.get("/readyz")
                    if "failed" in r.text:
                        return r
                    await asyncio.sleep(0.02)
                return r

    r = asyncio.run(main())
    assert r.status_code == 503
    assert r.json()["error"]["message"] == "model failed to load; see the service log"
    assert "no-such-model" not in r.text  # no names, paths or settings to anonymous callers
    assert "no-such-model" in caplog.text  # the operator still gets the detail


def test_shutdown_finishes_in_flight_requests_and_flushes_the_cache(make_settings, article):
    settings = make_settings()
    engine = SlowEngine(0.4)
    app = create_app(settings, summarizer=Summarizer(engine))

    async def main():
        ctx = app.router.lifespan_context(app)
        await ctx.__aenter__()
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
            await await_ready(c)
            request = asyncio.create_task(c.post("/v1/summaries", json={"text": article}))
            await asyncio.sleep(0.1)  # in the model now
            await ctx.__aexit__(None, None, None)  # shutdown begins while it runs
            return await request

    r = asyncio.run(main())
    assert r.status_code == 200
    cache = open_cache(settings.cache_url)
    try:
        rows = cache._conn().execute("SELECT count(*) FROM summaries").fetchone()[0]
    finally:
        cache.close()
    assert rows == 1
