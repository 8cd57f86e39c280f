"""Every record, whatever it holds, ends in OUTPUT or ERRORS; standard input is read bounded."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from summarizer.batch.readers.records import MAX_RECORD_BYTES
from tests.subprocesses import run_python
from tests.summarizer.batch.conftest import assert_exactly_once, read_jsonl, run_batch


@pytest.mark.hostile("batch", "Lone surrogates, 50k-deep nesting and huge numbers end in ERRORS.")
def test_hostile_json_lines_each_end_in_errors_and_the_rest_is_summarized(tmp_path, articles):
    good = [json.dumps({"id": f"ok{i}", "text": articles[i]}) for i in range(3)]
    lines = [
        good[0],
        '{"id": "surrogate", "text": "bad \\ud800 x. ' + articles[3].replace('"', "'") + '"}',
        '{"id": "bad-id-\\udfff", "text": "Plain words in a sentence."}',
        '{"id": "deep", "text": ' + "[" * 50_000 + "]" * 50_000 + "}",
        "[" * 50_000,  # unterminated and deep
        '{"id": 1' + "0" * 5000 + ', "text": "x"}',  # over Python's int-digits limit
        good[1],
        good[2],
    ]
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out, errors = tmp_path / "out.jsonl", tmp_path / "out.errors.jsonl"
    done = run_batch(source, "-o", out, "--model", "extractive")
    log = done.stderr.decode()
    assert done.returncode == 0, log
    assert "Traceback" not in log
    assert [r["id"] for r in read_jsonl(out)] == ["ok0", "ok1", "ok2"]
    failed = {r["key"]: r for r in read_jsonl(errors)}
    assert set(failed) == {"surrogate", "line:3", "line:4", "line:5", "line:6"}
    assert failed["surrogate"]["stage"] == "prepare"
    assert "lone surrogate U+D800" in failed["surrogate"]["reason"]
    assert "not valid Unicode" in failed["line:3"]["reason"]
    assert "nested too deeply" in failed["line:5"]["reason"]
    assert failed["line:6"]["reason"].startswith("malformed JSON")
    # A re-run finds every record done: nothing is retried, nothing crashes.
    again = run_batch(source, "-o", out, "--model", "extractive")
    assert again.returncode == 0 and "0 done" in again.stderr.decode().splitlines()[-1]
    assert_exactly_once(
        out, errors, {"ok0", "ok1", "ok2", "surrogate", "line:3", "line:4", "line:5", "line:6"}
    )


def _pipe_batch(tmp_path, feeder: str, timeout: float = 60):
    """``feeder | summarizer batch -``: a real pipe from a process that writes forever."""
    producer = subprocess.Popen([sys.executable, "-c", feeder], stdout=subprocess.PIPE)
    try:
        return run_python(
            "-m",
            "summarizer",
            "batch",
            "-",
            "-o",
            tmp_path / "o.jsonl",
            stdin=producer.stdout,
            timeout=timeout,
        )
    finally:
        producer.kill()
        producer.wait()


@pytest.mark.hostile("batch", "One endless line on standard input is refused in one line, exit 1.")
def test_an_endless_line_on_stdin_is_refused_without_reading_it_all(tmp_path):
    forever = "import sys\nwhile True: sys.stdout.buffer.write(b'x' * 65536)"
    done = _pipe_batch(tmp_path, forever)
    err = done.stderr.decode()
    assert done.returncode == 1, err
    assert err.strip().splitlines()[-1].startswith("error: standard input has a line longer than")
    assert "Traceback" not in err


def test_an_over_long_line_in_a_file_is_one_error_and_the_next_line_is_read(tmp_path, articles):
    source = tmp_path / "in.jsonl"
    with source.open("wb") as f:
        f.write(b'{"id": "big", "text": "' + b"x" * (MAX_RECORD_BYTES + 10) + b'"}\n')
        f.write(json.dumps({"id": "after", "text": articles[0]}).encode() + b"\n")
    out, errors = tmp_path / "out.jsonl", tmp_path / "out.errors.jsonl"
    done = run_batch(source, "-o", out, "--model", "extractive")
    assert done.returncode == 0, done.stderr.decode()
    assert [r["id"] for r in read_jsonl(out)] == ["after"]
    assert [(r["key"], r["reason"][:16]) for r in read_jsonl(errors)] == [
        ("line:1", "line is too long")
    ]
