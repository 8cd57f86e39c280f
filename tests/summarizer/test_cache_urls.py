"""summarizer/cache/urls.py: a cache URL's secrets never reach a message or a log."""

from __future__ import annotations

import pytest

from summarizer.cache.urls import redact_url


@pytest.mark.hostile(
    "cache",
    "a Redis password in the cache URL, as user:password@ or as ?password=, is masked in every "
    "message and log line that names the cache",
)
@pytest.mark.parametrize(
    ("url", "secret"),
    [
        ("redis://default:s3cret@cache.internal:6379/0", "s3cret"),
        ("redis://cache.internal:6379/0?password=s3cret&socket_timeout=1", "s3cret"),
        ("rediss://cache.internal:6380/0?Password=s3cret", "s3cret"),
        ("redis://cache.internal:6379/0?username=alice&password=s3cret", "alice"),
    ],
)
def test_secrets_in_a_cache_url_are_masked(url, secret):
    redacted = redact_url(url)
    assert secret not in redacted
    assert "cache.internal" in redacted  # still says which cache


def test_a_url_without_secrets_is_unchanged():
    for url in ("sqlite:///var/cache/summaries.sqlite3", "redis://cache.internal:6379/0?db=2"):
        assert redact_url(url) == url
