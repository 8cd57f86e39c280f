"""JSON Lines input: one JSON object a line, from a file or standard input."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import BinaryIO

from summarizer.batch.readers.fields import Fields
from summarizer.batch.readers.lines import bounded_lines
from summarizer.batch.readers.records import MAX_RECORD_BYTES, Record, RecordError, cut_raw


class _NotJson(ValueError):
    pass


def _refuse_constant(name: str) -> None:
    # Python's json reads NaN, Infinity and -Infinity; JSON has no such values.
    raise _NotJson(f"{name} is not a JSON value")


_decode = json.JSONDecoder(parse_constant=_refuse_constant).decode  # made once, not per line


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
            text = line.decode("utf-8-sig" if number == 1 else "utf-8").rstrip("\r\n")
        except UnicodeDecodeError as exc:
            raw = line.decode("utf-8", errors="replace").rstrip("\r\n")
            yield RecordError(
                key,
                f"line is not valid UTF-8 ({exc.reason} at byte {exc.start + 1})",
                None,
                number,
                cut_raw(raw),
            )
            continue
        try:
            data = _decode(text)
        except json.JSONDecodeError as exc:
            # exc.msg alone loses where ("Invalid control character at"): say the column.
            reason = f"malformed JSON: {exc.msg.removesuffix(' at')} (column {exc.colno})"
            yield RecordError(key, reason, None, number, cut_raw(text))
            continue
        except RecursionError:
            reason = "malformed JSON: nested too deeply"
            yield RecordError(key, reason, None, number, cut_raw(text))
            continue
        except ValueError as exc:  # NaN, or an integer of more than 4,300 digits
            yield RecordError(key, f"malformed JSON: {exc}", None, number, cut_raw(text))
            continue
        if not isinstance(data, dict):
            yield RecordError(key, "not a JSON object", None, number, cut_raw(text))
            continue
        yield fields.record(data, number, text)


def count_jsonl(stream: BinaryIO, source: str) -> int:
    """How many records a JSONL stream holds (lines that are not blank, over-long ones
    included)."""
    return sum(1 for line in bounded_lines(stream, source) if line is None or line.strip())
