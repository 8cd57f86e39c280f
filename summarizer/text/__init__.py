"""Turning what a client sends into clean article text and sentences."""

from summarizer.text.extract import html_to_text, looks_like_html
from summarizer.text.normalize import decode_bytes, normalize_text
from summarizer.text.prepare import MAX_INPUT_CHARS, PreparedText, prepare
from summarizer.text.sentences import split_sentences

__all__ = [
    "MAX_INPUT_CHARS",
    "PreparedText",
    "decode_bytes",
    "html_to_text",
    "looks_like_html",
    "normalize_text",
    "prepare",
    "split_sentences",
]
