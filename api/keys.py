"""API keys: the one comparison every entry point uses (FastAPI dependency and hot path)."""

from __future__ import annotations

import hmac
from collections.abc import Sequence

from pydantic import SecretStr


def key_matches(keys: Sequence[SecretStr], key: str | None) -> bool:
    """``key`` equals one of ``keys`` (constant-time compare, every key compared so the time
    does not tell which one nearly matched)."""
    given = (key or "").encode()
    matched = False
    for secret in keys:
        matched |= hmac.compare_digest(given, secret.get_secret_value().encode())
    return matched
