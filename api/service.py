"""The serving core: cache first, then micro-batched inference off the event loop.

* The library owns the cache: ``Summarizer.cached`` answers hit, miss or error as a value (each
  counted in the metrics), ``Summarizer.compute`` summarizes the misses and writes them. This
  module never touches the cache object or the engine.

* Requests that miss the cache become *flights*, keyed by the cache key. An identical request
  that arrives while a flight is waiting or running joins it (single flight): computed once.
* Flights wait in a bounded queue. A worker task takes the first one, waits up to
  ``microbatch_wait_ms`` for others (or ``microbatch_max_size`` of them) and runs them as one
  ``Summarizer.compute`` call in the single model thread.
* Beyond ``queue_max_depth`` waiting flights a new miss is refused at once (503 + Retry-After).
* A request waits at most ``request_deadline_seconds`` (504); its slot is freed then, and a flight
  nobody waits for any more is dropped before it reaches the model.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import functools
import hashlib
import logging
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from api.errors import ApiError, DeadlineExceeded, NotReady, ServiceBusy, from_exception
from api.hotpath import HOT_TTL_SECONDS, HotSummaries
from api.metrics import Metrics
from api.settings import Settings
from summarizer.core import Summarizer
from summarizer.errors import SummarizerError
from summarizer.isolation import shared_preparation_pool
from summarizer.options import SummaryOptions
from summarizer.summary import Summary
from summarizer.text import PreparedText
from summarizer.text.prepare import InputFormat

log = logging.getLogger("api.service")

KNOWN_REQUESTS = 50_000  # fingerprints remembered (about 10 MB)
PREPARE_THREADS = 6  # article preparation (HTML extraction, sentence split) in parallel


@dataclass(eq=False)
class _Arrival:
    pending: bool = True


_arrival_var: contextvars.ContextVar[_Arrival | None] = contextvars.ContextVar(
    "arrival", default=None
)


@dataclass(eq=False)
class _Flight:
    key: str
    doc: PreparedText
    options: SummaryOptions
    future: asyncio.Future[Summary]
    waiters: int = 1
    started: bool = False
    enqueued: float = field(default_factory=time.perf_counter)


class SummaryService:
    """Owns the loaded ``Summarizer`` and every request's path to it."""

    def __init__(self, summarizer: Summarizer, settings: Settings, metrics: Metrics) -> None:
        self.summarizer = summarizer
        self.settings = settings
        self.metrics = metrics
        self._flights: dict[str, _Flight] = {}
        self._queue: asyncio.Queue[_Flight] | None = None
        self._arrived: asyncio.Event | None = None
        self._waiting = 0  # flights queued, not yet handed to the model
        self._preparing = 0  # new requests being parsed, on their way to the queue
        self._active = 0  # summary requests inside the service
        self._arriving = 0  # admitted requests being parsed by the route, not yet in the service
        self._worker: asyncio.Task | None = None
        self._closing = False
        self._model_pool = ThreadPoolExecutor(1, thread_name_prefix="model")
        # More threads than the hostile requests a burst may hold at once: even while two of
        # them parse worst-case pages (bounded to about a second each), others are prepared.
        self._prep_pool = ThreadPoolExecutor(PREPARE_THREADS, thread_name_prefix="prepare")
        # Raw request -> cache key, so a repeated request skips parsing and sentence splitting.
        self._known: OrderedDict[str, str] = OrderedDict()
        self._known_lock = threading.Lock()
        # Recent responses by raw request body, in front of the shared cache (api.hotpath);
        # none without a cache, so "no cache" still means every request is summarized.
        ttl = min(HOT_TTL_SECONDS, settings.cache_ttl_seconds or HOT_TTL_SECONDS)
        self.hot = HotSummaries(ttl) if summarizer.cache_health() is not None else None
        self._hot_errors = 0  # the shared cache's error count when the hot tier was last valid

    # -- life cycle ---------------------------------------------------------------------------

    async def start(self) -> None:
        # Parsing and the extractive engine are Python code in threads: with the default 5 ms
        # GIL switch interval the event loop waits up to 5 ms each time it wants the GIL back,
        # and a flood of quick 503s or a /healthz probe queues behind them.
        sys.setswitchinterval(min(sys.getswitchinterval(), 0.0005))
        self._queue = asyncio.Queue()
        self._arrived = asyncio.Event()
        self._worker = asyncio.create_task(self._run(), name="microbatcher")

    def warm_up(self) -> None:
        """One real model call, outside the cache, so the first reader does not pay for it."""
        # Each preparation thread waits (GIL released) on a worker process that prepares the
        # article: no article holds the event loop's GIL, and one past its deadline is stopped.
        if self.summarizer.preparation_pool is None:
            self.summarizer.preparation_pool = shared_preparation_pool(PREPARE_THREADS)
        self.summarizer.warm_up()

    async def stop(self, timeout: float) -> None:
        """Refuse new work, let queued and running flights finish (up to ``timeout``), stop."""
        self._closing = True
        end = time.monotonic() + timeout
        while (self._flights or self._active) and time.monotonic() < end:
            await asyncio.sleep(0.02)
        if self._worker is not None:
            self._worker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._worker
        self._model_pool.shutdown(wait=True, cancel_futures=True)
        self._prep_pool.shutdown(wait=True, cancel_futures=True)

    @property
    def queue_depth(self) -> int:
        return self._waiting

    # -- requests -----------------------------------------------------------------------------

    def refusal(self, *, may_be_hot: bool = False) -> ApiError | None:
        """Why a new summary request would be refused now (counted), or None: the check that
        api.hotpath makes before reading a request's body, so a refusal costs no parsing.

        ``may_be_hot``: the request may be a summary the hot tier holds, answered without the
        queue, so a full queue alone does not refuse it (its look-up does, counted there, if it
        is not one); shutting down and the in-flight limit still do."""
        if self._closing:
            self.metrics.rejected.labels("not_ready").inc()
            return NotReady("the service is shutting down", headers=self._retry_after())
        if self._active + self._arriving >= self.settings.max_concurrent_requests:
            self.metrics.rejected.labels("overloaded").inc()
            return ServiceBusy(
                "too many requests in progress; retry later", headers=self._retry_after()
            )
        if self._waiting + self._preparing + self._arriving >= self.settings.queue_max_depth:
            return None if may_be_hot else self._refuse()
        return None

    @contextlib.contextmanager
    def arriving(self) -> Iterator[None]:
        """An admitted request on its way to :meth:`summarize` (being parsed by the route)."""
        arrival = _Arrival()
        self._arriving += 1
        token = _arrival_var.set(arrival)
        try:
            yield
        finally:
            _arrival_var.reset(token)
            self._reached_service(arrival)

    def _reached_service(self, arrival: _Arrival | None) -> None:
        if arrival is not None and arrival.pending:
            arrival.pending = False
            self._arriving -= 1

    def hot_tier(self) -> HotSummaries | None:
        """The hot tier while the shared cache works: it only ever holds what the shared cache
        holds. A cache failure since the last call empties it; while the cache is skipped or
        disabled there is none (every request goes to the service, as without a hot tier)."""
        hot = self.hot
        health = self.summarizer.cache_health() if hot is not None else None
        if hot is None or health is None:
            return hot
        if health["errors"] != self._hot_errors:
            self._hot_errors = health["errors"]
            hot.clear()
            return None
        return hot if health["state"] == "ok" else None

    def remember(self, key: bytes | None, response: dict) -> None:
        """Keep a 200 response for its raw request (``key`` from api.hotpath) in the hot tier."""
        hot = self.hot_tier() if key is not None else None
        if hot is not None:
            hot.put(key, response)

    @contextlib.contextmanager
    def _admit(self) -> Iterator[None]:
        if self._closing:
            self.metrics.rejected.labels("not_ready").inc()
            raise NotReady("the service is shutting down", headers=self._retry_after())
        if self._active >= self.settings.max_concurrent_requests:
            self.metrics.rejected.labels("overloaded").inc()
            raise ServiceBusy(
                "too many requests in progress; retry later", headers=self._retry_after()
            )
        self._active += 1
        try:
            yield
        finally:
            self._active -= 1

    def _retry_after(self) -> dict[str, str]:
        return {"Retry-After": str(self.settings.retry_after_seconds)}

    def _cached(self, key: str, options: SummaryOptions) -> Summary | None:
        """The library's cache answer for ``key``, counted (hit, miss or error) when there is a
        cache; a cache error is a miss here, as everywhere."""
        lookup = self.summarizer.cached(key, options)
        if lookup.state != "off":
            self.metrics.cache.labels(lookup.state).inc()
        return lookup.summary

    @staticmethod
    def _fingerprint(raw: str, input_format: InputFormat, options: SummaryOptions) -> str:
        data = f"{input_format}\0{options.key()}\0{raw}".encode("utf-8", "surrogatepass")
        return hashlib.sha256(data).hexdigest()

    def _too_late(self) -> DeadlineExceeded:
        return DeadlineExceeded(
            f"no summary within {self.settings.request_deadline_seconds:g} s; "
            "the service is busy, retry later"
        )

    def _refuse(self) -> ServiceBusy:
        self.metrics.rejected.labels("overloaded").inc()
        return ServiceBusy(
            f"the summary queue is full ({self.settings.queue_max_depth} waiting); retry later",
            headers=self._retry_after(),
        )

    def _lookup(
        self, raw: str, input_format: InputFormat, options: SummaryOptions, deadline: float
    ) -> tuple[PreparedText | None, str, Summary | None]:
        """Prepare the article and read the cache (in a worker thread: both may take a while).

        A request seen before (same raw input and options) goes straight to its cache key."""
        fingerprint = self._fingerprint(raw, input_format, options)
        with self._known_lock:
            known = self._known.get(fingerprint)
        if known is not None:
            hit = self._cached(known, options)
            if hit is not None:
                return None, known, hit
        doc = self.summarizer.prepare(raw, input_format, options.language, deadline=deadline)
        key = self.summarizer.cache_key(doc, options)
        with self._known_lock:
            self._known[fingerprint] = key
            self._known.move_to_end(fingerprint)
            while len(self._known) > KNOWN_REQUESTS:
                self._known.popitem(last=False)
        return doc, key, None if key == known else self._cached(key, options)

    async def summarize(
        self, raw: str, input_format: InputFormat, options: SummaryOptions
    ) -> Summary:
        """One article's summary: from the cache, from a flight in progress, or a new flight."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.settings.request_deadline_seconds
        self._reached_service(_arrival_var.get())  # counted by _admit and _preparing from here on
        with self._admit():
            # Shed load before any work: while the queue (with the requests being prepared for
            # it) is full, only a request seen before (a likely cache hit) goes on.
            with self._known_lock:
                known = self._fingerprint(raw, input_format, options) in self._known
            if not known and self._waiting + self._preparing >= self.settings.queue_max_depth:
                raise self._refuse()
            self._preparing += not known
            try:
                # In the request's context, so log lines from parsing carry its request id.
                context = contextvars.copy_context()
                until = time.monotonic() + max(0.0, deadline - loop.time())
                preparing = loop.run_in_executor(
                    self._prep_pool, context.run, self._lookup, raw, input_format, options, until
                )
                # The deadline covers preparation too. The work itself is bounded (the HTML
                # pre-pass in summarizer.text.sanitize caps what reaches the parser), so a
                # thread given up on here is free again within about a second.
                doc, key, hit = await asyncio.wait_for(preparing, max(0.0, deadline - loop.time()))
            except TimeoutError:
                self.metrics.rejected.labels("deadline").inc()
                raise self._too_late() from None
            finally:
                self._preparing -= not known
            if hit is not None:
                return hit
            assert doc is not None  # a miss always prepared the article
            flight = self._flights.get(key)
            if flight is not None:
                flight.waiters += 1
                self.metrics.single_flight.inc()
            else:
                flight = self._enqueue(key, doc, options, loop)
            try:
                return await asyncio.wait_for(
                    asyncio.shield(flight.future), max(0.0, deadline - loop.time())
                )
            except TimeoutError:
                self._abandon(flight)
                self.metrics.rejected.labels("deadline").inc()
                raise self._too_late() from None
            except asyncio.CancelledError:  # the client went away
                self._abandon(flight)
                raise

    def _enqueue(
        self,
        key: str,
        doc: PreparedText,
        options: SummaryOptions,
        loop: asyncio.AbstractEventLoop,
    ) -> _Flight:
        if self._queue is None or self._arrived is None:
            self.metrics.rejected.labels("not_ready").inc()
            raise NotReady("the service is starting", headers=self._retry_after())
        if self._waiting >= self.settings.queue_max_depth:
            self.metrics.rejected.labels("overloaded").inc()
            raise ServiceBusy(
                f"the summary queue is full ({self.settings.queue_max_depth} waiting); retry later",
                headers=self._retry_after(),
            )
        flight = _Flight(key, doc, options, loop.create_future())
        self._flights[key] = flight
        self._waiting += 1
        self.metrics.queue_depth.set(self._waiting)
        self._queue.put_nowait(flight)
        self._arrived.set()
        return flight

    def _abandon(self, flight: _Flight) -> None:
        flight.waiters -= 1
        if flight.waiters <= 0 and not flight.started and not flight.future.done():
            flight.future.cancel()
            self._forget(flight)
            self._waiting -= 1
            self.metrics.queue_depth.set(self._waiting)

    def _forget(self, flight: _Flight) -> None:
        if self._flights.get(flight.key) is flight:
            del self._flights[flight.key]

    # -- the micro-batcher --------------------------------------------------------------------

    async def _collect(self) -> list[_Flight]:
        assert self._queue is not None and self._arrived is not None
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
            self._waiting -= len(batch)
            self.metrics.queue_depth.set(self._waiting)
            groups: dict[SummaryOptions, list[_Flight]] = {}
            for flight in batch:
                groups.setdefault(flight.options, []).append(flight)
            for options, flights in groups.items():
                self.metrics.batch_size.observe(len(flights))
                start = time.perf_counter()
                try:
                    # A failing article is retried alone, so it never fails its neighbours.
                    results = await loop.run_in_executor(
                        self._model_pool,
                        # Every flight already missed the cache when it was created.
                        functools.partial(
                            self.summarizer.compute, [f.doc for f in flights], options
                        ),
                    )
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
