"""``Reader``: the records of one batch input, whatever its format, with repeated ids refused."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

from summarizer.batch.readers.csv_rows import check_header, count_csv, csv_records
from summarizer.batch.readers.fields import Fields
from summarizer.batch.readers.folder import folder_files, folder_records
from summarizer.batch.readers.jsonl import count_jsonl, jsonl_records
from summarizer.batch.readers.records import Record, RecordError, where
from summarizer.errors import InputError


def detect_kind(source: str) -> str:
    """``jsonl`` | ``csv`` | ``folder``; raises InputError for an input that is not there."""
    if source == "-":
        return "jsonl"
    path = Path(source)
    if path.is_dir():
        return "folder"
    if not path.is_file():
        raise InputError(f"no such file or folder: {source}")
    return "csv" if path.suffix.lower() in (".csv", ".tsv") else "jsonl"


class Reader:
    """Iterates over the records of one input; ``count()`` is a cheap pre-pass for the ETA."""

    def __init__(self, source: str, id_field: str = "id", text_field: str | None = None) -> None:
        self.source = source
        self.kind = detect_kind(source)
        self.fields = Fields.named(id_field, text_field)
        if self.kind != "folder" and source != "-":
            try:
                open(source, "rb").close()
            except OSError as exc:
                raise InputError(f"cannot read {source}: {exc.strerror}") from None
        if self.kind == "csv":
            check_header(source, self.fields)

    def __iter__(self) -> Iterator[Record]:
        """Records in input order; later records with an id seen before become errors."""
        seen: dict[str, str] = {}
        for record in self._records():
            if record.id is not None and record.key == record.id:
                first = seen.get(record.id)
                here = where(record)
                if first is not None:
                    yield RecordError(
                        key=f"{record.id}@{here.replace(' ', ':')}",
                        id=record.id,
                        line=record.line,
                        reason=f"duplicate id {record.id!r} (first seen at {first})",
                    )
                    continue
                seen[record.id] = here
            yield record

    def count(self) -> int | None:
        """How many records there are (for the progress bar); None when unknown.

        Unknown for standard input, and for a CSV that the reader will report rows of as
        malformed (the count would be off anyway).
        """
        if self.source == "-":
            return None
        if self.kind == "folder":
            return sum(1 for _ in folder_files(self.source))
        if self.kind == "csv":
            return count_csv(self.source)
        return count_jsonl(self.source)

    def _records(self) -> Iterator[Record]:
        if self.kind == "folder":
            yield from folder_records(self.source)
        elif self.kind == "csv":
            yield from csv_records(self.source, self.fields)
        elif self.source == "-":
            yield from jsonl_records(sys.stdin.buffer, self.source, self.fields)
        else:
            with open(self.source, "rb") as f:
                yield from jsonl_records(f, self.source, self.fields)
