"""The appender never loses a complete line and repairs the torn one a crash leaves."""

import json

from summarizer.batch.writer import JsonlAppender


def test_torn_last_line_is_cut_and_complete_lines_kept(tmp_path):
    path = tmp_path / "out.jsonl"
    complete = b'{"id": "a", "summary": "x"}\n{"id": "b", "summary": "y"}\n'
    path.write_bytes(complete + b'{"id": "c", "summ')
    writer = JsonlAppender(path)
    assert [row["id"] for row in writer.existing] == ["a", "b"]
    assert writer.repaired_bytes == len(b'{"id": "c", "summ')
    writer.write({"id": "c", "summary": "z"})
    writer.close()
    data = path.read_bytes()
    assert data.startswith(complete)
    assert [json.loads(line)["id"] for line in data.splitlines()] == ["a", "b", "c"]


def test_a_complete_line_that_is_not_json_is_kept_not_used(tmp_path):
    path = tmp_path / "out.jsonl"
    path.write_bytes(b'{"id": "a"}\nedited by hand\n')
    writer = JsonlAppender(path)
    writer.close()
    assert writer.unreadable_lines == 1 and [r["id"] for r in writer.existing] == ["a"]
    assert path.read_bytes() == b'{"id": "a"}\nedited by hand\n'


def test_lines_reach_the_file_whole_on_flush(tmp_path):
    path = tmp_path / "out.jsonl"
    writer = JsonlAppender(path, flush_every=3, flush_seconds=3600)
    writer.write({"id": 1})
    writer.write({"id": 2})
    assert path.read_bytes() == b""  # buffered: nothing half-written reaches the file
    writer.write({"id": 3, "text": "é"})
    assert path.read_bytes().count(b"\n") == 3 and path.read_bytes().endswith(b"\n")
    writer.close()
