"""The fast path of a repeated summary request (api/fastpath.py): served without the route or
the model, byte for byte the route's answer, under the API key, and only while the cache works."""

from __future__ import annotations

import asyncio
import re

from api.service import SummaryService
from tests.api.conftest import running, slow_app

ORIGIN = "https://news.example"
TIMING = re.compile(rb'"total_ms":[0-9.e+-]+')


def counting(service: SummaryService) -> list[str]:
    """Record every call of the service's ``summarize`` (the route's way to a summary)."""
    calls: list[str] = []
    summarize = service.summarize

    async def counted(*args, **kwargs):
        calls.append(args[0])
        return await summarize(*args, **kwargs)

    service.summarize = counted  # type: ignore[method-assign]
    return calls


def comparable(response) -> tuple[bytes, list[tuple[str, str]]]:
    """The body with its timing value blanked, and the headers but the per-request ones."""
    body = TIMING.sub(b'"total_ms":0', response.content)
    varying = {"server-timing", "content-length"}
    headers = [(k, v) for k, v in response.headers.multi_items() if k not in varying]
    return body, headers


def test_a_hit_is_the_routes_answer_without_the_route_or_the_model(make_settings, article):
    app, engine = slow_app(make_settings(cors_origins=[ORIGIN]), delay=0.05)
    body = {"text": article, "id": "a-1", "length": "short"}
    headers = {"Origin": ORIGIN, "X-Request-ID": "req-42"}

    async def main():
        async with running(app) as c:
            service = app.state.service
            first = await c.post("/v1/summaries", json=body, headers=headers)
            service.recent.clear()  # the next one is the route's answer from the shared cache
            routed = await c.post("/v1/summaries", json=body, headers=headers)
            calls = counting(service)
            prepared: list[int] = []
            service._prepare = lambda *a: prepared.append(1)  # type: ignore[method-assign]
            fast = [await c.post("/v1/summaries", json=body, headers=headers) for _ in range(3)]
            return first, routed, fast, calls, prepared, (await c.get("/metrics")).text

    first, routed, fast, calls, prepared, metrics = asyncio.run(main())
    assert first.json()["cached"] is False and routed.json()["cached"] is True
    assert calls == [] and prepared == [] and engine.calls[1:] == [1]
    for r in fast:
        assert r.status_code == 200
        assert comparable(r) == comparable(routed)
        assert r.headers["content-type"] == "application/json"
        assert r.headers["x-request-id"] == "req-42"
        assert r.headers["access-control-allow-origin"] == ORIGIN
        assert int(r.headers["content-length"]) == len(r.content)
        assert r.json()["timing"]["total_ms"] >= 0
    assert 'summarizer_cache_requests_total{result="hit"} 4.0' in metrics  # routed + 3 fast
    counted = 'summarizer_http_requests_total{method="POST",route="/v1/summaries",status="200"}'
    assert f"{counted} 5.0" in metrics


def test_a_cache_fault_takes_the_fast_path_out(make_settings, article):
    app, _ = slow_app(make_settings(), delay=0.01)
    body = {"text": article}

    async def main():
        async with running(app) as c:
            service = app.state.service
            await c.post("/v1/summaries", json=body)
            calls = counting(service)
            assert (await c.post("/v1/summaries", json=body)).json()["cached"] is True
            assert calls == []  # served by the fast path
            inner = app.state.cache.inner

            def broken(key):
                raise OSError("disk gone")

            inner.get = broken
            fault = await c.post("/v1/summaries", json={"text": article + "\n\nMore."})
            after = await c.post("/v1/summaries", json=body)
            return calls, fault, after

    calls, fault, after = asyncio.run(main())
    assert fault.status_code == 200 and after.status_code == 200
    assert len(calls) == 2  # the repeated body went to the route once the cache had failed
    assert after.json()["cached"] is False  # summarized anew, not from memory


def test_a_wrong_api_key_gets_401_even_for_a_recent_body(make_settings, article):
    app, _ = slow_app(make_settings(api_keys="right-key"), delay=0.01)
    body = {"text": article}

    async def main():
        async with running(app) as c:
            good = {"X-API-Key": "right-key"}
            await c.post("/v1/summaries", json=body, headers=good)
            calls = counting(app.state.service)
            hit = await c.post("/v1/summaries", json=body, headers=good)
            wrong = await c.post("/v1/summaries", json=body, headers={"X-API-Key": "wrong"})
            missing = await c.post("/v1/summaries", json=body)
            return calls, hit, wrong, missing

    calls, hit, wrong, missing = asyncio.run(main())
    assert hit.status_code == 200 and hit.json()["cached"] is True and calls == []
    for r in (wrong, missing):
        assert r.status_code == 401 and r.json()["error"]["code"] == "unauthorized"


def test_a_new_request_is_fingerprinted_once_from_its_body(make_settings, article):
    app, _ = slow_app(make_settings(), delay=0.01)
    counts = {"body": 0, "item": 0}

    async def main():
        async with running(app) as c:
            service = app.state.service
            fingerprint, item = service.fingerprint, service.item_fingerprint

            def by_body(data):
                counts["body"] += 1
                return fingerprint(data)

            def by_item(*args):
                counts["item"] += 1
                return item(*args)

            service.fingerprint, service.item_fingerprint = by_body, by_item
            r = await c.post("/v1/summaries", json={"text": article + "\n\nNew."})
            return r

    r = asyncio.run(main())
    assert r.status_code == 200 and r.json()["cached"] is False
    assert counts == {"body": 1, "item": 0}  # passed down in request.state, not recomputed
