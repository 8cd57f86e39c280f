"""The cache contract: opening never stops the caller, SafeCache's breaker, health and logs."""

from __future__ import annotations

import json
import logging
import os
import signal
import time

import pytest

from summarizer import Summarizer
from summarizer.cache import (
    DisabledCache,
    RedisCache,
    SafeCache,
    SQLiteCache,
    open_cache,
)
from tests.api.conftest import free_port, start_redis, stop

HEADER_ONLY = b"SQLite format 3\x00"


class Flaky(SQLiteCache):
    """A real SQLite cache whose calls can be made to fail, counting the calls that reach it."""

    def __init__(self, path):
        super().__init__(path)
        self.broken = True
        self.calls = 0

    def get(self, key):
        self.calls += 1
        if self.broken:
            raise OSError("disk on fire")
        return super().get(key)

    def set(self, key, value):
        self.calls += 1
        if self.broken:
            raise OSError("disk on fire")
        super().set(key, value)


@pytest.mark.hostile(
    "cache", "A cache file that is not a database is renamed aside, never deleted."
)
@pytest.mark.parametrize(
    "content", [b"\x89garbage\x00" * 500, HEADER_ONLY], ids=["garbage", "header"]
)
def test_a_broken_sqlite_file_is_moved_aside_and_a_fresh_cache_started(tmp_path, content, caplog):
    path = tmp_path / "cache.sqlite3"
    path.write_bytes(content)
    cache = SafeCache(open_cache(f"sqlite:///{path}"))
    cache.set("k", {"summary": "s"})
    assert cache.get("k") == {"summary": "s"}
    assert cache.health() == {
        "backend": "sqlite",
        "state": "ok",
        "errors": 0,
        "skipped": 0,
        "detail": None,
    }
    cache.close()
    aside = [p for p in tmp_path.iterdir() if p.name.startswith("cache.sqlite3.broken-")]
    assert len(aside) == 1 and aside[0].read_bytes() == content  # kept, byte for byte
    assert "moved it aside" in caplog.text and str(aside[0]) in caplog.text


@pytest.mark.hostile("cache", "A cache path that cannot be used disables the cache and says why.")
def test_a_parent_path_that_is_a_file_disables_the_cache(tmp_path, caplog):
    (tmp_path / "file").write_text("not a folder")
    with caplog.at_level(logging.ERROR):
        inner = open_cache(f"sqlite:///{tmp_path}/file/cache.sqlite3")
    assert isinstance(inner, DisabledCache)
    cache = SafeCache(inner)
    cache.set("k", {"summary": "s"})
    assert cache.get("k") is None
    health = cache.health()
    assert health["state"] == "disabled" and health["backend"] == "sqlite"
    assert "file/cache.sqlite3" in health["detail"]
    assert caplog.text.count("cache disabled") == 1
    assert (tmp_path / "file").read_text() == "not a folder"  # nothing moved or damaged


@pytest.mark.hostile("cache", "A folder where no file can be created disables the cache.")
def test_a_folder_where_files_cannot_be_created_disables_the_cache():
    # Stands in for a read-only filesystem (root ignores file modes): sysfs refuses new files.
    if not os.path.isdir("/sys/kernel"):
        pytest.skip("needs Linux sysfs")
    cache = SafeCache(open_cache("sqlite:////sys/summarizer-cache-test.sqlite3"))
    assert cache.health()["state"] == "disabled"
    assert "unable to open database file" in cache.health()["detail"]


def test_the_breaker_skips_a_failing_cache_then_tries_it_again(tmp_path):
    inner = Flaky(tmp_path / "c.sqlite3")
    cache = SafeCache(inner, failure_threshold=3, cooloff_seconds=0.2)
    for _ in range(10):
        assert cache.get("k") is None
    assert inner.calls == 3  # the other 7 never reached the backend
    health = cache.health()
    assert (health["state"], health["errors"], health["skipped"]) == ("open", 3, 7)
    assert health["detail"] == "read failed: OSError: disk on fire"
    time.sleep(0.25)
    assert cache.health()["state"] == "ok"  # cool-off over: the next call tries again
    cache.get("k")
    assert inner.calls == 4 and cache.health()["state"] == "open"  # still failing: open again
    time.sleep(0.25)
    inner.broken = False
    cache.set("k", {"summary": "s"})
    assert cache.get("k") == {"summary": "s"}
    assert cache.health()["state"] == "ok" and cache.health()["detail"] is None


@pytest.mark.hostile("cache", "A failing cache is logged at most once a minute, with a count.")
def test_cache_failures_are_logged_rarely(tmp_path, caplog):
    cache = SafeCache(Flaky(tmp_path / "c.sqlite3"), failure_threshold=None)
    for _ in range(500):
        cache.set("k", {"summary": "s"})
    assert cache.errors == 500
    assert caplog.text.count("disk on fire") == 1


def test_wrapping_twice_is_the_same_safe_cache(tmp_path):
    safe = SafeCache(SQLiteCache(tmp_path / "c.sqlite3"))
    assert SafeCache(safe) is safe
    assert Summarizer.load("extractive", cache=safe).cache is safe


@pytest.mark.hostile("library", "A cache fault never fails a summary from the library.")
def test_the_library_never_fails_a_summary_for_its_cache(tmp_path, articles):
    inner = Flaky(tmp_path / "c.sqlite3")
    summarizer = Summarizer.load("extractive", cache=inner)
    assert isinstance(summarizer.cache, SafeCache)
    summaries = [summarizer.summarize(a) for a in articles[:3]]
    assert all(s.text and not s.cached for s in summaries)
    assert summarizer.cache.health()["errors"] == 3  # then the breaker skips it


@pytest.mark.hostile("cache", "A Redis that is not there costs a fraction of a second, then none.")
def test_redis_down_costs_little_and_then_nothing():
    cache = SafeCache(open_cache(f"redis://127.0.0.1:{free_port()}/0"))
    started = time.perf_counter()
    for _ in range(50):
        assert cache.get("k") is None
    assert time.perf_counter() - started < 1.5
    health = cache.health()
    assert (health["backend"], health["state"], health["errors"]) == ("redis", "open", 3)
    assert "ConnectionError" in health["detail"]


@pytest.mark.hostile(
    "cache", "A frozen Redis (SIGSTOP) stalls a call for at most its short timeout."
)
def test_a_frozen_redis_stalls_each_call_briefly_and_then_is_skipped(tmp_path):
    server = start_redis(tmp_path)
    try:
        inner = open_cache(server.url, redis_timeout=0.2)
        assert isinstance(inner, RedisCache)
        cache = SafeCache(inner, cooloff_seconds=30)
        cache.set("k", {"summary": "s"})
        assert cache.get("k") == {"summary": "s"}
        os.kill(server.process.pid, signal.SIGSTOP)
        try:
            timings = []
            for _ in range(20):
                started = time.perf_counter()
                assert cache.get("k") is None
                timings.append(time.perf_counter() - started)
        finally:
            os.kill(server.process.pid, signal.SIGCONT)
        assert max(timings) < 0.6  # one socket timeout, no client retries
        assert sum(timings) < 1.5  # three timeouts, then the breaker skips it
        assert cache.health()["state"] == "open" and cache.health()["errors"] == 3
        cache.close()
    finally:
        stop(server.process)


@pytest.mark.hostile("cache", "SQLite write failures (disk full) are counted and logged once.")
def test_sqlite_write_failures_are_counted_and_logged_rarely(tmp_path, caplog):
    inner = SQLiteCache(tmp_path / "c.sqlite3")
    conn = inner._conn()
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")  # SQLite's own "database or disk is full"
    cache = SafeCache(inner, failure_threshold=None)
    for i in range(200):
        cache.set(f"k{i}", {"summary": "x" * 5000})
    assert cache.health()["errors"] == 200
    assert "database or disk is full" in cache.health()["detail"]
    assert caplog.text.count("database or disk is full") == 1
    cache.close()


_ON_READ_ONLY_FS = """
import json, sys
from summarizer.cache import SafeCache, SQLiteCache, open_cache
root = sys.argv[1]
out = {}
for name in ("existing.sqlite3", "new.sqlite3"):
    out[name] = SafeCache(open_cache(f"sqlite:///{root}/{name}")).health()
print(json.dumps(out))
"""


@pytest.mark.hostile("cache", "A cache on a read-only filesystem is disabled; the service starts.")
def test_a_read_only_filesystem_disables_the_cache(tmp_path):
    """A real read-only mount (tmpfs remounted ro) in a private mount namespace."""
    import shutil
    import subprocess
    import sys

    from tests.conftest import ROOT

    if shutil.which("unshare") is None:
        pytest.skip("needs unshare(1)")
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    make = (
        f"from summarizer.cache import SQLiteCache; SQLiteCache('{mnt}/existing.sqlite3').close()"
    )
    script = (
        f'mount -t tmpfs tmpfs {mnt} && {sys.executable} -c "{make}" && '
        f"mount -o remount,ro {mnt} && {sys.executable} -c '{_ON_READ_ONLY_FS}' {mnt}"
    )
    done = subprocess.run(
        ["unshare", "-m", "sh", "-c", script],
        capture_output=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=60,
    )
    if done.returncode != 0 and b"mount" in done.stderr and b"Traceback" not in done.stderr:
        pytest.skip(f"cannot mount here: {done.stderr.decode().strip()[:200]}")
    assert done.returncode == 0, done.stderr.decode()
    health = json.loads(done.stdout.decode().strip().splitlines()[-1])
    for name in ("existing.sqlite3", "new.sqlite3"):  # a good file is not moved aside either
        assert health[name]["state"] == "disabled"
        assert health[name]["detail"] == f"cannot open {mnt}/{name}: unable to open database file"


@pytest.mark.hostile(
    "cache",
    "A cache entry is believed only if it was sealed for its key and its fields have their "
    "types: another article's entry, a null summary or a string count is a miss, logged once.",
)
def test_an_entry_of_another_key_or_of_wrong_types_is_a_miss_logged_once(
    tmp_path, articles, caplog
):
    from summarizer.cache.entry import seal
    from summarizer.options import SummaryOptions

    raw = SQLiteCache(tmp_path / "c.sqlite3")
    summarizer = Summarizer.load("extractive", cache=raw)
    options = SummaryOptions(length="short")
    doc_a, doc_b = summarizer.prepare(articles[0]), summarizer.prepare(articles[1])
    key_a, key_b = summarizer.cache_key(doc_a, options), summarizer.cache_key(doc_b, options)
    [made_a] = summarizer.compute([doc_a], options)
    assert summarizer.cached(key_a, options).state == "hit"
    stored_a = raw.get(key_a)
    raw.set(key_b, stored_a)  # article B's key holds article A's (sealed) entry
    caplog.set_level(logging.WARNING, logger="summarizer.cache")
    assert summarizer.cached(key_b, options).state == "miss"
    [made_b] = summarizer.summarize_prepared([doc_b], options)
    assert made_b.text != made_a.text and not made_b.cached
    assert summarizer.cached(key_b, options).summary.text == made_b.text  # replaced
    good = {k: v for k, v in stored_a.items() if k != "for_key"}
    bad_entries = [
        seal(key_a, {**good, "summary": None}),
        seal(key_a, {**good, "coverage": {**good["coverage"], "input_chars": "lots"}}),
        seal(key_a, {**good, "sentences": [1, 2]}),
        12345,
        good,  # no seal: written by an older release or another program
    ]
    for bad in bad_entries:
        raw.set(key_a, bad)
        lookup = summarizer.cached(key_a, options)
        assert (lookup.state, lookup.summary) == ("miss", None), bad
    assert summarizer.cache.invalid == 2 + len(bad_entries)  # B was read twice while bad
    assert len([r for r in caplog.records if "was not used" in r.getMessage()]) == 1
