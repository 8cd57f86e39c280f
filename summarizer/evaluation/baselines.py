"""Lead-k: the first k sentences of the article, the baseline every news summarizer must beat."""

from __future__ import annotations

import re
from collections.abc import Sequence

from summarizer.engines.base import Engine
from summarizer.options import SummaryOptions
from summarizer.summary import Summary
from summarizer.text import PreparedText

_LEAD = re.compile(r"^lead-?(\d+)$", re.IGNORECASE)


class LeadEngine(Engine):
    """The first ``k`` sentences, as split by the project's own sentence splitter.

    It ignores the length options on purpose: a baseline is a fixed point of comparison.
    """

    name = "lead"

    def __init__(self, k: int = 3) -> None:
        if k < 1:
            raise ValueError("k must be at least 1")
        super().__init__(model_id=f"lead-{k}")
        self.k = k

    def summarize_batch(
        self, docs: Sequence[PreparedText], options: SummaryOptions
    ) -> list[Summary]:
        return [self._lead(doc, options) for doc in docs]

    def _lead(self, doc: PreparedText, options: SummaryOptions) -> Summary:
        sentences = list(doc.sentences[: self.k])
        return self.make_summary(doc, sentences, options)


def lead_k(name: str) -> int | None:
    """k for a baseline name like ``lead-3`` (or ``lead3``); None when it is not one."""
    match = _LEAD.match(name.strip())
    return int(match.group(1)) if match else None
