"""Every input record becomes an article or a reported error; nothing is dropped."""

import json

import pytest

from summarizer.batch.readers.reader import Reader
from summarizer.batch.readers.records import MAX_RECORD_BYTES, Item, RecordError
from summarizer.errors import InputError


def records(source, **kwargs):
    return list(Reader(str(source), **kwargs))


def test_jsonl_reports_every_bad_line_with_its_number(tmp_path):
    path = tmp_path / "in.jsonl"
    lines = [
        json.dumps({"id": "a", "text": "Alpha story. It has words."}),
        "{not json",
        "",
        json.dumps(["a", "list"]),
        json.dumps({"text": "no id here"}),
        json.dumps({"id": "e", "text": "   "}),
        json.dumps({"id": "f", "text": 42}),
        json.dumps({"id": "g", "headline": "no text field"}),
        json.dumps({"id": "a", "text": "A duplicate of a."}),
        json.dumps({"id": 7, "body": "Numeric ids and a body field work."}),
    ]
    path.write_bytes(("\n".join(lines) + "\n").encode() + b'{"id": "h", "text": "\xff\xfe"}\n')
    out = records(path)
    items = [r for r in out if isinstance(r, Item)]
    errors = {r.line: r for r in out if isinstance(r, RecordError)}
    assert [(i.id, i.line) for i in items] == [("a", 1), ("7", 10)]
    assert errors[2].key == "line:2" and errors[2].raw == "{not json"
    assert "malformed JSON" in errors[2].reason
    assert 3 not in errors  # a blank line is not a record
    assert "not a JSON object" in errors[4].reason
    assert "missing id" in errors[5].reason and errors[5].raw
    assert errors[6].reason == "empty text" and errors[6].key == "e"
    assert "not a string" in errors[7].reason
    assert "missing text field" in errors[8].reason
    assert errors[9].key == "a@line:9" and "first seen at line 1" in errors[9].reason
    assert "UTF-8" in errors[11].reason
    assert len(out) == 10  # 11 lines, one blank
    assert len({r.key for r in out}) == len(out)


def test_configurable_fields_and_a_later_duplicate_of_an_error(tmp_path):
    path = tmp_path / "in.jsonl"
    rows = [
        {"uid": "x", "content": ""},
        {"uid": "x", "content": "Second x has text. But x was seen already."},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows))  # no final newline
    out = records(path, id_field="uid", text_field="content")
    assert isinstance(out[0], RecordError) and out[0].key == "x"
    assert isinstance(out[1], RecordError) and out[1].key == "x@line:2"


def test_csv_rows_and_header_checks(tmp_path):
    path = tmp_path / "in.csv"
    path.write_bytes(
        b'id,title,body\n1,One,"A body, with a comma.\nAnd a second line."\n'
        b"2,Two\n3,Three,\xff bad bytes\n4,Four,Plain body text here.\n"
    )
    out = records(path)
    assert [(r.id, r.line) for r in out if isinstance(r, Item)] == [("1", 2), ("4", 6)]
    assert out[0].text == "A body, with a comma.\nAnd a second line."
    errors = {r.line: r.reason for r in out if isinstance(r, RecordError)}
    assert "2 fields" in errors[4] and "UTF-8" in errors[5]

    no_id = tmp_path / "noid.csv"
    no_id.write_text("name,text\na,b\n")
    with pytest.raises(InputError, match="no 'id' column"):
        Reader(str(no_id))


def test_folder_of_mixed_files(tmp_path):
    (tmp_path / "a.txt").write_text("Plain text story. Second sentence.")
    (tmp_path / "b.html").write_text("<html><body><p>An HTML story.</p></body></html>")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.md").write_text("# Title\n\nA markdown story.")
    (tmp_path / "bad.txt").write_bytes(b"\xff\xfe\xfa latin junk")
    (tmp_path / "a.md").write_text("Same id as a.txt.")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    (tmp_path / ".hidden.txt").write_text("ignored: hidden")
    out = records(tmp_path)
    items = {r.id: r for r in out if isinstance(r, Item)}
    assert set(items) == {"a", "b", "sub/c"}
    assert items["b"].input_format == "html" and items["a"].input_format == "text"
    errors = {r.key: r.reason for r in out if isinstance(r, RecordError)}
    assert set(errors) == {"a@a.txt", "bad.txt", "notes.pdf"}  # files are read in name order
    assert "UTF-8" in errors["bad.txt"] and "unsupported" in errors["notes.pdf"]
    assert Reader(str(tmp_path)).count() == len(out)


def test_missing_input_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        Reader(str(tmp_path / "nope.jsonl"))


def test_tsv_count_uses_the_tab_dialect(tmp_path):
    # With the comma dialect, ',"' opens a quoted field that swallows the following rows.
    path = tmp_path / "in.tsv"
    path.write_text(
        'id\ttext\nt1\tHe said,"no quote closes here. More words.\n'
        "t2\tSecond story. It has words.\nt3\tThird story. It has words.\n",
        encoding="utf-8",
    )
    reader = Reader(str(path))
    assert [r.id for r in reader] == ["t1", "t2", "t3"]
    assert reader.count() == 3


def test_csv_count_matches_the_records_read_when_there_are_blank_rows(tmp_path):
    """The progress bar's total is what the reader yields: blank rows are neither."""
    path = tmp_path / "in.csv"
    path.write_text(
        "id,text\na,Alpha story. It has words.\n\n,\nb,Beta story. It has words.\n\n",
        encoding="utf-8",
    )
    reader = Reader(str(path))
    assert [r.id for r in reader] == ["a", "b"]
    assert reader.count() == 2


def test_csv_count_holds_a_field_over_the_limit_as_one_record(tmp_path):
    path = tmp_path / "in.csv"
    big = "word " * (MAX_RECORD_BYTES // 5 + 10)
    path.write_text(
        f"id,text\na,Alpha story. It has words.\nbig,{big}\nc,Gamma story. It has words.\n",
        encoding="utf-8",
    )
    reader = Reader(str(path))
    assert reader.count() == 3
    out = list(reader)
    assert isinstance(out[0], Item) and out[0].id == "a"
    assert isinstance(out[1], RecordError) and "row is too long" in out[1].reason
    assert out[1].key == "line:3"
    assert isinstance(out[2], Item) and (out[2].id, out[2].line) == ("c", 4)
