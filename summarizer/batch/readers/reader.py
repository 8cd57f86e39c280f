"""``Reader``: the records of one batch input, whatever its format, with repeated ids refused."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from summarizer.batch.readers.csv_rows import check_header, count_csv, csv_records
from summarizer.batch.readers.fields import Fields
from summarizer.batch.readers.folder import folder_files, folder_records
from summarizer.batch.readers.jsonl import count_jsonl, jsonl_records
from summarizer.batch.readers.records import Record, RecordError, is_id_key, where
from summarizer.batch.readers.source import open_input, plain_name
from summarizer.errors import InputError


def detect_kind(source: str) -> str:
    """``jsonl`` | ``csv`` | ``folder``; raises InputError for an input that is not there.
    A compressed file is what its name says without the compression suffix."""
    if source == "-":
        return "jsonl"
    path = Path(source)
    if path.is_dir():
        return "folder"
    if not path.is_file():
        raise InputError(f"no such file or folder: {source}")
    return "csv" if Path(plain_name(path.name)).suffix.lower() in (".csv", ".tsv") else "jsonl"


class Reader:
    """Iterates over the records of one input; ``count()`` is a cheap pre-pass for the ETA."""

    def __init__(self, source: str, id_field: str = "id", text_field: str | None = None) -> None:
        self.source = source
        self.kind = detect_kind(source)
        self.fields = Fields.named(id_field, text_field)
        self.name = plain_name(Path(source).name) if source != "-" else "-"
        if self.kind != "folder" and source != "-":
            try:
                open(source, "rb").close()
            except OSError as exc:
                raise InputError(f"cannot read {source}: {exc.strerror}") from None
        if self.kind == "csv":
            with open_input(source) as stream:
                check_header(stream, self.name, self.fields)

    def __iter__(self) -> Iterator[Record]:
        """Records in input order; later records with an id seen before become errors."""
        seen: dict[str, str] = {}
        for record in self._records():
            if record.id is not None and is_id_key(record):
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

        Unknown for standard input, and for a CSV with a line too long to follow."""
        if self.source == "-":
            return None
        if self.kind == "folder":
            return sum(1 for _ in folder_files(self.source))
        try:
            with open_input(self.source) as stream:
                if self.kind == "csv":
                    return count_csv(stream, self.name)
                return count_jsonl(stream, self.source)
        except InputError:
            return None

    def _records(self) -> Iterator[Record]:
        if self.kind == "folder":
            yield from folder_records(self.source)
            return
        with open_input(self.source) as stream:
            if self.kind == "csv":
                yield from csv_records(stream, self.name, self.fields)
            else:
                yield from jsonl_records(stream, self.source, self.fields)
