"""The one bounded line reader and the evaluation files read through it: an over-long line is
never held whole, and each reader refuses it (or any bad line) naming file:line."""

from __future__ import annotations

import io
import json

import pytest

from summarizer.bounded_lines import UnendedLine, bounded_lines
from summarizer.errors import InputError
from summarizer.evaluation import datasets
from summarizer.evaluation.web import pages, rendered


class Reads(io.BytesIO):
    """A byte stream that records the size of every readline."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.sizes: list[int] = []

    def readline(self, size: int | None = -1) -> bytes:
        self.sizes.append(-1 if size is None else size)
        return super().readline(size)


@pytest.mark.parametrize("kind", [bytes, str])
def test_an_over_long_line_is_none_and_the_next_line_follows(kind):
    data = "short\n" + "x" * 50 + "\n" + "next\n" + "y" * 11
    stream = io.BytesIO(data.encode()) if kind is bytes else io.StringIO(data)
    expected = ["short\n", None, "next\n", None]
    if kind is bytes:
        expected = [line and line.encode() for line in expected]
    assert list(bounded_lines(stream, 10)) == expected


def test_no_read_asks_for_more_than_the_limit_or_a_skip_chunk():
    stream = Reads(b"a\n" + b"z" * 5_000_000 + b"\nb\n")
    assert list(bounded_lines(stream, 100)) == [b"a\n", None, b"b\n"]
    assert -1 not in stream.sizes and max(stream.sizes) <= 1 << 20


def test_an_endless_stream_stops_at_an_over_long_line_that_has_not_ended():
    # Read to its end within the bound (five characters and the newline): skipped, read on.
    assert list(bounded_lines(io.BytesIO(b"x" * 5 + b"\nok\n"), 5, endless=True)) == [
        None,
        b"ok\n",
    ]
    with pytest.raises(UnendedLine):
        list(bounded_lines(io.BytesIO(b"x" * 100), 5, endless=True))


ARTICLE = {"id": "a", "article": "Text.", "reference": "Ref."}
PAGE = {"id": "p", "url": "https://example.org/", "lang": "en", "html": "<p>T.</p>", "body": "T."}
TEXT = {"id": "p", "text": "T."}


@pytest.mark.hostile("eval", "an evaluation file row over its size limit is refused with file:line")
@pytest.mark.parametrize(
    ("module", "limit", "load", "row"),
    [
        (datasets, "MAX_ROW_CHARS", datasets.load_dataset, ARTICLE),
        (pages, "MAX_LINE_CHARS", pages.load_pages, PAGE),
        (rendered, "MAX_TEXT_CHARS", rendered.load_rendered, TEXT),
    ],
    ids=["dataset", "pages", "rendered"],
)
def test_an_over_long_row_is_refused_with_its_line(tmp_path, monkeypatch, module, limit, load, row):
    monkeypatch.setattr(module, limit, 200)
    path = tmp_path / "rows.jsonl"
    path.write_text(
        json.dumps(row) + "\n\n" + json.dumps({**row, "id": "b", "pad": "x" * 300}) + "\n"
    )
    with pytest.raises(InputError, match=r"rows\.jsonl:3: row over 200 characters"):
        load(path)
    path.write_text(json.dumps(row) + "\n")
    assert load(path)  # the same row within the limit is read


@pytest.mark.hostile("eval", "an evaluation file that is not UTF-8 or not usable JSON is refused")
@pytest.mark.parametrize("load", [datasets.load_dataset, pages.load_pages, rendered.load_rendered])
@pytest.mark.parametrize(
    ("line", "message"),
    [
        (b"\xff\xfe{}\n", r"rows\.jsonl: not UTF-8 text"),
        (b'{"id": ' + b"9" * 5000 + b"}\n", r"rows\.jsonl:1: not usable JSON text"),
        (b"[" * 100_000 + b"]" * 100_000 + b"\n", r"rows\.jsonl:1: not usable JSON text"),
    ],
    ids=["not-utf8", "huge-integer", "deep"],
)
def test_undecodable_rows_are_input_errors(tmp_path, load, line, message):
    path = tmp_path / "rows.jsonl"
    path.write_bytes(line)
    with pytest.raises(InputError, match=message):
        load(path)
