"""Readers never resynchronise inside a record: generated malformed inputs, each record of the
input is exactly one record read, and nothing is read from inside another one (issue 23, 1/5/9)."""

import csv
import io
import json
import random

import pytest

from summarizer.batch.readers.reader import Reader
from summarizer.batch.readers.records import MAX_RECORD_BYTES, Item, RecordError


def is_id_key(record) -> bool:
    """Resumed by its id (else by its position: a line, a duplicate's line, a file's path)."""
    return record.id is not None and record.key == record.id


def test_a_csv_field_over_the_limit_holding_record_shaped_lines_invents_nothing(tmp_path):
    path = tmp_path / "in.csv"
    fake = "".join(f"fake{i},some text of a record that is not one\n" for i in range(300_000))
    assert len(fake) > MAX_RECORD_BYTES
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["id", "text"])
        writer.writerow(["a", "Alpha story. It has words."])
        writer.writerow(["big", fake])
        writer.writerow(["c", "Gamma story. It has words."])
    out = list(Reader(str(path)))
    assert [r.id for r in out if isinstance(r, Item)] == ["a", "c"]
    [error] = [r for r in out if isinstance(r, RecordError)]
    assert error.key == "line:3" and "row is too long" in error.reason
    assert "lines 3-300003" in error.reason
    assert out[-1].line == 300_004  # the real next record, at its own line


def _csv_module_records(text: str) -> list[tuple[int, int, object]]:
    reader = csv.reader(io.StringIO(text, newline=""), "excel", strict=True)
    found, start = [], 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return found
        except csv.Error:
            row = "error"
        found.append((start, reader.line_num, row))
        start = reader.line_num + 1


@pytest.mark.parametrize("seed", range(4))
def test_csv_records_end_where_the_csv_module_ends_them(seed, monkeypatch):
    """Random text over the characters that matter (quotes, delimiters, every line end), read
    in random chunk and piece sizes: the same records, from the same lines, as ``csv``."""
    import summarizer.batch.readers.lines as lines_module
    from summarizer.batch.readers.csv_rows import parse_row, raw_records

    rng = random.Random(seed)
    for _ in range(2500):
        text = "".join(rng.choice('ab,,""\r\n\n') for _ in range(rng.randint(0, 60)))
        monkeypatch.setattr(lines_module, "CHUNK_BYTES", rng.randint(1, 8))
        got = []
        for first, last, lines in raw_records(
            io.BytesIO(text.encode()), "x.csv", limit=10**6, piece=rng.randint(1, 6)
        ):
            try:
                got.append((first, last, parse_row(lines, "x.csv")))
            except csv.Error:
                got.append((first, last, "error"))
        assert got == _csv_module_records(text), repr(text)
        # With a small limit the long records are skipped whole, with the same boundaries.
        full = list(raw_records(io.BytesIO(text.encode()), "x.csv", limit=10**6))
        small = list(raw_records(io.BytesIO(text.encode()), "x.csv", limit=5, piece=3))
        assert [(a, b) for a, b, _ in small] == [(a, b) for a, b, _ in got]
        for (*_, kept), (*_, lines) in zip(small, full, strict=True):
            assert kept == (None if sum(map(len, lines)) > 5 else lines)


@pytest.mark.parametrize("seed", range(3))
def test_jsonl_every_physical_line_is_one_record_whatever_its_line_end(seed, tmp_path):
    """Good objects, cut ones, random bytes, over-long lines, and CR, LF or CRLF line ends
    (a CR-only file was one record in all): each non-blank line is exactly one record."""
    rng = random.Random(seed)
    parts, expected = [], []
    for number in range(1, 301):
        kind = rng.choice(["good", "good", "cut", "bytes", "blank", "id-like-a-key"])
        if kind == "good":
            line = json.dumps({"id": f"r{number}", "text": f"Story {number} has words."})
            expected.append(("item", f"r{number}", number))
        elif kind == "id-like-a-key":
            line = json.dumps({"id": f"line:{number - 1}", "text": "An id shaped like a key."})
            expected.append(("item", f"line:{number - 1}", number))
        elif kind == "cut":
            line = '{"id": "x' + str(number) + '", "text": "cut off'
            expected.append(("error", f"line:{number}", number))
        elif kind == "bytes":
            line = bytes(rng.randrange(32, 256) for _ in range(20)).decode("latin-1")
            line = line.replace("\r", "").replace("\n", "")
            expected.append(("error", f"line:{number}", number))
        else:
            line = "   "
        parts.append(line.encode("latin-1" if kind == "bytes" else "utf-8"))
        parts.append(rng.choice([b"\n", b"\r", b"\r\n"]))
    path = tmp_path / "in.jsonl"
    path.write_bytes(b"".join(parts))
    out = list(Reader(str(path)))
    got = [("item", r.id, r.line) if isinstance(r, Item) else ("error", r.key, r.line) for r in out]
    assert got == expected
    # Ids and positions are separate: the malformed line N and an article whose id is
    # "line:N" are both there, in different namespaces.
    assert len({(is_id_key(r), r.key) for r in out}) == len(out)


def test_json_ids_are_normalised_one_way_and_non_finite_ones_refused(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text(
        '{"id": 7, "text": "Seven."}\n{"id": 1.5, "text": "One and a half."}\n'
        '{"id": 1e999, "text": "Overflows to infinity."}\n{"id": NaN, "text": "Not a number."}\n'
        '{"id": -Infinity, "text": "Minus infinity."}\n'
        '{"id": "ctl", "text": "a raw\ttab"}\n'
    )
    out = list(Reader(str(path)))
    assert [(r.id, r.line) for r in out if isinstance(r, Item)] == [("7", 1), ("1.5", 2)]
    errors = {r.line: r.reason for r in out if isinstance(r, RecordError)}
    assert "not a finite number" in errors[3]
    assert "NaN is not a JSON value" in errors[4] and "-Infinity" in errors[5]
    # Every malformed-JSON reason keeps where it is, also the one Python ends in "at".
    assert errors[6] == "malformed JSON: Invalid control character (column 29)"


def test_folder_error_keys_are_paths_never_ids(tmp_path):
    """An unreadable ``a.pdf`` is keyed by its path: the file ``a.pdf.md`` (id ``a.pdf``) is
    neither a duplicate of it nor taken as done because of it. A name that is not UTF-8 is
    refused like such an id in JSONL, and an HTML page in the charset it declares is read."""
    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "a.pdf.md").write_text("A Markdown story. It has words.")
    (tmp_path.joinpath(b"bad\xff.txt".decode("utf-8", "surrogateescape"))).write_text("Text.")
    (tmp_path / "latin.html").write_bytes(
        b'<html><head><meta charset="iso-8859-1"></head><body><p>Caf\xe9 story. '
        b"It has words.</p></body></html>"
    )
    records = list(Reader(str(tmp_path)))
    assert len(records) == 4  # one record a file
    by_key = {(is_id_key(r), r.key): r for r in records}
    assert len(by_key) == 4
    pdf = by_key[(False, "a.pdf")]  # a position (the path), not an id
    assert isinstance(pdf, RecordError) and "unsupported" in pdf.reason
    markdown = by_key[(True, "a.pdf")]  # the id of a.pdf.md: no duplicate, no collision
    assert isinstance(markdown, Item) and markdown.where == "a.pdf.md"
    [bad] = [r for (_, key), r in by_key.items() if key.startswith("bad")]
    assert isinstance(bad, RecordError) and "not valid UTF-8" in bad.reason and bad.id is None
    latin = by_key[(True, "latin")]
    assert isinstance(latin, Item) and isinstance(latin.text, bytes)
