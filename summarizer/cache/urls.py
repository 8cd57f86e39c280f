"""A cache from its URL: ``sqlite:///path/cache.sqlite3``, ``redis://host:port/db``, or none."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlparse

from summarizer.cache.base import Cache
from summarizer.cache.redis_backend import REDIS_TIMEOUT_SECONDS, RedisCache
from summarizer.cache.sqlite import open_sqlite, sqlite_path
from summarizer.errors import SummarizerError

# Query parameters that carry a secret in a Redis URL (redis-py reads ``?password=``).
_SECRET_PARAMS = frozenset({"password", "username", "user", "pass", "token"})


def redact_url(url: str) -> str:
    """``url`` with its secrets masked, for messages and logs: a ``user:password@`` part and
    the value of a ``password=`` (or username, token) query parameter."""
    parts = urlparse(url)
    if "@" not in parts.netloc and not parts.query:
        return url  # nothing to mask (and geturl() would turn sqlite:/// into sqlite:/)
    if "@" in parts.netloc:
        parts = parts._replace(netloc=f"***@{parts.netloc.rpartition('@')[2]}")
    if parts.query:
        pairs = parse_qsl(parts.query, keep_blank_values=True)
        masked = [(k, "***" if k.lower() in _SECRET_PARAMS else v) for k, v in pairs]
        parts = parts._replace(query=urlencode(masked, safe="*"))
    return parts.geturl()


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
