"""The measures of shared/eval/web/README.md: is a summary made of the article's own body?

Every function takes a summary as the list of its sentences. ``PageMeasures.score`` gives one
row of per-summary measures; :mod:`summarizer.evaluation.web.report` aggregates the rows.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from summarizer.evaluation.reading import QuoteContext, quote_fragments, redundant_pairs
from summarizer.evaluation.web.tokens import squash, tokens

FOUND_SHARE = 0.9  # a sentence is found when 90% of its tokens occur in order in one window
TITLE_SHARE = 0.8  # a sentence starts with a title holding 80% of its tokens in its first n+2
TITLE_SLACK = 2
DUP_JACCARD = 0.8
LEAD_SENTENCES = 3
# A line of the body without an end mark and with fewer tokens than this is a subhead or a
# caption, not a sentence of the lead.
SHORT_LINE_TOKENS = 20

_END_MARK = re.compile(r"[.!?…。！？؟।][\"'”’»)\]]*\s*$")
# Separators between a headline and a site or section name: "Headline | Site", "Site - Headline".
_TITLE_SEPARATOR = re.compile(r"\s+[|\-–—:·•»/]{1,2}\s+|\s*[|｜]\s*")
# Sentence ends inside a line of the body: Latin-style marks before a space, CJK marks anywhere.
_SENTENCE_END = re.compile(r"[.!?…؟।]+[\"'”’»)\]]*(?=\s)|[。！？]+[」』”’)]*")


def has_end_mark(line: str) -> bool:
    return bool(_END_MARK.search(line))


def body_lines(body: str) -> list[str]:
    return [line.strip() for line in body.split("\n") if line.strip()]


def lead_sentences(body: str, k: int = LEAD_SENTENCES) -> list[str]:
    """The body's first ``k`` sentences, short lines without an end mark (subheads) skipped.

    Lines are split at end marks followed by a space (CJK marks anywhere). This splitter is
    deliberately simple and fixed: the measure must not move when the project's splitter does.
    A body made only of such short lines (a list of dates) has its first ``k`` lines as lead.
    """
    lead: list[str] = []
    for line in body_lines(body):
        if not has_end_mark(line) and len(tokens(line)) < SHORT_LINE_TOKENS:
            continue
        lead.extend(split_line(line))
        if len(lead) >= k:
            break
    return lead[:k] or body_lines(body)[:k]


def split_line(line: str) -> list[str]:
    """A line's sentences, cut after every end mark that a space follows (CJK: any)."""
    pieces, start = [], 0
    for match in _SENTENCE_END.finditer(line):
        pieces.append(line[start : match.end()])
        start = match.end()
    pieces.append(line[start:])
    return [p.strip() for p in pieces if p.strip()]


_INNER_CJK_END = re.compile(r"[。！？]+[」』”’)]*(?=\S)")


def sentence_count(sentences: Sequence[str]) -> int:
    """Sentences in a summary: its listed sentences, plus every CJK full stop, exclamation or
    question mark inside one of them (a splitter that misses them must not make four sentences
    look like one)."""
    return sum(1 + len(_INNER_CJK_END.findall(s.strip())) for s in sentences if s.strip())


class Body:
    """A page's true body, processed once for every sentence looked up in it."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.squashed = squash(text)
        self.tokens = tokens(text)
        self._positions: dict[str, list[int]] = defaultdict(list)
        for index, token in enumerate(self.tokens):
            self._positions[token].append(index)

    def contains(self, sentence: str) -> bool:
        """Whether ``sentence`` is found in the body (README: substring, else in-order window)."""
        squashed = squash(sentence)
        if squashed in self.squashed:
            return True
        return self.window_match(tokens(sentence)) >= FOUND_SHARE

    def window_match(self, sentence_tokens: Sequence[str]) -> float:
        """The largest share of the tokens that occur in order inside one window of the body.

        A window is ``ceil(n / 0.9)`` body tokens for a sentence of ``n`` tokens (so that a
        found sentence also covers 90% of its window). It starts at a body token equal to one of
        the sentence's first tokens: a match that skips at most 10% must use one of them.
        """
        n = len(sentence_tokens)
        if n == 0:
            return 1.0
        width = math.ceil(n / FOUND_SHARE)
        skippable = n - math.ceil(FOUND_SHARE * n)
        needed = math.ceil(FOUND_SHARE * n)
        starts = sorted(
            {p for t in set(sentence_tokens[: skippable + 1]) for p in self._positions.get(t, ())}
        )
        bag = Counter(sentence_tokens)
        best = 0
        for start in starts:
            window = self.tokens[start : start + width]
            # The bag overlap bounds the in-order match from above: skip hopeless windows.
            if sum((Counter(window) & bag).values()) <= best:
                continue
            best = max(best, _lcs(sentence_tokens, window))
            if best >= needed:
                break
        return best / n


def _lcs(a: Sequence[str], b: Sequence[str]) -> int:
    """Length of the longest common subsequence (in-order match) of two token lists."""
    previous = [0] * (len(b) + 1)
    for x in a:
        current = [0]
        for j, y in enumerate(b):
            current.append(previous[j] + 1 if x == y else max(previous[j + 1], current[j]))
        previous = current
    return previous[-1]


def title_candidates(variants: Iterable[str]) -> list[list[str]]:
    """Token lists of every title variant, each also without a site or section name split off
    (" | Site", "Site - ", "Section | Headline - Site"): the whole, without its first part,
    without its last part, and its longest part."""
    candidates: dict[tuple[str, ...], None] = {}
    for variant in variants:
        parts = [p for p in _TITLE_SEPARATOR.split(variant) if tokens(p)]
        forms = [variant]
        if len(parts) > 1:
            forms += [" ".join(parts[1:]), " ".join(parts[:-1]), max(parts, key=len)]
        for form in forms:
            form_tokens = tuple(tokens(form))
            if form_tokens:
                candidates[form_tokens] = None
    return [list(c) for c in candidates]


def begins_with_title(sentence: str, titles: Sequence[Sequence[str]]) -> bool:
    """Whether 80% of some title's tokens are among the sentence's first len(title)+2 tokens."""
    sentence_tokens = tokens(sentence)
    for title in titles:
        head = Counter(sentence_tokens[: len(title) + TITLE_SLACK])
        shared = sum((Counter(title) & head).values())
        if shared >= TITLE_SHARE * len(title):
            return True
    return False


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def has_duplicate(sentences: Sequence[str]) -> bool:
    """Whether two sentences have token sets with a Jaccard similarity of 0.8 or more."""
    sets = [set(tokens(s)) for s in sentences]
    return any(
        jaccard(sets[i], sets[j]) >= DUP_JACCARD
        for i in range(len(sets))
        for j in range(i + 1, len(sets))
        if sets[i] and sets[j]
    )


def unigram_f1(candidate: Sequence[str], reference: Sequence[str]) -> float:
    """F1 (0-100) of the token multisets, as ROUGE-1 without stemming."""
    if not candidate or not reference:
        return 0.0
    overlap = sum((Counter(candidate) & Counter(reference)).values())
    if overlap == 0:
        return 0.0
    precision, recall = overlap / len(candidate), overlap / len(reference)
    return 100 * 2 * precision * recall / (precision + recall)


def contains_snippet(sentences: Sequence[str], snippets: Sequence[str]) -> bool:
    """Whether the summary holds one of the snippets (compared squashed, as ``in_body``)."""
    text = squash(" ".join(sentences))
    return any(squash(s) and squash(s) in text for s in snippets)


@dataclass
class PageMeasures:
    """The true body and titles of one full-body page, ready to score its summaries."""

    body: Body
    titles: list[list[str]]
    lead: list[str] = field(default_factory=list)
    language: str | None = None
    quotes: QuoteContext | None = None

    @classmethod
    def of(
        cls, body: str, title_variants: Iterable[str], language: str | None = None
    ) -> PageMeasures:
        return cls(
            Body(body),
            title_candidates(title_variants),
            lead_sentences(body),
            language,
            QuoteContext(body),
        )

    def score(self, sentences: Sequence[str] | None) -> dict[str, Any]:
        """Per-summary measures; ``None`` or no sentences is a missing summary."""
        sentences = [s for s in (sentences or []) if s.strip()]
        if not sentences:
            return {"missing": True, "sentences": 0, "sentences_in_body": 0, "one_sentence": False}
        found = [self.body.contains(s) for s in sentences]
        return {
            "missing": False,
            "sentences": len(sentences),
            "sentences_in_body": sum(found),
            "one_sentence": sentence_count(sentences) == 1,
            "in_body": all(found),
            "starts_with_title": (not found[0]) and begins_with_title(sentences[0], self.titles),
            "dup": has_duplicate(sentences),
            "quote_fragment": quote_fragments(sentences, self.quotes) > 0,
            "redundant": redundant_pairs(sentences, self.language) > 0,
            "lead_overlap": unigram_f1(
                [t for s in sentences for t in tokens(s)],
                [t for s in self.lead for t in tokens(s)],
            ),
        }
