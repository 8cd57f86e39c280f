"""Fitting summaries to a word budget without ever ending mid-sentence, and laying them out."""

from __future__ import annotations

from summarizer.text.sentences import ends_sentence
from summarizer.text.similarity import distinct, near_duplicate, tokens
from summarizer.text.tokens import count_words

__all__ = [
    "distinct",
    "drop_unfinished",
    "ends_sentence",
    "fit_to_words",
    "near_duplicate",
    "render",
    "tidy",
    "tokens",
    "word_count",
]


def word_count(text: str) -> int:
    """Words in ``text``, in every script the same unit (summarizer/text/tokens.py)."""
    return count_words(text)


def fit_to_words(sentences: list[str], max_words: int) -> list[str]:
    """Leading sentences whose total stays within ``max_words``.

    A first sentence longer than the budget is kept whole: a cut sentence is worse than a long one.
    """
    kept: list[str] = []
    total = 0
    for sentence in sentences:
        words = word_count(sentence)
        if kept and total + words > max_words:
            break
        kept.append(sentence)
        total += words
        if total >= max_words:
            break
    return kept


def drop_unfinished(sentences: list[str]) -> list[str]:
    """Drop a trailing fragment cut off by a token limit, if at least one whole sentence remains."""
    complete = list(sentences)
    while len(complete) > 1 and not ends_sentence(complete[-1]):
        complete.pop()
    return complete


def tidy(sentences: list[str], layout: str) -> list[str]:
    """The sentences a summary may show: no near-duplicates, and in a paragraph no line without
    final punctuation (a headline, a caption) run into the sentence after it."""
    kept = distinct(sentences)
    if layout == "paragraph":
        kept = [s for i, s in enumerate(kept) if i == len(kept) - 1 or ends_sentence(s)]
    return kept or list(sentences[:1])


def render(sentences: list[str], layout: str) -> str:
    if layout == "bullets":
        return "\n".join(f"- {s}" for s in sentences)
    return " ".join(sentences)
