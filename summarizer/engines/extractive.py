"""The embedded offline default: picks the article's most informative sentences.

News puts the most important facts first, so a sentence's position is the strongest signal; it is
combined with centrality (TF-IDF similarity to the whole article), a length prior and a filter for
non-content lines (bylines, "scroll down for video", captions), then selected with maximal
marginal relevance so the summary does not say the same thing twice. No weights, no downloads.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from summarizer.engines.base import Engine
from summarizer.options import SummaryOptions
from summarizer.sentence_fit import fit_to_words, render, word_count
from summarizer.summary import Coverage, Summary
from summarizer.text import PreparedText

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_NON_CONTENT = re.compile(
    r"scroll down for (?:video|more)|click here|read more\b|follow (?:us|@)|sign up for|"
    r"subscribe to|all rights reserved|copyright \d{4}|\bpublished:|\bupdated:|last updated|"
    r"e-?mail to a friend|share this (?:article|story)|\bcomments? \(\d+\)|"
    r"^(?:photo|image|picture|video|source|credit)s?:",
    re.IGNORECASE,
)
_LEAD_JUNK = re.compile(r"^(?:\(cnn\)\s*(?:--|—|-)?\s*|by \. [^.]{1,60} \. )", re.IGNORECASE)
_STOPWORDS = frozenset(
    """a an and are as at be been but by for from had has have he her his i in is it its of on or
    our she that the their them they this to was we were which who will with would you your not
    no so if than then there these those into about after before over also said says""".split()
)


@dataclass(frozen=True)
class ExtractiveConfig:
    """Weights of the sentence score; the defaults were chosen on a tuning split (see docs)."""

    position_weight: float = 1.0
    position_decay: float = 0.7
    centrality_weight: float = 0.6
    redundancy_penalty: float = 0.6
    min_sentence_words: int = 6
    ideal_sentence_words: int = 25


class ExtractiveEngine(Engine):
    name = "extractive"

    def __init__(self, config: ExtractiveConfig | None = None) -> None:
        super().__init__(model_id="extractive")
        self.config = config or ExtractiveConfig()

    def summarize_batch(
        self, docs: Sequence[PreparedText], options: SummaryOptions
    ) -> list[Summary]:
        return [self._summarize(doc, options) for doc in docs]

    def _summarize(self, doc: PreparedText, options: SummaryOptions) -> Summary:
        sentences = [_LEAD_JUNK.sub("", s).strip() for s in doc.sentences]
        order = self.rank(sentences, options)
        chosen = sorted(order)
        picked = fit_to_words([sentences[i] for i in chosen], options.word_range[1])
        return Summary(
            text=render(picked, options.format),
            sentences=picked,
            engine=self.name,
            model=self.model_id,
            coverage=Coverage(
                input_chars=len(doc.text),
                input_words=doc.words,
                input_sentences=len(doc.sentences),
            ),
            options={"length": options.length, "max_words": options.max_words},
        )

    def rank(self, sentences: list[str], options: SummaryOptions) -> list[int]:
        """Indices of the selected sentences, best first, within the options' budgets."""
        cfg = self.config
        bags = [_bag(s) for s in sentences]
        candidates = (
            [
                i
                for i, s in enumerate(sentences)
                if bags[i]
                and not _NON_CONTENT.search(s)
                and word_count(s) >= cfg.min_sentence_words
            ]
            or [i for i, bag in enumerate(bags) if bag]
            or [0]
        )
        vectors = _tfidf(bags)
        centroid = _normalize(sum((Counter(v) for v in vectors), Counter()))
        scores = {i: self._score(i, sentences[i], vectors[i], centroid) for i in candidates}

        low, high = options.word_range
        budget = options.sentence_budget
        selected: list[int] = []
        words = 0
        remaining = set(candidates)
        while remaining:
            best = max(
                remaining,
                key=lambda i: (
                    scores[i]
                    - cfg.redundancy_penalty
                    * max((_cosine(vectors[i], vectors[j]) for j in selected), default=0.0)
                ),
            )
            remaining.discard(best)
            length = word_count(sentences[best])
            if selected and words + length > high:
                continue
            selected.append(best)
            words += length
            if len(selected) >= budget and words >= low:
                break
        return selected

    def _score(
        self, index: int, sentence: str, vector: dict[str, float], centroid: dict[str, float]
    ) -> float:
        cfg = self.config
        position = 1.0 / (1.0 + index) ** cfg.position_decay
        centrality = _cosine(vector, centroid)
        words = word_count(sentence)
        length = min(1.0, words / cfg.ideal_sentence_words)
        return (cfg.position_weight * position + cfg.centrality_weight * centrality) * length


def _bag(sentence: str) -> Counter[str]:
    return Counter(w for w in _WORD.findall(sentence.lower()) if w not in _STOPWORDS)


def _tfidf(bags: list[Counter[str]]) -> list[dict[str, float]]:
    n = len(bags)
    df = Counter(term for bag in bags for term in bag)
    return [
        _normalize({t: (1 + math.log(c)) * math.log(1 + n / df[t]) for t, c in bag.items()})
        for bag in bags
    ]


def _normalize(vector: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(v * v for v in vector.values()))
    return {t: v / norm for t, v in vector.items()} if norm else {}


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())
