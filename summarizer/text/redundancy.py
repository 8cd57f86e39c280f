"""When two sentences state the same fact in other words: their content words compared.

Token Jaccard (``summarizer.text.similarity.near_duplicate``) only catches a sentence repeated
nearly word for word. A standfirst and the first paragraph, or a lead and its paraphrase, share
the facts (names, numbers, the event) but not the function words around them. So the measure
is the overlap of *content* words (scoring terms without the language's stopwords,
``summarizer.text.stopwords``) relative to the shorter sentence: the share of the shorter
sentence's facts that the other one already states.

``CONTENT_OVERLAP`` was chosen on the dev pages (``python -m
summarizer.evaluation.web.redundancy_threshold``, docs/evaluation.md): it is the lowest share
that sentences of a true body at most three apart reach only about 1 time in 200 (0.52% of
24,198 pairs: an article does not say the same thing twice in a row).
"""

from __future__ import annotations

from summarizer.text.stopwords import stopwords
from summarizer.text.tokens import tokens

CONTENT_OVERLAP = 0.6
# Fewer content words than this say too little to compare ("He said so.").
MIN_CONTENT_WORDS = 4


def content_words(sentence: str, language: str | None = None) -> frozenset[str]:
    """The sentence's scoring terms without the stopwords of ``language``."""
    stop = stopwords(language)
    return frozenset(term for term in tokens(sentence) if term not in stop)


def overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """Content words shared, relative to the smaller set (0 when either is too small)."""
    smaller = min(len(a), len(b))
    if smaller < MIN_CONTENT_WORDS:
        return 0.0
    return len(a & b) / smaller


def restates(a: frozenset[str], b: frozenset[str], threshold: float = CONTENT_OVERLAP) -> bool:
    """Whether two sentences' content words (:func:`content_words`) say the same fact."""
    return overlap(a, b) >= threshold
