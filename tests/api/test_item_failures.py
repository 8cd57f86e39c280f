"""A model call that fails on one article fails only that article's request, even when it shared
a micro-batch with other readers' articles."""

from __future__ import annotations

import asyncio

import pytest

from api.app import create_app
from summarizer.batch.work import summarize_texts
from summarizer.core import Summarizer
from summarizer.errors import SummarizerError
from summarizer.options import SummaryOptions
from tests.api.conftest import SlowEngine, running

POISON = "This article makes the model fail."


class PoisonedEngine(SlowEngine):
    """Raises ``error`` for any batch that holds the poisoned article."""

    def __init__(self, error: Exception) -> None:
        super().__init__(delay=0.05)
        self.error = error

    def summarize_batch(self, docs, options):
        if any(POISON in doc.text for doc in docs):
            with self.lock:
                self.calls.append(len(docs))
            raise self.error
        return super().summarize_batch(docs, options)


@pytest.mark.parametrize(
    ("error", "status", "code"),
    [
        (RuntimeError("CUDA error at /secret/path/model.py"), 500, "internal_error"),
        (SummarizerError("this article cannot be summarized"), 422, "summarizer_error"),
    ],
)
def test_one_failing_article_does_not_fail_its_micro_batch(
    make_settings, articles, caplog, error, status, code
):
    engine = PoisonedEngine(error)
    settings = make_settings(microbatch_wait_ms=300, microbatch_max_size=8, cache_url="none")
    app = create_app(settings, summarizer=Summarizer(engine))
    good = [f"{articles[0]}\n\nEdition 1.", f"{articles[1]}\n\nEdition 2."]
    bad = f"{articles[2]}\n\n{POISON}"

    async def main():
        async with running(app) as c:
            return await asyncio.gather(
                *(c.post("/v1/summaries", json={"text": t}) for t in [good[0], bad, good[1]])
            )

    ok_1, failed, ok_2 = asyncio.run(main())
    assert engine.calls[1] == 3, engine.calls  # all three shared one model call...
    assert sorted(engine.calls[2:]) == [1, 1, 1]  # ...then each was retried alone
    for r, text in ((ok_1, good[0]), (ok_2, good[1])):
        assert r.status_code == 200, r.text
        assert r.json()["summary"] in text
    assert failed.status_code == status
    assert failed.json()["error"]["code"] == code
    if status == 500:
        assert "secret" not in failed.text and "Traceback" not in failed.text
        assert "CUDA error" in caplog.text  # the detail is in the server log
    else:
        assert failed.json()["error"]["message"] == "this article cannot be summarized"


def test_batch_runner_shares_the_one_by_one_fallback(articles):
    engine = PoisonedEngine(RuntimeError("boom"))
    results = summarize_texts(
        Summarizer(engine),
        [(articles[0], "text"), (f"{articles[1]}\n\n{POISON}", "text"), (articles[2], "text")],
        SummaryOptions(),
    )
    assert [not r.ok for r in results] == [False, True, False]
    assert (results[1].error, results[1].stage) == ("RuntimeError: boom", "engine")
