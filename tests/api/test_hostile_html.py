"""HTML shaped to make the parser quadratic never stalls the service (issue 16, High 1)."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from api.app import create_app
from tests.api.conftest import running

ARTICLE = (
    "The council met on Monday to debate the new budget for the city. "
    "It approved the plan after a long discussion that lasted into the night. "
    "Critics said the plan would raise taxes for families across the region. "
    "The mayor said the budget was balanced and fair to everyone who lives here. "
    "A final vote on the details is due next month, officials said."
)


def attribute_flood(n: int) -> str:
    attrs = " ".join(f"a{i}=x" for i in range(n))
    return f"<html><body><article><p {attrs}>{ARTICLE}</p></article></body></html>"


@pytest.mark.hostile(
    "http",
    "Two concurrent 700 KB pages with 80,000 attributes on one tag do not delay a normal "
    "request: it is answered within a few seconds.",
)
def test_attribute_flood_leaves_normal_requests_answered(make_settings):
    asyncio.run(_attribute_flood(make_settings))


async def _attribute_flood(make_settings) -> None:
    flood = {"html": attribute_flood(80_000)}
    assert len(flood["html"]) > 600_000
    app = create_app(make_settings(cache_url="none"))
    async with running(app) as client:
        floods = [asyncio.create_task(client.post("/v1/summaries", json=flood)) for _ in range(2)]
        await asyncio.sleep(0.05)  # both floods are being prepared
        start = time.perf_counter()
        normal = await asyncio.wait_for(
            client.post("/v1/summaries", json={"text": ARTICLE}), timeout=10
        )
        waited = time.perf_counter() - start
        assert normal.status_code == 200, normal.text
        assert waited < 3.0, f"a normal request waited {waited:.1f} s behind the flood"
        answers = await asyncio.wait_for(asyncio.gather(*floods), timeout=10)
        for r in answers:
            # The excess attributes are dropped: the article inside is summarized.
            assert r.status_code == 200, r.text
            assert "council" in r.json()["summary"]


@pytest.mark.hostile(
    "http",
    "A request whose article preparation hangs is answered 504 at the request deadline, "
    "and the service keeps answering other requests.",
)
def test_preparation_is_under_the_request_deadline(make_settings, monkeypatch):
    asyncio.run(_stuck_preparation(make_settings, monkeypatch))


async def _stuck_preparation(make_settings, monkeypatch) -> None:
    app = create_app(make_settings(cache_url="none", request_deadline_seconds=0.5))
    release = threading.Event()
    async with running(app) as client:
        summarizer = app.state.service.summarizer
        real_prepare = summarizer.prepare

        def stuck_prepare(raw, input_format="auto", language=None, **kwargs):
            if "STUCK" in raw:
                release.wait(10)  # a parser that takes far longer than the deadline
            return real_prepare(raw, input_format, language, **kwargs)

        monkeypatch.setattr(summarizer, "prepare", stuck_prepare)
        try:
            start = time.perf_counter()
            r = await asyncio.wait_for(
                client.post("/v1/summaries", json={"text": "STUCK " + ARTICLE}), timeout=5
            )
            elapsed = time.perf_counter() - start
            assert r.status_code == 504, r.text
            assert r.json()["error"]["code"] == "deadline_exceeded"
            assert elapsed < 2.0, elapsed
            ok = await asyncio.wait_for(client.post("/v1/summaries", json={"text": ARTICLE}), 5)
            assert ok.status_code == 200, ok.text
            metrics = (await client.get("/metrics")).text
            assert 'summarizer_rejected_total{reason="deadline"} 1.0' in metrics
        finally:
            release.set()


def nested_page(depth: int) -> str:
    level = f"<ul><li><p>{ARTICLE}</p>"
    return f"<html><body><article>{level * depth}{'</li></ul>' * depth}</article></body></html>"


@pytest.mark.hostile(
    "http",
    "While four pages of lists nested hundreds deep (with a paragraph at every level) are "
    "prepared at once, /healthz answers within 100 ms (p99) and a normal request within 2 s; "
    "each page is answered.",
)
def test_nested_pages_leave_health_and_normal_requests_answered(make_settings):
    asyncio.run(_nested_pages(make_settings))


async def _nested_pages(make_settings) -> None:
    page = {"html": nested_page(2_500)}
    assert len(page["html"]) > 900_000
    app = create_app(make_settings(cache_url="none"))
    async with running(app) as client:
        # The anchor: /healthz on this machine now, with nothing else to do.
        idle = []
        for _ in range(50):
            began = time.perf_counter()
            await client.get("/healthz")
            idle.append(time.perf_counter() - began)
            await asyncio.sleep(0.01)
        idle.sort()
        pages = [asyncio.create_task(client.post("/v1/summaries", json=page)) for _ in range(4)]
        await asyncio.sleep(0.05)  # the pages are being prepared
        health: list[float] = []
        normal = asyncio.create_task(client.post("/v1/summaries", json={"text": ARTICLE}))
        start = time.perf_counter()
        normal_took = None
        while not all(p.done() for p in pages) or not normal.done():
            began = time.perf_counter()
            r = await client.get("/healthz")
            health.append(time.perf_counter() - began)
            assert r.status_code == 200
            if normal.done() and normal_took is None:
                normal_took = time.perf_counter() - start
            await asyncio.sleep(0.01)
        normal_took = normal_took or time.perf_counter() - start
        assert (await normal).status_code == 200
        assert normal_took < 2.0, f"a normal request took {normal_took:.1f} s beside the pages"
        for p in pages:
            r = await p
            assert r.status_code in (200, 422), r.text
        health.sort()
        assert len(health) >= 10
        # 100 ms, or (a machine busy with other work) a few times what an idle service takes.
        bound = max(0.1, 5 * idle[int(len(idle) * 0.99)])
        assert health[int(len(health) * 0.99)] < bound, (health[-5:], idle[-5:])
