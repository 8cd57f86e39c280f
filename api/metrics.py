"""Prometheus metrics, one registry per app (so several apps can live in one test process).

With several worker processes (``summarizer serve --workers N``) the serve command sets
``PROMETHEUS_MULTIPROC_DIR``: every worker writes its values there (prometheus_client's
multiprocess mode) and ``/metrics``, whichever worker answers it, reports the sum over all of
them; gauges say how they combine (``multiprocess_mode``). The per-process collectors (CPU,
memory) are left out then, since they would describe only the worker that was asked.
"""

from __future__ import annotations

import os
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    PlatformCollector,
    ProcessCollector,
    generate_latest,
    multiprocess,
)


def multiprocess_dir() -> str | None:
    """The multiprocess folder when this process is one of several workers, else None."""
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


LATENCY_BUCKETS = (0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)


class Metrics:
    content_type = CONTENT_TYPE_LATEST

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.shared_dir = multiprocess_dir()
        if self.shared_dir is None:
            ProcessCollector(registry=r)  # CPU seconds, resident memory, open files
            PlatformCollector(registry=r)
        self.requests = Counter(
            "summarizer_http_requests_total",
            "HTTP requests by route template, method and status.",
            ["route", "method", "status"],
            registry=r,
        )
        self.latency = Histogram(
            "summarizer_http_request_duration_seconds",
            "HTTP request latency by route template, method and status.",
            ["route", "method", "status"],
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.cache = Counter(
            "summarizer_cache_requests_total",
            "Summary cache look-ups by result (hit, miss, error).",
            ["result"],
            registry=r,
        )
        self.batch_size = Histogram(
            "summarizer_model_batch_size",
            "Articles per model call (micro-batches of concurrent requests).",
            buckets=(1, 2, 4, 8, 16, 32, 64),
            registry=r,
        )
        self.inference = Histogram(
            "summarizer_model_call_seconds",
            "Duration of one batched model call.",
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.queue_depth = Gauge(
            "summarizer_queue_depth",
            "Requests waiting for the model.",
            registry=r,
            multiprocess_mode="livesum",
        )
        self.rejected = Counter(
            "summarizer_rejected_total",
            "Summary requests refused by the service (overloaded, deadline, not_ready).",
            ["reason"],
            registry=r,
        )
        self.single_flight = Counter(
            "summarizer_single_flight_joins_total",
            "Requests that joined an identical request already being computed.",
            registry=r,
        )
        self.model_load = Gauge(
            "summarizer_model_load_seconds",
            "Time to load and warm up the model.",
            registry=r,
            multiprocess_mode="max",
        )
        self.ready = Gauge(
            "summarizer_ready",
            "1 when the model is loaded and warm (in every live worker).",
            registry=r,
            multiprocess_mode="livemin",
        )
        self.cache_state = Gauge(
            "summarizer_cache_state",
            "1 for the summary cache's current state (ok, open: skipped after failures, "
            "disabled: could not be opened), 0 for the others.",
            ["backend", "state"],
            registry=r,
            multiprocess_mode="livemax",
        )
        self.cache_errors = Gauge(
            "summarizer_cache_errors",
            "Failed summary cache calls since start-up (the service answered without the cache).",
            ["backend"],
            registry=r,
            multiprocess_mode="livesum",
        )

    def set_cache_health(self, health: Any) -> None:
        """Mirror ``SafeCache.health()`` (as CacheHealth) into the cache gauges."""
        if health is None:
            return
        for state in ("ok", "open", "disabled"):
            self.cache_state.labels(health.backend, state).set(int(health.state == state))
        self.cache_errors.labels(health.backend).set(health.errors)

    def render(self) -> bytes:
        if self.shared_dir is None:
            return generate_latest(self.registry)
        merged = CollectorRegistry()
        multiprocess.MultiProcessCollector(merged, path=self.shared_dir)
        return generate_latest(merged)

    def worker_exited(self) -> None:
        """Drop this worker's live gauges from the shared folder (its counters stay summed)."""
        if self.shared_dir is not None:
            multiprocess.mark_process_dead(os.getpid(), self.shared_dir)
