"""The interface every engine implements.

An engine turns prepared articles into summaries. It knows how its model runs; it knows nothing of
HTTP, files or caches. Adding an engine is one module here plus one line in ``registry.ENGINES``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Any, ClassVar

from summarizer.options import SummaryOptions
from summarizer.sentence_fit import render
from summarizer.summary import Coverage, Summary
from summarizer.text import PreparedText


class Engine(ABC):
    """Summarizes a batch of prepared articles; one result per article, in order."""

    name: ClassVar[str]

    def __init__(self, model_id: str) -> None:
        self.model_id = model_id

    @abstractmethod
    def summarize_batch(
        self, docs: Sequence[PreparedText], options: SummaryOptions
    ) -> list[Summary]: ...

    def make_summary(
        self, doc: PreparedText, sentences: list[str], options: SummaryOptions, **coverage: Any
    ) -> Summary:
        """The Summary of ``doc`` made of ``sentences``, laid out as the options ask."""
        return Summary(
            text=render(sentences, options.format),
            sentences=sentences,
            engine=self.name,
            model=self.model_id,
            coverage=Coverage(
                input_chars=len(doc.text),
                input_words=doc.words,
                input_sentences=len(doc.sentences),
                **coverage,
            ),
            options={"length": options.length, "max_words": options.max_words},
            language=doc.language,
        )

    def fingerprint(self) -> str:
        """What decides this engine's output, for cache keys: two engines with the same
        fingerprint must write the same summary. Subclasses add their settings."""
        return f"{self.name}:{self.model_id}"

    def describe(self) -> dict[str, Any]:
        """What a person (or ``GET /v1/models``) needs to know about the loaded engine."""
        return {"engine": self.name, "model": self.model_id}
