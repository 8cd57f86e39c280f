"""The unit of work both engines run: summarize a list of raw texts with one loaded model.

Kept apart from the runners so a worker process or a Ray actor imports only this and the core.
Each article's result is an :class:`~summarizer.batch.outcome.Outcome` (picklable).
"""

from __future__ import annotations

import ctypes
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from summarizer.batch.outcome import Outcome
from summarizer.core import Summarizer
from summarizer.errors import InputError
from summarizer.load_options import LoadOptions, ModelSpec
from summarizer.options import SummaryOptions
from summarizer.text import PreparedText

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WorkerModel:
    """What a worker process or Ray actor needs to load its own copy of the model: the spec the
    driver resolved (so it is not resolved again), the run's load options and the cache URL.
    Picklable."""

    spec: ModelSpec
    load_options: LoadOptions
    cache_url: str | None = None

    def load(self) -> Summarizer:
        from summarizer.cache import open_cache

        return Summarizer.load(self.spec, self.load_options, cache=open_cache(self.cache_url))


def cache_health(summarizer: Summarizer) -> dict[str, Any] | None:
    """This process's cache health (``SafeCache.health()`` and the process id), or None
    without a cache."""
    health = summarizer.cache_health()
    return {**health, "worker": os.getpid()} if health["state"] != "off" else None


def merge_cache_health(healths: Sequence[dict[str, Any]]) -> dict[str, Any] | None:
    """One view of the workers' caches: errors and skips added up, the worst state, a detail."""
    if not healths:
        return None
    rank = {"ok": 0, "open": 1, "disabled": 2}
    worst = max(healths, key=lambda h: (rank.get(h["state"], 0), h["errors"]))
    return {
        "backend": worst["backend"],
        "state": worst["state"],
        "errors": sum(h["errors"] for h in healths),
        "skipped": sum(h.get("skipped", 0) for h in healths),
        "detail": next((h["detail"] for h in [worst, *healths] if h.get("detail")), None),
    }


def summarize_texts(
    summarizer: Summarizer, texts: Sequence[tuple[str | bytes, str]], options: SummaryOptions
) -> list[Outcome]:
    """One result per ``(text, input_format)``; a failing article never sinks its batch."""
    results: list[Outcome | None] = [None] * len(texts)
    docs: list[PreparedText] = []
    where: list[int] = []
    for index, (text, input_format) in enumerate(texts):
        try:
            docs.append(summarizer.prepare(text, input_format, options.language))  # type: ignore[arg-type]
            where.append(index)
        except InputError as exc:
            results[index] = Outcome.failed(str(exc), "prepare")
        except Exception as exc:  # a parser bug must cost one record, never the whole backlog
            log.warning("preparing an article failed: %s: %s", type(exc).__name__, exc)
            results[index] = Outcome.failed(f"{type(exc).__name__}: {exc}", "prepare")
    if docs:
        outcomes = summarizer.summarize_prepared_each(docs, options)
        for index, outcome in zip(where, outcomes, strict=True):
            if isinstance(outcome, Exception):
                log.warning("an article failed: %s: %s", type(outcome).__name__, outcome)
                reason = f"{type(outcome).__name__}: {outcome}"
                results[index] = Outcome.failed(reason, "engine")
            else:
                results[index] = Outcome.of(outcome)
    return [r for r in results if r is not None]


# -- process-pool worker --------------------------------------------------------------------------

_WORKER: Summarizer | None = None


def init_worker(model: WorkerModel, parent: int | None = None) -> None:
    """Process-pool initializer: die with the parent (``parent``: its pid), then load the model
    once. Without this a ``kill -9`` of the batch leaves each worker holding its model."""
    global _WORKER
    from summarizer.batch.signals import ignore_in_worker

    ignore_in_worker()  # the parent stops its workers itself (see batch.signals)
    if parent is not None:
        die_with_parent(parent)
    _WORKER = model.load()


def worker_ready() -> None:
    """A no-op task: submitting one per worker starts every worker at once."""


PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def die_with_parent(parent: int, poll_seconds: float = 1.0) -> None:
    """End this process when ``parent`` dies, however it dies (SIGKILL included).

    On Linux the kernel sends SIGKILL at once (``prctl(PR_SET_PDEATHSIG)``); everywhere, a
    daemon thread also watches for the parent's pid to change (this process was re-parented)
    and exits. A parent that died before this ran is caught by the first check."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
                log.debug("prctl(PR_SET_PDEATHSIG) failed: errno %d", ctypes.get_errno())
        except (OSError, AttributeError) as exc:  # pragma: no cover - exotic libc
            log.debug("no prctl: %s", exc)
    if os.getppid() != parent:
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(poll_seconds)
        os._exit(1)

    threading.Thread(target=watch, name="die-with-parent", daemon=True).start()


def worker_summarize(
    texts: list[tuple[str | bytes, str]], options: SummaryOptions
) -> tuple[list[Outcome], dict[str, Any] | None]:
    """The results, and this worker's cache health for the run's summary line."""
    assert _WORKER is not None, "init_worker did not run"
    return summarize_texts(_WORKER, texts, options), cache_health(_WORKER)
