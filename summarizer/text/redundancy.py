"""When two sentences state the same fact in other words: their content words compared.

Token Jaccard (``summarizer.text.similarity.near_duplicate``) only catches a sentence repeated
nearly word for word. A standfirst and the first paragraph, or a lead and its paraphrase, share
the facts (names, numbers, the event) but not the function words around them. So the measure
is the overlap of *content* words (scoring terms without the language's stopwords,
``summarizer.text.stopwords``) relative to the shorter sentence: the share of the shorter
sentence's facts that the other one already states. The extractive engine reads the same words
from its TF-IDF vectors' terms and asks a :class:`ContentIndex` of the sentences it chose; the
evaluation's redundant-pair measure uses :func:`content_words` and :func:`restates`.

``CONTENT_OVERLAP`` was chosen on the dev pages (``python -m
summarizer.evaluation.web.redundancy_threshold``, docs/evaluation.md): it is the lowest share
that sentences of a true body at most three apart reach only about 1 time in 200 (0.52% of
24,198 pairs: an article does not say the same thing twice in a row).
"""

from __future__ import annotations

from collections.abc import Collection

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


class ContentIndex:
    """The content words of the sentences chosen so far, to ask whether a new one restates
    any of them reading only the chosen sentences it shares a word with (an inverted index):
    a summary of hundreds of sentences is not compared pair by pair."""

    def __init__(self, threshold: float = CONTENT_OVERLAP) -> None:
        self.threshold = threshold
        self._sizes: list[int] = []
        self._postings: dict[str, list[int]] = {}

    def add(self, words: Collection[str]) -> None:
        index = len(self._sizes)
        self._sizes.append(len(words))
        for word in words:
            self._postings.setdefault(word, []).append(index)

    def restates(self, words: Collection[str]) -> bool:
        """Whether ``words`` restates a sentence added before (as :func:`restates`)."""
        if len(words) < MIN_CONTENT_WORDS:
            return False
        shared: dict[int, int] = {}
        for word in words:
            for index in self._postings.get(word, ()):
                shared[index] = shared.get(index, 0) + 1
        for index, count in shared.items():
            smaller = min(len(words), self._sizes[index])
            if smaller >= MIN_CONTENT_WORDS and count >= self.threshold * smaller:
                return True
        return False
