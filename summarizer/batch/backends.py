"""Who computes the units of a local run: this process (``--workers 1``), or a pool of spawned
processes that each load the model once (``--workers N``)."""

from __future__ import annotations

import multiprocessing
import os
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from summarizer.batch import signals
from summarizer.batch.job import Unit
from summarizer.batch.outcome import Outcome
from summarizer.batch.work import (
    WorkerModel,
    cache_health,
    init_worker,
    merge_cache_health,
    summarize_texts,
    worker_ready,
    worker_summarize,
)
from summarizer.options import SummaryOptions


class InlineBackend:
    """``--workers 1``: the model is loaded in this process."""

    def __init__(self, model: WorkerModel, options: SummaryOptions) -> None:
        self.summarizer = model.load()
        self.options = options
        self.seconds = 0.0  # spent in summarize_texts: what the engine itself costs

    def map(self, units: Iterable[Unit]) -> Iterator[tuple[Unit, list[Outcome]]]:
        for unit in units:
            started = time.perf_counter()
            results = (
                summarize_texts(self.summarizer, unit.texts, self.options) if unit.texts else []
            )
            self.seconds += time.perf_counter() - started
            yield unit, results

    def cache_health(self) -> dict[str, Any] | None:
        health = cache_health(self.summarizer)
        return merge_cache_health([health]) if health else None

    def close(self) -> None:
        self.summarizer.close()


class ProcessBackend:
    """``--workers N``: N spawned processes, each loading the model once."""

    def __init__(self, model: WorkerModel, options: SummaryOptions, workers: int) -> None:
        self.workers = workers
        self.options = options
        self.healths: dict[int, dict[str, Any]] = {}  # the latest cache health of each worker
        self.pool: ProcessPoolExecutor | None = None
        try:
            # Every worker is started here, with the stop signals held back (they inherit that),
            # so none can be stopped by a Ctrl-C before it ignores them (``init_worker``).
            with signals.blocked():
                self.pool = ProcessPoolExecutor(
                    max_workers=workers,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=init_worker,
                    initargs=(model, os.getpid()),  # workers die with this process (kill -9)
                )
                # Making the pool may have started multiprocessing's resource tracker, which
                # unblocks SIGINT and SIGTERM here when it starts: hold them back again.
                signals.block()
                for _ in range(workers):
                    self.pool.submit(worker_ready)
        except BaseException:
            self.abort()
            raise

    def map(self, units: Iterable[Unit]) -> Iterator[tuple[Unit, list[Outcome]]]:
        ahead: deque[tuple[Unit, Future[Any] | None]] = deque()
        for unit in units:
            future = (
                self.pool.submit(worker_summarize, unit.texts, self.options) if unit.texts else None
            )
            ahead.append((unit, future))
            while len(ahead) > 2 * self.workers:
                done, fut = ahead.popleft()
                yield done, self._results(fut)
        while ahead:
            done, fut = ahead.popleft()
            yield done, self._results(fut)

    def _results(
        self, future: Future[tuple[list[Outcome], dict[str, Any] | None]] | None
    ) -> list[Outcome]:
        if future is None:
            return []
        results, health = future.result()
        if health is not None:
            self.healths[health["worker"]] = health
        return results

    def cache_health(self) -> dict[str, Any] | None:
        return merge_cache_health(list(self.healths.values()))

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)

    def abort(self) -> None:
        """After an interrupt: stop at once. The workers ignore stop signals, and one may be
        minutes into a batch whose result is no longer wanted, so they are killed (SIGKILL),
        then the pool is shut down, which returns as soon as it sees them gone."""
        if self.pool is None:
            return
        self.pool.shutdown(wait=False, cancel_futures=True)
        workers = multiprocessing.active_children()
        for process in workers:
            process.kill()
        for process in workers:
            process.join(10)
        self.pool.shutdown(wait=True)
