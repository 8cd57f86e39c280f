"""A cache outage never fails a record: Redis down from the start, Redis gone mid-run."""

from __future__ import annotations

import json

import pytest

from summarizer.batch import runner
from summarizer.batch.runner import BatchConfig, run_local
from summarizer.load_options import LoadOptions
from tests.api.conftest import free_port, start_redis, stop
from tests.summarizer.batch.conftest import assert_exactly_once, read_jsonl, run_batch


def _backlog(path, rows, n):
    lines = [
        json.dumps({"id": f"r{i}", "text": f"{rows[i % len(rows)]['article']} Item {i}."})
        for i in range(n)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return {f"r{i}" for i in range(n)}


@pytest.mark.slow
@pytest.mark.hostile("batch", "With Redis down from the start every record is still summarized.")
def test_redis_down_from_the_start_fails_no_record(tmp_path, sample_rows):
    source = tmp_path / "in.jsonl"
    keys = _backlog(source, sample_rows, 20)
    out, errors = tmp_path / "out.jsonl", tmp_path / "out.errors.jsonl"
    url = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    done = run_batch(source, "-o", out, "--cache", url, "--workers", "2", "--batch-size", "4")
    log = done.stderr.decode()
    assert done.returncode == 0, log
    assert len(read_jsonl(out)) == 20 and read_jsonl(errors) == []
    assert_exactly_once(out, errors, keys)
    last = log.splitlines()[-1]
    assert "20 done" in last and "cache degraded (redis" in last, last
    assert "ConnectionError" in last
    assert log.count("cache read failed") <= 2  # once per worker at most, not once per record


@pytest.mark.hostile("batch", "Redis going away mid-run fails no record; the summary says so.")
def test_redis_gone_mid_run_fails_no_record(tmp_path, sample_rows, monkeypatch):
    server = start_redis(tmp_path)
    try:
        source = tmp_path / "in.jsonl"
        keys = _backlog(source, sample_rows, 30)
        finish = runner.Job._finish
        windows = []

        def stop_redis_after_the_first_window(job, window):
            finish(job, window)
            windows.append(window)
            if len(windows) == 1:
                stop(server.process)

        monkeypatch.setattr(runner.Job, "_finish", stop_redis_after_the_first_window)
        out = tmp_path / "out.jsonl"
        config = BatchConfig(
            input=str(source),
            output=out,
            model="extractive",
            load=LoadOptions(batch_size=5),
            window=5,
            cache_url=server.url,
        )
        report = run_local(config)
    finally:
        stop(server.process)
    assert len(windows) == 6
    assert (report.done, report.failed) == (30, 0)
    assert_exactly_once(out, tmp_path / "out.errors.jsonl", keys)
    assert report.cache is not None and report.cache["errors"] >= 3
    assert report.cache["state"] == "open"  # the breaker skips the dead Redis
    assert "cache degraded (redis, open" in report.line()


@pytest.mark.hostile("cli", "A --cache path that cannot be used is refused in one line.")
def test_an_unusable_sqlite_cache_is_one_line_and_writes_nothing(tmp_path, sample_rows):
    source = tmp_path / "in.jsonl"
    _backlog(source, sample_rows, 2)
    (tmp_path / "file").write_text("x")
    out = tmp_path / "out.jsonl"
    done = run_batch(source, "-o", out, "--cache", f"sqlite:///{tmp_path}/file/c.sqlite3")
    err = done.stderr.decode()
    assert done.returncode == 1
    assert err.strip().splitlines()[-1].startswith("error: --cache sqlite:///")
    assert "Traceback" not in err
    assert not out.exists()


@pytest.mark.slow
def test_a_garbage_sqlite_cache_is_moved_aside_and_the_run_uses_a_fresh_one(tmp_path, sample_rows):
    source = tmp_path / "in.jsonl"
    _backlog(source, sample_rows, 3)
    cache = tmp_path / "c.sqlite3"
    cache.write_bytes(b"garbage" * 100)
    done = run_batch(source, "-o", tmp_path / "out.jsonl", "--cache", f"sqlite:///{cache}")
    assert done.returncode == 0, done.stderr.decode()
    assert "moved it aside" in done.stderr.decode()
    assert "cache degraded" not in done.stderr.decode()
    again = run_batch(source, "-o", tmp_path / "b.jsonl", "--cache", f"sqlite:///{cache}")
    assert "3 from cache" in again.stderr.decode().splitlines()[-1]
