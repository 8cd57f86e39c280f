"""The appender never loses a complete line and repairs the torn one a crash leaves."""

import json
import tracemalloc

from summarizer.batch.writer import JsonlAppender


def test_torn_last_line_is_cut_and_complete_lines_kept(tmp_path):
    path = tmp_path / "out.jsonl"
    complete = b'{"id": "a", "summary": "x"}\n{"id": "b", "summary": "y"}\n'
    path.write_bytes(complete + b'{"id": "c", "summ')
    seen = []
    writer = JsonlAppender(path, on_existing=seen.append)
    assert [row["id"] for row in seen] == ["a", "b"]
    assert writer.repaired_bytes == len(b'{"id": "c", "summ')
    writer.write({"id": "c", "summary": "z"})
    writer.close()
    data = path.read_bytes()
    assert data.startswith(complete)
    assert [json.loads(line)["id"] for line in data.splitlines()] == ["a", "b", "c"]


def test_a_complete_line_that_is_not_json_is_kept_not_used(tmp_path):
    path = tmp_path / "out.jsonl"
    path.write_bytes(b'{"id": "a"}\nedited by hand\n')
    seen = []
    writer = JsonlAppender(path, on_existing=seen.append)
    writer.close()
    assert writer.unreadable_lines == 1 and [r["id"] for r in seen] == ["a"]
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


def test_existing_lines_are_streamed_not_kept(tmp_path):
    # Resume must not cost the size of OUTPUT: 20 MB of summaries, a few hundred kB of memory.
    path = tmp_path / "out.jsonl"
    summary = "A long summary sentence. " * 400  # ~10 kB a line
    with path.open("w", encoding="utf-8") as f:
        for i in range(2000):
            f.write(json.dumps({"id": f"a{i}", "summary": summary}) + "\n")
        f.write('{"id": "torn", "summ')
    size = path.stat().st_size
    ids = []
    tracemalloc.start()
    try:
        writer = JsonlAppender(path, on_existing=lambda row: ids.append(row["id"]))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    writer.close()
    assert ids == [f"a{i}" for i in range(2000)] and writer.existing_lines == 2000
    assert writer.repaired_bytes == len('{"id": "torn", "summ')
    assert path.read_bytes().endswith(b"}\n") and path.stat().st_size < size
    assert peak < size / 20, f"peak {peak:,} bytes for a {size:,}-byte file"
