"""Summary cache shared by the service and batch jobs.

The key is a hash of the normalized article text, the model and the options, so the same article
asked for by a thousand readers is summarized once. Two backends behind one interface: an SQLite
file (the default: survives restarts, safe with several worker processes) and Redis (shared by
several replicas), chosen by URL: ``sqlite:///path/cache.sqlite3`` or ``redis://host:port/db``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
import threading
import time
from abc import ABC, abstractmethod
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from summarizer.errors import SummarizerError
from summarizer.paths import free_aside_name

log = logging.getLogger(__name__)

KEY_VERSION = "v1"
PURGE_EVERY_WRITES = 1000
REDIS_TIMEOUT_SECONDS = 0.25  # connect and read: a frozen Redis costs this per call, at most
FAILURE_THRESHOLD = 3  # failures in a row that open SafeCache's circuit breaker
COOLOFF_SECONDS = 10.0  # how long an open breaker skips the cache before trying it again
LOG_EVERY_SECONDS = 60.0  # at most one cache-failure log line per this many seconds


def cache_key(text: str, model: str, options: dict[str, Any]) -> str:
    """Stable across processes and machines: normalized text + model + options."""
    payload = json.dumps(
        {"text": text, "model": model, "options": options, "v": KEY_VERSION},
        sort_keys=True,
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class Cache(ABC):
    """A string-to-JSON store with a time to live."""

    @abstractmethod
    def get(self, key: str) -> dict[str, Any] | None: ...

    @abstractmethod
    def set(self, key: str, value: dict[str, Any]) -> None: ...

    def close(self) -> None:  # noqa: B027 - optional for backends that hold nothing
        """Flush and release resources."""

    @property
    @abstractmethod
    def backend(self) -> str: ...


class SQLiteCache(Cache):
    """One table in a WAL-mode SQLite file; each thread gets its own connection.

    Opening raises ``sqlite3.DatabaseError`` for a file that is not a usable database and
    ``OSError`` when the folder cannot be made; :func:`open_cache` turns both into something
    the service can start with."""

    backend = "sqlite"

    def __init__(self, path: str | Path, ttl_seconds: int | None = None) -> None:
        self.path = Path(path).expanduser()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.ttl = ttl_seconds
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._writes = 0
        try:
            with self._conn() as conn:
                conn.execute(
                    "CREATE TABLE IF NOT EXISTS summaries "
                    "(key TEXT PRIMARY KEY, value TEXT NOT NULL, created REAL NOT NULL)"
                )
                conn.execute("CREATE INDEX IF NOT EXISTS summaries_created ON summaries (created)")
            self.purge_expired()
        except BaseException:
            self.close()
            raise

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(
                self.path, timeout=30, isolation_level=None, check_same_thread=False
            )
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            self._local.conn = conn
            with self._lock:
                self._connections.append(conn)
        return conn

    def get(self, key: str) -> dict[str, Any] | None:
        row = (
            self._conn()
            .execute("SELECT value, created FROM summaries WHERE key = ?", (key,))
            .fetchone()
        )
        if row is None:
            return None
        if self.ttl is not None and time.time() - row[1] > self.ttl:
            return None
        return json.loads(row[0])

    def set(self, key: str, value: dict[str, Any]) -> None:
        self._conn().execute(
            "INSERT OR REPLACE INTO summaries (key, value, created) VALUES (?, ?, ?)",
            (key, json.dumps(value, ensure_ascii=False), time.time()),
        )
        with self._lock:
            self._writes += 1
            due = self._writes % PURGE_EVERY_WRITES == 0
        if due:
            self.purge_expired()

    def purge_expired(self) -> int:
        """Delete entries past their time to live (reads skip them anyway); returns how many.
        Runs at open and every ``PURGE_EVERY_WRITES`` writes, so the file stops growing."""
        if self.ttl is None:
            return 0
        cursor = self._conn().execute(
            "DELETE FROM summaries WHERE created < ?", (time.time() - self.ttl,)
        )
        return cursor.rowcount

    def close(self) -> None:
        with self._lock:
            for conn in self._connections:
                try:
                    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                except sqlite3.Error:
                    pass  # closed already, owned by a finished thread, or a broken file
                finally:
                    conn.close()
            self._connections.clear()
        self._local = threading.local()


class RedisCache(Cache):
    """A Redis cache with short socket timeouts and no client-side retries: a frozen or absent
    Redis costs at most ``timeout`` per call (the :class:`SafeCache` breaker then skips it)."""

    backend = "redis"

    def __init__(
        self,
        url: str,
        ttl_seconds: int | None = None,
        prefix: str = "summary:",
        timeout: float = REDIS_TIMEOUT_SECONDS,
    ) -> None:
        try:
            import redis
            from redis.backoff import NoBackoff
            from redis.retry import Retry
        except ImportError:  # pragma: no cover - depends on the install
            raise SummarizerError(
                "a redis:// cache needs the redis package: pip install 'article-summarizer[api]'"
            ) from None
        self.client = redis.Redis.from_url(
            url,
            socket_timeout=timeout,
            socket_connect_timeout=timeout,
            retry=Retry(NoBackoff(), 0),  # redis-py retries 3 times by default: 4x the stall
        )
        self.ttl = ttl_seconds
        self.prefix = prefix

    def get(self, key: str) -> dict[str, Any] | None:
        raw = self.client.get(self.prefix + key)
        return json.loads(raw) if raw is not None else None

    def set(self, key: str, value: dict[str, Any]) -> None:
        self.client.set(self.prefix + key, json.dumps(value, ensure_ascii=False), ex=self.ttl)

    def ping(self) -> bool:
        return bool(self.client.ping())

    def close(self) -> None:
        self.client.close()


class DisabledCache(Cache):
    """Stands in for a cache that could not be opened: every read misses, writes are dropped.

    :func:`open_cache` returns one (after logging why, loudly, once) so that a broken cache
    never stops a service from starting; ``SafeCache.health()`` reports it as ``"disabled"``."""

    def __init__(self, backend: str, reason: str) -> None:
        self._backend = backend
        self.reason = reason

    @property
    def backend(self) -> str:
        return self._backend

    def get(self, key: str) -> dict[str, Any] | None:
        return None

    def set(self, key: str, value: dict[str, Any]) -> None:
        return None


def redact_url(url: str) -> str:
    """``url`` with any ``user:password@`` part masked, for messages and logs."""
    parts = urlparse(url)
    if "@" not in parts.netloc:
        return url
    host = parts.netloc.rpartition("@")[2]
    return parts._replace(netloc=f"***@{host}").geturl()


def sqlite_path(url: str) -> Path:
    path = url[len("sqlite:///") :] if url.startswith("sqlite:///") else urlparse(url).path
    return Path(path).expanduser()


def open_cache(
    url: str | None,
    ttl_seconds: int | None = None,
    *,
    redis_timeout: float = REDIS_TIMEOUT_SECONDS,
) -> Cache | None:
    """``None``/``""``/``"none"`` → no cache; ``sqlite:///path``; ``redis://...``.

    Only an unsupported URL raises (a configuration error). A cache that cannot be opened
    never stops its caller: a SQLite file that is not a database (garbage, a bare header) is
    renamed to ``<name>.broken-<time>`` (kept, never deleted) and a fresh file started; when
    even that fails (the folder is a file, a read-only filesystem) the result is a
    :class:`DisabledCache` with the reason, logged once at ERROR. Redis connects lazily, so a
    Redis that is down at start-up is handled per call by :class:`SafeCache`."""
    if not url or url == "none":
        return None
    scheme = urlparse(url).scheme
    if scheme in ("redis", "rediss", "unix"):
        return RedisCache(url, ttl_seconds, timeout=redis_timeout)
    if scheme == "sqlite":
        return _open_sqlite(sqlite_path(url), ttl_seconds)
    raise SummarizerError(
        f"unsupported cache URL {redact_url(url)!r}: use sqlite:///PATH or redis://HOST"
    )


def _open_sqlite(path: Path, ttl_seconds: int | None) -> Cache:
    try:
        return SQLiteCache(path, ttl_seconds)
    except sqlite3.DatabaseError as exc:
        if getattr(exc, "sqlite_errorname", "") not in ("SQLITE_NOTADB", "SQLITE_CORRUPT"):
            return _disabled(path, f"cannot open {path}: {exc}")
        try:
            aside = _move_aside(path)
        except OSError as move_exc:
            return _disabled(
                path,
                f"{path} is not a usable database ({exc}) and cannot be "
                f"moved aside: {move_exc.strerror or move_exc}",
            )
        log.error(
            "cache file %s is not a usable database (%s): moved it aside to %s and started "
            "a fresh cache",
            path,
            exc,
            aside,
        )
        try:
            return SQLiteCache(path, ttl_seconds)
        except (sqlite3.Error, OSError) as again:
            return _disabled(path, f"cannot start a fresh cache at {path}: {again}")
    except OSError as exc:
        return _disabled(path, f"cannot use {path}: {exc.strerror or exc} ({exc.filename})")


def _move_aside(path: Path) -> Path:
    """Rename ``path`` (and its -wal/-shm files) to a free ``<name>.broken-<time>`` name."""
    aside = free_aside_name(path, "broken")
    os.replace(path, aside)
    for suffix in ("-wal", "-shm"):
        extra = path.with_name(path.name + suffix)
        if extra.exists():
            os.replace(extra, aside.with_name(aside.name + suffix))
    return aside


def _disabled(path: Path, reason: str) -> DisabledCache:
    log.error("cache disabled: %s; summarizing without a cache", reason)
    return DisabledCache("sqlite", reason)


class SafeCache(Cache):
    """Wraps a cache so that a failing backend (Redis down, disk full) degrades to "no cache".

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

    @property
    def backend(self) -> str:
        return self.inner.backend

    @property
    def errors(self) -> int:
        """Failed backend calls so far."""
        return self._errors

    @property
    def state(self) -> str:
        if isinstance(self.inner, DisabledCache):
            return "disabled"
        return "open" if time.monotonic() < self._open_until else "ok"

    def health(self) -> dict[str, Any]:
        """``{"backend", "state": "ok"|"open"|"disabled", "errors", "skipped", "detail"}``:
        ``detail`` is why it is disabled, or the last error while it fails, else None."""
        state = self.state
        if state == "disabled":
            detail: str | None = self.inner.reason  # type: ignore[attr-defined]
        else:
            detail = self._detail
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
        if self._skip():
            return None
        try:
            value = self.inner.get(key)
        except Exception as exc:
            self._failed("read", exc)
            return None
        self._succeeded()
        return value

    def set(self, key: str, value: dict[str, Any]) -> None:
        if self._skip():
            return
        try:
            self.inner.set(key, value)
        except Exception as exc:
            self._failed("write", exc)
            return
        self._succeeded()

    def close(self) -> None:
        try:
            self.inner.close()
        except Exception as exc:
            self._failed("close", exc)
