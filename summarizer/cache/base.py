"""The interface every cache backend implements, and the stand-in for one that cannot open."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any


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
