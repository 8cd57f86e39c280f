"""Measures of how a summary reads, beyond where its sentences come from (issue #27).

- **quote fragment**: a summary sentence that is a piece of a quotation: its quotation marks do
  not balance (opened and not closed, closed without being opened, in any script's marks:
  ``summarizer.text.quotes``), or it is balanced but stands inside a quotation that is open
  where it starts in its line of the source (the true body's line, else the article text).
- **content-redundant pair**: two sentences of one summary of which the shorter has most of its
  content words in the other (``summarizer.text.redundancy``): one fact told twice, also when
  the words around it differ, which token Jaccard (``dup``) does not see.
"""

from __future__ import annotations

from collections.abc import Sequence

from summarizer.text.quotes import QuoteState, balanced
from summarizer.text.redundancy import content_words, restates


def _collapsed(text: str) -> str:
    return " ".join(text.split())


class QuoteContext:
    """The lines of a source text, to find where a sentence stands in a quotation."""

    def __init__(self, text: str) -> None:
        self.lines = [_collapsed(line) for line in text.split("\n") if line.strip()]

    def inside_quotation(self, sentence: str) -> bool:
        """Whether ``sentence`` starts inside a quotation of the line it is taken from (the
        first line that holds it word for word; False when none does)."""
        wanted = _collapsed(sentence)
        for line in self.lines:
            at = line.find(wanted)
            if at >= 0:
                return QuoteState().read(line[:at]).open
        return False


def quote_fragments(sentences: Sequence[str], context: QuoteContext | None = None) -> int:
    """How many of the summary's sentences are pieces of a quotation."""
    return sum(
        1
        for s in sentences
        if not balanced(s) or (context is not None and context.inside_quotation(s))
    )


def redundant_pairs(sentences: Sequence[str], language: str | None = None) -> int:
    """How many pairs of the summary's sentences state the same fact."""
    bags = [content_words(s, language) for s in sentences]
    return sum(
        1 for i in range(len(bags)) for j in range(i + 1, len(bags)) if restates(bags[i], bags[j])
    )
