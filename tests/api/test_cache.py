"""The SQLite cache under several processes at once, and the SafeCache wrapper."""

from __future__ import annotations

import multiprocessing
import sys
import threading

import pytest

from summarizer.cache import SafeCache, SQLiteCache


def _writer(path: str, worker: int, n: int) -> None:
    cache = SQLiteCache(path)
    for i in range(n):
        cache.set(f"k{worker}-{i}", {"summary": f"s{worker}-{i}", "n": i})
        # read what the other workers wrote so far: never an error, never a torn value
        other = cache.get(f"k{(worker + 1) % 4}-{i}")
        assert other is None or other["summary"] == f"s{(worker + 1) % 4}-{i}"
    cache.close()


def test_sqlite_cache_is_safe_with_several_processes(tmp_path):
    path = str(tmp_path / "shared.sqlite3")
    SQLiteCache(path).close()
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(path, w, 150)) for w in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    assert [p.exitcode for p in procs] == [0, 0, 0, 0]
    cache = SQLiteCache(path)
    for w in range(4):
        for i in (0, 75, 149):
            assert cache.get(f"k{w}-{i}") == {"summary": f"s{w}-{i}", "n": i}
    cache.close()


def test_sqlite_cache_survives_a_restart_and_honours_ttl(tmp_path):
    path = tmp_path / "c.sqlite3"
    cache = SQLiteCache(path, ttl_seconds=3600)
    cache.set("a", {"summary": "x"})
    cache.close()
    assert SQLiteCache(path, ttl_seconds=3600).get("a") == {"summary": "x"}
    expired = SQLiteCache(path, ttl_seconds=1)
    expired._conn().execute("UPDATE summaries SET created = created - 10")
    assert expired.get("a") is None


class Broken(SQLiteCache):
    def get(self, key):
        raise OSError("disk on fire")

    def set(self, key, value):
        raise OSError("disk on fire")


def test_safe_cache_turns_backend_failures_into_misses(tmp_path, caplog):
    cache = SafeCache(Broken(tmp_path / "c.sqlite3"))
    assert cache.get("a") is None
    cache.set("a", {"summary": "x"})
    assert cache.get("a") is None
    assert cache.errors == 3
    assert caplog.text.count("disk on fire") == 1  # logged once per failure streak


def test_safe_cache_counts_every_error_from_many_threads(tmp_path):
    # No circuit breaker here (it would skip most calls): every call must reach the backend.
    cache = SafeCache(Broken(tmp_path / "c.sqlite3"), failure_threshold=None)
    switch = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible
    try:
        threads = [
            threading.Thread(target=lambda: [cache.get("a") for _ in range(2000)]) for _ in range(8)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(switch)
    assert cache.errors == 8 * 2000


def test_unknown_cache_url_is_a_clear_error():
    from summarizer.cache import open_cache
    from summarizer.errors import SummarizerError

    with pytest.raises(SummarizerError, match="unsupported cache URL"):
        open_cache("ftp://cache.example")


def test_a_bad_cache_url_does_not_leak_its_password():
    from summarizer.cache import open_cache
    from summarizer.errors import SummarizerError

    with pytest.raises(SummarizerError, match="unsupported cache URL") as caught:
        open_cache("memcached://admin:s3cr3t-pw@cache.internal:11211/0")
    assert "s3cr3t-pw" not in str(caught.value)
    assert "cache.internal:11211" in str(caught.value)  # still says which URL was wrong
