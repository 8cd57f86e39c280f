"""A backlog run never invents, loses, mixes or duplicates a record (issue 23): one run per
OUTPUT, every written path checked first, options recorded, compressed inputs, id and position
keys apart."""

import bz2
import gzip
import json
import lzma
import os
import signal
import subprocess
import sys
import time

import pytest

from tests.conftest import ROOT
from tests.summarizer.batch.conftest import read_jsonl, run_batch


def ok(result) -> str:
    log = result.stderr.decode()
    assert result.returncode == 0, log[-3000:]
    return log


def write_rows(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


@pytest.fixture
def rows(sample_rows):
    return [{"id": f"r{i}", "article": r["article"]} for i, r in enumerate(sample_rows[:6])]


def test_an_article_whose_id_looks_like_an_error_key_is_not_taken_as_done(tmp_path, rows):
    """Line 2 is malformed (key ``line:2``); a later article has the id ``line:2``. A run that
    stopped after line 2, resumed on the full file, still summarizes that article."""
    source, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    first = json.dumps(rows[0]) + '\n{"id": "cut", "text": "cut off\n'
    source.write_text(first)
    ok(run_batch(source, "-o", out))
    assert [e["key"] for e in read_jsonl(tmp_path / "out.errors.jsonl")] == ["line:2"]
    source.write_text(first + json.dumps({**rows[1], "id": "line:2"}) + "\n")
    ok(run_batch(source, "-o", out))
    assert [r["id"] for r in read_jsonl(out)] == ["r0", "line:2"]
    log = ok(run_batch(source, "-o", out))  # and a re-run has nothing left to do
    assert "0 done, 2 skipped (already done), 1 skipped (failed in an earlier run" in log


def _start(source, out, *args):
    return subprocess.Popen(
        [sys.executable, "-m", "summarizer", "batch", str(source), "-o", str(out), *args],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _wait_for(path, proc, seconds=60.0):
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert proc.poll() is None, proc.stderr.read().decode()[-2000:]
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.02)


def test_a_second_run_on_the_same_output_is_refused_at_once_and_kill_9_leaves_no_lock(
    tmp_path, backlog
):
    source, _ = backlog
    out = tmp_path / "out.jsonl"
    first = _start(source, out, "--batch-size", "2")
    try:
        _wait_for(tmp_path / "out.jsonl.lock", first)
        time.sleep(0.3)
        started = time.monotonic()
        second = run_batch(source, "-o", out)
        took = time.monotonic() - started
        assert second.returncode == 1
        [line] = [x for x in second.stderr.decode().splitlines() if x.strip()]
        assert "is being written by another run" in line and f"pid {first.pid} on " in line
        assert "started 20" in line
        assert took < 30, took  # refused before any reading or model loading
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    # The kernel dropped the dead run's lock: the next run goes ahead and finishes the job.
    log = ok(run_batch(source, "-o", out))
    assert "batch finished" in log.splitlines()[-1]
    ids = [r["id"] for r in read_jsonl(out)]
    assert len(ids) == len(set(ids)) == 1000


@pytest.mark.parametrize("target", ["output", "input", "errors", "link-to-output", "lock"])
def test_a_report_that_would_overwrite_another_file_is_refused_before_any_work(
    tmp_path, rows, target
):
    source, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_rows(source, rows)
    ok(run_batch(source, "-o", out))
    before = {p: p.read_bytes() for p in (source, out)}
    report = {
        "output": out,
        "input": source,
        "errors": tmp_path / "out.errors.jsonl",
        "link-to-output": tmp_path / "link.json",
        "lock": tmp_path / "out.jsonl.lock",
    }[target]
    if target == "link-to-output":
        report.symlink_to(out)
    result = run_batch(source, "-o", out, "--report-json", report)
    assert result.returncode == 1
    assert "--report-json" in result.stderr.decode() and "Traceback" not in result.stderr.decode()
    assert {p: p.read_bytes() for p in (source, out)} == before


def test_a_report_that_cannot_be_written_fails_before_the_run(tmp_path, rows):
    source, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_rows(source, rows)
    result = run_batch(source, "-o", out, "--report-json", tmp_path / "missing" / "r.json")
    assert result.returncode == 1 and "does not exist" in result.stderr.decode()
    assert not out.exists()  # nothing was summarized first


def test_errors_inside_an_input_folder_is_refused(tmp_path, rows):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text(rows[0]["article"])
    result = run_batch(folder, "-o", tmp_path / "out.jsonl", "--errors", folder / "e.jsonl")
    assert result.returncode == 1 and "inside the input folder" in result.stderr.decode()


def test_a_resume_with_other_options_is_refused_unless_asked_for(tmp_path, rows):
    source, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write_rows(source, rows[:3])
    ok(run_batch(source, "-o", out, "--length", "short"))
    assert all(r["options"]["length"] == "short" for r in read_jsonl(out))  # recorded
    write_rows(source, rows)
    before = out.read_bytes()
    refused = run_batch(source, "-o", out, "--length", "long")
    assert refused.returncode == 1 and out.read_bytes() == before
    message = refused.stderr.decode()
    assert '"length":"short"' in message and '"length":"long"' in message
    assert "--mixed-options" in message
    ok(run_batch(source, "-o", out, "--length", "short"))  # the same options: fine
    write_rows(source, [*rows, {"id": "r-new", "article": rows[0]["article"] + " New."}])
    log = ok(run_batch(source, "-o", out, "--length", "long", "--mixed-options"))
    assert "1 done" in log.splitlines()[-1]
    assert [r["options"]["length"] for r in read_jsonl(out)] == ["short"] * 6 + ["long"]


@pytest.mark.parametrize(
    ("name", "pack"),
    [("in.jsonl.gz", gzip.compress), ("in.jsonl.bz2", bz2.compress), ("in.xz", lzma.compress)],
)
def test_compressed_inputs_are_read_as_what_they_hold(tmp_path, rows, name, pack):
    plain = "".join(json.dumps(r) + "\n" for r in rows).encode()
    source = tmp_path / name
    source.write_bytes(pack(plain))
    out = tmp_path / "out.jsonl"
    ok(run_batch(source, "-o", out))
    assert [r["id"] for r in read_jsonl(out)] == [r["id"] for r in rows]
    assert not (tmp_path / "out.errors.jsonl").read_text()


def test_a_compressed_csv_and_gzip_on_standard_input(tmp_path, rows):
    import csv
    import io

    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(["id", "text"])
    writer.writerows([r["id"], r["article"]] for r in rows)
    source = tmp_path / "in.csv.gz"
    source.write_bytes(gzip.compress(text.getvalue().encode()))
    ok(run_batch(source, "-o", tmp_path / "csv.jsonl"))
    assert [r["id"] for r in read_jsonl(tmp_path / "csv.jsonl")] == [r["id"] for r in rows]
    piped = gzip.compress("".join(json.dumps(r) + "\n" for r in rows).encode())
    ok(run_batch("-", "-o", tmp_path / "stdin.jsonl", stdin=piped))
    assert len(read_jsonl(tmp_path / "stdin.jsonl")) == len(rows)


@pytest.mark.parametrize("shape", ["pretty-array", "zip-bytes"])
def test_an_input_with_no_readable_record_exits_1_and_writes_nothing(tmp_path, rows, shape):
    source = tmp_path / "in.jsonl"
    if shape == "pretty-array":
        source.write_text(json.dumps(rows, indent=2))
    else:
        source.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 40)
    out = tmp_path / "out.jsonl"
    result = run_batch(source, "-o", out)
    assert result.returncode == 1
    assert "has no readable record" in result.stderr.decode()
    assert not out.exists() and not (tmp_path / "out.errors.jsonl").exists()


def test_standard_input_with_no_readable_record_exits_1(tmp_path, rows):
    out = tmp_path / "out.jsonl"
    result = run_batch("-", "-o", out, stdin=json.dumps(rows, indent=2).encode())
    assert result.returncode == 1
    assert "standard input has no readable record" in result.stderr.decode()
    assert not read_jsonl(out) and not read_jsonl(tmp_path / "out.errors.jsonl")
    # A record that parses makes the input readable: the bad lines before it are errors.
    piped = b"garbage\n" + json.dumps(rows[0]).encode() + b"\n"
    ok(run_batch("-", "-o", out, stdin=piped))
    assert [e["key"] for e in read_jsonl(tmp_path / "out.errors.jsonl")] == ["line:1"]
    assert [r["id"] for r in read_jsonl(out)] == [rows[0]["id"]]


def test_a_gzip_input_cut_short_stops_with_one_line_and_keeps_what_was_read(tmp_path, rows):
    many = [{**rows[i % len(rows)], "id": f"g{i}"} for i in range(60)]
    packed = gzip.compress("".join(json.dumps(r) + "\n" for r in many).encode())
    source = tmp_path / "in.jsonl.gz"
    source.write_bytes(packed[: len(packed) * 2 // 3])  # a copy that stopped part-way
    out = tmp_path / "out.jsonl"
    result = run_batch(source, "-o", out)
    log = result.stderr.decode()
    assert result.returncode == 1 and "is a damaged gzip file" in log and "Traceback" not in log
    ids = [r["id"] for r in read_jsonl(out)]
    assert ids and ids == [f"g{i}" for i in range(len(ids))]  # the records before the damage
