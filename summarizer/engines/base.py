"""The interface every engine implements.

An engine turns prepared articles into summaries. It knows how its model runs; it knows nothing of
HTTP, files or caches. Adding an engine is one module here (with its ``from_spec``) plus one line
in ``registry.ENGINES``.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Any, ClassVar, Self

from summarizer.load_options import LoadOptions, ModelSpec
from summarizer.options import SummaryOptions
from summarizer.sentence_fit import render, tidy
from summarizer.summary import Coverage, Summary
from summarizer.text import PreparedText

log = logging.getLogger("summarizer.registry")


def warn_replicas(engine: str, options: LoadOptions) -> None:
    if options.replicas > 1:
        log.warning(
            "replicas apply to CTranslate2 models; the %s engine runs one copy "
            "(`summarizer batch --workers N` runs N processes)",
            engine,
        )


class Engine(ABC):
    """Summarizes a batch of prepared articles; one result per article, in order."""

    name: ClassVar[str]

    def __init__(self, model_id: str) -> None:
        self.model_id = model_id

    @classmethod
    def from_spec(cls, spec: ModelSpec, options: LoadOptions) -> Self:
        """The engine for a resolved model, run as ``options`` say: the one place that turns
        load settings into this engine's arguments. This default is for an engine without model
        files or settings (the extractive one): it is built with no arguments, and settings that
        do not apply are logged, not refused (``auto`` may pick it on a machine that has no
        checkpoint yet)."""
        generation = options.generation_settings()
        if generation:
            log.warning("the %s engine ignores generation settings %s", cls.name, generation)
        warn_replicas(cls.name, options)
        return cls()  # type: ignore[call-arg]

    @abstractmethod
    def summarize_batch(
        self, docs: Sequence[PreparedText], options: SummaryOptions
    ) -> list[Summary]: ...

    def make_summary(
        self, doc: PreparedText, sentences: list[str], options: SummaryOptions, **coverage: Any
    ) -> Summary:
        """The Summary of ``doc`` made of ``sentences``, laid out as the options ask (never two
        near-identical sentences, never a line without final punctuation glued to the next)."""
        sentences = tidy(sentences, options.format)
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
            options=options.applied(doc.language),
            language=doc.language,
        )

    def fingerprint(self) -> str:
        """What decides this engine's output, for cache keys: two engines with the same
        fingerprint must write the same summary. Subclasses add their settings."""
        return f"{self.name}:{self.model_id}"

    def describe(self) -> dict[str, Any]:
        """What a person (or ``GET /v1/models``) needs to know about the loaded engine."""
        return {"engine": self.name, "model": self.model_id}
