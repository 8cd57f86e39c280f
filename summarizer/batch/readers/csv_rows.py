"""CSV (or, for a ``.tsv`` name, tab-separated) input: a header row, then one record a row.

Records are cut out of the file *before* the ``csv`` module parses them, by following its
states through each line (``RecordSplitter``), piece by piece for a long line: a record is the
lines up to the first line end outside a quoted field, which is where the ``csv`` module ends
one too. So a record over ``MAX_RECORD_BYTES`` (a field that never ends before the limit, or a
quoted one that holds lines shaped like records) is followed to its real end without being
held, and is one ERRORS line; reading goes on at the next real record, never inside it.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from typing import BinaryIO

from summarizer.batch.readers.fields import Fields
from summarizer.batch.readers.lines import CHUNK_BYTES, line_pieces
from summarizer.batch.readers.records import MAX_RECORD_BYTES, Record, RecordError, cut_raw
from summarizer.errors import InputError


def dialect(name: str) -> type[csv.Dialect] | str:
    return "excel-tab" if name.lower().endswith(".tsv") else "excel"


START, PLAIN, QUOTED, SKIP = range(4)  # where a line (or a piece of one) leaves the reader


class RecordSplitter:
    """Follows the ``csv`` module's states through a line, or a piece of one (strict excel
    dialect: a field that starts with ``"`` is quoted, ``""`` inside it is a quote, a quote
    elsewhere is text, anything between a closing quote and the delimiter is an error that ends
    the row with its line). Every pattern is linear and the loop runs once per quoted field."""

    def __init__(self, delimiter: str) -> None:
        d = re.escape(delimiter.encode())
        self._quoted_rest = re.compile(rb'[^"]*(?:""[^"]*)*')
        self._plain_fields = re.compile(
            rb'(?:[^"' + d + rb"\r\n][^" + d + rb"\r\n]*" + d + rb"|" + d + rb")*"
        )
        self._plain_rest = re.compile(rb"[^" + d + rb"\r\n]*")
        self._delimiter = delimiter.encode()[0]

    def state_after(self, piece: bytes, state: int) -> int:
        pos, n = 0, len(piece)
        while pos < n:
            if state == SKIP:
                return SKIP
            if state == QUOTED:
                pos = self._quoted_rest.match(piece, pos).end()  # type: ignore[union-attr]
                if pos >= n:
                    return QUOTED
                pos += 1  # the closing quote (a piece never ends in one, see line_pieces)
                if pos < n and piece[pos] == self._delimiter:
                    pos += 1
                    state = START
                    continue
                return SKIP  # the line end, or an error: either way the row ends with the line
            if state == START:
                pos = self._plain_fields.match(piece, pos).end()  # type: ignore[union-attr]
                if pos >= n:
                    return START
                if piece[pos] == ord('"'):
                    state = QUOTED
                    pos += 1
                    continue
                state = PLAIN
            pos = self._plain_rest.match(piece, pos).end()  # type: ignore[union-attr]
            if pos < n and piece[pos] == self._delimiter:
                pos += 1
                state = START
                continue
            return PLAIN if pos >= n else SKIP
        return state


def raw_records(
    stream: BinaryIO, name: str, limit: int = MAX_RECORD_BYTES, piece: int = CHUNK_BYTES
) -> Iterator[tuple[int, int, list[bytes] | None]]:
    """``(first line, last line, lines)`` for each record; ``lines`` is None for a record over
    ``limit`` bytes (followed to its end, never held). At the end of the file a quote still
    open makes the rest one record, as the ``csv`` module reads it."""
    splitter = RecordSplitter("\t" if name.lower().endswith(".tsv") else ",")
    lines: list[bytes] | None = []
    current: list[bytes] = []  # the pieces of the line being read
    size = 0
    first = number = 1
    state = START
    for part, ended in line_pieces(stream, piece):
        state = splitter.state_after(part, state)
        size += len(part)
        if lines is not None and size > limit:
            lines, current = None, []  # over the limit: follow the quotes to its end only
        if lines is not None:
            current.append(part)
        if not ended:
            continue
        if lines is not None:
            lines.append(b"".join(current))
        current = []
        if state != QUOTED:
            yield first, number, lines
            lines, size, first, state = [], 0, number + 1, START
        number += 1
    if lines is None or lines:
        yield first, number - 1, lines


def _decode(lines: list[bytes], first: bool) -> list[str]:
    # surrogateescape: one bad byte spoils one row, not the whole file.
    text = [line.decode("utf-8", "surrogateescape") for line in lines]
    if first and text and text[0].startswith("\ufeff"):
        text[0] = text[0][1:]
    return text


def parse_row(lines: list[bytes], name: str, first: bool = False) -> list[str]:
    """One record's fields (raises ``csv.Error`` for a malformed one)."""
    reader = csv.reader(_decode(lines, first), dialect(name), strict=True)
    rows = list(reader)
    if len(rows) > 1:  # the splitter and the csv module disagree: never guess
        raise csv.Error("row does not end where expected")
    return rows[0] if rows else []


def read_header(records: Iterator[tuple[int, int, list[bytes] | None]], name: str) -> list[str]:
    for _first, last, lines in records:
        if lines is None:
            raise InputError(f"CSV {name} header is over {MAX_RECORD_BYTES:,} bytes")
        try:
            row = parse_row(lines, name, first=True)
        except csv.Error as exc:
            raise InputError(f"cannot read CSV {name}: {exc} (line {last})") from None
        if row:
            return row
    return []


def check_header(stream: BinaryIO, name: str, fields: Fields) -> None:
    """Raise InputError unless the file has a header with the id column and a text column."""
    header = read_header(raw_records(stream, name), name)
    if not header:
        raise InputError(f"CSV {name} is empty: it needs a header row")
    if fields.id_field not in header:
        raise InputError(f"CSV has no {fields.id_field!r} column (columns: {', '.join(header)})")
    if not any(f in header for f in fields.text_fields):
        wanted = fields.wanted_text()
        raise InputError(f"CSV has no {wanted} column (columns: {', '.join(header)})")


def csv_records(stream: BinaryIO, name: str, fields: Fields) -> Iterator[Record]:
    """One record for each row that is not blank; a malformed row is one RecordError."""
    records = raw_records(stream, name)
    header = read_header(records, name)
    for start, last, lines in records:
        if lines is None:
            yield RecordError(
                f"line:{start}",
                f"row is too long (over {MAX_RECORD_BYTES:,} bytes, lines {start}-{last}); "
                "reading went on after it",
                line=start,
            )
            continue
        try:
            row = parse_row(lines, name)
        except csv.Error as exc:
            reason = f"malformed CSV: {exc} (lines {start}-{last})"
            if str(exc) == "unexpected end of data":  # strict: a quote never closed
                reason = (
                    f"malformed CSV: a quote opened at line {start} is never closed "
                    f"(lines {start}-{last} were read as one field)"
                )
            raw = b"".join(lines).decode("utf-8", "replace")
            yield RecordError(f"line:{start}", reason, line=start, raw=cut_raw(raw))
            continue
        if not any(cell.strip() for cell in row):
            continue
        raw = cut_raw(",".join(row).encode("utf-8", "surrogateescape").decode("utf-8", "replace"))
        if len(row) != len(header):
            yield RecordError(
                f"line:{start}",
                f"row has {len(row)} fields, header has {len(header)}",
                line=start,
                raw=raw,
            )
            continue
        if any(_has_surrogates(cell) for cell in row):
            yield RecordError(f"line:{start}", "row is not valid UTF-8", line=start, raw=raw)
            continue
        yield fields.record(dict(zip(header, row, strict=True)), start, raw)


def count_csv(stream: BinaryIO, name: str) -> int | None:
    """How many records are not blank (malformed ones included); None when a line is too long
    to follow."""
    try:
        records = raw_records(stream, name)
        next(records, None)  # the header
        count = 0
        for _first, _last, lines in records:
            count += lines is None or not _blank(lines, name)
        return count
    except InputError:
        return None


def _blank(lines: list[bytes], name: str) -> bool:
    """A row the reader skips: no cell holds more than spaces (a malformed row is not)."""
    try:
        return not any(cell.strip() for cell in parse_row(lines, name))
    except csv.Error:
        return False


def _has_surrogates(text: str) -> bool:
    """A byte that was not UTF-8 (decoded with ``surrogateescape``)."""
    return any("\udc80" <= ch <= "\udcff" for ch in text)
