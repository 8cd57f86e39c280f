"""Any number of SIGTERM, SIGINT and SIGHUP, at any moment, to the command or its whole process
group, end a run within a bounded time with its summary line and status 130, workers included;
after any sequence of such stops (and kill -9) a re-run leaves every record exactly once
(issue 23, item 4)."""

import gzip
import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter

import pytest

from tests.conftest import ROOT
from tests.summarizer.batch.conftest import read_jsonl, run_batch

STOPS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)


def _handles_stops(pid: int) -> bool:
    """The command has its own handlers for the stop signals (before that, Python is still
    starting and a signal ends it as it ends any program)."""
    try:
        with open(f"/proc/{pid}/status") as f:
            caught = next(int(x.split()[1], 16) for x in f if x.startswith("SigCgt:"))
    except (OSError, StopIteration):
        return False
    return all(caught >> (s - 1) & 1 for s in STOPS)


def _mixed_input(rows, path) -> set[tuple[str, str]]:
    """400 records, gzip-compressed, with LF, CRLF and CR-only line ends mixed, a malformed
    line every 50 and, later, articles whose ids are those lines' error keys (``line:N``).
    Returns every record as (namespace, key): ``id`` or ``position``."""
    rng = random.Random(5)
    expected, parts, malformed = set(), [], []
    for number in range(1, 401):
        if number % 50 == 0:
            line = '{"id": "broken", "text": "cut off'
            expected.add(("position", f"line:{number}"))
            malformed.append(number)
        else:
            ident = f"line:{malformed[-1]}" if malformed and number % 50 == 7 else f"m{number}"
            article = f"{rows[number % len(rows)]['article']} Mixed record {number}."
            line = json.dumps({"id": ident, "text": article})
            expected.add(("id", ident))
        parts.append(line.encode() + rng.choice([b"\n", b"\r\n", b"\r"]))
    path.write_bytes(gzip.compress(b"".join(parts)))
    return expected


def _assert_exactly_once(out, errors, expected: set[tuple[str, str]]) -> None:
    counts = Counter(("id", row["id"]) for row in read_jsonl(out))
    for row in read_jsonl(errors):
        by_id = row.get("id") is not None and row["key"] == row["id"]
        counts[("id" if by_id else "position", row["key"])] += 1
    assert not {k: n for k, n in counts.items() if n > 1}, "written more than once"
    assert set(counts) == expected


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.slow
@pytest.mark.hostile("batch", "Stop signals at random moments, several at once, to the group.")
@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs /proc")
@pytest.mark.parametrize("shape", ["backlog", "mixed"])
def test_stop_signals_at_random_moments_always_end_the_run_and_lose_nothing(
    backlog, sample_rows, tmp_path, shape
):
    if shape == "backlog":
        source, keys = backlog
        expected = {("id" if not k.startswith("line:") else "position", k) for k in keys}
    else:
        source = tmp_path / "mixed.jsonl.gz"
        expected = _mixed_input(sample_rows, source)
    out, errors = tmp_path / "out.jsonl", tmp_path / "out.errors.jsonl"
    rng = random.Random(23 if shape == "backlog" else 24)
    outcomes = []
    for _ in range(7 if shape == "backlog" else 5):
        workers = rng.choice(["1", "2", "2"])
        args = ["batch", source, "-o", out, "--workers", workers, "--batch-size", "2"]
        proc = subprocess.Popen(
            [sys.executable, "-m", "summarizer", *map(str, args), "-m", "extractive"],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,  # its own process group, as a terminal or a scheduler has
        )
        try:
            deadline = time.monotonic() + 60
            while not _handles_stops(proc.pid):
                assert proc.poll() is None and time.monotonic() < deadline
                time.sleep(0.01)
            # Early enough that most runs are stopped mid-way: a resumed run has less left to do
            # (a CI run finished 5 of 7 before their signals with up to 4 s here).
            time.sleep(rng.uniform(0, 1))
            kill_9 = rng.random() < 0.15
            sent = []
            for _ in range(1 if kill_9 else rng.randint(1, 4)):
                signum = signal.SIGKILL if kill_9 else rng.choice(STOPS)
                whole_group = rng.random() < 0.5  # Ctrl-C and a hang-up reach every process
                try:
                    (os.killpg if whole_group else os.kill)(proc.pid, signum)
                except ProcessLookupError:
                    break  # it had finished already
                sent.append((signal.Signals(signum).name, whole_group))
                time.sleep(rng.uniform(0, 0.1))
            started = time.monotonic()
            _, err = proc.communicate(timeout=60)  # bounded: a hang fails here
            log = err.decode()
            took = time.monotonic() - started
            outcomes.append((workers, sent, proc.returncode, round(took, 1)))
            if kill_9:
                assert proc.returncode == -signal.SIGKILL
            else:
                assert proc.returncode in (130, 0), (sent, log[-2000:])
                last = log.strip().splitlines()[-1]
                status = "interrupted" if proc.returncode == 130 else "finished"
                assert last.startswith(f"batch {status}: "), (sent, log[-2000:])
                assert "Traceback" not in log and "leaked" not in log, (sent, log[-3000:])
            deadline = time.monotonic() + 15  # the workers (and resource tracker) are gone too
            while _group_alive(proc.pid) and time.monotonic() < deadline:
                time.sleep(0.1)
            assert not _group_alive(proc.pid), f"processes left after {sent}"
            ids = [row["id"] for row in read_jsonl(out)]
            assert len(ids) == len(set(ids))  # never twice, even in the middle
        finally:
            if _group_alive(proc.pid):
                os.killpg(proc.pid, signal.SIGKILL)
    assert sum(code == 130 for *_, code, _ in outcomes) >= 3, outcomes
    result = run_batch(source, "-o", out, "-m", "extractive", timeout=300)
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    _assert_exactly_once(out, errors, expected)
