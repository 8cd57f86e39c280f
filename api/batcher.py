"""The model's queue: single flights, micro-batches, one model thread.

A miss is a *flight* keyed by its cache key, joined by identical requests; flights wait in a
queue bounded by ``api.admission``, and are run in micro-batches (``microbatch_wait_ms``,
``microbatch_max_size``) in the one model thread; one nobody waits for is dropped."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from api.admission import Admission, Ticket
from api.errors import ApiError, from_exception
from api.metrics import Metrics
from api.settings import Settings
from summarizer.core import Summarizer
from summarizer.errors import SummarizerError
from summarizer.options import SummaryOptions
from summarizer.summary import Summary
from summarizer.text import PreparedText

log = logging.getLogger("api.batcher")


@dataclass(eq=False)
class Flight:
    key: str
    doc: PreparedText
    options: SummaryOptions
    future: asyncio.Future[Summary]
    waiters: int = 1
    started: bool = False
    enqueued: float = field(default_factory=time.perf_counter)


class ModelQueue:
    """Flights by cache key, the queue, and the task that feeds the model thread."""

    def __init__(
        self, summarizer: Summarizer, settings: Settings, metrics: Metrics, admission: Admission
    ) -> None:
        self.summarizer = summarizer
        self.settings = settings
        self.metrics = metrics
        self.admission = admission
        self.flights: dict[str, Flight] = {}
        self._queue: asyncio.Queue[Flight] = asyncio.Queue()
        self._arrived = asyncio.Event()
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="model")
        self._task: asyncio.Task | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="microbatcher")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        self._pool.shutdown(wait=True, cancel_futures=True)

    def join_or_enqueue(
        self, key: str, doc: PreparedText, options: SummaryOptions, ticket: Ticket | None
    ) -> Flight:
        """The flight computing ``key``: one in progress (joined), or a new one queued (or the
        admission's refusal raised when the queue is full). ``ticket``: the request's."""
        flight = self.flights.get(key)
        if flight is not None:
            flight.waiters += 1
            self.metrics.single_flight.inc()
            if ticket is not None:
                ticket.settle()
            return flight
        refusal = self.admission.refusal(ticket)
        if refusal is not None:
            raise refusal
        if ticket is not None:
            ticket.settle()
        flight = Flight(key, doc, options, asyncio.get_running_loop().create_future())
        self.flights[key] = flight
        self.admission.queued(+1)
        self._queue.put_nowait(flight)
        self._arrived.set()
        return flight

    def abandon(self, flight: Flight) -> None:
        """One waiter gave up (deadline, client gone): a flight nobody waits for is dropped."""
        flight.waiters -= 1
        if flight.waiters <= 0 and not flight.started and not flight.future.done():
            flight.future.cancel()
            self._forget(flight)
            self.admission.queued(-1)

    def _forget(self, flight: Flight) -> None:
        if self.flights.get(flight.key) is flight:
            del self.flights[flight.key]

    async def _collect(self) -> list[Flight]:
        batch = [await self._queue.get()]
        loop = asyncio.get_running_loop()
        until = loop.time() + self.settings.microbatch_wait_ms / 1000
        while len(batch) < self.settings.microbatch_max_size:
            try:
                batch.append(self._queue.get_nowait())
                continue
            except asyncio.QueueEmpty:
                pass
            remaining = until - loop.time()
            if remaining <= 0:
                break
            self._arrived.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._arrived.wait(), remaining)
        return batch

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            batch = [f for f in await self._collect() if not f.future.done()]
            if not batch:
                continue
            for flight in batch:
                flight.started = True
            self.admission.queued(-len(batch))
            groups: dict[SummaryOptions, list[Flight]] = {}
            for flight in batch:
                groups.setdefault(flight.options, []).append(flight)
            for options, flights in groups.items():
                self.metrics.batch_size.observe(len(flights))
                start = time.perf_counter()
                compute = functools.partial(
                    self.summarizer.compute,
                    [f.doc for f in flights],
                    options,
                    keys=[f.key for f in flights],  # computed once, by the service
                )
                try:
                    # A failing article is retried alone, so it never fails its neighbours.
                    results = await loop.run_in_executor(self._pool, compute)
                except Exception as exc:
                    results = [exc] * len(flights)
                finally:
                    self.metrics.inference.observe(time.perf_counter() - start)
                for flight, outcome in zip(flights, results, strict=True):
                    self._forget(flight)
                    if flight.future.done():
                        continue
                    if isinstance(outcome, Exception):
                        flight.future.set_exception(_item_error(outcome))
                        flight.future.exception()  # retrieved: waiters may have gone
                    else:
                        flight.future.set_result(outcome)


def _item_error(exc: Exception) -> ApiError:
    """What a request sees when the model failed on its article (``errors.from_exception``);
    an error that is not the library's is logged here, its detail never sent."""
    if not isinstance(exc, SummarizerError):
        log.error("model call failed for an article", exc_info=exc)
    return from_exception(exc)
