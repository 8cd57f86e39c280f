"""``SafeCache``: the failure policy every cache runs under (a fault is a miss, never an error
for the caller), with a circuit breaker, counts for health checks and rate-limited logs."""

from __future__ import annotations

import logging
import threading
import time
from typing import Any, Literal, NamedTuple

from summarizer.cache.base import Cache, DisabledCache
from summarizer.cache.entry import seal, unseal

log = logging.getLogger("summarizer.cache")

FAILURE_THRESHOLD = 3  # failures in a row that open SafeCache's circuit breaker
COOLOFF_SECONDS = 10.0  # how long an open breaker skips the cache before trying it again
LOG_EVERY_SECONDS = 60.0  # at most one cache-failure log line per this many seconds


class Read(NamedTuple):
    """One read's outcome: ``hit`` with its ``value``, ``miss`` (absent, or skipped while the
    breaker is open), or ``error`` with what failed."""

    state: Literal["hit", "miss", "error"]
    value: dict[str, Any] | None = None
    error: str | None = None


MISS = Read("miss")


class SafeCache(Cache):
    """Wraps a cache so that a failing backend (Redis down, disk full) degrades to "no cache",
    and an entry that cannot be believed (``entry.unseal``: another key's, or of wrong types) is a
    miss, logged once and counted in ``invalid``.

    A summary service must keep answering when its cache is away: a read error is a miss and a
    write error is dropped, each counted in ``errors``. A circuit breaker spares callers the
    timeouts of a dead backend: after ``failure_threshold`` failures in a row the cache is
    skipped (state ``"open"``) for ``cooloff_seconds``, then tried again by the next call. Log
    lines are rate-limited to one per ``log_every_seconds`` (each says how many errors it
    covers). ``SafeCache(x)`` of a SafeCache is ``x`` itself, so wrapping twice is harmless.
    """

    def __new__(cls, inner: Cache | None = None, **kwargs: Any) -> SafeCache:
        if isinstance(inner, SafeCache):
            return inner
        return super().__new__(cls)

    def __init__(
        self,
        inner: Cache,
        *,
        failure_threshold: int | None = FAILURE_THRESHOLD,
        cooloff_seconds: float = COOLOFF_SECONDS,
        log_every_seconds: float = LOG_EVERY_SECONDS,
    ) -> None:
        if inner is self:
            return  # SafeCache(safe) returned ``safe`` itself; keep its state
        self.inner = inner
        self.failure_threshold = failure_threshold  # None: never skip (every call tries)
        self.cooloff_seconds = cooloff_seconds
        self.log_every_seconds = log_every_seconds
        self._lock = threading.Lock()  # get/set run in several threads at once
        self._errors = 0
        self._skipped = 0
        self._streak = 0  # failures in a row
        self._open_until = 0.0
        self._detail: str | None = None
        self._last_log = -float("inf")
        self._unlogged = 0
        self._invalid = 0

    @property
    def backend(self) -> str:
        return self.inner.backend

    @property
    def errors(self) -> int:
        """Failed backend calls so far."""
        return self._errors

    @property
    def invalid(self) -> int:
        """Entries read back and not used (``entry.unseal``): each was a miss."""
        return self._invalid

    @property
    def state(self) -> str:
        if isinstance(self.inner, DisabledCache):
            return "disabled"
        return "open" if time.monotonic() < self._open_until else "ok"

    def health(self) -> dict[str, Any]:
        """``{"backend", "state": "ok"|"open"|"disabled", "errors", "skipped", "detail"}``:
        ``detail`` is why it is disabled, or the last error while it fails, else None."""
        state = self.state
        detail = self.inner.reason if isinstance(self.inner, DisabledCache) else self._detail
        return {
            "backend": self.backend,
            "state": state,
            "errors": self._errors,
            "skipped": self._skipped,
            "detail": detail,
        }

    def _skip(self) -> bool:
        """True while the breaker is open: the call does not reach the backend."""
        if self.failure_threshold is None or time.monotonic() >= self._open_until:
            return False
        with self._lock:
            self._skipped += 1
        return True

    def _succeeded(self) -> None:
        if not self._streak:
            return
        with self._lock:
            recovered = self._streak >= (self.failure_threshold or 1)
            self._streak = 0
            self._open_until = 0.0
            self._detail = None
        if recovered:
            log.warning("cache %s works again", self.backend)

    def _failed(self, action: str, exc: Exception) -> None:
        now = time.monotonic()
        message = f"{type(exc).__name__}: {exc}"
        with self._lock:
            self._errors += 1
            self._streak += 1
            self._unlogged += 1
            self._detail = f"{action} failed: {message}"
            opened = self.failure_threshold is not None and self._streak >= self.failure_threshold
            if opened:
                self._open_until = now + self.cooloff_seconds
            due = now - self._last_log >= self.log_every_seconds
            if due:
                self._last_log = now
                count, self._unlogged = self._unlogged, 0
        if due:
            skip = f"; skipping it for {self.cooloff_seconds:g} s" if opened else ""
            log.warning(
                "cache %s failed (%s): %s; serving without cache%s (%d error(s) since the "
                "last message, %d in all)",
                action,
                self.backend,
                message,
                skip,
                count,
                self._errors,
            )

    def get(self, key: str) -> dict[str, Any] | None:
        return self.read(key).value

    def read(self, key: str) -> Read:
        """``get``, saying whether a missing value is a miss or a failure (never raises)."""
        if self._skip():
            return MISS
        try:
            value = self.inner.get(key)
        except Exception as exc:
            self._failed("read", exc)
            return Read("error", error=f"{type(exc).__name__}: {exc}")
        self._succeeded()
        if value is None:
            return MISS
        good, problem = unseal(key, value)
        if good is None:
            self._rejected(problem or "")
            return MISS
        return Read("hit", good)

    def _rejected(self, problem: str) -> None:
        with self._lock:
            self._invalid += 1
            first = self._invalid == 1
        if first:  # once: a cache full of old entries must not flood the log
            log.warning(
                "cache %s: an entry was not used (%s); it counts as a miss and is replaced when "
                "its article is summarized again; later ones are counted, not logged",
                self.backend,
                problem,
            )

    def set(self, key: str, value: dict[str, Any]) -> None:
        if self._skip():
            return
        try:
            self.inner.set(key, seal(key, value))
        except Exception as exc:
            self._failed("write", exc)
            return
        self._succeeded()

    def close(self) -> None:
        try:
            self.inner.close()
        except Exception as exc:
            self._failed("close", exc)
