"""A cache fault never stops the service from serving (issue 16, High 4 and Medium 6)."""

from __future__ import annotations

import logging
import os
import signal
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from tests.api.conftest import wait_ready

ARTICLE = (
    "The council met on Monday to debate the new budget for the city. "
    "It approved the plan after a long discussion that lasted into the night. "
    "Critics said the plan would raise taxes for families across the region. "
    "The mayor said the budget was balanced and fair to everyone who lives here."
)


def _garbage(path):
    path.write_bytes(os.urandom(4096))
    return path


def _header_only(path):
    path.write_bytes(b"SQLite format 3\x00")
    return path


def _parent_is_a_file(path):
    (path.parent / "file").write_text("not a folder")
    return path.parent / "file" / "cache.sqlite3"


def _read_only_folder(path):
    # Root ignores file modes; sysfs refuses new files like a read-only filesystem does.
    if not os.path.isdir("/sys/kernel"):
        pytest.skip("needs Linux sysfs")
    return Path("/sys/summarizer-api-test.sqlite3")


@pytest.mark.hostile(
    "http",
    "A broken SQLite cache at start-up (garbage file, a bare SQLite header, a parent path that "
    "is a file, a folder where no file can be created) never keeps /readyz at 503: the "
    "service gets ready, says the cache state in /readyz and a metric, and summarizes.",
)
@pytest.mark.parametrize(
    ("fault", "state"),
    [
        (_garbage, "ok"),
        (_header_only, "ok"),
        (_parent_is_a_file, "disabled"),
        (_read_only_folder, "disabled"),
    ],
    ids=["garbage", "header-only", "parent-is-a-file", "read-only-folder"],
)
def test_broken_sqlite_cache_at_start_up_still_gets_ready(
    make_settings, tmp_path, caplog, fault, state
):
    path = fault(tmp_path / "cache.sqlite3")
    settings = make_settings(cache_url=f"sqlite:///{path}")
    with caplog.at_level(logging.ERROR), TestClient(create_app(settings)) as client:
        wait_ready(client, seconds=20)
        ready = client.get("/readyz")
        first = client.post("/v1/summaries", json={"text": ARTICLE})
        again = client.post("/v1/summaries", json={"text": ARTICLE})
        metrics = client.get("/metrics").text
    assert ready.status_code == 200
    body = ready.json()
    assert body["status"] == "ready"
    assert body["cache"]["backend"] == "sqlite" and body["cache"]["state"] == state
    assert str(tmp_path) not in ready.text  # /readyz is unauthenticated: no paths
    assert first.status_code == 200 and again.status_code == 200
    assert again.json()["cached"] is (state == "ok")  # a fresh file was started
    assert f'summarizer_cache_state{{backend="sqlite",state="{state}"}} 1.0' in metrics
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert any(str(path.parent) in m or str(path) in m for m in errors), errors
    if state == "disabled":
        assert any("serving WITHOUT a summary cache" in m for m in errors), errors


def test_readyz_reports_a_healthy_cache_and_no_cache(make_settings):
    with TestClient(create_app(make_settings())) as client:
        wait_ready(client)
        body = client.get("/readyz").json()
    assert body == {
        "status": "ready",
        "cache": {"backend": "sqlite", "state": "ok", "errors": 0, "skipped": 0},
    }
    with TestClient(create_app(make_settings(cache_url="none"))) as client:
        wait_ready(client)
        assert client.get("/readyz").json() == {"status": "ready", "cache": None}


@pytest.mark.hostile(
    "http",
    "With the Redis cache frozen (SIGSTOP), requests keep being answered within about a "
    "second each, and /readyz says the cache is skipped (state open).",
)
def test_frozen_redis_does_not_stall_requests(redis_server, make_settings):
    settings = make_settings(cache_url=redis_server.url)
    with TestClient(create_app(settings)) as client:
        wait_ready(client)
        assert client.post("/v1/summaries", json={"text": ARTICLE}).status_code == 200
        os.kill(redis_server.process.pid, signal.SIGSTOP)
        try:
            times = []
            for i in range(12):
                start = time.perf_counter()
                r = client.post("/v1/summaries", json={"text": f"{ARTICLE} Item {i} of many."})
                times.append(time.perf_counter() - start)
                assert r.status_code == 200, r.text
            ready = client.get("/readyz").json()
        finally:
            os.kill(redis_server.process.pid, signal.SIGCONT)
    # Each call to the frozen server times out quickly; after a few, the breaker skips it.
    assert max(times) < 1.5, times
    assert sum(times) < 4.0, times
    assert ready["cache"]["state"] == "open" and ready["cache"]["skipped"] > 0
