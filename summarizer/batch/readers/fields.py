"""A JSON object or a CSV row into one record, by its id field and its text field."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from summarizer.batch.readers.records import Item, Record, RecordError, cut_raw

DEFAULT_TEXT_FIELDS = ("text", "article", "body")


@dataclass(frozen=True)
class Fields:
    """Which field holds a record's id, and which ones (the first present wins) its text."""

    id_field: str = "id"
    text_fields: tuple[str, ...] = DEFAULT_TEXT_FIELDS

    @classmethod
    def named(cls, id_field: str = "id", text_field: str | None = None) -> Fields:
        return cls(id_field, (text_field,) if text_field else DEFAULT_TEXT_FIELDS)

    def wanted_text(self) -> str:
        return " or ".join(repr(f) for f in self.text_fields)

    def record(self, data: dict[str, Any], number: int, raw: str) -> Record:
        """The record on input line ``number``; ``raw`` is what ERRORS shows of it."""
        key = f"line:{number}"
        raw_id = data.get(self.id_field)
        if raw_id is None or isinstance(raw_id, (dict, list, bool)) or str(raw_id).strip() == "":
            what = "missing" if raw_id is None else "unusable"
            return RecordError(
                key, f"{what} id field {self.id_field!r}", None, number, cut_raw(raw)
            )
        if isinstance(raw_id, float) and not math.isfinite(raw_id):  # 1e999 reads as inf
            return RecordError(
                key,
                f"unusable id field {self.id_field!r}: not a finite number",
                None,
                number,
                cut_raw(raw),
            )
        ident = str(raw_id).strip()
        if _has_any_surrogate(ident):
            return RecordError(
                key, f"id field {self.id_field!r} is not valid Unicode", None, number, cut_raw(raw)
            )
        for field in self.text_fields:
            if field in data and data[field] is not None:
                value = data[field]
                break
        else:
            return RecordError(ident, f"missing text field {self.wanted_text()}", ident, number)
        if not isinstance(value, str):
            return RecordError(
                ident, f"text field is not a string ({type(value).__name__})", ident, number
            )
        if not value.strip():
            return RecordError(ident, "empty text", ident, number)
        return Item(key=ident, id=ident, text=value, line=number)


def _has_any_surrogate(text: str) -> bool:
    return not text.isascii() and any("\ud800" <= ch <= "\udfff" for ch in text)
