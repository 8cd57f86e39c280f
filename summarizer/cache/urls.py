"""A cache from its URL: ``sqlite:///path/cache.sqlite3``, ``redis://host:port/db``, or none."""

from __future__ import annotations

from urllib.parse import urlparse

from summarizer.cache.base import Cache
from summarizer.cache.redis_backend import REDIS_TIMEOUT_SECONDS, RedisCache
from summarizer.cache.sqlite import open_sqlite, sqlite_path
from summarizer.errors import SummarizerError


def redact_url(url: str) -> str:
    """``url`` with any ``user:password@`` part masked, for messages and logs."""
    parts = urlparse(url)
    if "@" not in parts.netloc:
        return url
    host = parts.netloc.rpartition("@")[2]
    return parts._replace(netloc=f"***@{host}").geturl()


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
        return open_sqlite(sqlite_path(url), ttl_seconds)
    raise SummarizerError(
        f"unsupported cache URL {redact_url(url)!r}: use sqlite:///PATH or redis://HOST"
    )
