"""A full disk (or a file-size limit) during a run: one line naming the file, exit 4, resume."""

from __future__ import annotations

import errno
import os
import resource

import pytest

from summarizer.batch import writer
from summarizer.batch.writer import JsonlAppender, WriteError
from tests.subprocesses import run_python
from tests.summarizer.batch.conftest import assert_exactly_once, run_batch


def _limit_file_size(limit: int):
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


@pytest.mark.slow
@pytest.mark.hostile("batch", "A write failure mid-run is one line naming the file, exit 4.")
def test_a_write_failure_stops_with_status_4_and_a_rerun_completes(backlog, tmp_path):
    # RLIMIT_FSIZE makes the kernel refuse writes past 60 kB (EFBIG) the way a full disk does
    # (ENOSPC): a short write, then an error, from the real os.write of the real command.
    source, keys = backlog
    out = tmp_path / "out.jsonl"
    errors = tmp_path / "out.errors.jsonl"
    args = ["batch", source, "-o", out, "--model", "extractive", "--batch-size", "2"]
    done = run_python(
        "-m",
        "summarizer",
        *args,
        env={"PYTHONDONTWRITEBYTECODE": "1"},
        preexec_fn=_limit_file_size(60_000),
        timeout=300,
    )
    err = done.stderr.decode()
    assert done.returncode == 4, err[-2000:]
    assert "Traceback" not in err
    last = err.strip().splitlines()[-1]
    assert last.startswith(f"error: cannot write {out}: File too large"), last
    assert "re-run the same command to continue" in last
    assert 0 < out.stat().st_size <= 60_000
    again = run_batch(*args[1:])
    assert again.returncode == 0, again.stderr.decode()[-2000:]
    assert_exactly_once(out, errors, keys)


def test_a_full_disk_names_the_file_and_the_cause(tmp_path, monkeypatch):
    path = tmp_path / "out.jsonl"
    appender = JsonlAppender(path, fsync=False)

    def full(fd, data):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(writer.os, "write", full)
    appender.write({"id": "a", "summary": "s"})
    with pytest.raises(WriteError, match=f"cannot write {path}: No space left on device"):
        appender.flush()
    appender.write({"id": "b", "summary": "s"})
    with pytest.raises(WriteError):  # stays stopped: never a line after a hole
        appender.flush()
    appender.close()  # releases the file without trying again


@pytest.mark.hostile("batch", "A device or other non-regular file as OUTPUT is refused.")
def test_a_device_as_output_is_refused_not_read_forever(tmp_path, articles):
    source = tmp_path / "in.jsonl"
    source.write_text('{"id": "a", "text": "Some words here."}\n')
    done = run_batch(source, "-o", "/dev/zero", "--errors", tmp_path / "e.jsonl", timeout=60)
    assert done.returncode == 1
    assert done.stderr.decode().strip().splitlines()[-1] == (
        "error: cannot write /dev/zero: not a regular file"
    )
