"""The embedded offline default: picks the article's most informative sentences.

News puts the main facts first, so a sentence's score is a position prior among the *content*
sentences: bylines, datelines like "(CNN) --", "scroll down for video" lines, glued captions and
teaser fragments never compete, which is what lets it beat plain Lead-3. Smaller terms add
TF-IDF centrality and demote sentences that open with a quotation, and a redundancy penalty
(maximal marginal relevance) skips a sentence that repeats one already chosen. A one-sentence
summary uses a flatter prior and a length term, so a full, central sentence can beat a thin lead.
The picked sentences come back whole and in article order. No model files, no downloads: a few
milliseconds per article.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from summarizer.engines.base import Engine
from summarizer.options import SummaryOptions
from summarizer.sentence_fit import ends_sentence, fit_to_words, word_count
from summarizer.summary import Summary
from summarizer.text import PreparedText
from summarizer.text.datelines import strip_dateline
from summarizer.text.quotes import balanced
from summarizer.text.redundancy import ContentIndex
from summarizer.text.similarity import near_duplicate
from summarizer.text.similarity import tokens as token_set
from summarizer.text.stopwords import stopwords
from summarizer.text.tokens import tokens

_NON_CONTENT = re.compile(
    r"scroll down for (?:video|more)|click here|read more\b|follow (?:us|@)|sign up for|"
    r"subscribe to|all rights reserved|copyright \d{4}|\bpublished:|\bupdated:|last updated|"
    r"e-?mail to a friend|share this (?:article|story)|\bcomments? \(\d+\)|"
    r"^(?:photo|image|picture|video|source|credit)s?:",
)  # matched against the lowercased sentence: much faster than re.IGNORECASE
# Datelines and bylines before a sentence: "(CNN)", "PARIS (AP) -", "WASHINGTON --", "By . X . "
_LEAD_JUNK = re.compile(
    r"^(?:"
    r"(?i:by) \. [^.]{1,60} \. "
    r"|\([A-Za-z][\w .&'-]{0,30}\)\s*(?:--|—|–|-)?\s*"
    r"|[A-Z][\w.'-]*(?:[ ,]+[A-Z][\w.'-]*){0,4}\s*\([^()]{1,30}\)\s*(?:--|—|–|-)\s*"
    r"|[A-Z][\w.'-]*(?:[ ,]+[A-Z][\w.'-]*){0,4}\s*\((?:CNN|AP|AFP|Reuters|UPI)[^()]{0,20}\)\s*"
    r"|[A-Z]{3,}(?:[ ,]+[A-Z][A-Za-z]+){0,3}\s*(?:--|—|–)\s*(?=[A-Z\"“‘'])"
    r")"
)
# "heard.Shocking": a sentence end the splitter missed because the space after it was lost.
# Latin, Greek and Cyrillic letters, the scripts with capitals most news is written in.
_GLUED_END = re.compile(r"(?<=[a-zß-öø-ÿα-ωа-яё]{2}[.!?])(?=[A-ZÀ-ÖØ-ÞΑ-ΩА-ЯЁ][a-zß-öø-ÿα-ωа-яё])")
# A caption glued to the next sentence: "...dubbed 'The First Great Escape' The story of how".
# Only after a lowercase word or a closing quote ("Greater Manchester Police tweeted" is one).
# Tried only where a run of spaces starts, and the run taken whole: from every space of a long
# run it was read to its end again (quadratic; 8,000 spaces took 0.8 s).
_GLUED_START = re.compile(r"(?<!\s)\s++(?=(?:The|A|An|He|She|It|They|But|This|In)\s+[a-z])")
_LOWER_WORD = re.compile(r"[a-z][a-z-]*")
_OPENER = re.compile(
    r"^(?:he|she|it|they|this|that|these|those|his|her|their|its|but|and|so|however|meanwhile|"
    r"yet|also|there|here|then)\b",
    re.IGNORECASE,
)
_QUOTES = "\"'“”‘’"
# A line that is mostly digits, punctuation and symbols (scores, timestamps, prices, tables):
# fewer than half of its visible characters are letters, in any script.
_MIN_LETTER_SHARE = 0.5
# Credits, copyright and rights lines, by their symbols in any language.
_RIGHTS_MARK = re.compile(r"©|\(c\)\s*\d{4}")
# Menus, breadcrumbs and share bars run together: three or more separators in one line.
_SEPARATORS = re.compile(r"\s[|•·›»]\s")
# The similarity work (terms multiplied) that bringing redundancies up to date may spend on one
# ranking. Thousands of near-tied sentences that all share one term brought every one of them to
# the top again after each pick (8,000 sentences, min_words=max_words=1,000: 2.6 million
# similarities, 5 s). The 447 dev articles and pages need at most 57,000 with any preset or
# max_words=300, 175,000 with min_words=max_words=1,000. Past it, a sentence's redundancy stays
# where it was last brought up to date (a lower bound, as between updates), so the ranking's
# work stays near-linear; the near-duplicate check still keeps repeats out of a summary.
REDUNDANCY_WORK = 1_000_000
# A timestamp glued before the first sentence, in any language's words: a year, then a clock
# time within a few words ("sexta-feira, 22 de outubro de 2010 às 20:13 Nesta página…",
# "12.05.2019, 18:30 Uhr Die Polizei…"). Only when what follows starts like a sentence.
_TIMESTAMP_LEAD = re.compile(
    r"^(?:[^.!?\n]|(?<=\d)\.(?=\d)){0,40}?\b(?:1[89]|20)\d{2}\b[^.!?\n]{0,16}?\b[0-2]?\d[:h][0-5]\d\b"
    r"(?:\s*(?:Uhr|h|hrs|[AaPp]\.?[Mm]\.?|[A-Z]{2,4}T))?\s*[-–—|/,]*\s+(?=[^\W\d_][^\W\d_])"
)


@dataclass(frozen=True)
class ExtractiveConfig:
    """Sentence score = position prior + these weights, chosen by a grid search on the tuning
    half of the dev set only (``python -m summarizer.evaluation.tuning``; docs/evaluation.md
    tells how). The prior dominates: the other terms only reorder near-ties.
    """

    quote_weight: float = -0.1  # starts with a quotation mark: a voice, rarely the news
    opener_weight: float = 0.0  # starts with "He", "But", "This"...: leans on its context
    centrality_weight: float = 0.6  # TF-IDF cosine with the article's content sentences
    overlong_weight: float = 0.0  # per 20 words beyond 40: a caption glued to a sentence
    length_weight: float = 0.0  # times min(1, words / 25): favours full, informative sentences
    position_decay: float = 1.0  # prior = 1 / (1 + rank) ** decay among content sentences
    redundancy_penalty: float = 0.3  # times the similarity to a sentence already selected
    # A one-sentence summary (``short``) has no room for a weak lead: a flatter position prior
    # lets a fuller, more central sentence win (tuned on one-sentence references, tune half).
    single_position_decay: float = 0.3
    single_length_weight: float = 1.0
    min_sentence_words: int = 8  # shorter lines are teasers, bylines or captions


class ExtractiveEngine(Engine):
    name = "extractive"

    def __init__(self, config: ExtractiveConfig | None = None) -> None:
        super().__init__(model_id="extractive")
        self.config = config or ExtractiveConfig()

    def summarize_batch(
        self, docs: Sequence[PreparedText], options: SummaryOptions
    ) -> list[Summary]:
        return [self._summarize(doc, options) for doc in docs]

    def fingerprint(self) -> str:
        return f"{super().fingerprint()}:{sorted(asdict(self.config).items())}"

    def _summarize(self, doc: PreparedText, options: SummaryOptions) -> Summary:
        # An article that is nothing but a dateline cleans to nothing; summarize it as it is.
        sentences = clean_sentences(doc.sentences) or list(doc.sentences)
        order = self.rank(sentences, options, doc.language)
        picked = fit_to_words([sentences[i] for i in sorted(order)], options.word_range[1])
        return self.make_summary(doc, picked, options)

    def candidates(
        self,
        sentences: Sequence[str],
        bags: Sequence[Counter[str]] | None = None,
        lengths: Sequence[int] | None = None,
        language: str | None = None,
    ) -> list[int]:
        """Indices of the sentences allowed into a summary (content, long enough)."""
        cfg = self.config
        stop = stopwords(language)
        bags = bags if bags is not None else [_bag(s, stop) for s in sentences]
        lengths = lengths if lengths is not None else [word_count(s) for s in sentences]
        return (
            [
                i
                for i, s in enumerate(sentences)
                if bags[i]
                and not _NON_CONTENT.search(s.lower())
                and not _is_furniture(s)
                and lengths[i] >= cfg.min_sentence_words
                and ends_sentence(s)  # a headline or caption never stands in a summary
                and balanced(s)  # never a piece of a quotation (summarizer/text/quotes.py)
            ]
            or [i for i, bag in enumerate(bags) if bag]
            or [0]
        )

    def scores(
        self, sentences: Sequence[str], single: bool = False, language: str | None = None
    ) -> tuple[list[int], list[float], list[dict]]:
        """Candidates, their scores and their TF-IDF vectors (``single``: for a one-sentence
        summary; ``language``: whose stopwords leave the terms, English where None)."""
        stop = stopwords(language)
        bags = [_bag(s, stop) for s in sentences]
        lengths = [word_count(s) for s in sentences]
        candidates = self.candidates(sentences, bags, lengths)
        vectors = _tfidf(bags)
        kept = [vectors[i] for i in candidates]
        total: Counter[str] = Counter()
        for vector in kept:
            total.update(vector)
        centroid = _normalize(total)
        cfg = self.config
        decay = cfg.single_position_decay if single else cfg.position_decay
        length_weight = cfg.single_length_weight if single else cfg.length_weight
        scores = []
        for rank, i in enumerate(candidates):
            sentence = sentences[i].strip()
            scores.append(
                1.0 / (1 + rank) ** decay
                + length_weight * min(1.0, lengths[i] / 25)
                + cfg.quote_weight * (sentence[:1] in _QUOTES)
                + cfg.opener_weight * bool(_OPENER.match(sentence))
                + cfg.centrality_weight * _cosine(vectors[i], centroid)
                + cfg.overlong_weight * max(0.0, lengths[i] - 40) / 20
            )
        return candidates, scores, kept

    def rank(
        self, sentences: list[str], options: SummaryOptions, language: str | None = None
    ) -> list[int]:
        """Indices of the selected sentences, best first, within the options' budgets."""
        low, high = options.word_range
        budget = options.sentence_budget
        candidates, scores, vectors = self.scores(sentences, single=budget == 1, language=language)
        selected: list[int] = []
        words = 0
        penalty = self.config.redundancy_penalty
        redundancy = [0.0] * len(candidates)  # similarity to the closest selected sentence
        seen = [0] * len(candidates)  # how many of ``selected`` redundancy[i] accounts for
        selected_bags: list[frozenset[str]] = []  # token_set of each selected sentence
        selected_content = ContentIndex()  # content_words of the selected sentences

        def fits(i: int) -> bool:
            """Whether candidate ``i`` may join the selection as it stands."""
            if selected and words + word_count(sentences[candidates[i]]) > high:
                return False
            bag = token_set(sentences[candidates[i]])
            # Not the same sentence again (a repeated caption, a teaser of the lead), nor the
            # same fact in other words (summarizer/text/redundancy.py).
            if any(near_duplicate(bag, other) for other in selected_bags):
                return False
            # A TF-IDF vector's terms are the sentence's content words (stopwords left out).
            return not selected or not selected_content.restates(vectors[i].keys())

        # Greedy selection of the best remaining sentence (score less the redundancy penalty;
        # ties: the earlier sentence) that fits, made lazily: a sentence's redundancy only
        # grows, so a heap entry's key is a bound, brought up to date only when it comes to the
        # top. Re-scoring every remaining sentence after each pick (and a max() over all of
        # them for each one passed over) made articles of thousands of sentences quadratic.
        heap = [(-scores[i], i) for i in range(len(candidates))]
        heapq.heapify(heap)
        work = 0  # terms multiplied in redundancy updates, at most about REDUNDANCY_WORK
        while heap:
            _, best = heapq.heappop(heap)
            if seen[best] < len(selected) and work < REDUNDANCY_WORK:
                for j in selected[seen[best] :]:
                    redundancy[best] = max(redundancy[best], _cosine(vectors[best], vectors[j]))
                    work += min(len(vectors[best]), len(vectors[j]))
                seen[best] = len(selected)
                fresh = (penalty * redundancy[best] - scores[best], best)
                if heap and fresh > heap[0]:
                    heapq.heappush(heap, fresh)
                    continue
            if not fits(best):
                continue
            selected.append(best)
            selected_bags.append(token_set(sentences[candidates[best]]))
            selected_content.add(vectors[best].keys())
            words += word_count(sentences[candidates[best]])
            # A one-sentence summary (``short``) is one sentence, however short, in every
            # language, unless the caller asked for more words.
            single = budget == 1 and options.min_words is None
            if len(selected) >= budget and (words >= low or single):
                break
        return [candidates[i] for i in selected]


def clean_sentences(sentences: Sequence[str]) -> list[str]:
    """Sentences without datelines like "(CNN) --", with glued sentence ends and glued captions
    split apart; a caption piece (no final punctuation) is dropped. Every result is still a piece
    of the article's text, and ends a sentence wherever the original did.
    """
    cleaned: list[str] = []
    for sentence in sentences:
        for part in _GLUED_END.split(sentence):
            pieces = _split_caption(part)
            for k, piece in enumerate(pieces):
                piece = _LEAD_JUNK.sub("", piece.strip()).strip()
                piece = strip_dateline(_strip_timestamp(piece))
                if piece and (k == len(pieces) - 1 or ends_sentence(piece)):
                    cleaned.append(piece)
    return cleaned


def _strip_timestamp(sentence: str) -> str:
    """``sentence`` without a leading timestamp (``_TIMESTAMP_LEAD``), if a sentence follows."""
    match = _TIMESTAMP_LEAD.match(sentence)
    if match and sentence[match.end()].isupper():
        return sentence[match.end() :]
    return sentence


def _split_caption(text: str) -> list[str]:
    """Pieces of ``text`` split after each lowercase word that a glued sentence start follows."""
    pieces, start = [], 0
    for match in _GLUED_START.finditer(text):
        before = text[start : match.start()]
        words = before.split()
        if len(words) > 1 and (_LOWER_WORD.fullmatch(words[-1]) or words[-1][-1] in "’”"):
            pieces.append(before)
            start = match.end()
    return [*pieces, text[start:]]


def _bag(sentence: str, stop: frozenset[str]) -> Counter[str]:
    return Counter(w for w in tokens(sentence) if w not in stop)


def _is_furniture(sentence: str) -> bool:
    """Page furniture recognised by its shape in any language: mostly digits and symbols, or a
    copyright or credit mark."""
    visible = len(sentence) - sum(map(str.isspace, sentence))
    letters = sum(map(str.isalpha, sentence))
    return (
        letters < _MIN_LETTER_SHARE * visible
        or bool(_RIGHTS_MARK.search(sentence))
        or len(_SEPARATORS.findall(sentence)) >= 3
    )


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
