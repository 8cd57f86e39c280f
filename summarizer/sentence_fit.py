"""Fitting summaries to a word budget without ever ending mid-sentence, and laying them out."""

from __future__ import annotations

import re
import unicodedata

from summarizer.text.furniture import ends_sentence

__all__ = [
    "distinct",
    "drop_unfinished",
    "ends_sentence",
    "fit_to_words",
    "near_duplicate",
    "render",
    "tidy",
    "word_count",
]

# Two sentences whose token sets overlap this much (Jaccard) say the same thing.
NEAR_DUPLICATE = 0.8
_TOKEN = re.compile(r"[^\W_]+")
_UNSPACED = re.compile(r"[\u0e00-\u0eff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")


def word_count(text: str) -> int:
    return len(text.split())


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


def tokens(text: str) -> frozenset[str]:
    """Casefolded Unicode word tokens; each character of an unspaced script is a token."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    spaced = _TOKEN.findall(_UNSPACED.sub(" ", folded))
    return frozenset(spaced + _UNSPACED.findall(folded))


def near_duplicate(a: str | frozenset[str], b: str | frozenset[str]) -> bool:
    """True when two sentences share nearly all their tokens (Jaccard >= NEAR_DUPLICATE)."""
    ta = tokens(a) if isinstance(a, str) else a
    tb = tokens(b) if isinstance(b, str) else b
    if not ta or not tb:
        return ta == tb
    return len(ta & tb) >= NEAR_DUPLICATE * len(ta | tb)


def distinct(sentences: list[str]) -> list[str]:
    """The sentences without any that nearly repeats an earlier one."""
    kept: list[str] = []
    seen: list[frozenset[str]] = []
    for sentence in sentences:
        bag = tokens(sentence)
        if not any(near_duplicate(bag, other) for other in seen):
            kept.append(sentence)
            seen.append(bag)
    return kept


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
