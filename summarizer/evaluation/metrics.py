"""Cheap per-summary statistics: length, compression, novel n-grams, unsupported facts.

The faithfulness proxy is a heuristic, not NER (no NER model ships offline with the project):
numbers and capitalized spans (runs of capitalized words, e.g. "Tim Sherwood", "U.S. Army") in the
summary with a word that never occurs in the article (case-folded). Extractive summaries score
zero by construction; for abstractive models a non-zero count is worth reading, not proof of an
error.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_TOKEN = re.compile(r"[a-z0-9]+")
_NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)*(?![\w])")
_CAPITALIZED = re.compile(
    r"(?:[A-Z][\w'’.-]*|[A-Z]\.)(?:\s+(?:of|de|van|von|the|and|&)?\s*(?:[A-Z][\w'’.-]*))*"
)
_FUNCTION_WORDS = frozenset(
    """a an the he she it they we i you his her its their our my this that these those there
    here but and or so if when while after before as at in on of for to from by with not no
    yes what who how why where which then also now""".split()
)


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


def ngrams(words: Sequence[str], n: int) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def novel_ngram_share(summary: str, article: str, n: int) -> float:
    """Share (0-1) of the summary's distinct n-grams that do not occur in the article."""
    found = ngrams(tokens(summary), n)
    if not found:
        return 0.0
    return len(found - ngrams(tokens(article), n)) / len(found)


def _normalize_number(number: str) -> str:
    return number.replace(",", "")


def unsupported_numbers(summary: str, article: str) -> list[str]:
    """Numbers in the summary that the article never states (``1,000`` matches ``1000``)."""
    known = {_normalize_number(n) for n in _NUMBER.findall(article)}
    return sorted({n for n in _NUMBER.findall(summary) if _normalize_number(n) not in known})


def named_spans(text: str) -> list[str]:
    """Runs of capitalized words, without a leading function word (``The Chelsea`` -> ``Chelsea``;
    a lone ``But`` is no name)."""
    spans = []
    for match in _CAPITALIZED.finditer(text):
        words = match.group(0).strip().rstrip(".’'").split()
        while words and words[0].lower() in _FUNCTION_WORDS:
            words.pop(0)
        if words:
            spans.append(" ".join(words))
    return spans


def unsupported_entities(summary: str, article: str) -> list[str]:
    """Capitalized spans of the summary whose words are not all in the article, case-folded."""
    article_words = set(tokens(article))
    missing = set()
    for span in named_spans(summary):
        words = tokens(span)
        if words and not all(w in article_words for w in words):
            missing.add(span)
    return sorted(missing)
