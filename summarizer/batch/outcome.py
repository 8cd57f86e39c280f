"""What became of one article in a batch: written by the workers, read by the job, in one type.

An :class:`Outcome` crosses process boundaries (pickled to and from worker processes, and as
Arrow columns through Ray), and becomes exactly one line of OUTPUT or of ERRORS.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from summarizer.batch.readers.records import Item
from summarizer.summary import Summary


@dataclass(frozen=True)
class Outcome:
    """A summary (``error`` is None) or why there is none (``error`` and the ``stage``:
    ``prepare`` for an unusable article, ``engine`` for a model failure)."""

    summary: str = ""
    engine: str = ""
    model: str = ""
    chars: int = 0
    words: int = 0
    cached: bool = False
    # The article's language (ISO 639-1), as ``Summary.language`` reports it.
    language: str = ""
    error: str | None = None
    stage: str | None = None

    @classmethod
    def of(cls, summary: Summary) -> Outcome:
        return cls(
            summary=summary.text,
            engine=summary.engine,
            model=summary.model,
            chars=summary.coverage.input_chars,
            words=summary.coverage.input_words,
            cached=summary.cached,
            language=summary.language or "",
        )

    @classmethod
    def failed(cls, error: str, stage: str) -> Outcome:
        return cls(error=error, stage=stage)

    @property
    def ok(self) -> bool:
        return self.error is None

    def output_line(self, item: Item, digest: str) -> dict[str, Any]:
        """The OUTPUT line (its first keys are what ``batch.job.OUTPUT_PREFIX`` recognises)."""
        return {
            "id": item.id,
            "summary": self.summary,
            "engine": self.engine,
            "model": self.model,
            "chars": self.chars,
            "words": self.words,
            "language": self.language or None,
            "text_hash": digest[:16],
        }

    def errors_line(self, item: Item) -> dict[str, Any]:
        """The ERRORS line, shaped like ``RecordError.to_dict`` for input errors."""
        return {
            "key": item.key,
            "id": item.id,
            "line": item.line,
            "stage": self.stage,
            "reason": self.error,
            "raw": None,
        }

    # Ray moves results as Arrow columns, which want one type per column: no None.
    def to_row(self) -> dict[str, Any]:
        row = dataclasses.asdict(self)
        row["error"] = row["error"] or ""
        row["stage"] = row["stage"] or ""
        return row

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Outcome:
        values = {name: row[name] for name in OUTCOME_FIELDS}
        values["error"] = values["error"] or None
        values["stage"] = values["stage"] or None
        return cls(**values)


OUTCOME_FIELDS = tuple(f.name for f in dataclasses.fields(Outcome))
