"""Evaluation on real article pages against their hand-marked body (shared/eval/web)."""

from summarizer.evaluation.web.measures import (
    Body,
    PageMeasures,
    begins_with_title,
    contains_snippet,
    has_duplicate,
    lead_sentences,
    sentence_count,
    title_candidates,
    unigram_f1,
)
from summarizer.evaluation.web.tokens import normalize, squash, tokens

__all__ = [
    "Body",
    "PageMeasures",
    "begins_with_title",
    "contains_snippet",
    "has_duplicate",
    "lead_sentences",
    "normalize",
    "sentence_count",
    "squash",
    "title_candidates",
    "tokens",
    "unigram_f1",
]
