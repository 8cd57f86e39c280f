"""The serving class: one request's path from its article to its summary.

The request's fingerprint (api.fastpath's hash of the raw body) keys the recent tier and the
map from a request seen before to its cache key; a new article is prepared once, in
:meth:`SummaryService._prepare`, and its cache key passed to the cache and the model queue."""

from __future__ import annotations

import asyncio
import contextvars
import dataclasses
import functools
import hashlib
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor

from api.admission import Admission, Ticket
from api.batcher import Flight, ModelQueue
from api.errors import DeadlineExceeded
from api.metrics import Metrics
from api.settings import Settings
from summarizer.core import Summarizer
from summarizer.isolation import shared_preparation_pool
from summarizer.options import SummaryOptions
from summarizer.summary import Summary
from summarizer.text import PreparedText
from summarizer.text.prepare import InputFormat

KNOWN_REQUESTS = 50_000  # fingerprints remembered with their cache key (about 10 MB)
PREPARE_THREADS = 6  # articles prepared at once, each in its own worker process
RECENT_TTL_SECONDS = 10.0  # how long a recent summary is served without asking the cache
RECENT_MAX = 20_000


_options_key = functools.lru_cache(maxsize=1024)(SummaryOptions.key)  # options are frozen


@dataclasses.dataclass(eq=False)
class Recent:
    """One recent summary; ``response_head`` is api.fastpath's response up to its timing,
    rendered once."""

    summary: Summary
    expires: float
    response_head: bytes | None = None


class RecentSummaries:
    """Summaries answered in the last seconds, by request fingerprint (bounded LRU): a viral
    article's flood of identical requests is answered on the event loop. It only ever holds
    what the shared cache holds (the service clears it on a cache fault)."""

    def __init__(self, ttl: float, max_entries: int = RECENT_MAX) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self._entries: OrderedDict[str, Recent] = OrderedDict()

    def entry(self, fingerprint: str) -> Recent | None:
        entry = self._entries.get(fingerprint)
        if entry is None:
            return None
        if time.monotonic() >= entry.expires:
            del self._entries[fingerprint]
            return None
        self._entries.move_to_end(fingerprint)
        return entry

    def get(self, fingerprint: str) -> Summary | None:
        entry = self.entry(fingerprint)
        return entry.summary if entry is not None else None

    def put(self, fingerprint: str, summary: Summary) -> None:
        self._entries[fingerprint] = Recent(summary, time.monotonic() + self.ttl)
        self._entries.move_to_end(fingerprint)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)

    def clear(self) -> None:
        self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


class ClientGone(Exception):
    """The client went away while its article waited for the model (its place given up)."""


@dataclasses.dataclass(frozen=True)
class Lookup:
    """What the worker thread found: the key, and a hit or the prepared article."""

    key: str
    hit: Summary | None
    doc: PreparedText | None


class SummaryService:
    """Owns the loaded ``Summarizer`` and every summary request's path to it."""

    def __init__(
        self, summarizer: Summarizer, settings: Settings, metrics: Metrics, admission: Admission
    ) -> None:
        self.summarizer = summarizer
        self.settings = settings
        self.metrics = metrics
        self.admission = admission
        self.model = ModelQueue(summarizer, settings, metrics, admission)
        # More threads than the hostile requests a burst may hold at once: even while two of
        # them parse worst-case pages (bounded to about a second each), others are prepared.
        self._prep_pool = ThreadPoolExecutor(PREPARE_THREADS, thread_name_prefix="prepare")
        self._known: OrderedDict[str, str] = OrderedDict()
        self._known_lock = threading.Lock()
        ttl = min(RECENT_TTL_SECONDS, settings.cache_ttl_seconds or RECENT_TTL_SECONDS)
        # None without a cache: "no cache" still means every request is summarized.
        self.recent = RecentSummaries(ttl) if summarizer.cache_health()["state"] != "off" else None
        self._cache_errors = 0  # the shared cache's error count when the recent tier was valid

    async def start(self) -> None:
        # Preparation and the extractive engine are Python code in threads: with the default
        # 5 ms GIL switch interval the event loop waits up to 5 ms each time it wants it back.
        sys.setswitchinterval(min(sys.getswitchinterval(), 0.0005))
        self.model.start()

    def warm_up(self) -> None:
        """One real model call, outside the cache, so the first reader does not pay for it."""
        # Each preparation thread waits (GIL released) on a worker process that prepares the
        # article: no article holds the event loop's GIL, and one past its deadline is stopped.
        if self.summarizer.preparation_pool is None:
            self.summarizer.preparation_pool = shared_preparation_pool(PREPARE_THREADS)
        self.summarizer.warm_up()

    async def stop(self, timeout: float) -> None:
        """Refuse new work, let queued and running flights finish (up to ``timeout``), stop."""
        self.admission.closing = True
        end = time.monotonic() + timeout
        while (self.model.flights or self.admission.in_service) and time.monotonic() < end:
            await asyncio.sleep(0.02)
        await self.model.stop()
        self._prep_pool.shutdown(wait=True, cancel_futures=True)

    # -- one request ---------------------------------------------------------------------------

    @staticmethod
    def fingerprint(data: bytes) -> str:
        """A request's fingerprint: the hash of its raw body (api.fastpath), or of a batch
        item's article, format and options (:meth:`item_fingerprint`)."""
        return hashlib.sha256(data).hexdigest()

    @classmethod
    def item_fingerprint(cls, raw: str, input_format: InputFormat, options: SummaryOptions) -> str:
        data = f"{input_format}\0{_options_key(options)}\0{raw}".encode("utf-8", "surrogatepass")
        return cls.fingerprint(b"item\0" + data)

    async def summarize(
        self,
        raw: str,
        input_format: InputFormat,
        options: SummaryOptions,
        ticket: Ticket | None = None,
        disconnected: Callable[[], Awaitable[object]] | None = None,
        fingerprint: str | None = None,
    ) -> Summary:
        """One article's summary: recent, cached, from a flight in progress, or a new flight.
        Raises the admission's 503 when the model's queue is full, 504 past the deadline.
        ``ticket``: the request's admission (``api.admission``), settled here.
        ``disconnected``: returns when the client has gone (awaited only while the article
        waits for the model); then :class:`ClientGone` is raised and its place given up.
        ``fingerprint``: the request's, computed once by api.fastpath (else here)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.settings.request_deadline_seconds
        fingerprint = fingerprint or self.item_fingerprint(raw, input_format, options)
        recent = self.recent_tier()
        if recent is not None and (summary := recent.get(fingerprint)) is not None:
            self.metrics.cache.labels("hit").inc()
            if ticket is not None:
                ticket.settle()
            return summary
        with self._known_lock:
            known = fingerprint in self._known
        if not known:  # a new article would need the queue: shed it before preparing it
            refusal = self.admission.refusal(ticket)
            if refusal is not None:
                raise refusal
        # In the request's context, so log lines from preparation carry its request id.
        context = contextvars.copy_context()
        until = time.monotonic() + max(0.0, deadline - loop.time())  # for the worker process
        work = loop.run_in_executor(
            self._prep_pool,
            context.run,
            self._lookup,
            fingerprint,
            raw,
            input_format,
            options,
            until,
        )
        try:
            # The deadline covers preparation too; the work itself is bounded (the HTML pre-pass
            # in summarizer.text.sanitize), so a thread given up on here is free within ~1 s.
            found = await asyncio.wait_for(work, max(0.0, deadline - loop.time()))
        except TimeoutError:
            raise self._too_late() from None
        if found.hit is not None:
            if ticket is not None:
                ticket.settle()
            if recent is not None:
                recent.put(fingerprint, found.hit)
            return found.hit
        assert found.doc is not None  # a miss always prepared the article
        flight = self.model.join_or_enqueue(found.key, found.doc, options, ticket)
        summary = await self._wait(flight, deadline - loop.time(), disconnected)
        if recent is not None and self.recent_tier() is recent:
            recent.put(fingerprint, dataclasses.replace(summary, cached=True))
        return summary

    async def _wait(
        self,
        flight: Flight,
        timeout: float,
        disconnected: Callable[[], Awaitable[object]] | None,
    ) -> Summary:
        """The flight's summary; a waiter that gives up (deadline, client gone) leaves it."""
        watch = asyncio.ensure_future(disconnected()) if disconnected is not None else None
        waiting = {asyncio.shield(flight.future), *([watch] if watch else [])}
        try:
            done, _ = await asyncio.wait(
                waiting, timeout=max(0.0, timeout), return_when=asyncio.FIRST_COMPLETED
            )
        except asyncio.CancelledError:
            self.model.abandon(flight)
            raise
        finally:
            if watch is not None:
                watch.cancel()
        if flight.future.done():
            return flight.future.result()
        self.model.abandon(flight)
        if not done:
            raise self._too_late()
        raise ClientGone

    def _lookup(
        self,
        fingerprint: str,
        raw: str,
        input_format: InputFormat,
        options: SummaryOptions,
        deadline: float,
    ) -> Lookup:
        """In a worker thread: a request seen before goes straight to its cache key; a new one
        is prepared and keyed once; then the cache is read."""
        with self._known_lock:
            known = self._known.get(fingerprint)
        if known is not None:
            hit = self._cached(known, options)
            if hit is not None:
                return Lookup(known, hit, None)
        doc = self._prepare(raw, input_format, options, deadline)
        key = self.summarizer.cache_key(doc, options)
        with self._known_lock:
            self._known[fingerprint] = key
            self._known.move_to_end(fingerprint)
            while len(self._known) > KNOWN_REQUESTS:
                self._known.popitem(last=False)
        return Lookup(key, None if key == known else self._cached(key, options), doc)

    def _prepare(
        self, raw: str, input_format: InputFormat, options: SummaryOptions, deadline: float
    ) -> PreparedText:
        """The one place the service prepares client text (decoding, HTML extraction, language,
        sentences), in a worker process of the summarizer's preparation pool, stopped at
        ``deadline`` (``time.monotonic()``)."""
        return self.summarizer.prepare(raw, input_format, options.language, deadline=deadline)

    def _cached(self, key: str, options: SummaryOptions) -> Summary | None:
        lookup = self.summarizer.cached(key, options)
        if lookup.state != "off":
            self.metrics.cache.labels(lookup.state).inc()
        return lookup.summary

    def recent_tier(self) -> RecentSummaries | None:
        """The recent tier while the shared cache works; a cache fault since the last call
        empties it, and while the cache is skipped or disabled there is none."""
        recent = self.recent
        if recent is None:
            return None
        health = self.summarizer.cache_health()
        if health["errors"] != self._cache_errors:
            self._cache_errors = health["errors"]
            recent.clear()
            return None
        return recent if health["state"] == "ok" else None

    def _too_late(self) -> DeadlineExceeded:
        self.metrics.rejected.labels("deadline").inc()
        return DeadlineExceeded(
            f"no summary within {self.settings.request_deadline_seconds:g} s; "
            "the service is busy, retry later"
        )

    @property
    def queue_depth(self) -> int:
        return self.admission.waiting
