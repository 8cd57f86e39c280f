"""kill -9 in the middle of a run, several times, then a re-run: every id exactly once."""

import os
import signal
import subprocess
import sys
import time

import pytest

from tests.conftest import ROOT
from tests.summarizer.batch.conftest import assert_exactly_once, read_jsonl, run_batch


def count_lines(path):
    return path.read_bytes().count(b"\n") if path.exists() else 0


def start(source, out):
    # --batch-size 2: windows of 32 articles, flushed one by one, so a kill lands between flushes
    return subprocess.Popen(
        [sys.executable, "-m", "summarizer", "batch", source, "-o", out, "--batch-size", "2"],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@pytest.mark.slow
def test_sigkill_mid_run_then_rerun_is_exactly_once(backlog, tmp_path):
    source, keys = backlog
    out = tmp_path / "out.jsonl"
    errors = tmp_path / "out.errors.jsonl"
    kills = 0
    for target in (100, 400, 700):
        proc = start(source, out)
        deadline = time.monotonic() + 90
        while count_lines(out) < target and proc.poll() is None:
            assert time.monotonic() < deadline, "no progress"
            time.sleep(0.02)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            assert proc.wait(timeout=10) == -signal.SIGKILL
            kills += 1
        written = count_lines(out)
        assert written < 1000, "the kill landed after the end: nothing was tested"
        # No duplicates even in the middle: whatever was written is written once.
        ids = [row["id"] for row in read_jsonl(out)]
        assert len(ids) == len(set(ids))
    assert kills == 3
    result = run_batch(source, "-o", out)
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    assert_exactly_once(out, errors, keys)
    last = result.stderr.decode().strip().splitlines()[-1]
    assert "failed" in last and "skipped" in last


def test_sigterm_stops_cleanly_with_status_130(backlog, tmp_path):
    source, _ = backlog
    out = tmp_path / "out.jsonl"
    proc = subprocess.Popen(
        [sys.executable, "-m", "summarizer", "batch", source, "-o", out, "--batch-size", "2"],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 90
    while count_lines(out) < 50 and proc.poll() is None:
        assert time.monotonic() < deadline, "no progress"
        time.sleep(0.02)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err.decode()[-2000:]
    assert "batch interrupted" in err.decode() and "re-run the same command" in err.decode()
    assert out.read_bytes().endswith(b"\n") and count_lines(out) < 1000
