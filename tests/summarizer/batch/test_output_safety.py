"""OUTPUT and ERRORS never damage a file the run did not write, the input least of all."""

from __future__ import annotations

import json
import os

import pytest

from tests.summarizer.batch.conftest import read_jsonl, run_batch


def _input_without_final_newline(path, articles, n=3):
    path.write_text(
        "\n".join(json.dumps({"id": f"r{i}", "text": articles[i]}) for i in range(n)),
        encoding="utf-8",
    )
    return path.read_bytes()


@pytest.mark.slow
@pytest.mark.hostile("batch", "An OUTPUT or ERRORS that is the input (also via links) is refused.")
def test_output_or_errors_that_is_the_input_is_refused_and_the_input_kept(tmp_path, articles):
    source = tmp_path / "in.jsonl"
    before = _input_without_final_newline(source, articles)
    (tmp_path / "link.jsonl").symlink_to(source)
    os.link(source, tmp_path / "hard.jsonl")
    cases = [
        ("-o", source),
        ("-o", tmp_path / "link.jsonl"),
        ("-o", tmp_path / "hard.jsonl"),
        ("-o", tmp_path / "out.jsonl", "--errors", tmp_path / "hard.jsonl"),
    ]
    for args in cases:
        done = run_batch(source, *args, "--model", "extractive")
        err = done.stderr.decode()
        assert done.returncode == 1, (args, err)
        last = err.strip().splitlines()[-1]
        assert last.startswith("error: ") and "is the input file" in last, last
        assert source.read_bytes() == before
    assert not (tmp_path / "out.jsonl").exists()


@pytest.mark.hostile("batch", "A torn last line is cut only from a file batch itself wrote.")
def test_a_foreign_file_with_a_torn_last_line_is_left_untouched(tmp_path, articles):
    source = tmp_path / "in.jsonl"
    _input_without_final_newline(source, articles)
    other = tmp_path / "other.jsonl"
    before = _input_without_final_newline(other, articles[3:], n=2)  # records, not our output
    done = run_batch(source, "-o", other, "--model", "extractive")
    err = done.stderr.decode()
    assert done.returncode == 1
    assert "does not look like a file summarizer batch wrote" in err.strip().splitlines()[-1]
    assert other.read_bytes() == before
    notes = tmp_path / "notes.txt"
    notes.write_bytes(b"my notes\nunfinished sentence")
    done = run_batch(source, "-o", tmp_path / "out.jsonl", "--errors", notes)
    assert done.returncode == 1 and notes.read_bytes() == b"my notes\nunfinished sentence"


def test_our_own_torn_first_line_is_still_repaired(tmp_path, articles):
    source = tmp_path / "in.jsonl"
    _input_without_final_newline(source, articles)
    out = tmp_path / "out.jsonl"
    out.write_bytes(b'{"id": "r0", "summary": "cut off by a crash')  # no complete line at all
    done = run_batch(source, "-o", out, "--model", "extractive")
    assert done.returncode == 0, done.stderr.decode()
    assert [r["id"] for r in read_jsonl(out)] == ["r0", "r1", "r2"]
