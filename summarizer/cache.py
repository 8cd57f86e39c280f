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
import sqlite3
import threading
import time
from abc import ABC, abstractmethod
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from summarizer.errors import SummarizerError

log = logging.getLogger(__name__)

KEY_VERSION = "v1"
PURGE_EVERY_WRITES = 1000


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
    """One table in a WAL-mode SQLite file; each thread gets its own connection."""

    backend = "sqlite"

    def __init__(self, path: str | Path, ttl_seconds: int | None = None) -> None:
        self.path = Path(path).expanduser()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.ttl = ttl_seconds
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._writes = 0
        with self._conn() as conn:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS summaries "
                "(key TEXT PRIMARY KEY, value TEXT NOT NULL, created REAL NOT NULL)"
            )
            conn.execute("CREATE INDEX IF NOT EXISTS summaries_created ON summaries (created)")
        self.purge_expired()

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
                    conn.close()
                except sqlite3.ProgrammingError:
                    pass  # closed already, or owned by a finished thread
            self._connections.clear()
        self._local = threading.local()


class RedisCache(Cache):
    backend = "redis"

    def __init__(self, url: str, ttl_seconds: int | None = None, prefix: str = "summary:") -> None:
        try:
            import redis
        except ImportError:  # pragma: no cover - depends on the install
            raise SummarizerError(
                "a redis:// cache needs the redis package: pip install 'article-summarizer[api]'"
            ) from None
        self.client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
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


def redact_url(url: str) -> str:
    """``url`` with any ``user:password@`` part masked, for messages and logs."""
    parts = urlparse(url)
    if "@" not in parts.netloc:
        return url
    host = parts.netloc.rpartition("@")[2]
    return parts._replace(netloc=f"***@{host}").geturl()


def open_cache(url: str | None, ttl_seconds: int | None = None) -> Cache | None:
    """``None``/``""``/``"none"`` → no cache; ``sqlite:///path``; ``redis://...``."""
    if not url or url == "none":
        return None
    scheme = urlparse(url).scheme
    if scheme in ("redis", "rediss", "unix"):
        return RedisCache(url, ttl_seconds)
    if scheme == "sqlite":
        path = url[len("sqlite:///") :] if url.startswith("sqlite:///") else urlparse(url).path
        return SQLiteCache(path, ttl_seconds)
    raise SummarizerError(
        f"unsupported cache URL {redact_url(url)!r}: use sqlite:///PATH or redis://HOST"
    )


class SafeCache(Cache):
    """Wraps a cache so that a failing backend (Redis down, disk full) degrades to "no cache".

    A summary service must keep answering when its cache is away: a read error is a miss and a
    write error is dropped, each logged once per failure streak and counted in ``errors``.
    """

    def __init__(self, inner: Cache) -> None:
        self.inner = inner
        self._errors = 0
        self._errors_lock = threading.Lock()  # get/set run in several threads at once
        self._failing = False

    @property
    def backend(self) -> str:
        return self.inner.backend

    @property
    def errors(self) -> int:
        """Failed backend calls so far."""
        return self._errors

    def _failed(self, action: str, exc: Exception) -> None:
        with self._errors_lock:
            self._errors += 1
        if not self._failing:
            log.warning(
                "cache %s failed (%s): %s; serving without cache", action, self.backend, exc
            )
        self._failing = True

    def get(self, key: str) -> dict[str, Any] | None:
        try:
            value = self.inner.get(key)
        except Exception as exc:
            self._failed("read", exc)
            return None
        self._failing = False
        return value

    def set(self, key: str, value: dict[str, Any]) -> None:
        try:
            self.inner.set(key, value)
        except Exception as exc:
            self._failed("write", exc)

    def close(self) -> None:
        try:
            self.inner.close()
        except Exception as exc:
            self._failed("close", exc)
