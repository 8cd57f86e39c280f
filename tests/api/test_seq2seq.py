"""The service on a (tiny, random-weight) seq2seq checkpoint: batched generation behind HTTP."""

from __future__ import annotations

import asyncio

import pytest

from api.app import create_app
from tests.api.conftest import running


def test_seq2seq_model_served_with_micro_batching(tiny_bart, make_settings, articles):
    settings = make_settings(
        model=str(tiny_bart), device="cpu", microbatch_wait_ms=200, model_process=False
    )
    app = create_app(settings)

    async def main():
        async with running(app) as c:
            texts = [a[:1500] for a in articles[:3]]
            rs = await asyncio.gather(
                *(c.post("/v1/summaries", json={"text": t, "length": "short"}) for t in texts)
            )
            again = await c.post("/v1/summaries", json={"text": texts[0], "length": "short"})
            models = (await c.get("/v1/models")).json()
            metrics = (await c.get("/metrics")).text
            return rs, again, models, metrics

    rs, again, models, metrics = asyncio.run(main())
    assert [r.status_code for r in rs] == [200, 200, 200], [r.text for r in rs]
    assert {r.json()["engine"] for r in rs} == {"seq2seq"}
    assert all(r.json()["summary"].strip() for r in rs)
    assert again.json()["cached"] is True and again.json()["summary"] == rs[0].json()["summary"]
    assert models["loaded"]["engine"] == "seq2seq"
    # the three concurrent requests went to the model together
    assert "summarizer_model_batch_size_count 1.0" in metrics
    assert "summarizer_model_batch_size_sum 3.0" in metrics


def test_num_beams_setting_is_what_the_loaded_model_uses(tiny_bart, make_settings):
    app = create_app(
        make_settings(model=str(tiny_bart), device="cpu", num_beams=3, model_process=False)
    )

    async def main():
        async with running(app) as c:
            return (await c.get("/v1/models")).json()

    assert asyncio.run(main())["loaded"]["num_beams"] == 3


def test_replicas_setting_is_what_the_loaded_model_uses(tiny_bart, make_settings, tmp_path):
    pytest.importorskip("ctranslate2")
    from summarizer.convert import convert

    folder = convert(str(tiny_bart), tmp_path / "ct2", "int8")
    app = create_app(make_settings(model=str(folder), device="cpu", replicas=2))

    async def main():
        async with running(app) as c:
            return (await c.get("/v1/models")).json()

    loaded = asyncio.run(main())["loaded"]
    assert (loaded["engine"], loaded["replicas"]) == ("ctranslate2", 2)
