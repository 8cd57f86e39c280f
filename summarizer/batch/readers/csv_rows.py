"""CSV (or, for a ``.tsv`` name, tab-separated) input: a header row, then one record a row."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from summarizer.batch.readers.fields import Fields
from summarizer.batch.readers.records import MAX_RECORD_BYTES, Record, RecordError, cut_raw
from summarizer.errors import InputError


def open_text(source: str) -> io.TextIOWrapper:
    # surrogateescape: one bad byte spoils one row, not the whole file.
    return open(source, encoding="utf-8-sig", errors="surrogateescape", newline="")


def dialect(source: str) -> type[csv.Dialect] | str:
    return "excel-tab" if source.lower().endswith(".tsv") else "excel"


def check_header(source: str, fields: Fields) -> None:
    """Raise InputError unless the file has a header with the id column and a text column."""
    csv.field_size_limit(MAX_RECORD_BYTES)
    try:
        with open_text(source) as f:
            header = next(csv.reader(f, dialect(source), strict=True), None)
    except (OSError, csv.Error) as exc:
        raise InputError(f"cannot read CSV {source}: {exc}") from None
    if not header:
        raise InputError(f"CSV {source} is empty: it needs a header row")
    if fields.id_field not in header:
        raise InputError(f"CSV has no {fields.id_field!r} column (columns: {', '.join(header)})")
    if not any(f in header for f in fields.text_fields):
        wanted = fields.wanted_text()
        raise InputError(f"CSV has no {wanted} column (columns: {', '.join(header)})")


def csv_records(source: str, fields: Fields) -> Iterator[Record]:
    """One record for each row that is not blank; a malformed row is one RecordError."""
    with open_text(source) as f:
        reader = csv.reader(f, dialect(source), strict=True)
        header = next(reader)
        start = reader.line_num + 1
        while True:
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                reason = f"malformed CSV: {exc}"
                if str(exc) == "unexpected end of data":  # strict: a quote never closed
                    reason = (
                        f"malformed CSV: a quote opened at line {start} is never closed "
                        f"(lines {start}-{reader.line_num} were read as one field)"
                    )
                yield RecordError(f"line:{start}", reason, line=start)
                start = reader.line_num + 1
                continue
            number, start = start, reader.line_num + 1
            if not row or not any(cell.strip() for cell in row):
                continue
            raw = cut_raw(
                ",".join(row).encode("utf-8", "surrogateescape").decode("utf-8", "replace")
            )
            if len(row) != len(header):
                yield RecordError(
                    f"line:{number}",
                    f"row has {len(row)} fields, header has {len(header)}",
                    line=number,
                    raw=raw,
                )
                continue
            if any(_has_surrogates(cell) for cell in row):
                yield RecordError(f"line:{number}", "row is not valid UTF-8", line=number, raw=raw)
                continue
            yield fields.record(dict(zip(header, row, strict=True)), number, raw)


def count_csv(source: str) -> int | None:
    """How many rows are not blank; None for a file the reader will report rows of as
    malformed (the count would be off anyway)."""
    try:
        with open_text(source) as f:
            rows = csv.reader(f, dialect(source), strict=True)
            next(rows, None)  # the header
            # Blank rows are skipped by the reader, so they are not counted either.
            return sum(1 for row in rows if any(cell.strip() for cell in row))
    except csv.Error:
        return None


def _has_surrogates(text: str) -> bool:
    """A byte that was not UTF-8 (decoded with ``surrogateescape``)."""
    return any("\udc80" <= ch <= "\udcff" for ch in text)
