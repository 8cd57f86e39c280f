"""What one input record becomes: an :class:`Item` to summarize or a :class:`RecordError`.

A record's ``key`` is unique within the input and is what the writer resumes by: the id for
articles, and ``line:N`` / the file path for records whose id is unknown or is a duplicate.
The two are kept in separate namespaces (``is_id_key``): a record whose key is its id is
resumed by id, any other by its position, so an article whose id is ``line:2`` is never taken
for the malformed line 2.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from summarizer.text import MAX_HTML_CHARS

# A record (line, row or file) larger than this is refused without being parsed.
MAX_RECORD_BYTES = MAX_HTML_CHARS * 4 + 65_536  # an HTML page of the longest allowed, in UTF-8
# Raw records copied into ERRORS are cut to this many characters.
MAX_RAW_CHARS = 2_000


@dataclass(frozen=True)
class Item:
    key: str
    id: str
    text: str | bytes
    input_format: str = "auto"
    line: int | None = None
    where: str = ""  # "line 12" or the file's path: for messages


@dataclass(frozen=True)
class RecordError:
    key: str
    reason: str
    id: str | None = None
    line: int | None = None
    raw: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "id": self.id,
            "line": self.line,
            "stage": "input",
            "reason": self.reason,
            "raw": self.raw,
        }


Record = Item | RecordError


def cut_raw(raw: str) -> str:
    """``raw`` as copied into ERRORS: at most ``MAX_RAW_CHARS``, saying how much was cut."""
    if len(raw) <= MAX_RAW_CHARS:
        return raw
    return raw[:MAX_RAW_CHARS] + f"... [{len(raw) - MAX_RAW_CHARS:,} more characters]"


def is_id_key(record: Record | dict[str, Any]) -> bool:
    """Whether a record (or an ERRORS line) is keyed by its id, not by its position."""
    if isinstance(record, dict):
        ident, key = record.get("id"), record.get("key")
    else:
        ident, key = record.id, record.key
    return ident is not None and key == ident


def where(record: Record) -> str:
    """Where a record stands in the input, for messages: ``line 12``, or a file's path."""
    if record.line is not None:
        return f"line {record.line}"
    return record.where if isinstance(record, Item) else record.key
