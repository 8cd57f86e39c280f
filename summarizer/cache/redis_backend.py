"""The shared backend: Redis, for several replicas of the service."""

from __future__ import annotations

import json
from typing import Any

from summarizer.cache.base import Cache
from summarizer.errors import SummarizerError

REDIS_TIMEOUT_SECONDS = 0.25  # connect and read: a frozen Redis costs this per call, at most


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
