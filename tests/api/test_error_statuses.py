"""One mapping from library errors to HTTP statuses (``api.errors.from_exception``): a model call
that raises gives the same status and code on ``POST /v1/summaries`` and as a batch item."""

from __future__ import annotations

import asyncio

import pytest

from api.app import create_app
from summarizer import errors as lib
from summarizer.core import Summarizer
from tests.api.conftest import running
from tests.api.test_item_failures import POISON, PoisonedEngine


@pytest.mark.hostile(
    "http", "A model that fails on an article gives one status, alone or in a batch."
)
@pytest.mark.parametrize(
    ("error", "status", "code"),
    [
        (lib.InputError("no article"), 422, "invalid_input"),
        (lib.OptionsError("min_words above max_words"), 422, "invalid_options"),
        (lib.SummarizerError("cannot be summarized"), 422, "summarizer_error"),
        (lib.ModelLoadError("the model failed to load"), 500, "model_load_failed"),
        (lib.ModelNotFoundError("no such model"), 500, "model_not_found"),
        (lib.ModelProcessError("the model process stopped"), 500, "model_process_died"),
        (lib.UnsafeCheckpointError("pickle weights"), 500, "unsafe_checkpoint"),
        (RuntimeError("CUDA error at /secret/path"), 500, "internal_error"),
    ],
)
def test_a_failing_model_call_has_one_status_single_or_batch(
    make_settings, article, error, status, code
):
    settings = make_settings(microbatch_wait_ms=0, cache_url="none")
    app = create_app(settings, summarizer=Summarizer(PoisonedEngine(error)))

    text = f"{article}\n\n{POISON}"  # the engine raises for this article only (not warm-up)

    async def main():
        async with running(app) as c:
            single = await c.post("/v1/summaries", json={"text": text})
            batch = await c.post("/v1/summaries/batch", json={"items": [{"text": text}]})
            return single, batch

    single, batch = asyncio.run(main())
    assert (single.status_code, single.json()["error"]["code"]) == (status, code)
    item = batch.json()["items"][0]
    assert (item["status"], item["error"]["code"]) == (status, code)
    assert "secret" not in single.text and "secret" not in batch.text
