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


def _children(pid: int) -> set[int]:
    """Live (not zombie) processes whose parent is ``pid``, from /proc."""
    found = set()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.add(int(entry))
    return found


def _alive(pids: set[int]) -> set[int]:
    alive = set()
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                if f.read().rsplit(")", 1)[1].split()[0] != "Z":
                    alive.add(pid)
        except OSError:
            pass
    return alive


@pytest.mark.slow
@pytest.mark.hostile("batch", "Worker processes die with their parent, even on kill -9.")
@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs /proc")
def test_workers_and_the_resource_tracker_die_with_a_killed_parent(backlog, tmp_path):
    source, _ = backlog
    out = tmp_path / "out.jsonl"
    args = ["batch", source, "-o", out, "--workers", "2", "--batch-size", "2", "-m", "extractive"]
    proc = subprocess.Popen(
        [sys.executable, "-m", "summarizer", *args],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 90
        while count_lines(out) < 40 and proc.poll() is None:  # the workers are summarizing
            assert time.monotonic() < deadline, "no progress"
            time.sleep(0.05)
        children = _children(proc.pid)
        assert len(children) >= 3, children  # two workers and the resource tracker
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        deadline = time.monotonic() + 10
        while _alive(children) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _alive(children), f"still running after the parent died: {_alive(children)}"
    finally:
        for pid in _alive(_children(proc.pid)):
            os.kill(pid, signal.SIGKILL)
        if proc.poll() is None:
            proc.kill()
