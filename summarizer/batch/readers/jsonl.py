"""JSON Lines input: one JSON object a line, from a file or standard input."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import BinaryIO

from summarizer.batch.readers.fields import Fields
from summarizer.batch.readers.lines import bounded_lines
from summarizer.batch.readers.records import MAX_RECORD_BYTES, Record, RecordError, cut_raw


def jsonl_records(stream: BinaryIO, source: str, fields: Fields) -> Iterator[Record]:
    """One record for each line that is not blank; ``source`` is ``-`` for standard input."""
    for number, line in enumerate(bounded_lines(stream, source), start=1):
        if line is None:
            yield RecordError(
                f"line:{number}",
                f"line is too long (over {MAX_RECORD_BYTES:,} bytes)",
                line=number,
            )
            continue
        if not line.strip():
            continue  # blank lines are not records
        key = f"line:{number}"
        try:
            text = line.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            raw = line.decode("utf-8", errors="replace")
            yield RecordError(
                key, f"line is not valid UTF-8 ({exc.reason})", None, number, cut_raw(raw)
            )
            continue
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            yield RecordError(
                key, f"malformed JSON: {exc.msg}", None, number, cut_raw(text.rstrip("\n"))
            )
            continue
        except RecursionError:
            reason = "malformed JSON: nested too deeply"
            yield RecordError(key, reason, None, number, cut_raw(text.rstrip("\n")))
            continue
        except ValueError as exc:  # e.g. an integer of more than 4,300 digits
            yield RecordError(
                key, f"malformed JSON: {exc}", None, number, cut_raw(text.rstrip("\n"))
            )
            continue
        if not isinstance(data, dict):
            yield RecordError(key, "not a JSON object", None, number, cut_raw(text.rstrip("\n")))
            continue
        yield fields.record(data, number, text.rstrip("\n"))


def count_jsonl(path: str) -> int:
    """How many records a JSONL file holds (lines that are not blank, over-long ones included)."""
    with open(path, "rb") as f:
        return sum(1 for line in bounded_lines(f, path) if line is None or line.strip())
