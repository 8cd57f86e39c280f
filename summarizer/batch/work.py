"""The unit of work both engines run: summarize a list of raw texts with one loaded model.

Kept apart from the runners so a worker process or a Ray actor imports only this and the core.
Results are plain dicts (picklable, Arrow-friendly): ``{"summary", "engine", "model", "chars",
"words", "cached"}`` on success, ``{"error", "stage"}`` when the article cannot be summarized.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from summarizer.core import Summarizer
from summarizer.errors import InputError
from summarizer.options import SummaryOptions
from summarizer.summary import Summary
from summarizer.text import PreparedText

log = logging.getLogger(__name__)

Result = dict[str, Any]


@dataclass(frozen=True)
class LoadSpec:
    """What a worker needs to load its own copy of the model."""

    model: str = "auto"
    device: str = "auto"
    threads: int | None = None
    batch_size: int = 8
    num_beams: int | None = None
    replicas: int = 1
    cache_url: str | None = None
    models_dir: str | None = field(default_factory=lambda: os.environ.get("SUMMARIZER_MODELS_DIR"))

    def load(self) -> Summarizer:
        from summarizer.cache import open_cache

        return Summarizer.load(
            self.model,
            device=self.device,
            threads=self.threads,
            batch_size=self.batch_size,
            num_beams=self.num_beams,
            replicas=self.replicas,
            cache=open_cache(self.cache_url),
            models_dir=self.models_dir,
        )


def ok(summary: Summary) -> Result:
    return {
        "summary": summary.text,
        "engine": summary.engine,
        "model": summary.model,
        "chars": summary.coverage.input_chars,
        "words": summary.coverage.input_words,
        "cached": summary.cached,
    }


def summarize_texts(
    summarizer: Summarizer, texts: Sequence[tuple[str | bytes, str]], options: SummaryOptions
) -> list[Result]:
    """One result per ``(text, input_format)``; a failing article never sinks its batch."""
    results: list[Result | None] = [None] * len(texts)
    docs: list[PreparedText] = []
    where: list[int] = []
    for index, (text, input_format) in enumerate(texts):
        try:
            docs.append(summarizer.prepare(text, input_format, options.language))  # type: ignore[arg-type]
            where.append(index)
        except InputError as exc:
            results[index] = {"error": str(exc), "stage": "prepare"}
    if docs:
        outcomes = summarizer.summarize_prepared_each(docs, options)
        for index, outcome in zip(where, outcomes, strict=True):
            if isinstance(outcome, Exception):
                log.warning("an article failed: %s: %s", type(outcome).__name__, outcome)
                reason = f"{type(outcome).__name__}: {outcome}"
                results[index] = {"error": reason, "stage": "engine"}
            else:
                results[index] = ok(outcome)
    return [r for r in results if r is not None]


# -- process-pool worker --------------------------------------------------------------------------

_WORKER: Summarizer | None = None


def init_worker(spec: LoadSpec) -> None:
    """Process-pool initializer: each worker loads the model once."""
    global _WORKER
    _WORKER = spec.load()


def worker_summarize(texts: list[tuple[str | bytes, str]], options: SummaryOptions) -> list[Result]:
    assert _WORKER is not None, "init_worker did not run"
    return summarize_texts(_WORKER, texts, options)
