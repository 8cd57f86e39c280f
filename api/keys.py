"""API keys: the one comparison (the FastAPI dependency in ``api.deps``).

HTTP header values are bytes; Starlette hands them to the app decoded as Latin-1, so encoding
the text back as Latin-1 gives the bytes the client sent. A configured key is compared as its
UTF-8 bytes, which is what curl and browsers send for a key like ``clé-secrète``: any key
that can be written in the environment works as it is typed."""

from __future__ import annotations

import hmac
from collections.abc import Sequence

from pydantic import SecretStr


def key_matches(keys: Sequence[SecretStr], key: str | None) -> bool:
    """``key`` (a header value as Starlette decodes it) equals one of ``keys``; constant-time,
    every key compared so the time does not tell which one nearly matched."""
    try:
        given = (key or "").encode("latin-1")
    except UnicodeEncodeError:  # not a header value as a server decodes it: never a match
        given = b""
    matched = False
    for secret in keys:
        matched |= hmac.compare_digest(given, secret.get_secret_value().encode("utf-8"))
    return matched and bool(given)


def key_accepted(keys: Sequence[SecretStr], key: str | None) -> bool:
    """The one API-key check: with keys configured, ``key`` must be one of them."""
    return not keys or key_matches(keys, key)
